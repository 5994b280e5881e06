"""Headings → heading tree; every sentence gets its heading path.

A table of contents (a 目录 line and the heading lines after it, or a run of heading lines whose titles come
back later as the body's headings) lists the parts without being them: its lines are no headings.

Levels follow the official document numbering: 一、 > （一） > 1. 1、 > （1） > 一是 (run-in, scoped to its
paragraph). Markers are matched on normalized text, so （一） and (一), 一,、 and 一、 are alike. A short line
with no sentence punctuation is an unnumbered heading (存在的问题): top-level in the body, level 0 (the
document's title or issuer, not a part of the report) before the body starts.

Text copied out of a PDF loses its line breaks, and its headings run into the text (…环境。一、加强组织领导
（一）…). A marker inside a line is a heading only where a heading can stand: after a sentence's end (or the
colon of 报告如下:), or straight after the title of the heading before it, with no punctuation between; it
continues the numbering of its level (二、 after 一、, a lost heading or two aside); and a word follows it,
not a number (三、四月份, 1.5万元). A heading found inside a line starts a sentence of its own.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import replace

from .model import Heading, Outline, Sentence

_NUM = "一二三四五六七八九十"
_LINE_MARKERS = [
    (1, re.compile(rf"(?:第([{_NUM}]{{1,3}})部分|([{_NUM}]{{1,3}})[、.])")),
    (2, re.compile(rf"\(([{_NUM}]{{1,3}})\)[、.]?")),
    (3, re.compile(r"(\d{1,2})[、.](?!\d)")),
    (4, re.compile(r"\((\d{1,2})\)[、.]?")),
]
_RUN_IN = re.compile(rf"[{_NUM}]{{1,3}}是(?![否的])")   # used with match(text, pos): no ^
RUN_IN_LEVEL = 5
FRONT_LEVEL = 0
BODY_SENTENCE = 30   # the first sentence this long (outside headings) ends the front matter
BODY_TEXT = 15       # a sentence this long under a heading is text, not a note (详见县委报告)
_TITLE_END = re.compile(r"[。!?;:]")
_FULL_STOPS = frozenset("。!?;")
_FIGURE = re.compile(r"\d")
_DONE = re.compile(r"完成|顺利|收官|已经|实现了|达到")   # 全面完成八五普法总结验收。: a task verb, but reported done
STATEMENT = 10   # a numbered item this long that ends in a full stop may be a sentence of text
# how a heading names a task (深化…, 加强…): a sentence under a number that opens otherwise reports (局党组专题学习…)
_TASK_VERBS = ("深化", "加强", "推进", "强化", "坚持", "健全", "完善", "提升", "优化", "规范", "持续", "全面", "深入", "着力",
               "加快", "积极", "扎实", "不断", "切实", "聚焦", "突出", "狠抓", "抓好", "夯实", "筑牢", "创新", "落实", "推动",
               "严格", "依法", "大力", "努力")
_RUN_IN_END = re.compile(r"[。!?;:,]")
# An unnumbered heading line: short, at least a few CJK characters, no punctuation, not a date.
_CAPTION = re.compile(r"^[^,。!?;:、]{4,30}$")
_CJK4 = re.compile(r"[\u4e00-\u9fff].*[\u4e00-\u9fff].*[\u4e00-\u9fff].*[\u4e00-\u9fff]")
_DATE = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日$")
_CONTENTS = re.compile(r"^目录$")
_PAGE_REF = re.compile(r"[.…·_\-\s\d]+$")   # 一、主要举措……1: leaders and a page number
TOC_RUN = 3   # a run of at least this many heading lines, nothing between, can be a table of contents
CONTENTS_LINES = 300   # a table of contents stands within the first lines

# Headings inside a line (text whose line breaks were lost)
_INLINE_CANDIDATE = re.compile(rf"第[{_NUM}]|[{_NUM}]{{1,3}}[、.是]|\(|\d{{1,2}}[、.]")
_SENTENCE_END = "。!?"
_CLOSING = {")": "(", "〕": "〔", "】": "【", "]": "["}
_COLON = ":"
_NUMERALS = set(_NUM + "零百千万两") | set("0123456789")
_WORD_AFTER = re.compile(r"[\u4e00-\u9fff《(]|\d{4}年")   # what a heading's title begins with
TITLE_RUN = 60      # a marker this far at most into the title before it, no punctuation between, can head
INLINE_TITLE = 40   # a title that runs into the text (no marker, no full stop after it) ends at a comma past this
NOTE_CHARS = 120    # a bracketed note after a full stop is at most this long
NUMBER_GAP = 2      # after a full stop a heading may skip one number (a heading lost in a garbled line)


def _number(s: str) -> int:
    """一 → 1, 十二 → 12, 二十 → 20, 12 → 12."""
    if s.isdigit():
        return int(s)
    digits = {c: i + 1 for i, c in enumerate(_NUM[:9])}
    if "十" not in s:
        return digits.get(s[-1], 0)
    tens, _, ones = s.partition("十")
    return digits.get(tens, 1) * 10 + digits.get(ones, 0)


def _marker_at(text: str, pos: int, end: int) -> tuple[int, re.Match] | None:
    for level, pattern in _LINE_MARKERS:
        m = pattern.match(text, pos, end)
        if m:
            return level, m
    return None


def _line_heading(text: str, start: int, end: int) -> Heading | None:
    line = text[start:end]
    found = _marker_at(text, start, end)
    if found:
        level, m = found
        stop = _TITLE_END.search(line, m.end() - start)
        title_end = start + (stop.start() if stop else len(line))
        return Heading(level, m.group(0), text[m.end():title_end], start, title_end)
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


class _Numbering:
    """The last number used at each level under the current parents: 二、 may follow 一、, and （一） opens the
    numbering again under each new 一、 (or goes on across them: 1. 2. under （一）, 3. under （二）)."""

    def __init__(self):
        self.last = {level: 0 for level in range(1, RUN_IN_LEVEL)}
        self.across = dict(self.last)   # the last number at each level, whatever the parents

    def took(self, h: Heading) -> None:
        if not 1 <= h.level < RUN_IN_LEVEL:
            return
        if h.marker:
            found = _marker_at(h.marker, 0, len(h.marker))
            if found:
                self.last[h.level] = self.across[h.level] = _number(next(g for g in found[1].groups() if g))
        for deeper in range(h.level + 1, RUN_IN_LEVEL):
            self.last[deeper] = 0

    def follows(self, level: int, n: int, gap: int) -> bool:
        return self.last[level] < n <= self.last[level] + gap or n == self.across[level] + 1 > 1

    @property
    def started(self) -> bool:
        return any(self.across.values())


def _inline_headings(text: str, start: int, end: int, numbering: _Numbering,
                     before: Heading | None) -> tuple[Heading | None, list[Heading], list[int]]:
    """Headings that begin inside the line [start, end) after `start` (where the line's own heading, `before`,
    if any, has its marker): (the line heading, its title cut where an inline heading begins; the inline
    headings; the offsets of 一是 run-in items that begin straight after a heading's title, where a sentence
    must start). `numbering` is advanced past the headings found."""
    scan = _InlineScan(text, start, end, numbering, before)
    scan.run()
    return scan.before, _titles_cut(text, scan.found), scan.run_ins


def _closed(text: str, h: Heading, at: int) -> Heading:
    """The heading with its title ending at `at` (white space before it trimmed)."""
    title_end = at
    while title_end > h.start + len(h.marker) and text[title_end - 1].isspace():
        title_end -= 1
    return replace(h, title=text[h.start + len(h.marker):title_end], end=title_end)


class _InlineScan:
    """One line's scan for the headings inside it. Its state: the headings found so far, and the heading whose
    title may still be open (the line's own, `before`, or the last found), which the next one closes."""

    def __init__(self, text: str, start: int, end: int, numbering: _Numbering, before: Heading | None):
        self.text, self.start, self.end, self.numbering = text, start, end, numbering
        self.before = before
        self.found: list[Heading] = []
        self.run_ins: list[int] = []
        self.last = before            # the heading whose title may still be open
        self.title_from = before.start + len(before.marker) if before else None

    def run(self) -> None:
        """Every place in the line a marker may begin, in order: a run-in item or a heading, where it can stand."""
        text, start = self.text, self.start
        for m in _INLINE_CANDIDATE.finditer(text, self.title_from if self.before else start, self.end):
            p = m.start()
            if p <= start or (self.found and p < self.found[-1].start + len(self.found[-1].marker)):
                continue
            k = p - 1
            while k > start and text[k].isspace():
                k -= 1
            open_title = self._title_open(p)
            if text[k] in _NUMERALS or text[k] == "第":
                continue
            where = _where(text, start, k, open_title)
            if not self._took_run_in(p, where):
                self._take_heading(p, where, open_title)

    def _title_open(self, p: int) -> bool:
        """Is the title before p still open: close enough, with no punctuation between?"""
        return (self.last is not None and self.title_from is not None and p - self.title_from <= TITLE_RUN
                and not _TITLE_END.search(self.text, self.title_from, p))

    def _close_last(self, at: int) -> None:
        """The open title ends where something begins at `at`."""
        if self.last is self.before:
            self.before = _closed(self.text, self.before, at)
        else:
            self.found[-1] = _closed(self.text, self.found[-1], at)

    def _took_run_in(self, p: int, where: str) -> bool:
        """A 一是 run-in item straight after a heading's title ends the title and starts a sentence."""
        run_in = _RUN_IN.match(self.text, p, self.end)
        if not (run_in and where == "title" and run_in.group(0) == "一是"):
            return False
        self.run_ins.append(p)
        if self.last is not None:
            self._close_last(p)
        self.last, self.title_from = None, None
        return True

    def _take_heading(self, p: int, where: str, open_title: bool) -> None:
        """A marker at p that can head, taken as a heading, which closes the title before it."""
        marker = self._heading_marker(p, where)
        if marker is None:
            return
        level, mm = marker
        if self.last is not None and open_title:   # the heading before ends where this one begins
            self._close_last(p)
        after = mm.end()
        stop = _TITLE_END.search(self.text, after, self.end)
        title_end = stop.start() if stop else self.end
        h = Heading(level, mm.group(0), self.text[after:title_end], p, title_end)
        self.found.append(h)
        self.numbering.took(h)
        self.last, self.title_from = h, after

    def _heading_marker(self, p: int, where: str) -> tuple[int, re.Match] | None:
        """The marker at p (level, match) when it can head where it stands, or None: a word follows it and it
        continues its level's numbering; after a colon, it opens the numbering (报告如下:1.…, not 主要表现在:1.…);
        in running text, a first child or the next top part follows."""
        text, end, numbering = self.text, self.end, self.numbering
        marker = _marker_at(text, p, end)
        if marker is None:
            return None
        level, mm = marker
        if where == "colon" and level > 2 and numbering.started:
            return None
        after = mm.end()
        if not _word_after(text, after, end):
            return None
        n = _number(next(g for g in mm.groups() if g))
        if not numbering.follows(level, n, NUMBER_GAP if where == "stop" else 1):
            return None
        if where == "text" and not _first_child_after(text, level, after, end) and \
                not (level <= 2 and n >= 2 and numbering.last[level] == n - 1):
            return None   # a title's last word, then 一、 and its first child; or the next top part (二、 after 一、)
        return marker


def _where(text: str, start: int, k: int, open_title: bool) -> str:
    """Where a marker after text[k] stands: after a full stop (stop), after 报告如下: (colon), inside the open
    title before it (title), or after other text, such as a document title or a closing bracket (text)."""
    prev = text[k]
    if prev in _CLOSING:   # a note in brackets after a full stop (。〔各部门按职责分工负责〕二、…)
        opening = text.rfind(_CLOSING[prev], max(start, k - NOTE_CHARS), k)
        if opening > start and text[opening - 1] in _SENTENCE_END:
            prev = text[opening - 1]
    if prev in _SENTENCE_END:
        return "stop"
    if prev == _COLON:
        return "colon"
    return "title" if open_title else "text"


def _titles_cut(text: str, found: list[Heading]) -> list[Heading]:
    """A title that ran into the text with no marker or full stop after it ends at its last comma within
    INLINE_TITLE characters (or its first comma)."""
    for i, h in enumerate(found):
        title_start = h.start + len(h.marker)
        if h.end - title_start > INLINE_TITLE:
            comma = text.rfind(",", title_start, title_start + INLINE_TITLE + 1)
            if comma == -1:
                comma = text.find(",", title_start, h.end)
            if comma != -1:
                found[i] = _closed(text, h, comma)
    return found


def _word_after(text: str, pos: int, end: int) -> bool:
    """Does a heading's title begin at pos: a word or a year, not a number (三、四月份, 1.5万元)?"""
    return pos < end and bool(_WORD_AFTER.match(text, pos)) and \
        (text[pos] not in _NUMERALS or bool(re.match(r"\d{4}年", text[pos:pos + 5])))


def _first_child_after(text: str, level: int, pos: int, end: int) -> bool:
    """Is the title starting at pos followed, with no punctuation between, by the first heading one level or
    more below (一、主要工作情况（一）加强…): what makes a marker after a document's title a heading."""
    stop = _TITLE_END.search(text, pos, min(end, pos + TITLE_RUN))
    limit = stop.start() if stop else min(end, pos + TITLE_RUN)
    for m in _INLINE_CANDIDATE.finditer(text, pos + 1, limit):
        found = _marker_at(text, m.start(), end)
        if found and found[0] > level and _number(next(g for g in found[1].groups() if g)) == 1 \
                and _word_after(text, found[1].end(), end):
            return True
    return False


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
    tree = _Tree()
    numbering = _Numbering()
    spans = iter(sentence_spans)
    current = next(spans, None)
    for line_start, line_end in _lines(text):
        tree.end_run_ins()
        h, inline, cuts = None, [], []
        if line_start < line_end and line_start not in toc_starts:
            h, inline, cuts = _line_headings(text, line_start, line_end, numbering, tree.in_body)
        if h:
            if h.marker:
                tree.in_body = True
            tree.push(h)
        cuts = sorted(set(cuts + [x.start for x in inline]))
        k = 0   # the next of the line's inline headings to push
        while current is not None and current[0] < line_end + 1:
            for s, e in _pieces(text, *current, cuts):
                k = tree.add_sentence(text, s, e, h, inline, k)
            current = next(spans, None)
        for x in inline[k:]:   # an inline heading past the last sentence (cannot be: sentences cover the text)
            tree.push(x)
    headings, sentences = tree.headings, tree.sentences
    statements = _statements(text, headings)
    filled = _filled(text, headings, sentences) | statements
    return Outline(headings, sentences, contents, frozenset(range(len(headings))) - filled, statements)


def _line_headings(text: str, line_start: int, line_end: int, numbering: _Numbering,
                   in_body: bool) -> tuple[Heading | None, list[Heading], list[int]]:
    """A line's own heading, the headings inside it and the offsets where a sentence must start (as
    _inline_headings gives them). An unnumbered heading before the body is the front matter's (level 0)."""
    h = _line_heading(text, line_start, line_end)
    if h and not h.marker and not in_body:
        h = Heading(FRONT_LEVEL, h.marker, h.title, h.start, h.end)
    if h:
        numbering.took(h)
    if h is None or h.marker:
        return _inline_headings(text, line_start, line_end, numbering, h)
    return h, [], []


class _Tree:
    """The heading tree as it is built: the headings, the path of open headings, the sentences placed so far,
    and whether the body has begun (past the front matter)."""

    def __init__(self):
        self.headings: list[Heading] = []
        self.sentences: list[Sentence] = []
        self.stack: list[int] = []   # indexes into headings
        self.in_body = False

    def push(self, h: Heading) -> None:
        while self.stack and self.headings[self.stack[-1]].level >= h.level:
            self.stack.pop()
        self.headings.append(h)
        self.stack.append(len(self.headings) - 1)

    def end_run_ins(self) -> None:
        """一是 items end with their paragraph."""
        while self.stack and self.headings[self.stack[-1]].level == RUN_IN_LEVEL:
            self.stack.pop()

    def add_sentence(self, text: str, s: int, e: int, h: Heading | None, inline: list[Heading], k: int) -> int:
        """Place the sentence [s, e) of a line with heading h and inline headings (pushed from the k-th, those
        that begin by s), and a run-in item opening it; returns the next inline heading to push. A sentence
        long enough past its heading's title means the body has begun."""
        head_end = h.end if h and h.start == s else s
        while k < len(inline) and inline[k].start <= s:
            x = inline[k]
            k += 1
            self.in_body = True
            self.push(x)
            if x.start == s:
                head_end = x.end
        run_in = _run_in_heading(text, s, e)
        if run_in:
            self.push(run_in)
        if e - max(s, head_end) >= BODY_SENTENCE:
            self.in_body = True
        self.sentences.append(Sentence(s, e, tuple(self.stack)))
        return k


def _statements(text: str, headings: list[Heading]) -> frozenset[int]:
    """Numbered items that are a whole sentence reporting work ((六)街道人民调解委员会全年调解纠纷96件。): their own
    text. A title that ends in a full stop but reads as a task (持续深化…改革,着力提升…水平。) is still a title."""
    return frozenset(i for i, h in enumerate(headings)
                     if text[h.end:h.end + 1] in _FULL_STOPS and len(h.title) >= STATEMENT
                     and (_FIGURE.search(h.title) or _DONE.search(h.title) or not h.title.startswith(_TASK_VERBS)))


def _filled(text: str, headings: list[Heading], sentences: list[Sentence]) -> set[int]:
    """Headings with text under them: a sentence long enough past the heading's own title; or the heading the
    text was cut after."""
    filled = {i for s in sentences for i in s.path if s.end - max(s.start, headings[i].end) >= BODY_TEXT}
    last = sentences[-1].start if sentences else 0
    filled |= {i for i, h in enumerate(headings) if h.start <= last < h.end + 1}   # a text cut after its heading
    return filled


def _pieces(text: str, start: int, end: int, cuts: list[int]):
    """A sentence span cut where a heading found inside its line begins (white space trimmed); `cuts` sorted."""
    lo, hi = bisect.bisect_right(cuts, start), bisect.bisect_left(cuts, end)
    for c in cuts[lo:hi]:
        piece_end = c
        while piece_end > start and text[piece_end - 1].isspace():
            piece_end -= 1
        if piece_end > start:
            yield start, piece_end
        start = c
    yield start, end
