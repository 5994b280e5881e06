"""The 50 real report openings in ../shared/corpus: every one is read and audited without an error, and
every piece of evidence points at the matched words in the original (line:column, traditional, pinyin, junk)."""
from __future__ import annotations

import pytest

from auditor.audit import audit_file
from auditor.normalize import normalize_phrase

from .conftest import SHARED

CORPUS = sorted((SHARED / "corpus").glob("[0-9]*.txt"))


def test_corpus_is_there():
    assert len(CORPUS) == 50, f"expected the 50 corpus files in {SHARED / 'corpus'}"


@pytest.mark.parametrize("path", CORPUS, ids=[p.stem for p in CORPUS])
def test_corpus_report_audits_and_evidence_points_at_the_original(path, matcher, rules):
    report = audit_file(path, matcher)
    assert report.errors == []
    assert [f.rule.id for f in report.findings] == [r.id for r in rules]
    lines = path.read_text(encoding="utf-8").splitlines()
    for f in report.findings:
        for ev in f.evidence:
            if ev.how in ("fuzzy", "near-miss"):
                continue
            at = lines[ev.line - 1][ev.column - 1:]
            assert normalize_phrase(at).startswith(ev.phrase), (f.rule.id, ev)

