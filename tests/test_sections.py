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
