"""Documents that are not annual rule-of-law reports are recognized from their content, not from a short first
line; a real report that mentions such documents is never rejected. Texts written for these tests."""
from __future__ import annotations

import opencc
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
@pytest.mark.parametrize("flattened", [False, True], ids=["lines", "flattened"])
def test_other_documents_are_recognized(matcher, text, expected, flattened):
    wrong, report = kind(matcher, text.replace("\n", "") if flattened else text)
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
@pytest.mark.parametrize("flattened", [False, True], ids=["lines", "flattened"])
def test_a_real_report_that_mentions_them_is_never_rejected(matcher, text, flattened):
    wrong, report = kind(matcher, text.replace("\n", "") if flattened else text)
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
@pytest.mark.parametrize("flattened", [False, True], ids=["lines", "flattened"])
def test_more_kinds_of_other_documents(matcher, text, expected, flattened):
    wrong, report = kind(matcher, text.replace("\n", "") if flattened else text)
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


# --- look-alikes told by their body, in either script, with or without their line breaks ------------------
# Texts written for these tests in the shapes such documents take; none is copied from a real one.

NOTICE = "通知或公文（不是年度报告本身）"
PLAN = "工作要点或工作方案（计划，不是年度报告）"
NEWS = "新闻报道（会议、活动消息）"
EXPLAINED = "政策解读"
MEASURES = "考核办法或评价指标（不是年度报告）"
DISCLOSURE = "政府信息公开工作年度报告"
WORK_REPORT = "政府工作报告"
LEGAL_EDUCATION = "普法工作总结"
OFFICIAL = "述法报告（主要负责人个人述法，不是本机关年度报告）"
OTHER_SUMMARY = "其他工作总结（未写法治政府建设）"

