"""Concepts: who + act + object (+ setting) from the shared word classes, in one clause or window; the evidence
names the words that filled each role; a concept's act is the work, not a context of its other roles."""
from __future__ import annotations

import json

import pytest

from auditor.audit import audit_source
from auditor.errors import RuleErrors
from auditor.model import Status
from auditor.read import Source
from auditor.ruleset import load_rules

from .conftest import REPO, run_cli
from .test_scoring import copied_rules

COUNTY = "某某县人民政府关于2023年度法治政府建设情况的报告\n"


def finding(matcher, text: str, rule: str):
    report = audit_source(Source("t.txt", COUNTY + text, "utf-8"), matcher)
    return next(f for f in report.findings if f.rule.id == rule)


@pytest.mark.parametrize("text", [
    "局党组召开习近平法治思想专题学习会。",            # who 党组, act 学习会, object 习近平法治思想
    "镇党委理论学习中心组专题学习宪法和民法典。",
    "宪法、《民法典》等列入街道领导班子会议学习内容。",   # object first, then who and act
    "紧紧抓住“关键少数”，深入学习宣传贯彻习近平法治思想。",   # across a comma, within the window
])
def test_leaders_studying_law_in_other_words_is_met(matcher, text):
    assert finding(matcher, text, "leaders-study-law").status is Status.MET


def test_the_evidence_names_the_words_of_each_role(matcher):
    f = finding(matcher, "局党组召开习近平法治思想专题学习会。", "leaders-study-law")
    assert f.evidence[0].how == "clause"
    assert f.evidence[0].roles == {"who": "党组", "act": "专题学习", "object": "习近平法治思想"}


def test_json_carries_the_roles(tmp_path):
    path = tmp_path / "r.txt"
    path.write_text(COUNTY + "局党组召开习近平法治思想专题学习会。\n", encoding="utf-8")
    out = run_cli("audit", str(path), "-f", "json")
    result = next(r for r in json.loads(out.stdout)["reports"][0]["results"] if r["rule"] == "leaders-study-law")
    assert result["evidence"][0]["roles"]["who"] == "党组"


@pytest.mark.parametrize("text", [
    "镇党委理论学习中心组专题学习党的二十大精神。",   # the object is not law
    "组织全体执法人员参加学法考试，合格率100%。",      # not the leaders
    "在上级党委、政府的坚强领导下，深入学习贯彻习近平法治思想。",   # another body's organ
    "强化各级党组织对法治政府建设的领导，深入学习贯彻习近平法治思想。",   # 党组 inside 党组织 is no organ
])
def test_a_role_filled_by_the_wrong_words_is_not_met(matcher, text):
    assert finding(matcher, text, "leaders-study-law").status is not Status.MET


def test_one_word_never_fills_two_roles(matcher):
    """Two statutory steps must be two different steps: 集体讨论 named twice is one step."""
    f = finding(matcher, "对重大事项实行集体讨论，全年集体讨论事项15件。", "major-decision-procedure")
    assert f.status is not Status.MET
    f = finding(matcher, "重大行政决策事项均经风险评估和合法性审查。", "major-decision-procedure")
    assert f.status is Status.MET


def test_the_act_of_a_concept_is_the_work_not_its_context(matcher):
    """党工委听取法治建设汇报 is the leading organ meeting on rule-of-law work (first-responsible-person), not a
    report heard at a meeting; a list of topics (等议题) is still an agenda."""
    assert finding(matcher, "街道党工委每半年听取一次法治建设工作情况汇报。", "first-responsible-person").status is Status.MET
    f = finding(matcher, "镇党委会议听取了法治建设工作、秋冬季森林防火等议题。", "first-responsible-person")
    assert f.status is Status.PARTIAL and "会议议题" in f.why


def test_a_word_added_to_a_class_reaches_every_rule_that_names_it(tmp_path):
    """Rules are data: a new word in rules/vocabulary/words.yaml needs no change to any rule or code."""
    from auditor.settings import Options
    text = "局党组召开宪法精神研习会。"
    assert finding(Options(rules_dir=str(REPO / "rules")).build(), text, "leaders-study-law").status is not Status.MET
    folder = copied_rules(tmp_path)
    words = folder / "vocabulary" / "words.yaml"
    words.write_text(words.read_text(encoding="utf-8").replace("读书班,", "读书班, 研习会,", 1), encoding="utf-8")
    assert finding(Options(rules_dir=str(folder)).build(), text, "leaders-study-law").status is Status.MET


def test_an_unknown_class_in_a_context_is_one_line_with_its_file(tmp_path):
    folder = copied_rules(tmp_path)
    context = folder / "vocabulary" / "context.yaml"
    context.write_text(context.read_text(encoding="utf-8").replace("      - other-bodies\n", "      - other-bodys\n", 1),
                       encoding="utf-8")
    with pytest.raises(RuleErrors) as exc:
        load_rules(folder)
    lines = [e.format() for e in exc.value.errors]
    assert len(lines) == 1 and str(context) in lines[0] and "other-bodys" in lines[0] and "other-bodies" in lines[0]


def test_the_spreadsheet_names_each_role_of_a_concept(tmp_path):
    """原文依据's matched-wording column reads 主体：党组；行为：…；对象：… for a concept, the phrase otherwise."""
    import openpyxl
    path = tmp_path / "r.txt"
    path.write_text(COUNTY + "局党组召开习近平法治思想专题学习会。\n", encoding="utf-8")
    out = tmp_path / "r.xlsx"
    assert run_cli("audit", str(path), "-f", "xlsx", "-o", str(out)).code in (0, 1)
    rows = [[c.value for c in row] for row in openpyxl.load_workbook(out).worksheets[-1].iter_rows()]
    row = next(r for r in rows if "leaders-study-law" in r)
    assert "主体：党组；行为：专题学习；对象：习近平法治思想" in row
