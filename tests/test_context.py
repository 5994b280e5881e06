"""Statuses from context, on sample 002 edited per element rule (the five-part model: 一 measures,
二 leader duty, 三 shortcomings, 四 next year, 五 other)."""
from __future__ import annotations

import re

import pytest

from auditor.audit import audit_source, example_status
from auditor.match import Matcher
from auditor.model import Status
from auditor.read import Source
from auditor.ruleset import load_rules

from .conftest import REPO, REPORTS

SAMPLE = (REPORTS / "002_ae009fae7ef3885b.txt").read_text(encoding="utf-8")
ELEMENTS = [r for r in load_rules(REPO / "rules") if r.kind == "element"]
HEADINGS = {"measures": "一、2023年推进法治政府建设的主要举措和成效", "shortcomings": "三、2023年推进法治政府建设存在的不足和原因",
            "next-year": "四、2024年推进法治政府建设的工作思路目标举措"}


def _mentions(rule, sentence: str, matcher) -> bool:
    return example_status(rule, sentence, matcher) is not Status.MISSING


def without_element(rule) -> str:
    """Sample 002 with every sentence that mentions the element (its phrases or related wording) removed."""
    matcher = Matcher([rule])
    out = []
    for line in SAMPLE.split("\n"):
        kept = [s for s in re.split(r"(?<=[。;；!?！？])", line) if s and not _mentions(rule, s, matcher)]
        out.append("".join(kept))
    return "\n".join(out)


def insert_after(text: str, heading: str, sentence: str) -> str:
    assert heading in text
    return text.replace(heading + "\n", heading + "\n" + sentence + "\n", 1)


ALL = Matcher(load_rules(REPO / "rules"))   # parts come from the section rules, so load them all


def status_of(rule, text: str) -> Status:
    report = audit_source(Source("edited.txt", text, "utf-8"), ALL)
    return next(f for f in report.findings if f.rule.id == rule.id).status


def _phrase(rule) -> str:
    return next(p for p in rule.phrases if isinstance(p, str))


@pytest.fixture(scope="module", params=ELEMENTS, ids=[r.id for r in ELEMENTS])
def edited(request):
    return request.param, without_element(request.param)


def test_removed_everywhere_is_missing(edited):
    rule, text = edited
    assert status_of(rule, text) is Status.MISSING


def test_back_in_the_measures_part_is_met(edited):
    rule, text = edited
    assert status_of(rule, insert_after(text, HEADINGS["measures"], rule.examples.met[0] + "。")) is Status.MET


def test_only_in_the_next_year_part_is_planned(edited):
    rule, text = edited
    assert status_of(rule, insert_after(text, HEADINGS["next-year"], rule.examples.met[0] + "。")) is Status.PLANNED


def test_only_in_future_wording_is_planned(edited):
    rule, text = edited
    sentence = f"下一步，我们将进一步抓好{_phrase(rule)}工作。"
    assert status_of(rule, insert_after(text, HEADINGS["measures"], sentence)) is Status.PLANNED


def test_only_in_the_shortcomings_part_is_a_shortcoming(edited):
    rule, text = edited
    assert status_of(rule, insert_after(text, HEADINGS["shortcomings"], rule.examples.met[0] + "。")) \
        is Status.SHORTCOMING


def test_negated_in_the_measures_part_is_a_shortcoming(edited):
    rule, text = edited
    sentence = f"对{_phrase(rule)}的落实还不够到位。"
    assert status_of(rule, insert_after(text, HEADINGS["measures"], sentence)) is Status.SHORTCOMING


def test_done_anywhere_beats_a_plan_or_a_shortcoming(edited):
    rule, text = edited
    text = insert_after(text, HEADINGS["shortcomings"], rule.examples.met[0] + "。")
    text = insert_after(text, HEADINGS["next-year"], rule.examples.met[0] + "。")
    assert status_of(rule, insert_after(text, HEADINGS["measures"], rule.examples.met[0] + "。")) is Status.MET


def test_unheaded_closing_paragraph_of_sample_000_is_shortcomings_then_plans(matcher):
    raw = (REPORTS / "000_8983b31abeb2f5d4.txt").read_text(encoding="utf-8")
    report = audit_source(Source("000.txt", raw, "utf-8"), matcher)
    assert report.findings   # the parts themselves:
    from auditor.normalize import normalize
    from auditor.sections import build_outline
    from auditor.segment import make_doc, sentence_spans
    norm = normalize(raw).text
    outline = build_outline(norm, sentence_spans(make_doc(norm)))
    # classify through the matcher's own section hits
    results, _ = matcher.match(norm, outline)
    hits = {f.rule.id: h for f, h in results}
    assert hits["section-shortcomings"][0].part == "shortcomings"
    assert hits["section-next-year"][0].part == "next-year"