LOOK_ALIKES = {
    "disclosure-no-title": (DISCLOSURE,
        "本年度报告根据《中华人民共和国政府信息公开条例》和《中华人民共和国政府信息公开工作年度报告格式》要求编制，"
        "由青石镇人民政府办公室负责。报告中所列数据的统计期限自2023年1月1日起至2023年12月31日止。\n一、总体情况\n"
        "2023年，青石镇认真落实政务公开各项要求，推进决策、执行、管理、服务、结果公开。\n（一）主动公开\n"
        "全年通过政府网站主动公开政府信息126条。\n（二）依申请公开\n全年收到政府信息公开申请2件，均按期答复。"),
    "disclosure-published": (DISCLOSURE,
        "按照《中华人民共和国政府信息公开条例》要求，现公布青石县交通运输局2023年政府信息公开工作年度报告。\n"
        "一、总体情况\n2023年，我局坚持以公开为常态，不断深化政务公开。主动公开政府信息58条，依申请公开政府信息3件。\n"
        "二、主动公开政府信息情况\n（表略）\n三、收到和处理政府信息公开申请情况\n（表略）"),
    "meeting-news": (NEWS,
        "3月15日上午，县长张明主持召开县政府第26次常务会议，传达学习习近平法治思想，听取全县2023年度法治政府建设"
        "工作情况汇报，研究部署2024年法治政府建设重点任务。\n会议强调，要深入学习贯彻习近平法治思想，把法治政府建设"
        "摆在全局工作的突出位置。会议要求，各乡镇、各部门要切实履行职责，确保各项任务落地见效。\n副县长王磊等出席会议。"),
    "survey-news": (NEWS,
        "近日，市人大常委会副主任李强带队到青石区调研2023年度法治政府建设情况，区政府副区长陈红陪同调研。\n"
        "调研组先后来到青石街道、城东社区，实地察看基层法治建设情况，并召开座谈会听取区政府的工作汇报。\n"
        "调研组指出，要进一步补齐短板，强化规范性文件备案审查，推动法治政府建设再上新台阶。\n（周文）"),
    "meeting-digest": (NEWS,
        "会议摘要：1月31日下午，市长赵刚主持召开市政府常务会议，传达学习中央全面依法治国工作会议精神，研究"
        "《政府工作报告》重点任务分解等工作。会议举行专题学法讲座，市政府法律顾问以依法行政为题作辅导。"
        "会议强调，要坚持在法治轨道上推进各项工作。"),
    "report-released-news": (NEWS,
        "（记者 张雯）3月28日，《青石省人民政府2023年法治政府建设情况报告》（以下简称《报告》）正式对外发布。"
        "《报告》显示，过去一年，省政府坚持以习近平法治思想为指引，全年审查规范性文件120件，办理行政复议案件"
        "3400余件，法治政府建设取得新成效。"),
    "questions-and-answers": (EXPLAINED,
        "日前，国务院公布《行政执法监督条例》。司法部负责人就条例有关问题回答了记者提问。\n"
        "问：请简要介绍一下条例出台的背景。\n答：行政执法监督是推进法治政府建设的重要抓手，条例的出台有利于"
        "规范执法行为。\n问：条例对监督方式作了哪些规定？\n答：一是明确日常监督，二是规定专项监督。"),
    "assessment-measures": (MEASURES,
        "青石县法治政府建设考核办法\n第一章 总则\n第一条 为深入推进法治政府建设，落实法治政府建设责任，根据有关"
        "规定，结合本县实际，制定本办法。\n第二条 本办法适用于对各乡镇人民政府、县政府各部门法治政府建设情况的"
        "年度考核。\n第二章 考核内容\n第三条 考核内容包括依法全面履行政府职能、健全依法决策机制等。"),
    "assessment-measures-no-title": (MEASURES,
        "第一章 总则\n第一条 为深入推进法治政府建设，落实法治政府建设责任，结合本县实际，制定本办法。\n"
        "第二条 本办法适用于对各乡镇人民政府、县政府各部门法治政府建设情况的年度考核。\n"
        "第三条 考核坚持客观公正、注重实效的原则。"),
    "indicators": (MEASURES,
        "为科学评价全市法治政府建设成效，制定本指标体系。\n一级指标：依法全面履行政府职能（分值15分）\n"
        "二级指标：1.推行权责清单制度（3分）。未按规定公布权责清单的，扣1分。\n"
        "二级指标：2.优化法治化营商环境（4分）。"),
    "notice": (NOTICE,
        "各乡镇人民政府，县政府各部门、各直属机构：\n现将《青石县2024年法治政府建设工作要点》印发给你们，"
        "请结合实际认真贯彻落实。\n青石县人民政府办公室\n2024年3月1日"),
    "implementation-plan": (PLAN,
        "为深入贯彻《法治政府建设实施纲要（2021—2025年）》，加快推进法治政府建设，结合我县实际，制定本方案。\n"
        "一、总体要求\n（一）指导思想\n坚持以习近平新时代中国特色社会主义思想为指导，深入学习贯彻习近平法治思想。\n"
        "（二）工作目标\n到2025年，政府行为全面纳入法治轨道。\n二、主要任务\n（一）健全政府机构职能体系。"
        "（牵头单位：县委编办；责任单位：各乡镇）\n三、保障措施"),
    "work-points": (PLAN,
        "2024年全县法治政府建设工作的总体要求是：坚持以习近平法治思想为指导，全面推进依法行政。\n"
        "一、深入学习贯彻习近平法治思想\n1.把学习贯彻习近平法治思想作为党委理论学习中心组的重要内容。"
        "（责任单位：县委依法治县办，各乡镇、各部门）\n2.开展领导干部法治专题培训。（责任单位：县司法局）"),
    "plan-without-report-word": (PLAN,
        "2024年依法治镇工作\n一、认真贯彻落实县依法治县工作要点\n1.全镇各村、各站所要对照考核指标开展自查，"
        "查漏补缺，完善工作机制。\n2.发挥镇党委领导核心作用，完善议事决策、分工负责、监督约束制度。\n"
        "二、加强法治政府建设\n1.健全便民服务中心运行机制，提高窗口办事效率。"),
    "legal-education-summary": (LEGAL_EDUCATION,
        "2023年，青石县司法局在县委、县政府的领导下，以落实“谁执法谁普法”普法责任制为抓手，深入开展“八五”普法。\n"
        "一、压实普法责任\n制定普法责任清单，明确45个单位的普法职责，将普法责任制落实情况纳入考核。\n"
        "二、创新普法形式\n开展法治宣传教育活动120场，组织以案释法活动36次，建成法治文化阵地12个，"
        "在宪法宣传周期间开展集中普法宣传。\n三、强化重点对象普法\n组织青少年法治宣传教育活动，普法覆盖率明显提升。"),
    "official-no-title": (OFFICIAL,
        "2023年，我认真履行推进法治建设第一责任人职责，现将本人履行职责情况报告如下：\n一、带头学法\n"
        "我坚持把学法作为必修课，带头参加会前学法12次。我带头讲法治课，多次旁听庭审。\n二、依法决策\n"
        "我始终坚持重大事项集体讨论决定，严格落实合法性审查。"),
    "official-titled": (OFFICIAL,
        "关于履行推进法治建设第一责任人职责情况的报告\n青石镇党委副书记、镇长 李华\n"
        "2023年，在镇党委的领导下，较好完成了全年法治建设任务，现将有关情况报告如下。"),
    "town-work-summary": (OTHER_SUMMARY,
        "今年以来，青石镇在县委、县政府的坚强领导下，聚焦经济发展、重点项目、乡村振兴、民生事业等重点工作，"
        "全镇经济社会发展取得新成效。现将2023年工作推进情况及2024年工作谋划报告如下。\n一、2023年工作推进情况\n"
        "（一）产业发展更加兴旺。粮食播种面积4.5万亩，农业总产值9.5亿元，新引进招商项目6个，完成固定资产投资3亿元。\n"
        "（二）民生事业持续改善。新改建农村公路12公里，完成人居环境整治村8个，企业用工和旅游收入稳步增长。"),
    "town-work-summary-titled": (OTHER_SUMMARY,
        "青石镇2023年工作总结和2024年工作谋划\n今年以来，青石镇聚焦经济发展和乡村振兴，各项工作取得新进展。"),
    "survey-news-without-reporter-word": (NEWS,
        "青石法制网：（刘明）为推动法治政府建设向更高水平发展，3月3日上午，县人大常委会副主任侯某带队对我县"
        "2023年度法治政府建设情况开展调研，县司法局局长王某陪同。\n调研组实地查看了矛盾纠纷调解工作室。\n"
        "侯某强调，一是要提高认识；二是要加强监督；三是要健全常态化机制。"),
    "leader-speech-news": (NEWS,
        "青石市创建法治政府建设示范市工作推进会召开 市长出席并讲话\n5月13日下午，我市召开创建法治政府建设"
        "示范市工作推进会，安排部署创建工作。市长张某出席会议并讲话。\n张某指出，加强法治政府建设是推动高质量"
        "发展的重要保障。张某要求，各县（市、区）和各部门要充分认识创建工作的重大意义，确保各项任务落到实处。"),
    "arrangement-issued-by-notice": (NOTICE,
        "青政办〔2024〕20号\n青石县人民政府办公室\n关于印发青石县2024年度法治政府建设\n工作安排的通知\n"
        "各乡镇人民政府，各街道办事处，县直有关单位：\n《青石县2024年度法治政府建设工作安排》已经县政府同意，"
        "现印发给你们，请认真贯彻执行。\n2024年7月8日\n青石县2024年度法治政府建设工作安排\n"
        "今年全县法治政府建设工作要坚持以习近平法治思想为指导。现就做好2024年度法治政府建设工作安排如下：\n"
        "一、依法全面履行政府职能\n（一）加强规范性文件备案审查。\n责任单位：县政府办公室、县司法局。"),
    "arrangement-without-notice": (PLAN,
        "今年全县法治政府建设工作要坚持以习近平法治思想为指导，围绕中心、突出重点，推动各项任务全面落实。"
        "现就做好2024年度法治政府建设工作安排如下：\n一、依法全面履行政府职能\n（一）加强规范性文件备案审查。"
        "\n责任单位：县政府办公室、县司法局，各乡镇人民政府按职责分工负责。"),
    "site-table-notice": (NOTICE,
        "索引号 | 116203/2025-48086 | 主题分类 | 青政发\n发文字号 | 青政发〔2025〕33号 | 成文日期 | 2025-06-13\n"
        "标题 | 青石市人民政府关于印发《青石市创建法治政府建设示范市实施方案》的通知\n"
        "东山县、西川区人民政府，市政府各部门、单位：\n《青石市创建法治政府建设示范市实施方案》已经市委、市政府同意，"
        "现印发给你们，请认真抓好贯彻落实。\n青石市人民政府\n2025年6月13日"),
    "survey-report": ("调研、视察或评估报告（他人对政府工作的监督或评估，不是本机关年度报告）",
        "关于青石区2023年度法治政府建设情况的调研报告\n根据区人大常委会年度工作安排，3月上旬，常委会调研组对区政府"
        "2023年度法治政府建设情况开展了专题调研。现将调研情况报告如下：\n一、基本情况\n二、存在的问题\n三、意见和建议"),
    "reporter-learned-news": (NEWS,
        "记者从市司法局获悉，《青石市2023年度法治政府建设情况报告》日前正式公布。报告显示，全市去年审查规范性文件"
        "230件。市司法局有关负责人表示，下一步将持续推进依法行政。"),
    "government-work-report": (WORK_REPORT,
        "各位代表：\n现在，我代表县人民政府向大会报告工作，请予审议，并请县政协委员和其他列席人员提出意见。\n"
        "一、2023年工作回顾\n过去一年，全县地区生产总值增长6.1%，一般公共预算收入增长5.2%。"),
}


