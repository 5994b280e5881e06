"""Documents that are not annual rule-of-law reports are recognized from their content, not from a short first
line; a real report that mentions such documents is never rejected. Texts written for these tests."""
from __future__ import annotations

import pytest

from auditor.audit import audit_source
from auditor.model import Status
from auditor.read import Source

REPORT_BODY = ("2023年，平山县深入学习贯彻习近平法治思想，全面推进依法行政，聘请法律顾问5名，"
               "现将有关情况报告如下。\n一、主要举措和成效\n（一）加强组织领导。县政府常务会议会前学法12次。")


def kind(matcher, text: str):
    report = audit_source(Source("t.txt", text, "utf-8"), matcher)
    return report.wrong_type, report


@pytest.mark.parametrize("text, expected", [
    # a title longer than a heading line, below a site header
    ("首页 > 政务公开 > 通知公告\n发布时间：2024-02-01 来源：县政府办\n"
     "关于印发《中共平山县委全面依法治县委员会2024年工作要点》和《平山县2024年法治政府建设工作要点》的通知\n"
     "各乡镇人民政府，县政府各部门：\n现将两个工作要点印发给你们，请认真贯彻执行。", "通知或公文（不是年度报告本身）"),
    ("平山县2024年法治政府建设工作要点\n为深入推进法治政府建设，结合我县实际，制定本要点。\n一、主要任务\n（一）深入学习贯彻习近平法治思想",
     "工作要点或工作方案（计划，不是年度报告）"),
    ("平山县法治政府建设实施方案（2024—2025年）\n一、总体要求\n二、主要任务\n三、职责分工", "工作要点或工作方案（计划，不是年度报告）"),
    ("政策解读\n《平山县2023年度法治政府建设情况报告》解读\n一、出台背景\n二、主要内容\n解读机关：平山县司法局",
     "政策解读"),
    ("一图读懂｜平山县2023年法治政府建设年度报告\n2023年，平山县深入推进法治政府建设。", "政策解读"),
    ("平山縣2023年政府信息公開工作年度報告\n本報告根據《中華人民共和國政府信息公開條例》編制。", "政府信息公开工作年度报告"),
    # no title: the fixed body wording of the format 国办公开办函〔2021〕30号 prescribes
    ("一、总体情况\n2023年，我县认真贯彻落实政府信息公开条例。\n二、主动公开政府信息情况\n（表格略）\n"
     "三、收到和处理政府信息公开申请情况\n四、政府信息公开行政复议、行政诉讼情况", "政府信息公开工作年度报告"),
    # no title: the text says what it is
    ("根据县委依法治县办的要求，现将我局2023年普法依法治理工作情况总结如下。\n一、落实普法责任制",
     "普法工作总结"),
    ("2024年政府工作报告\n——2024年1月10日在平山县第十八届人民代表大会第三次会议上\n各位代表：\n现在，我代表县人民政府向大会报告工作，请予审议。",
     "政府工作报告"),
])
def test_other_documents_are_recognized(matcher, text, expected):
    wrong, report = kind(matcher, text)
    assert wrong == expected, (report.metadata.title, report.metadata.described_as)
    assert [f.status for f in report.findings] == [Status.WRONG_TYPE]


@pytest.mark.parametrize("text", [
    # real reports that name such documents, or combine a report with next year's plan
    "平山县2023年法治政府建设工作总结及2024年工作计划\n" + REPORT_BODY,
    "平山县人民政府关于2023年度法治政府建设情况的报告\n2023年，县政府印发《平山县2023年法治政府建设工作要点》，"
    "按照《关于印发政务公开工作要点的通知》做好政府信息公开工作年度报告的编制。\n" + REPORT_BODY,
    "中共平山县委 平山县人民政府关于2023年法治政府建设情况的报告（此件公开发布）\n" + REPORT_BODY,
    REPORT_BODY,   # no title at all
    "平山县2023年法治政府建设暨“八五”普法工作报告\n" + REPORT_BODY,
])
def test_a_real_report_that_mentions_them_is_never_rejected(matcher, text):
    wrong, report = kind(matcher, text)
    assert wrong is None, report.findings[0].why


@pytest.mark.parametrize("text, expected", [
    ("平山县人民政府办公室关于报送2023年度法治政府建设\n情况报告的通知\n各乡镇人民政府：\n请于2月20日前报送。",
     "通知或公文（不是年度报告本身）"),                                  # a title wrapped onto two lines
    ("平山县召开2023年度法治政府建设工作推进会\n3月5日，县政府召开会议，总结2023年法治政府建设工作。",
     "新闻报道（会议、活动消息）"),
    ("平山县法治政府建设规划（2021—2025年）\n一、总体要求\n二、主要任务", "工作要点或工作方案（计划，不是年度报告）"),
    ("平山县2023年法治宣传教育和依法治理工作总结\n2023年，我县深入开展八五普法。", "普法工作总结"),
    ("平山县县长2023年度述法报告\n一年来，我认真履行推进法治建设第一责任人职责。", "述法报告（主要负责人个人述法，不是本机关年度报告）"),
    ("平山县司法局2023年工作总结和2024年工作计划\n2023年，县司法局围绕中心工作。", "其他工作总结（未写法治政府建设）"),
])
def test_more_kinds_of_other_documents(matcher, text, expected):
    wrong, report = kind(matcher, text)
    assert wrong == expected, (report.metadata.title, report.findings[0].why)


@pytest.mark.parametrize("text", [
    # untitled reports whose 政务公开 work mentions 政策解读 / 一图读懂, or whose plans name 主要任务 and 工作要求
    "现将有关情况报告如下。\n一、主要举措和成效\n（一）推进政务公开。同步开展政策解读，制作“一图读懂”12期，推进法治政府建设。\n"
    "二、存在的不足和原因\n法治政府建设工作仍有差距。\n三、下一年度工作安排\n围绕法治政府建设年度主要任务，按照上级工作要求，抓好落实。",
    "平山县2023年全面依法治县暨普法工作报告\n" + REPORT_BODY,
])
def test_untitled_or_broader_real_reports_are_kept(matcher, text):
    wrong, report = kind(matcher, text)
    assert wrong is None, report.findings[0].why
