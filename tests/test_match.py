"""Matching behaviour on real-style text: guards, exclusions, context words, fuzzy hits, evidence places."""
from __future__ import annotations

import pytest

from auditor.audit import Pipeline, audit_source
from auditor.model import Status
from auditor.rule_schema import MatchSettings
from auditor.read import Source


def findings(matcher, text):
    report = audit_source(Source("t.txt", text, "utf-8"), matcher)
    return {f.rule.id: f for f in report.findings}


def test_short_fragment_does_not_satisfy_a_long_heading_phrase(matcher):
    f = findings(matcher, "一、主要举措和成效\n五、其他\n本镇还做了其他工作。")
    assert f["section-other"].status is Status.MISSING


def test_related_wording_only_is_partial_and_says_what_was_found(matcher):
    f = findings(matcher, "全年开展普法宣传20余次，组织以案释法活动。")["five-year-legal-education"]
    assert f.status is Status.PARTIAL
    assert "以案释法" in f.why and f.evidence and f.evidence[0].how == "related"
    # the plan's machinery is the plan carried out (the labelling guide): 谁执法谁普法 is met
    assert findings(matcher, "严格执行“谁执法谁普法”普法责任制。")["five-year-legal-education"].status is Status.MET


def test_exclusion_vetoes_overlapping_hit_only(matcher):
    assert findings(matcher, "全年支付法律顾问费3万元。")["legal-advisor"].status is not Status.MET
    assert findings(matcher, "全年支付法律顾问费3万元，法律顾问参与决策10次。")["legal-advisor"].status is Status.MET


def test_legality_review_tells_enforcement_review_from_document_review(matcher):
    assert findings(matcher, "全面落实行政执法公示、执法全过程记录、重大执法决定法制审核制度。")[
        "legality-review"].status is not Status.MET
    assert findings(matcher, "所有行政规范性文件均经法制审核后印发。")["legality-review"].status is Status.MET


def test_near_word_outside_the_window_does_not_count(matcher):
    far = "法制审核" + "，" * 1 + "按要求开展了大量日常工作并且取得了一定成效" + "，涉及规范性文件"
    assert findings(matcher, far)["legality-review"].status is not Status.MET


def test_fuzzy_hit_tolerates_one_slip_and_reports_its_score(matcher):
    f = findings(matcher, "本年度组织习近平法治思相专题学习4次。")["xi-thought"]
    assert f.status is Status.MET and f.evidence[0].how == "fuzzy" and 80 < f.score < 100


@pytest.mark.parametrize("rule_id, text", [
    ("legality-review", "全年对行政规范性文件进行合法姓审查12件。"),
    ("first-responsible-person", "党政主要负责人切实履行推进法治建设第一责仼人职责。"),
    ("xi-thought", "本年度组织习近平法冶恩想专题学习4次。"),
    ("legal-advisor", "聘请法律硕问2名，全年出具法律意见30件。"),
])
def test_ocr_confusions_still_match_and_say_so(matcher, rule_id, text):
    f = findings(matcher, text)[rule_id]
    assert f.status is Status.MET and f.evidence[0].how == "ocr" and f.score < 100


@pytest.mark.parametrize("rule_id, text", [
    ("legality-review", "全年对行政规范性文件进行合规性审查12件。"),   # 规 is not an OCR slip for 法
    ("first-responsible-person", "履行推进法治建设第二责任人职责。"),
    ("legal-advisor", "支付法律顾问费2万元。"),
])
def test_real_near_misses_are_not_taken_for_ocr_slips(matcher, rule_id, text):
    assert findings(matcher, text)[rule_id].status is not Status.MET


def test_threshold_comes_from_the_rule(rules):
    xi = next(r for r in rules if r.id == "xi-thought")
    strict = xi.model_copy(update={"match": MatchSettings(scorer="partial_ratio", min_score=95, min_length=7)})
    text = "本年度组织习近平法治思相专题学习4次。"
    assert findings(Pipeline([xi]), text)["xi-thought"].status is Status.MET
    assert findings(Pipeline([strict]), text)["xi-thought"].status is Status.MISSING


def test_section_rules_read_headings_and_openers_not_any_mention(matcher):
    body = "一、主要举措\n我们制定了年度工作计划并按计划推进。"
    assert findings(matcher, body)["section-next-year"].status is Status.MISSING
    opener = "一、主要举措\n本年度成效明显。今后，我们将继续推进法治政府建设。"
    f = findings(matcher, opener)["section-next-year"]
    assert f.status is Status.MET and f.evidence[0].how == "opener"


def test_report_title_is_not_a_part_of_the_report(matcher):
    text = "关于2022年度法治政府建设工作情况\n" + "2022年，本乡坚持以习近平新时代中国特色社会主义思想为指导，认真推进各项工作。\n"
    assert findings(matcher, text)["section-measures"].status is Status.MISSING


def test_evidence_quotes_the_original_at_its_line_and_column(matcher):
    text = "標題\n2022年,,大涌鎮(zhèn)堅(jiān)持深入學(xué)習(xí)習(xí)近平法治思想。"
    ev = findings(matcher, text)["xi-thought"].evidence[0]
    assert (ev.line, ev.column) == (2, text.splitlines()[1].index("習(xí)近平") + 1)
    assert "習(xí)近平法治思想" in ev.quote


def test_traditional_and_simplified_give_the_same_verdicts(matcher):
    simp = "一、主要举措和成效\n聘请法律顾问，推动落实“一村一法律顾问”。\n二、存在的不足和原因\n三、下一年度主要安排"
    trad = "一、主要舉措和成效\n聘請法律顧問，推動落實“一村一法律顧問”。\n二、存在的不足和原因\n三、下一年度主要安排"
    a = {k: v.status for k, v in findings(matcher, simp).items()}
    b = {k: v.status for k, v in findings(matcher, trad).items()}
    assert a == b and a["legal-advisor"] is Status.MET and a["section-shortcomings"] is Status.MET


def test_near_miss_under_the_threshold_is_partial_when_the_rule_asks(rules):
    xi = next(r for r in rules if r.id == "xi-thought")
    text = "本年度组织习近平法冶思相专题学习4次。"          # two slips in seven characters: 71
    strict = xi.model_copy(update={"match": MatchSettings(scorer="partial_ratio", min_score=85, min_length=7)})
    assert findings(Pipeline([strict]), text)["xi-thought"].status is Status.MISSING
    assert xi.match.near_miss == 70
    f = findings(Pipeline([xi]), text)["xi-thought"]
    assert f.status is Status.PARTIAL and "相似度71" in f.why and f.evidence[0].how == "near-miss"


def test_a_rule_may_accept_negated_statements(rules):
    from auditor.rule_schema import RuleContext
    advisor = next(r for r in rules if r.id == "legal-advisor")
    text = "一、主要举措和成效\n全年没有发生需要法律顾问出庭的行政诉讼案件。"
    assert findings(Pipeline([advisor]), text)["legal-advisor"].status is Status.SHORTCOMING
    accepting = advisor.model_copy(update={"context": RuleContext(counts_when_negated=["行政诉讼案件"])})
    assert findings(Pipeline([accepting]), text)["legal-advisor"].status is Status.MET