def _variants():
    to_traditional = opencc.OpenCC("s2t").convert
    for key, (expected, text) in LOOK_ALIKES.items():
        for script, shown in (("simplified", text), ("traditional", to_traditional(text))):
            yield pytest.param(expected, shown, id=f"{key}-{script}")
            yield pytest.param(expected, shown.replace("\n", ""), id=f"{key}-{script}-flattened")


@pytest.mark.parametrize("expected, text", list(_variants()))
def test_look_alikes_are_told_by_their_content(matcher, expected, text):
    wrong, report = kind(matcher, text)
    assert wrong == expected, (report.metadata.title, report.findings[0].why if report.findings else None)


# --- real reports of every shape stay reports, flattened too ---------------------------------------------

REAL = {
    "cites-notice-and-plan":
        "青石县人民政府关于2023年度法治政府建设情况的报告\n2023年，县政府印发《关于印发青石县法治政府建设实施方案的"
        "通知》，制定《2023年法治政府建设工作要点》，明确32项重点任务，落实责任单位和完成时限。现将有关情况报告如下。\n"
        "一、主要举措和成效\n（一）加强组织领导。县政府常务会议专题研究法治政府建设4次，会议强调要压实责任。\n"
        "二、存在的不足和原因\n基层执法力量仍然薄弱。\n三、下一步工作安排\n持续推进依法行政。",
    "work-summary":
        "青石镇2023年法治政府建设工作总结\n2023年，青石镇深入学习贯彻习近平法治思想，全面推进依法行政，"
        "现将工作总结如下。\n一、主要做法\n（一）健全依法决策机制。聘请法律顾问1名，审查合同18件。",
    "news-site-header":
        "首页 > 新闻中心 > 本地新闻\n来源：青石日报 记者 张雯 发布时间：2024-03-20\n"
        "青石市人民政府关于2023年度法治政府建设情况的报告\n2023年，青石市坚持以习近平法治思想为指导，"
        "深入推进法治政府建设，现将有关情况报告如下：\n一、主要举措和成效\n（一）深化“放管服”改革。全年取消行政许可事项12项。",
    "to-the-standing-committee":
        "关于青石县2023年度法治政府建设情况的报告\n主任、各位副主任、秘书长、各位委员：\n"
        "我受县人民政府委托，向本次会议报告2023年度法治政府建设情况，请予审议。\n一、主要工作及成效\n"
        "2023年，县政府坚持以习近平法治思想为指导，全面推进依法行政。",
    "addressed-to-superiors":
        "县委、县人大常委会、县人民政府：\n2023年，青石镇认真贯彻落实上级关于法治政府建设的决策部署，"
        "现将我镇2023年法治政府建设情况报告如下。\n一、主要举措和成效\n镇长带头述法，主要负责人在年终述职中专题述法。",
    "untitled-report-with-meetings":
        "2023年，青石区政府主持召开区政府常务会议研究法治政府建设工作，会议强调，要把法治贯穿政府工作全过程。"
        "区长主持召开区委全面依法治区委员会会议，听取法治政府建设情况汇报。全年审查规范性文件21件。",
    "legal-education-heavy":
        "青石县司法局2023年法治政府建设年度报告\n2023年，县司法局落实普法责任制，深化“八五”普法，开展普法活动"
        "85场，推进以案释法、法治文化建设和宪法宣传，普法责任清单覆盖全县执法单位，普法宣传进乡村、进社区、"
        "进学校、进企业，法治宣传教育实效不断增强。",
    "transparency-heavy":
        "2023年，青石县政府办公室推进法治政府建设，深化政务公开：全年主动公开政府信息1260条，办理依申请公开"
        "23件，按时发布政府信息公开工作年度报告，政府信息公开行政复议、行政诉讼案件均为零。现将有关情况报告如下。",
    "opening-only":
        "2023年，青石街道在区委、区政府的坚强领导下，坚持以习近平法治思想为指导，扎实推进法治政府建设。",
    "department-with-directives":
        "青石县交通运输局2023年法治政府建设情况报告\n2023年，我局坚持依法行政，要求各科室、各执法大队要严格执行"
        "行政执法三项制度，全年办理行政处罚案件56件。",
}


