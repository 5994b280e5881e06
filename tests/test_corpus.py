"""The 50 real report openings in ../shared/corpus: every one is read and audited without an error, and
every piece of evidence points at the matched words in the original (line:column, traditional, pinyin, junk)."""
from __future__ import annotations

import pytest

from auditor.audit import audit_file
from dataclasses import replace

from auditor.evaluate import evaluate, in_split, read_labels, scores
from auditor.normalize import normalize_phrase

from .conftest import DATA, SHARED
from .test_samples import guide_over_labels

CORPUS = sorted((SHARED / "corpus").glob("[0-9]*.txt"))
# hand labels: five element rules from ../shared, the fourteen 纲要 area rules labelled blind for issue 20
LABEL_FILES = [SHARED / "corpus" / "labels.tsv", DATA / "corpus-area-labels.tsv"]


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
            at = normalize_phrase(lines[ev.line - 1][ev.column - 1:])
            if ev.roles:   # a concept's span starts at one of the words that filled its roles
                assert any(at.startswith(normalize_phrase(w)) for w in ev.roles.values()), (f.rule.id, ev)
            elif ev.how == "clause":   # the span starts at one of the pattern's parts
                variants = [v if isinstance(v, str) else v.text for p in _patterns(f.rule) for part in p.all
                            for v in part]
                assert any(at.startswith(normalize_phrase(v)) for v in variants), (f.rule.id, ev)
            else:
                assert at.startswith(ev.phrase), (f.rule.id, ev)


def _patterns(rule):
    return list(rule.patterns) + [p for c in rule.all_of for p in c.patterns]


@pytest.fixture(scope="module")
def corpus_verdicts(matcher):
    return {(path.name, f.rule.id): f for path in CORPUS for f in audit_file(path, matcher).findings}


def _scored(labels_path, verdicts, split):
    overruled = guide_over_labels("corpus")
    labels = [replace(lb, expected=overruled.get((lb.file, lb.rule), lb.expected))
              for lb in read_labels(labels_path) if in_split(lb.file, split)]
    ev = evaluate(labels, verdicts)
    assert not ev.missing
    return ev


@pytest.mark.parametrize("labels", LABEL_FILES, ids=[p.name for p in LABEL_FILES])
def test_the_tune_part_of_the_labelled_corpus(labels, corpus_verdicts, capsys):
    """On the reports rules are tuned on, a false met (a hidden gap) is rare and recall high; every
    disagreement is printed. Labels the guide overrules: tests/data/guide-over-labels.tsv."""
    ev = _scored(labels, corpus_verdicts, "tune")
    with capsys.disabled():
        print(f"\n{labels.name}, tune part: per rule TP FP FN TN  precision recall F1")
        for rule, c in sorted(ev.per_rule.items()):
            p, r, f1 = scores(c)
            print(f"  {rule:28} {c['TP']:3} {c['FP']:3} {c['FN']:3} {c['TN']:3}  {p:.3f} {r:.3f} {f1:.3f}")
        for cell, label, f in ev.disagreements:
            print(f"  {cell} {label.file} {label.rule}: {f.status.value} {f.evidence[0].quote if f.evidence else f.why}")
    p, r, f1 = scores(ev.total)
    assert ev.total["FP"] <= 1 and f1 >= 0.97, ev.total


@pytest.mark.parametrize("labels", LABEL_FILES, ids=[p.name for p in LABEL_FILES])
def test_the_test_part_of_the_labelled_corpus(labels, corpus_verdicts, capsys):
    """The reports nobody tunes to (every third by number) are only measured: figures, never the errors."""
    ev = _scored(labels, corpus_verdicts, "test")
    p, r, f1 = scores(ev.total)
    with capsys.disabled():
        print(f"\n{labels.name}, test part: TP {ev.total['TP']} FP {ev.total['FP']} FN {ev.total['FN']} "
              f"precision {p:.3f} recall {r:.3f} F1 {f1:.3f}")
    assert ev.total["FP"] <= 1 and f1 >= 0.85   # the floor per rule


def test_whole_reports_written_to_attack_the_rules(matcher):
    """40 short reports a hostile reviewer wrote and labelled by the guide before running the auditor
    (tests/data/reports-hostile): parts named in other words, problems and plans in closing paragraphs,
    one-sentence numbered items, look-alikes. Dev data, tuned on: a floor, and false met kept rare."""
    folder = DATA / "reports-hostile"
    verdicts = {(p.name, f.rule.id): f for p in sorted(folder.glob("*.txt")) for f in audit_file(p, matcher).findings}
    ev = evaluate(read_labels(folder / "labels.tsv"), verdicts)
    p, r, f1 = scores(ev.total)
    assert not ev.missing and ev.total["FP"] <= 3 and f1 >= 0.95, (ev.total, [
        f"{cell} {label.file} {label.rule}" for cell, label, _f in ev.disagreements])


