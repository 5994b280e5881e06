"""The fuzzy prefilter only skips sentences that cannot reach the threshold: checked against rapidfuzz itself."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz

from auditor.prefilter import SentenceFilter, bound

ALPHABET = "法治政府建设合法性审查习近平思想律顾问第一责任人年度报告规范"


def test_the_bound_is_what_one_slip_allows():
    assert bound(7, 85) == 6 and bound(10, 90) == 9 and bound(6, 72) == 4


@settings(max_examples=300, deadline=None)
@given(phrase=st.text(alphabet=ALPHABET, min_size=6, max_size=12),
       sentences=st.lists(st.text(alphabet=ALPHABET + "，。的了", min_size=1, max_size=40), min_size=1, max_size=6),
       score=st.sampled_from([72, 80, 85, 90]))
def test_no_sentence_that_reaches_the_score_is_skipped(phrase, sentences, score):
    text = "\n".join(sentences)
    spans, pos = [], 0
    for s in sentences:
        spans.append((pos, pos + len(s)))
        pos += len(s) + 1
    kept = set(SentenceFilter([(0, [phrase], score)]).candidates(text, spans)[0].tolist())
    for i, s in enumerate(sentences):
        if fuzz.partial_ratio(phrase, s) >= score:
            assert i in kept, (phrase, s, fuzz.partial_ratio(phrase, s))


def test_it_skips_unrelated_sentences():
    spans_text = "全年开展普法宣传20余次。聘请法律硕问2名。今天天气晴朗，阳光明媚。"
    spans = [(0, 13), (13, 22), (22, 34)]
    kept = SentenceFilter([(0, ["聘请法律顾问"], 80)]).candidates(spans_text, spans)[0].tolist()
    assert kept == [1]