@pytest.mark.parametrize("text", [pytest.param(t, id=k) for k, t in REAL.items()]
                         + [pytest.param(t.replace("\n", ""), id=f"{k}-flattened") for k, t in REAL.items()]
                         + [pytest.param(opencc.OpenCC("s2t").convert(t), id=f"{k}-traditional") for k, t in REAL.items()])
def test_real_reports_of_every_shape_are_kept(matcher, text):
    wrong, report = kind(matcher, text)
    assert wrong is None, report.findings[0].why


def test_a_rejection_says_what_showed_the_kind(matcher):
    _, report = kind(matcher, LOOK_ALIKES["notice"][1])
    why = report.findings[0].why
    assert "印发给你们" in why and NOTICE in why


@pytest.mark.parametrize("text", [
    # one sentence of a report's body, as rule examples and reviewers' snippets are: its first clause is no title
    "区政府常务会议专题学习习近平法治思想，研究部署贯彻落实措施。",
    "县政府全面完成“七五”普法规划确定的目标任务，被评为全省“七五”普法先进县。",
    "我厅制定全省司法行政系统“八五”普法规划，确定年度普法项目清单。",
    "县政府法律顾问列席县政府常务会议，全年出具法律意见书18份。",
    "局党组理论学习中心组开展法治专题学习4次。",
    "本鎮黨委理論學習中心組開展法治專題學習3次。",
])
def test_a_sentence_of_a_report_is_not_taken_for_a_title(matcher, text):
    wrong, report = kind(matcher, text)
    assert wrong is None, report.findings[0].why


@pytest.mark.parametrize("text", [
    # an opening cut before the title: the first heading, or a page's fields, are no name of the document
    "一、工作开展情况\n（一）加强组织领导。2023年，县政府常务会议专题研究法治政府建设4次。",
    "一、履行推进法治建设第一责任人职责情况\n县政府主要负责人认真履行推进法治建设第一责任人职责，全年主持召开专题会议3次。",
    "[索引号]11500230/2026-00004[主题分类]司法[体裁分类]工作报告\n2025年，我局深入推进法治政府建设，全年办理行政复议案件12件。",
])
@pytest.mark.parametrize("flattened", [False, True], ids=["lines", "flattened"])
def test_a_heading_or_a_page_field_is_not_taken_for_a_title(matcher, text, flattened):
    wrong, report = kind(matcher, text.replace("\n", "") if flattened else text)
    assert wrong is None, report.findings[0].why
