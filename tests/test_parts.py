"""The five statutory parts by meaning: a part is placed by its heading's words, and else by its text and its
place; the same report with its line breaks lost (text copied out of a PDF) gives the same parts."""
from __future__ import annotations

import pytest

from auditor.audit import audit_source
from auditor.model import Status
from auditor.read import Source

PARTS = ("section-measures", "section-shortcomings", "section-leader-duty", "section-next-year", "section-other")
OPENING = ("某镇2023年法治政府建设情况报告\n"
           "2023年，某镇坚持以习近平法治思想为指导，认真落实法治政府建设各项任务，现将有关情况报告如下：\n")


def flat(raw: str) -> str:
    return "".join(line.strip() for line in raw.splitlines())


def statuses(matcher, raw: str) -> dict[str, Status]:
    report = audit_source(Source("x.txt", raw, "utf-8"), matcher)
    assert report.wrong_type is None, report.wrong_type
    return {f.rule.id: f.status for f in report.findings}


def both(matcher, raw: str) -> dict[str, Status]:
    """The statuses of a report, checked to be the same with its line breaks lost."""
    original, flattened = statuses(matcher, raw), statuses(matcher, flat(raw))
    assert {k: v for k, v in flattened.items() if k in PARTS or k == "legal-advisor"} == \
        {k: v for k, v in original.items() if k in PARTS or k == "legal-advisor"}
    return original


WORK = ("一、工作情况\n"
        "（一）加强组织领导\n"
        "镇党委书记主持召开专题会议3次，研究部署法治政府建设工作，审核行政规范性文件5件。\n"
        "（二）规范行政执法\n"
        "全面推行行政执法三项制度，审核重大执法决定12件，办理行政复议案件3件。\n")


def test_the_first_part_reporting_the_year_is_the_measures_part_whatever_its_name(matcher):
    got = both(matcher, OPENING + WORK)
    assert got["section-measures"] is Status.MET
    got = both(matcher, OPENING + WORK.replace("一、工作情况", "一、坚持党的领导，统筹推进法治政府建设"))
    assert got["section-measures"] is Status.MET


def test_an_opener_that_only_announces_the_report_is_not_the_measures_part(matcher):
    got = statuses(matcher, OPENING)
    assert got["section-measures"] is Status.MISSING


def test_a_heading_with_nothing_under_it_is_not_the_measures_part(matcher):
    got = statuses(matcher, OPENING + "一、坚持党的领导\n")
    assert got["section-measures"] is Status.MISSING


def test_paragraphs_after_the_opening_of_a_report_without_headings_are_its_measures(matcher):
    raw = OPENING + "全镇聘请法律顾问2名，审查各类合同15份，化解矛盾纠纷30件，办理行政复议案件3件。\n"
    assert statuses(matcher, raw)["section-measures"] is Status.MET


def test_a_report_without_headings_or_an_announcement_keeps_its_measures_when_its_line_breaks_are_lost(matcher):
    """Unnumbered heading lines, no 报告如下: flattened, the text after the opening sentence is the measures."""
    raw = ("2023年，某镇坚持以习近平法治思想为指导，扎实推进法治政府建设，各项工作取得新成效。\n"
           "强化组织领导\n镇党委专题研究法治建设3次。镇政府常务会议会前学法10次。\n"
           "规范行政执法\n审核重大执法决定12件。办理行政复议案件3件。化解矛盾纠纷30件。\n")
    assert statuses(matcher, raw)["section-measures"] is Status.MET
    assert statuses(matcher, flat(raw))["section-measures"] is Status.MET
    short = "2023年，某镇坚持以习近平法治思想为指导，扎实推进法治政府建设。全年工作有序开展。"
    assert statuses(matcher, short)["section-measures"] is Status.MISSING   # no text after the opening to speak of


def test_a_part_listing_problems_is_the_shortcomings_part(matcher):
    problems = ("二、存在的问题\n"
                "一是部分干部法治意识有待加强。二是基层执法力量仍然薄弱。三是法律顾问作用发挥不够充分。\n")
    got = both(matcher, OPENING + WORK + problems)
    assert got["section-shortcomings"] is Status.MET   # problems without causes: the seed labels say met
    # a heading that names no part: its text lists problems
    unnamed = problems.replace("二、存在的问题", "二、客观看待当前工作")
    got = both(matcher, OPENING + WORK + unnamed)
    assert got["section-shortcomings"] is Status.MET
    assert got["legal-advisor"] is Status.SHORTCOMING


@pytest.mark.parametrize("tail", [
    # by its year
    "二、2024年重点任务\n（一）深化法治宣传\n继续聘请法律顾问，为重大决策提供法律意见。\n",
    # by future wording, with no heading at all
    "全镇审核行政规范性文件5件，化解矛盾纠纷30件，全面推行行政执法三项制度。\n"
    "下一步，我们将继续聘请法律顾问，进一步提升依法行政水平。\n",
    # by future wording under a heading that names no part
    "二、坚定不移推进法治政府建设\n下一步，我镇将持续深化法治政府建设，重点做好以下工作。\n（一）强化法律服务\n"
    "聘请法律顾问，为重大决策提供法律意见。\n",
], ids=["its-year", "future-no-heading", "future-unnamed-heading"])
def test_next_year_by_its_year_or_its_future_wording(matcher, tail):
    got = both(matcher, OPENING + ("" if tail.startswith("全镇") else WORK) + tail)
    assert got["section-next-year"] is Status.MET
    assert got["legal-advisor"] is Status.PLANNED


def test_other_matters_met_by_a_part_that_says_none(matcher):
    got = both(matcher, OPENING + WORK + "三、其他需要报告的情况\n无。\n")
    assert got["section-other"] is Status.MET


@pytest.mark.parametrize("running", ["在三、四月份开展集中宣传", "共投入1.5万元", "一是普法，二是调解",
                                     "坚持统一、规范执法", "第一时间处置"])
def test_numbers_in_running_text_change_no_part(matcher, running):
    raw = OPENING + WORK + f"全镇{running}，聘请法律顾问2名。\n"
    got = both(matcher, raw)
    assert got["legal-advisor"] is Status.MET


def test_a_month_of_the_next_year_run_into_a_heading_is_no_plan(matcher):
    # a report on 2023 written in 2024: its text may open with 2024年1月, and flattened that runs into the heading
    work = "二、持续优化法治化营商环境\n2024年1月，我镇召开法治政府建设专题会议，聘请法律顾问2名。\n"
    got = both(matcher, OPENING + WORK + work)
    assert got["section-next-year"] is Status.MISSING
    assert got["legal-advisor"] is Status.MET
