"""Headings → heading tree; every sentence gets its heading path.

Levels follow the official document numbering: 一、 > （一） > 1. 1、 > （1） > 一是 (run-in, scoped to its
paragraph). Markers are matched on normalized text, so （一） and (一), 一,、 and 一、 are alike. A short line
with no sentence punctuation is an unnumbered heading (存在的问题): top-level in the body, level 0 (the
document's title or issuer, not a part of the report) before the body starts.
"""
from __future__ import annotations

import re

from .model import Heading, Outline, Sentence

_NUM = "一二三四五六七八九十"
_LINE_MARKERS = [
    (1, re.compile(rf"^(?:第[{_NUM}]{{1,3}}部分|[{_NUM}]{{1,3}}[、.])")),
    (2, re.compile(rf"^\([{_NUM}]{{1,3}}\)[、.]?")),
    (3, re.compile(r"^\d{1,2}[、.](?!\d)")),
    (4, re.compile(r"^\(\d{1,2}\)[、.]?")),
]
_RUN_IN = re.compile(rf"[{_NUM}]{{1,3}}是(?![否的])")   # used with match(text, pos): no ^
RUN_IN_LEVEL = 5
FRONT_LEVEL = 0
BODY_SENTENCE = 30   # the first sentence this long (outside headings) ends the front matter
_TITLE_END = re.compile(r"[。!?;:]")
_RUN_IN_END = re.compile(r"[。!?;:,]")
# An unnumbered heading line: short, at least a few CJK characters, no punctuation, not a date.
_CAPTION = re.compile(r"^[^,。!?;:、]{4,30}$")
_CJK4 = re.compile(r"[\u4e00-\u9fff].*[\u4e00-\u9fff].*[\u4e00-\u9fff].*[\u4e00-\u9fff]")
_DATE = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日$")


def _line_heading(text: str, start: int, end: int) -> Heading | None:
    line = text[start:end]
    for level, pattern in _LINE_MARKERS:
        m = pattern.match(line)
        if m:
            stop = _TITLE_END.search(line, m.end())
            title_end = start + (stop.start() if stop else len(line))
            return Heading(level, m.group(0), text[start + m.end():title_end], start, title_end)
    if _CAPTION.match(line) and _CJK4.search(line) and not _DATE.match(line):
        return Heading(1, "", line, start, end)
    return None


def _run_in_heading(text: str, start: int, end: int) -> Heading | None:
    m = _RUN_IN.match(text, start, end)
    if not m:
        return None
    stop = _RUN_IN_END.search(text, m.end(), end)
    title_end = stop.start() if stop else end
    return Heading(RUN_IN_LEVEL, m.group(0), text[m.end():title_end], start, title_end)


def _lines(text: str):
    pos = 0
    for line in text.split("\n"):
        yield pos, pos + len(line)
        pos += len(line) + 1


def build_outline(text: str, sentence_spans: list[tuple[int, int]]) -> Outline:
    """The heading tree of a normalized report and each sentence's place in it."""
    headings: list[Heading] = []
    sentences: list[Sentence] = []
    stack: list[int] = []   # indexes into headings

    def push(h: Heading) -> None:
        while stack and headings[stack[-1]].level >= h.level:
            stack.pop()
        headings.append(h)
        stack.append(len(headings) - 1)

    spans = iter(sentence_spans)
    current = next(spans, None)
    in_body = False
    for line_start, line_end in _lines(text):
        while stack and headings[stack[-1]].level == RUN_IN_LEVEL:   # 一是 items end with their paragraph
            stack.pop()
        h = _line_heading(text, line_start, line_end) if line_start < line_end else None
        if h:
            if h.marker:
                in_body = True
            elif not in_body:
                h = Heading(FRONT_LEVEL, h.marker, h.title, h.start, h.end)
            push(h)
        while current is not None and current[0] < line_end + 1:
            s, e = current
            run_in = _run_in_heading(text, s, e)
            if run_in:
                push(run_in)
            if e - max(s, h.end if h else s) >= BODY_SENTENCE:
                in_body = True
            sentences.append(Sentence(s, e, tuple(stack)))
            current = next(spans, None)
    return Outline(headings, sentences)
