"""Verdicts that hold on wording nobody tuned to: clause patterns, named-but-not-done contexts, whose act it is,
words inside other words, and structure (signatures, tables of contents). Sentences written for these tests."""
from __future__ import annotations

import csv

import pytest

from auditor.audit import Pipeline, audit_source
from auditor.errors import RuleErrors
from auditor.model import Status
from auditor.rule_schema import Rule
from auditor.read import Source
from auditor.ruleset import load_rule_file

BASE = {
    "id": "contract-review", "title": "合同审查", "kind": "element", "group": "core-elements", "severity": "warning",
    "message": "未见合同审查", "rationale": "测试", "fix": "写明", "legal_basis": ["测试依据"],
    "applies": {"levels": ["township", "county", "city", "province", "department"]},
    "examples": {"met": ["審查合同"], "not_met": ["无"]},
}


def rule(**fields) -> Rule:
    return Rule.model_validate({**BASE, **fields})


def status(r: Rule, text: str, pipeline: Pipeline | None = None):
    report = audit_source(Source("t.txt", text, "utf-8"), pipeline or Pipeline([r]))
    return next(f for f in report.findings if f.rule.id == r.id)


def by_id(matcher, text: str):
    report = audit_source(Source("t.txt", text, "utf-8"), matcher)
    return {f.rule.id: f for f in report.findings}


# --- 1. clause patterns: parts in any order, within one clause -----------------------------------

PATTERN = rule(patterns=[{"all": [["合同", "协议"], ["审查", "审核"]]}])


@pytest.mark.parametrize("text", ["全年审查各类合同41份", "对镇政府签订的合同逐一审查", "对重大协议进行法律审核",
                                  "審查、備案各類合同"])
def test_parts_in_either_order_within_a_clause_meet_the_rule(text):
    f = status(PATTERN, text)
    assert f.status is Status.MET and f.evidence[0].how == "clause"
    assert len(f.evidence[0].phrase.split("+")) == 2   # the words found, in text order: 审查+合同


def test_parts_in_different_clauses_do_not():
    assert status(PATTERN, "签订合同5份，审查工作稳步推进").status is Status.MISSING


def test_a_window_reaches_across_a_comma_but_not_further():
    windowed = rule(patterns=[{"all": [["合同"], ["审查"]], "window": 12}])
    assert status(windowed, "签订合同5份，均经审查").status is Status.MET
    assert status(windowed, "签订合同5份，按照有关规定和程序要求做好相关的审查").status is Status.MISSING


def test_a_count_is_required_when_declared():
    counted = rule(patterns=[{"all": [["化解"], ["纠纷"]], "count": ["件", "起"]}])
    assert status(counted, "全年化解各类纠纷三十六起").status is Status.MET
    assert status(counted, "全年化解各类纠纷126件").status is Status.MET
    assert status(counted, "不断提高化解纠纷的能力").status is Status.MISSING


def test_a_pattern_veto_word_in_the_clause_and_a_rule_exclusion_on_a_part_both_hold():
    vetoed = rule(patterns=[{"all": [["合同"], ["审查"]], "exclude": ["党内"]}], exclude=["公平竞争审查"])
    assert status(vetoed, "审查党内合同3份").status is Status.MISSING
    assert status(vetoed, "对合同开展公平竞争审查").status is Status.MISSING
    assert status(vetoed, "对合同开展合法性审查").status is Status.MET


def test_a_token_part_counts_only_as_a_whole_word():
    token = rule(patterns=[{"all": [[{"text": "调解", "token": True}], ["纠纷"]]}])
    assert status(token, "调解邻里纠纷15件").status is Status.MET
    assert status(token, "协调解决纠纷中的困难").status is Status.MISSING


def test_parts_are_found_in_ocr_folded_text():
    assert status(PATTERN, "全年宙查合同12份").status is Status.MET   # 宙 is an OCR slip for 审


