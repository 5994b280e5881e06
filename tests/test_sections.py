from __future__ import annotations

from auditor.normalize import normalize
from auditor.sections import build_outline
from auditor.segment import sentence_spans


def outline_of(raw: str):
    text = normalize(raw).text
    return text, build_outline(text, sentence_spans(text))


def test_heading_levels_and_variants():
    _, o = outline_of("某某镇2023年法治政府建设工作总结\n"
                      "2023年，本镇坚持以习近平新时代中国特色社会主义思想为指导，扎实推进法治政府建设。\n"
                      "一,、主要举措\n（一）深入学习\n1.组织学习。内容。\n（2） 存在问题\n(二)强化领导\n二、存在的不足")
    got = [(h.level, h.marker, h.title) for h in o.headings]
    assert got == [(0, "", "某某镇2023年法治政府建设工作总结"), (1, "一、", "主要举措"), (2, "(一)", "深入学习"),
                   (3, "1.", "组织学习"), (4, "(2)", "存在问题"), (2, "(二)", "强化领导"), (1, "二、", "存在的不足")]


def test_sentences_know_their_heading_path():
    text, o = outline_of("一、主要举措\n（一）深入学习\n正文第一句。正文第二句。\n二、存在的不足\n问题较多。")
    paths = {text[s.start:s.end]: [o.headings[i].title for i in s.path] for s in o.sentences}
    assert paths["正文第二句。"] == ["主要举措", "深入学习"]
    assert paths["问题较多。"] == ["存在的不足"]


def test_run_in_items_are_scoped_to_their_paragraph():
    text, o = outline_of("一、主要举措\n一是加强组织保障。成立领导小组。二是提升认识,深入学习。\n另起一段。")
    paths = {text[s.start:s.end]: [o.headings[i].title for i in s.path] for s in o.sentences}
    assert paths["成立领导小组。"] == ["主要举措", "加强组织保障"]
    assert paths["二是提升认识,深入学习。"] == ["主要举措", "提升认识"]
    assert paths["另起一段。"] == ["主要举措"]


def test_numbers_in_body_text_are_not_headings():
    _, o = outline_of("2022.11发布。\n12月9日,我镇召开会议。\n1.5亿元投入。")
    assert [h for h in o.headings if h.level in (3, 4)] == []


# --- text copied out of a PDF: line breaks lost, headings run into the text ---------------------------------

def flat(raw: str) -> str:
    return "".join(line.strip() for line in raw.splitlines())


def numbered(o) -> list[tuple[int, str, str]]:
    return [(h.level, h.marker, h.title) for h in o.headings if 1 <= h.level <= 4 and h.marker]


def markers(o) -> list[tuple[int, str]]:
    return [(h.level, h.marker) for h in o.headings if 1 <= h.level <= 4 and h.marker]


REPORT = ("某镇2023年法治政府建设情况报告\n"
          "2023年，我镇坚持以习近平法治思想为指导，扎实推进法治政府建设。现将有关情况报告如下：\n"
          "一、工作情况\n"
          "（一）加强组织领导\n"
          "镇党委书记主持召开专题会议3次，研究部署法治政府建设。\n"
          "1.健全制度。修订完善会前学法制度。\n"
          "2.落实责任。制定年度工作要点。\n"
          "（二）规范行政执法\n"
          "全面推行行政执法三项制度，审核重大执法决定12件。\n"
          "二、存在的问题\n"
          "一是干部法治意识有待加强。二是执法力量仍然薄弱。\n"
          "三、2024年工作打算\n"
          "2024年，我镇将进一步加强法治宣传。\n")


def test_flattened_headings_are_those_of_the_original():
    _, original = outline_of(REPORT)
    _, flattened = outline_of(flat(REPORT))
    assert numbered(original) == [
        (1, "一、", "工作情况"), (2, "(一)", "加强组织领导"), (3, "1.", "健全制度"), (3, "2.", "落实责任"),
        (2, "(二)", "规范行政执法"), (1, "二、", "存在的问题"), (1, "三、", "2024年工作打算")]
    assert markers(flattened) == markers(original)
    # a title with nothing after it but its text runs into that text: where it ends is not written
    assert all(got.startswith(was) for (_, _, got), (_, _, was) in zip(numbered(flattened), numbered(original)))


def test_a_heading_found_inside_a_line_starts_a_sentence_of_its_own():
    text, o = outline_of(flat(REPORT))
    said = [text[s.start:s.end] for s in o.sentences]
    assert "一、工作情况" in said and "二、存在的问题" in said
    assert any(x.startswith("(一)加强组织领导") for x in said)


def test_markers_in_running_text_are_not_headings():
    # 一是 inside a sentence, 三、四月份, 1.5万元, 6.26 and 第一 in running text; 统一、规范 after a word
    text = ("一、主要举措\n"
            "我镇在三、四月份开展宣传，一是普法，二是调解。共投入1.5万元，开展6.26禁毒宣传。"
            "坚持统一、规范执法，第一时间处置。全年办理案件2.建立台账3件。\n")
    _, o = outline_of(text)
    assert markers(o) == [(1, "一、")]
    _, o = outline_of(flat(text))
    assert markers(o) == [(1, "一、")]


def test_an_inline_marker_must_continue_its_level_numbering():
    # 三、 cannot follow 一、 (two numbers on) after a colon; (一) restarts under each 一、
    _, o = outline_of("一、工作情况(一)加强领导。成立领导小组。做到以下几点:三、严格执法。二、存在的问题(一)意识不强。")
    assert numbered(o) == [(1, "一、", "工作情况"), (2, "(一)", "加强领导"), (1, "二、", "存在的问题"),
                           (2, "(一)", "意识不强")]


def test_a_first_heading_run_into_the_title_needs_its_first_child_after_it():
    _, o = outline_of("某局2023年法治政府建设工作报告一、主要工作情况(一)加强组织领导。局党组专题研究法治工作。")
    assert numbered(o)[:2] == [(1, "一、", "主要工作情况"), (2, "(一)", "加强组织领导")]
    _, o = outline_of("我局坚持统一、规范执法，审核文件3件。")
    assert numbered(o) == []


def test_a_long_title_run_into_its_text_ends_at_a_comma():
    _, o = outline_of(flat("现将有关情况报告如下：\n一、工作情况\n全年召开政府常务会议专题研究法治政府建设4次，"
                           "审核行政规范性文件12件，聘请法律顾问2名。"))
    (_, _, title), = numbered(o)
    assert title.startswith("工作情况") and "法律顾问" not in title