@pytest.mark.parametrize("folder, prefix, most_missed, most_rejected", [
    ("reports-blind-7", "m", 0, 1), ("reports-blind-10", "r", 1, 0)])
def test_blind_look_alikes_of_many_kinds(folder, prefix, most_missed, most_rejected, matcher):
    """40 openings each, written and labelled blind for the document type alone. reports-blind-7: 26 look-alikes
    of 20 kinds (an indicator explained, a 示范创建 application, a 综述, a 全面从严治党 report …) and 14 real reports that
    look like them (自查-titled, addressed with a 文号, read at a 人大 session); measured once untouched: 20 of 26
    caught, 1 real report rejected. reports-blind-10: 25 look-alikes of 24 kinds (a half-year summary, a 人大
    执法检查 report, a 政协 提案 answered, a 调研报告 …) and 15 real reports like them; untouched: 21 of 25 caught, 1
    rejected (a year's report titled 自查报告, as in blind-7: two writers call it the annual report)."""
    labels = read_labels(DATA / folder / f"labels-{prefix}.tsv")
    verdicts = {(lb.file, "document-type"): next(f for f in audit_file(DATA / folder / lb.file, matcher).findings
                                                 if f.rule.id == "document-type") for lb in labels}
    ev = evaluate(labels, verdicts)
    missed = [label.file for cell, label, _f in ev.disagreements if cell == "FP"]
    rejected = [label.file for cell, label, _f in ev.disagreements if cell == "FN"]
    assert len(missed) <= most_missed and len(rejected) <= most_rejected and len(labels) == 40, (missed, rejected)


def test_blind_whole_reports_written_and_labelled_before_the_auditor_ran(matcher):
    """50 report openings two writers made up and labelled by the guide without seeing the rules
    (tests/data/reports-blind: every level, 2019–2025, traditional script, lost line breaks, site headers).
    Measured once untouched (micro F1 0.975, 12 false met); tuned on since: a floor, false met kept rare."""
    folder = DATA / "reports-blind"
    verdicts = {(p.name, f.rule.id): f for p in sorted(folder.glob("*.txt")) for f in audit_file(p, matcher).findings}
    ev = evaluate(read_labels(folder / "labels-a.tsv") + read_labels(folder / "labels-b.tsv"), verdicts)
    p, r, f1 = scores(ev.total)
    assert not ev.missing and ev.total["FP"] <= 4 and f1 >= 0.97, (ev.total, [
        f"{cell} {label.file} {label.rule}" for cell, label, _f in ev.disagreements])


@pytest.mark.parametrize("folder, most_false_met", [("reports-blind-2", 3), ("reports-blind-3", 3), ("reports-blind-4", 3),
                                                    ("reports-blind-5", 3), ("reports-blind-6", 3), ("reports-blind-8", 4),
                                                    ("reports-blind-9", 3), ("reports-blind-11", 5),
                                                    ("reports-blind-13", 6)])
def test_later_blind_sets_of_whole_reports(folder, most_false_met, matcher, capsys):
    """Nine more sets of 50 openings (40 reports, 10 look-alikes) written and labelled by the guide before the
    auditor ran (labels-*.tsv, index-*.tsv). Each was measured once untouched (micro F1 0.982, 0.970, 0.994, 0.995,
    0.987, 0.979, 0.985, 0.982, 0.982), then tuned on: a floor, false met kept rare, every look-alike caught and no report rejected.
    (blind-8's remaining false met: labels that differ from the corpus's on the same wording, e.g. reconsideration
    cases mediated, and plans stated in a later clause of the sentence.)"""
    path = DATA / folder
    verdicts = {(p.name, f.rule.id): f for p in sorted(path.glob("*.txt")) for f in audit_file(p, matcher).findings}
    labels = [lb for tsv in sorted(path.glob("labels-*.tsv")) for lb in read_labels(tsv)]
    ev = evaluate(labels, verdicts)
    p, r, f1 = scores(ev.total)
    with capsys.disabled():
        print(f"\n{folder}: TP {ev.total['TP']} FP {ev.total['FP']} FN {ev.total['FN']} F1 {f1:.3f}")
    types = [(cell, label.file) for cell, label, _f in ev.disagreements if label.rule == "document-type"]
    assert not ev.missing and ev.total["FP"] <= most_false_met and f1 >= 0.98 and not types, (ev.total, [
        f"{cell} {label.file} {label.rule}" for cell, label, _f in ev.disagreements])
