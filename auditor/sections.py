"""Headings → heading tree; every sentence gets its heading path.

A table of contents (a 目录 line and the heading lines after it, or a run of heading lines whose titles come
back later as the body's headings) lists the parts without being them: its lines are no headings.

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
BODY_TEXT = 15       # a sentence this long under a heading is text, not a note (详见县委报告)
_TITLE_END = re.compile(r"[。!?;:]")
_RUN_IN_END = re.compile(r"[。!?;:,]")
# An unnumbered heading line: short, at least a few CJK characters, no punctuation, not a date.
_CAPTION = re.compile(r"^[^,。!?;:、]{4,30}$")
_CJK4 = re.compile(r"[\u4e00-\u9fff].*[\u4e00-\u9fff].*[\u4e00-\u9fff].*[\u4e00-\u9fff]")
_DATE = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日$")
_CONTENTS = re.compile(r"^目录$")
_PAGE_REF = re.compile(r"[.…·_\-\s\d]+$")   # 一、主要举措……1: leaders and a page number
TOC_RUN = 3   # a run of at least this many heading lines, nothing between, can be a table of contents
CONTENTS_LINES = 300   # a table of contents stands within the first lines


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


def _contents(text: str) -> list[tuple[int, int]]:
    """Line spans of a table of contents before the body: heading lines after a 目录 line, or a run of heading
    lines (nothing between them) whose titles come back later in the text."""
    lines = [(s, e) for s, e in _lines(text) if text[s:e].strip()]
    found: list[tuple[int, int]] = []

    def entry(s: int, e: int) -> Heading | None:   # a heading that is the whole line (一、主要举措……1)
        h = _line_heading(text, s, e)
        return h if h and not text[h.end:e].strip(" 。.…·_-0123456789") else None
    i = 0
    while i < min(len(lines), CONTENTS_LINES):
        s, e = lines[i]
        if e - s >= BODY_SENTENCE and entry(s, e) is None:
            break   # the body has begun
        marked = bool(_CONTENTS.match(text[s:e].strip()))
        j = i + 1 if marked else i
        titles = []
        # after a 目录 line any heading line is an entry; without one, numbered lines only (not the title)
        while j < len(lines) and (h := entry(*lines[j])) is not None and (marked or h.marker):
            titles.append(_PAGE_REF.sub("", h.title))
            j += 1
        later = text[lines[j - 1][1]:] if j > i else ""
        if titles and (marked or (len(titles) >= TOC_RUN and sum(t in later for t in titles if t) >= 2)):
            found += lines[i:j]
            i = j
        else:
            i = max(j, i + 1)
    return found


def build_outline(text: str, sentence_spans: list[tuple[int, int]]) -> Outline:
    """The heading tree of a normalized report and each sentence's place in it."""
    contents = _contents(text)
    toc_starts = {s for s, _ in contents}
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
        h = _line_heading(text, line_start, line_end) if line_start < line_end and line_start not in toc_starts \
            else None
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
    filled = {i for s in sentences if s.end - s.start >= BODY_TEXT for i in s.path
              if not (headings[i].start <= s.start < headings[i].end)}
    last = sentences[-1].start if sentences else 0
    filled |= {i for i, h in enumerate(headings) if h.start <= last < h.end + 1}   # a text cut after its heading
    return Outline(headings, sentences, contents, frozenset(range(len(headings))) - filled)
