"""Statuses from context, on sample 002 edited per element rule (the five-part model: 一 measures,
二 leader duty, 三 shortcomings, 四 next year, 五 other)."""
from __future__ import annotations

import re

import pytest

from auditor.audit import Pipeline, audit_source, example_status
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
    matcher = Pipeline([rule])
    out = []
    for line in SAMPLE.split("\n"):
        kept = [s for s in re.split(r"(?<=[。;；!?！？])", line) if s and not _mentions(rule, s, matcher)]
        out.append("".join(kept))
    return "\n".join(out)


def insert_after(text: str, heading: str, sentence: str) -> str:
    assert heading in text
    return text.replace(heading + "\n", heading + "\n" + sentence + "\n", 1)


ALL = Pipeline(load_rules(REPO / "rules"))   # parts come from the section rules, so load them all


def status_of(rule, text: str) -> Status:
    report = audit_source(Source("edited.txt", text, "utf-8"), ALL)
    return next(f for f in report.findings if f.rule.id == rule.id).status


def _phrase(rule, year: int = 2023) -> str:
    """The rule's first plain phrase (no context words) whose wording belongs to the sample's year."""
    for p in rule.phrases:
        if isinstance(p, str):
            return p
        lo, hi = p.years
        if not p.near and (lo is None or lo <= year) and (hi is None or year <= hi):
            return p.text
    if rule.all_of:   # one plain phrase of each component: together they meet the rule
        return "、".join(next(p for p in c.phrases if isinstance(p, str)) for c in rule.all_of)
    raise AssertionError(f"{rule.id} has no plain phrase for {year}")


@pytest.fixture(scope="module", params=ELEMENTS, ids=[r.id for r in ELEMENTS])
def edited(request):
    return request.param, without_element(request.param)


def test_removed_everywhere_is_missing(edited):
    rule, text = edited
    assert status_of(rule, text) is Status.MISSING


EDITS = [  # (where the sentence goes, the sentence, the status the element must get)
    ("measures", lambda rule: rule.examples.met[0] + "。", Status.MET),
    ("next-year", lambda rule: rule.examples.met[0] + "。", Status.PLANNED),
    ("measures", lambda rule: f"下一步，我们将进一步抓好{_phrase(rule)}工作。", Status.PLANNED),
    ("shortcomings", lambda rule: rule.examples.met[0] + "。", Status.SHORTCOMING),
    ("measures", lambda rule: f"对{_phrase(rule)}的落实还不够到位。", Status.SHORTCOMING),
]


@pytest.mark.parametrize("part,sentence,expected", EDITS,
                         ids=["measures-met", "next-year-part", "future-wording", "shortcomings-part", "negated"])
def test_status_from_where_and_how_the_element_is_reported(edited, part, sentence, expected):
    rule, text = edited
    assert status_of(rule, insert_after(text, HEADINGS[part], sentence(rule))) is expected


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
    from auditor.segment import sentence_spans
    norm = normalize(raw).text
    outline = build_outline(norm, sentence_spans(norm))
    # classify through the pipeline's own section hits
    from auditor import parts
    from auditor.judge import judge
    hits, _ = matcher.finder.find(norm, outline)   # (hits, the view they point into)
    sentence_parts, _, _ = parts.from_hits(norm, outline, matcher.rules, hits)
    rules = {r.id: r for r in matcher.rules}
    for rid, part in (("section-shortcomings", "shortcomings"), ("section-next-year", "next-year")):
        _, decisive = judge(rules[rid], hits[rid], norm, outline, sentence_parts)
        assert decisive[0].part == part


# --- the year covered decides which wording counts -------------------------------------------------

def as_year(text: str, year: int) -> str:
    """Sample 002 moved to another report year: 2023 → year, 2024 → year + 1."""
    return text.replace("2024", str(year + 1)).replace("2023", str(year))


def report_for(text: str):
    report = audit_source(Source("edited.txt", text, "utf-8"), ALL)
    return report, {f.rule.id: f for f in report.findings}


def test_year_covered_is_read_from_the_report():
    report, _ = report_for(as_year(SAMPLE, 2019))
    assert report.metadata.year == 2019


def test_2019_asks_for_qiwu_and_bawu_alone_is_outdated():
    # 002 names the “八五”普法 plan and its machinery (谁执法谁普法), which counts in any year: without it,
    # only the plan of other years is left
    _, f = report_for(as_year(SAMPLE, 2019).replace("落实“谁执法谁普法”的普法责任制", "开展普法"))
    five = f["five-year-legal-education"]
    assert five.status is Status.PARTIAL and "2021—2025" in five.why
    _, f = report_for(as_year(SAMPLE, 2019).replace("“八五”普法规划", "“七五”普法规划"))
    assert f["five-year-legal-education"].status is Status.MET


def test_2019_accepts_the_older_xi_wording_and_2022_calls_it_outdated():
    older = "深入学习习近平总书记全面依法治国新理念新思想新战略"
    text = as_year(SAMPLE, 2019).replace("深入学习习近平法治思想", older)
    _, f = report_for(text)
    assert f["xi-thought"].status is Status.MET
    current = (SAMPLE.replace("深入学习习近平法治思想", older).replace("《习近平法治思想学习纲要》", "学习纲要")
               .replace("贯彻落实习近平法治思想和", "贯彻落实"))   # the next-year part's mention would make it planned
    _, f = report_for(current)
    assert f["xi-thought"].status is Status.PARTIAL and "2020年度及以前" in f["xi-thought"].why


def test_rules_outside_their_years_are_not_applicable_and_never_fail_a_gate():
    report, f = report_for(as_year(SAMPLE, 2017))
    assert f["section-other"].status is Status.NOT_APPLICABLE          # the five items bind from 2019
    assert f["xi-thought"].status is Status.NOT_APPLICABLE
    assert not any(g.rule.id in ("section-other", "xi-thought") for g in report.gaps("info"))


def test_unknown_year_accepts_every_era_and_says_so():
    text = "聘请法律顾问。\n组织实施“七五”普法规划，学习习近平法治思想。"
    report, f = report_for(text)
    assert report.metadata.year is None
    assert f["five-year-legal-education"].status is Status.MET and "年度不详" in f["five-year-legal-education"].note