def test_a_pattern_needs_two_parts_and_only_element_rules_have_patterns(tmp_path):
    with pytest.raises(Exception):
        rule(patterns=[{"all": [["合同"]]}])
    with pytest.raises(Exception):
        rule(kind="section", part="measures", phrases=["主要举措"], patterns=[{"all": [["合同"], ["审查"]]}])
    bad = tmp_path / "x.yaml"
    bad.write_text("id: x\npatterns:\n  - all: [[合同], [审查]]\n    windw: 3\n", encoding="utf-8")
    with pytest.raises(RuleErrors) as caught:
        load_rule_file(bad)
    assert any(e.code == "E203" and "window" in e.message for e in caught.value.errors)


@pytest.mark.parametrize("rule_id, text", [
    ("legality-review", "镇政府签订的合同一律由法律顾问审查其合法性"),
    ("legality-review", "开展公平竞争、合法性等各项审查"),
    ("normative-documents", "全年审核本级行政规范性文件五件，均按时报送备案"),
    ("normative-documents", "加强对规范性文件的审查把关"),
    ("leaders-study-law", "区政府常务会议集中学习了《中华人民共和国行政复议法》"),
    ("leaders-study-law", "组织班子成员到县法院庭审旁听"),
    ("dispute-resolution", "全年调处矛盾纠纷八十余起"),
    ("major-decision-procedure", "重大决策事项均经过专家论证和风险评估"),
    ("enforcement-three-systems", "执法结果在网上公示，执法过程全程记录，重大处罚决定经法制审核"),
])
def test_bundled_rules_meet_wording_in_another_order(matcher, rule_id, text):
    county = "某某县人民政府关于2023年度法治政府建设情况的报告\n" + text + "。"
    assert by_id(matcher, county)[rule_id].status is Status.MET, text


# --- 2. named but not done ----------------------------------------------------------------------

@pytest.mark.parametrize("rule_id, text, expected", [
    ("normative-documents", "县政府常务会议研究了全年重大行政决策、规范性文件清理等事项", Status.PARTIAL),
    ("reconsideration-and-litigation", "局党组集中学习《中华人民共和国人口与计划生育法》《行政复议法》", Status.PARTIAL),
    ("major-decision-procedure", "对全县重大行政决策事项目录编制工作作出安排部署", Status.PLANNED),
    ("normative-documents", "认真谋划规范性文件清理工作", Status.PLANNED),
])
def test_a_meeting_topic_a_law_studied_or_an_arrangement_is_not_the_work(matcher, rule_id, text, expected):
    county = "某某县人民政府关于2023年度法治政府建设情况的报告\n" + text + "。"
    f = by_id(matcher, county)[rule_id]
    assert f.status is expected, (text, f.status, f.why)
    assert f.evidence and f.evidence[0].context in ("named", "planned")


def test_the_why_names_the_context(matcher):
    f = by_id(matcher, "某某县人民政府关于2023年度报告\n县政府常务会议审议了规范性文件清理等事项。")["normative-documents"]
    assert "会议议题" in f.why
    f = by_id(matcher, "某某县人民政府关于2023年度报告\n对重大行政决策事项目录编制工作作出安排部署。")["major-decision-procedure"]
    assert "安排部署" in f.why


def test_the_same_work_reported_as_done_elsewhere_is_met(matcher):
    text = ("某某县人民政府关于2023年度法治政府建设情况的报告\n县政府常务会议研究了重大行政决策等事项。"
            "全年重大行政决策均履行公众参与、专家论证、风险评估、合法性审查、集体讨论决定程序。")
    assert by_id(matcher, text)["major-decision-procedure"].status is Status.MET


def test_studying_a_law_is_exactly_what_leaders_study_law_counts(matcher):
    f = by_id(matcher, "某某县人民政府关于2023年度报告\n县政府常务会议集中学习《行政处罚法》。")["leaders-study-law"]
    assert f.status is Status.MET


def test_a_rule_names_an_unknown_context_in_its_file(tmp_path):
    from auditor.ruleset import load_rules
    folder = tmp_path / "rules"
    folder.mkdir()
    src = __import__("pathlib").Path(__file__).parents[1] / "rules/areas/power-responsibility-list.yaml"
    original = src.read_text(encoding="utf-8")
    assert "\ncontext:" not in original
    text = original.replace("\nexamples:", "\ncontext:\n  use: [otherz]\nexamples:", 1)
    (folder / "power-responsibility-list.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(RuleErrors) as caught:
        load_rules(folder)
    line = caught.value.errors[0].format()
    assert "[E204]" in line and "otherz" in line and "others" in line and "power-responsibility-list.yaml:" in line


# --- 3. whose act ---------------------------------------------------------------------------------

@pytest.mark.parametrize("rule_id, text", [
    ("first-responsible-person", "督促各乡镇、各部门主要负责人切实履行推进法治建设第一责任人职责"),
    ("leaders-study-law", "指导各县区落实政府常务会议会前学法制度"),
    ("leaders-study-law", "推动市直各部门领导干部旁听庭审全覆盖"),
])
def test_urging_other_bodies_is_partial_with_that_reason(matcher, rule_id, text):
    f = by_id(matcher, "某某市人民政府关于2023年度法治政府建设情况的报告\n" + text + "。")[rule_id]
    assert f.status is Status.PARTIAL and "未见本机关自身履行" in f.why, (f.status, f.why)


def test_the_bodys_own_heads_doing_it_is_met_even_beside_urging_others(matcher):
    text = ("某某市人民政府关于2023年度法治政府建设情况的报告\n督促各县区主要负责人履行推进法治建设第一责任人职责。"
            "市政府主要负责同志认真履行推进法治建设第一责任人职责。")
    assert by_id(matcher, text)["first-responsible-person"].status is Status.MET


def test_pushing_others_counts_for_the_work_only_when_it_was_done(matcher):
    """The guide: a sentence that only pushes others, with no word that it was done, is `?` (so not met); the
    work of the bodies a government leads, stated as done, is its own."""
    text = "某某市人民政府关于2023年度报告\n督促各县区开展行政规范性文件清理。"
    f = by_id(matcher, text)["normative-documents"]
    assert f.status is Status.PARTIAL and "督促、指导其他地区或部门" in f.why
    done = "某某市人民政府关于2023年度报告\n督促各县区开展行政规范性文件清理，全市共清理文件120件。"
    assert by_id(matcher, done)["normative-documents"].status is Status.MET


def test_reporting_on_duties_is_not_studying_law(matcher):
    f = by_id(matcher, "某某县人民政府关于2023年度报告\n县政府主要负责人在年终述法中报告履职情况。")
    assert f["first-responsible-person"].status is Status.MET
    assert f["leaders-study-law"].status is not Status.MET


# --- 4. words inside other words ------------------------------------------------------------------

def test_mediation_inside_coordinate_and_solve_is_not_even_related(matcher):
    f = by_id(matcher, "某某县人民政府关于2023年度报告\n协调解决群众反映的问题12个。")["dispute-resolution"]
    assert f.status is Status.MISSING


def test_a_whole_word_related_term_still_counts_as_related(matcher):
    f = by_id(matcher, "某某县人民政府关于2023年度报告\n司法所参与调解工作。")["dispute-resolution"]
    assert f.status is Status.PARTIAL and "调解" in f.why


def test_the_plan_name_is_met_and_its_inner_word_is_not_a_second_related_hit(matcher):
    f = by_id(matcher, "某某县人民政府关于2023年度报告\n深入实施“八五”普法规划。")["five-year-legal-education"]
    assert f.status is Status.MET and [e.phrase for e in f.evidence] == ["八五普法"]


def test_the_name_of_a_law_is_not_the_work_it_governs(matcher):
    f = by_id(matcher, "某某县人民政府关于2023年度报告\n集体学习了行政复议法、法律援助法等十八部法律。")
    assert f["dispute-resolution"].status is Status.MISSING


# --- 5. structure: signatures and tables of contents ----------------------------------------------

def test_a_short_closing_sentence_that_is_no_signature_still_counts(matcher):
    text = ("某某县人民政府关于2023年度法治政府建设情况的报告\n"
            "2023年，某某县深入学习贯彻习近平法治思想，扎实推进法治政府建设，现将有关情况报告如下。\n"
            "聘请法律顾问3名。")
    assert by_id(matcher, text)["legal-advisor"].status is Status.MET


def parts_of(raw: str) -> dict[str, str]:
    from auditor import parts
    from auditor.normalize import normalize
    from auditor.sections import build_outline
    from auditor.segment import sentence_spans
    text = normalize(raw).text
    outline = build_outline(text, sentence_spans(text))
    sentence_parts, _ = parts.classify(text, outline, [], [])
    return {text[s.start:s.end]: p for s, p in zip(outline.sentences, sentence_parts)}


@pytest.mark.parametrize("closing, part", [
    ("某某县司法局\n二〇二四年三月十日", "signature"),
    ("中共某某镇委员会\n2024年3月10日", "signature"),
    ("聘请法律顾问3名。", "preamble"),
    ("特此报告。\n某某街道办事处\n2024年1月5日", "preamble"),
])
def test_a_signature_is_a_body_name_or_a_date_after_the_last_body_sentence(closing, part):
    got = parts_of("2023年，某某县深入学习贯彻习近平法治思想，扎实推进法治政府建设，现将有关情况报告如下。\n" + closing)
    first = closing.split("\n")[0].replace("，", ",")
    assert got[first] == part
    assert list(got.values())[-1] == ("signature" if "日" in closing else "preamble")


CONTENTS = ("某某镇人民政府2023年度法治政府建设情况报告\n目录\n一、主要举措和成效\n二、存在的不足和原因\n"
            "三、下一年度工作安排\n")
BODY = ("2023年，某某镇坚持以习近平法治思想为指导，全面推进依法行政，现将有关情况报告如下。\n"
        "聘请法律顾问2名，全年审查合同12份。\n"
        "一、主要举措和成效\n镇党委理论学习中心组集体学法4次，全面落实行政规范性文件合法性审核机制。\n")


def test_headings_listed_in_a_table_of_contents_are_not_the_reports_parts(matcher):
    f = by_id(matcher, CONTENTS + BODY)
    assert f["legal-advisor"].status is Status.MET                   # not a shortcoming of the listed part 二
    assert f["section-shortcomings"].status is Status.MISSING        # listed, never written
    assert f["section-measures"].status is Status.MET


def test_a_contents_run_without_a_title_line_is_recognized_when_its_headings_come_back():
    from auditor.normalize import normalize
    from auditor.sections import build_outline
    from auditor.segment import sentence_spans
    raw = CONTENTS.replace("目录\n", "") + BODY + "二、存在的不足和原因\n执法队伍专业化水平不高。\n"
    text = normalize(raw).text
    outline = build_outline(text, sentence_spans(text))
    assert [h.title for h in outline.headings if h.level == 1] == ["主要举措和成效", "存在的不足和原因"]
    assert len(outline.contents) == 3


def test_a_later_year_with_future_wording_is_next_years_plan(matcher):
    text = "某某县人民政府关于2023年度法治政府建设情况的报告\n2024年，县政府将组织领导干部到法院旁听庭审。"
    f = by_id(matcher, text)["leaders-study-law"]
    assert f.status is Status.PLANNED, f.why
    done = text.replace("2024年，县政府将组织", "2023年，县政府组织")
    assert by_id(matcher, done)["leaders-study-law"].status is Status.MET
    in_a_title = "某某县人民政府关于2023年度法治政府建设情况的报告\n组织学习《八五普法规划(2021—2025年)》，将普法纳入考核。"
    assert by_id(matcher, in_a_title)["five-year-legal-education"].status is Status.MET   # 2025年 in a title


def test_a_clause_hit_reads_as_its_most_doubtful_part(matcher):
    text = ("某某县人民政府关于2023年度法治政府建设情况的报告\n"
            "县政府常务会议审议了《县政府领导干部学法用法制度(修订稿)》、春耕生产工作方案等议题。")
    assert by_id(matcher, text)["leaders-study-law"].status is Status.PARTIAL


def test_a_document_about_the_duty_is_not_the_heads_performing_it(matcher):
    text = ("某某市人民政府关于2023年度法治政府建设情况的报告\n"
            "市政府印发《关于落实党政主要负责人履行推进法治建设第一责任人职责的实施意见》。")
    f = by_id(matcher, text)["first-responsible-person"]
    assert f.status is Status.PARTIAL and "所印发文件的名称" in f.why


# --- sentences written blind by helpers who never saw the rules (measured, then kept as regression data) ---

def _guide_over_labels() -> list[dict]:
    from .conftest import DATA
    lines = [ln for ln in (DATA / "guide-over-labels.tsv").read_text(encoding="utf-8").splitlines()
             if ln and not ln.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


LEAST_RECALL = {"sentences-recall-16.tsv": 0.92}


@pytest.mark.parametrize("name", ["sentences-blind-1.tsv", "sentences-blind-2.tsv", "sentences-blind-3.tsv",
                                  "sentences-blind-4.tsv", "sentences-hostile-1.tsv", "sentences-hostile-2.tsv",
                                  "sentences-recall-5.tsv", "sentences-recall-6.tsv", "sentences-hostile-3.tsv",
                                  "sentences-recall-7.tsv", "sentences-recall-8.tsv", "sentences-recall-9.tsv",
                                  "sentences-recall-10.tsv", "sentences-recall-11.tsv", "sentences-recall-12.tsv",
                                  "sentences-recall-13.tsv", "sentences-recall-14.tsv",
                                  "sentences-recall-15.tsv", "sentences-recall-16.tsv", "sentences-recall-17.tsv",
                                  "sentences-recall-18.tsv", "sentences-recall-19.tsv", "sentences-recall-20.tsv"])
def test_blind_sentences_keep_their_precision_and_recall(name, capsys, tmp_path):
    from collections import Counter
    from auditor.evaluate import evaluate_sentences, scores
    from auditor.settings import Options
    from .conftest import DATA
    path = DATA / name
    overruled = {(r["file"], r["rule"]): r["guide"] for r in _guide_over_labels() if r["corpus"] == name}
    if overruled:   # labels the guide overrules (tests/data/guide-over-labels.tsv): the sentence as the file
        lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if not ln.startswith("#")]
        rows = list(csv.DictReader(lines, delimiter="\t"))
        for r in rows:
            r["expected"] = overruled.get((r["sentence"], r["rule"]), r["expected"])
        rows = [r for r in rows if r["expected"] != "?"]   # the guide's `?` is not scored
        path = tmp_path / name
        with path.open("w", encoding="utf-8", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=list(rows[0]), delimiter="\t")
            w.writeheader()
            w.writerows(rows)
    cells, wrong = evaluate_sentences(path, Options(profile="none").build())
    precision, recall, f1 = scores(sum(cells.values(), Counter()))
    with capsys.disabled():
        print(f"\n{name}: precision {precision:.3f} recall {recall:.3f} F1 {f1:.3f}")
    # what remains false met: mostly a heading alone (a one-line text reads as a heading the text was cut after,
    # which the guide calls `?`), and the sets' older labels for pushing others (督促各部门…), `?` by the guide
    # recall-16 (township wording, untouched R 0.886) keeps rarer real forms not yet read (标准性文件, 末位表态制)
    assert precision >= 0.9 and recall >= LEAST_RECALL.get(name, 0.95), "\n".join(wrong)


@pytest.mark.parametrize("name, most_false_met, least_recall", [
    ("sentences-hostile-4.tsv", 9, 0.8),     # 151 traps, 49 real wordings: untouched 128 traps met (precision 0.224)
    ("sentences-hostile-5.tsv", 5, 0.8),      # 119 traps, 43 real wordings against one day's additions: untouched 76
    ("sentences-hostile-6.tsv", 3, 0.9),      # 111 traps, 41 real wordings against the next day's: untouched 82
    ("sentences-hostile-7.tsv", 2, 0.7),      # 96 traps, 38 real wordings against the afternoon's: untouched 42
    ("sentences-hostile-8.tsv", 3, 0.8),      # 75 traps, 41 real wordings against the evening's: untouched 37
    ("sentences-hostile-9.tsv", 2, 0.55),     # 73 traps under headings, 39 real: 54 false met with the reverted heading reading
    ("sentences-hostile-10.tsv", 3, 0.85),    # 68 traps, 60 real against one morning's contexts: untouched 45 false met, R 0.18
    ("sentences-hostile-11.tsv", 19, 0.75),   # 69 traps, 51 real against the next hour's: untouched 55 false met, R 0.10
    ("sentences-hostile-12.tsv", 27, 0.6),    # 64 traps, 45 real against the afternoon's: untouched 53 false met, R 0.29
])
def test_the_hostile_sentences_written_against_the_concepts_stay_closed(name, most_false_met, least_recall):
    """Sentences an attacker wrote after reading the rules: the holes closed since are kept closed."""
    from collections import Counter
    from auditor.evaluate import evaluate_sentences, scores
    from auditor.settings import Options
    from .conftest import DATA
    cells, wrong = evaluate_sentences(DATA / name, Options(profile="none").build())
    total = sum(cells.values(), Counter())
    precision, recall, _f1 = scores(total)
    assert total["FP"] <= most_false_met and recall >= least_recall, "\n".join(wrong)


# --- found by a hostile review -------------------------------------------------------------------

REPORT = "平山县人民政府关于2023年度法治政府建设情况的报告\n2023年，平山县深入学习贯彻习近平法治思想，全面推进依法行政，现将有关情况报告如下。\n"


def test_a_heading_about_a_later_year_holds_plans_and_one_about_this_year_work(matcher):
    plans = REPORT + "一、主要举措和成效\n全年开展普法活动20场。\n二、2024年工作重点\n（一）全面推行法律顾问制度，聘请法律顾问2名。\n"
    f = by_id(matcher, plans)
    assert f["legal-advisor"].status is Status.PLANNED and f["section-next-year"].status is Status.MET
    work = REPORT + "一、2023年重点工作\n（一）聘请法律顾问2名，全年审查合同30份。\n"
    assert by_id(matcher, work)["legal-advisor"].status is Status.MET


def test_a_heading_with_nothing_under_it_is_not_the_work(matcher):
    text = REPORT + "一、主要举措和成效\n全年开展普法活动20场。\n二、党政主要负责人履行推进法治建设第一责任人职责情况\n（详见县委报告）\n三、存在的不足\n执法队伍专业化水平不高。"
    f = by_id(matcher, text)["first-responsible-person"]
    assert f.status is Status.PARTIAL and "标题" in f.why


@pytest.mark.parametrize("text", ["我镇将法治建设纳入年度绩效考核，聘请法律顾问3名。",
                                  "将以案释法与人民调解相结合，全年调解纠纷56件。",
                                  "2024年1月，县政府主要负责人在县委全面依法治县委员会会议上专题述法。"])
def test_jiang_as_ba_and_a_january_date_are_not_plans(matcher, text):
    rule = {"聘": "legal-advisor", "调": "dispute-resolution", "述": "first-responsible-person"}
    rid = next(v for k, v in rule.items() if k in text[-12:] or k in text)
    assert by_id(matcher, REPORT + text)[rid].status is Status.MET, text


@pytest.mark.parametrize("text", ["县长严格履行防汛抗旱第一责任人职责，全年组织防汛演练3次。",
                                  "县委书记履行信访工作第一责任人职责，带头接访下访。"])
def test_other_duties_first_responsible_person_is_not_rule_of_law(matcher, text):
    assert by_id(matcher, REPORT + text)["first-responsible-person"].status is not Status.MET


@pytest.mark.parametrize("rule_id, text", [
    ("major-decision-procedure", "认真贯彻落实《重大行政决策程序暂行条例》。"),
    ("reconsideration-and-litigation", "认真贯彻实施新修订的《中华人民共和国行政复议法》。"),
])
def test_citing_the_law_is_not_the_work(matcher, rule_id, text):
    assert by_id(matcher, REPORT + text)[rule_id].status is Status.PARTIAL


def test_numbered_lines_with_text_are_no_table_of_contents(matcher):
    text = ("平山县人民政府关于2023年度法治政府建设情况的报告\n1.加强组织领导。县政府常务会议会前学法12次，聘请法律顾问3名。\n"
            "2.规范行政决策。全年审查合同30份。\n3.严格执法。全面落实行政执法三项制度。\n二、下一步工作\n继续加强组织领导，规范行政决策。")
    f = by_id(matcher, text)
    assert f["legal-advisor"].status is Status.MET and f["leaders-study-law"].status is Status.MET
