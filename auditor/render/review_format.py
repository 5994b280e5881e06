"""--format review: a reviewed copy of each report (<stem>.审核批注.docx) with Word comments, for the drafting
office to work through in Word or WPS.

Comments only where something must be done: one per gap (must be fixed or could be better), at the place it
belongs — on its evidence's words (partly met, planned only, listed as a shortcoming), else on the heading of
the part where the missing item is to be written, else (a missing part, the title, the signature) on the
report's title — saying what is wrong, where it belongs, the fix and, for an item that must be fixed, the legal
basis. Nothing is said of what is met. One more comment on the title gives the result and the counts by tier.

A .docx report is copied with its text unchanged (runs are split at a quote's ends, their formatting copied, no
character added or lost). A .txt, .pdf or .html report becomes a .docx of the text the auditor read, one
paragraph per line (a PDF page starts a new page), with the same comments. The input file is only read.

Paragraphs and table cells are found as auditor.formats.docx counts them (body paragraphs; tables, rows and
cells by grid column), from the evidence's `place`; the quote stands at the evidence's `span` in the text read.
Only when the text there is not the quote (the file changed since, furniture cut from the quote) is it looked
for in that paragraph, whitespace compared loosely (a quote has its whitespace collapsed), nearest the hit.
"""
from __future__ import annotations

import io
from copy import deepcopy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from docx import Document
from docx.oxml.ns import qn
from docx.text.run import Run

from ..errors import AuditorError
from ..formats import docx as docx_reader
from ..i18n import _
from .. import labels
from ..labels import gaps_first
from ..model import MUST_FIX, Evidence, Finding, Part, Report
from ..rule_schema import Rule
from ..read import MAX_FILE_MB, read_limited, read_source, sniff
from ..shown import name
from . import docx_parts as parts
from .letter_format import result, score, tiers

_W = {tag: qn(f"w:{tag}") for tag in ("p", "r", "t", "tbl", "tr", "tc", "hyperlink", "rPr", "br", "tab", "ptab",
                                     "cr", "noBreakHyphen", "tcPr", "gridSpan", "vMerge")}
_FIXED = {_W["tab"]: "\t", _W["ptab"]: "\t", _W["cr"]: "\n", _W["noBreakHyphen"]: "-"}
INITIALS = "审核"
FUZZY_END = 12   # a quote not found whole (page furniture cut from it) is found by its first and last characters


def write(reports: list[Report], rules: list[Rule], directory: Path, **options) -> list[Path]:
    """One reviewed copy per audited report in `directory`; the paths written, in report order. A report whose
    file cannot be read again (moved, changed into something unreadable) gets none. Options: `show_scores`."""
    directory = Path(directory)
    where = parts.targets(reports, directory, parts.REVIEW, parts.wanted)
    titles = parts.part_titles(rules)
    written = []
    for i, report in enumerate(reports):
        if i not in where:
            continue
        try:
            doc = reviewed(report, titles, show_scores=bool(options.get("show_scores")))
        except AuditorError:
            continue
        written.append(parts.save(doc, where[i]))
    return written


# --- what the comments say ------------------------------------------------------------------------------

@dataclass
class Note:
    """One comment: one gap, anchored on its evidence's quote, else on the heading of the part where it
    belongs, else (a missing part, the title or the signature) on the report's title."""
    finding: Finding
    lines: list[str]
    evidence: Evidence | None = None
    heading: Part | None = None


@dataclass
class Plan:
    notes: list[Note] = field(default_factory=list)


def plan(report: Report, titles: dict[str, str], reviewed=()) -> Plan:
    """The comments of a report: one per gap, where something must be done; none for what is met."""
    out = Plan()
    for f in gaps_first(report.findings):
        if not f.status.is_gap:
            continue
        lines = _gap_lines(f, titles, reviewed)
        if f.evidence:
            out.notes.append(Note(f, lines, evidence=f.evidence[0]))
        else:
            out.notes.append(Note(f, lines, heading=_heading_of(report, f.rule)))
    return out


def _heading_of(report: Report, rule: Rule) -> Part | None:
    """The first heading of the part where the rule's item belongs (an element: the measures), if the report
    has one."""
    part = getattr(rule, "part", None) or ("measures" if rule.kind == "element" else None)
    return next((p for p in report.outline if part and p.part == part), None)


def _gap_lines(f: Finding, titles: dict[str, str], reviewed=()) -> list[str]:
    """A gap's comment: its tier, status and title with what is wrong, where it belongs, the fix, and (an item
    that must be fixed) the legal basis."""
    lines = [_("[{tier}: {status}] {title}: {why}").format(tier=labels.tier(f.tier), status=f.status.label,
                                                           title=parts.shown(f.rule.title),
                                                           why=parts.problem(f, reviewed)),
             _("Where it belongs: {part}").format(part=parts.belongs(f.rule, titles)),
             _("How to fix: {fix}").format(fix=parts.shown(f.rule.fix))]
    if f.tier == MUST_FIX and f.rule.legal_basis:
        lines.append(_("Legal basis: {basis}").format(basis="；".join(parts.shown(b) for b in f.rule.legal_basis)))
    return lines


def _title_lines(report: Report, copy_of: str | None, show_scores: bool) -> list[str]:
    """The comment on the title: the result, the counts by tier (each gap has its own comment), the score when
    asked for, and for a copy the file it was read from."""
    lines = [_("Result: {result}.").format(result=result(report))]
    if show_scores and score(report):
        lines.append(score(report))
    if report.wrong_type:
        lines.append(_("The file is not an annual report on building a rule-of-law government: it reads as {kind}.")
                     .format(kind=parts.shown(report.wrong_type)))
    else:
        must, could = tiers(report)
        lines.append(_("Each gap has its own comment where it belongs: {must} must be fixed, {could} could be "
                       "better.").format(must=len(must), could=len(could)) if must or could
                     else _("Nothing is missing."))
    if copy_of:
        lines.append(_("This is the text read from {file}; the original file is unchanged.").format(file=copy_of))
    return lines


def _comment(doc, first, last, lines: list[str]) -> None:
    comment = doc.add_comment([Run(first, None), Run(last, None)], text=parts.xml_safe(lines[0]),
                              author=parts.author(), initials=INITIALS)
    for line in lines[1:]:
        comment.add_paragraph(parts.xml_safe(line))


# --- finding a quote again ------------------------------------------------------------------------------

class Loose:
    """Text with its whitespace collapsed as a quote's is (" ".join(text.split())), mapped back to offsets."""

    def __init__(self, text: str):
        chars, self.index = [], []
        for i, ch in enumerate(text):
            if ch.isspace():
                if chars and chars[-1] != " ":
                    chars.append(" ")
                    self.index.append(i)
            else:
                chars.append(ch)
                self.index.append(i)
        self.text = "".join(chars)

    def find(self, quote: str, hint: int | None = None) -> tuple[int, int] | None:
        """[start, end) of the quote in the original text (the occurrence around or nearest `hint`), or None."""
        core = " ".join(quote.strip("…").split())
        if not core:
            return None
        spans = self._all(core)
        if not spans and len(core) > 2 * FUZZY_END:   # words dropped inside (a page number, a running header)
            head, tail = core[:FUZZY_END], core[-FUZZY_END:]
            for start, _end in self._all(head):
                stop = self.text.find(tail, start + len(head), start + len(core) + 80)
                if stop >= 0:
                    spans.append((self.index[start], self.index[stop + len(tail) - 1] + 1))
        if not spans:
            return None
        if hint is None:
            return spans[0]
        return min(spans, key=lambda s: (0 if s[0] <= hint < s[1] else 1, abs(s[0] - hint)))

    def _all(self, core: str) -> list[tuple[int, int]]:
        spans, at = [], self.text.find(core)
        while at >= 0:
            spans.append((self.index[at], self.index[at + len(core) - 1] + 1))
            at = self.text.find(core, at + 1)
        return spans


# --- a .docx report, commented in place -----------------------------------------------------------------

def _piece_text(e) -> str:
    if e.tag == _W["t"]:
        return e.text or ""
    if e.tag == _W["br"]:
        return "\n" if e.get(qn("w:type"), "textWrapping") == "textWrapping" else ""
    return _FIXED.get(e.tag, "")


def _runs(p) -> list[tuple[object, int, int]]:
    """The runs of a paragraph the reader reads (its own and its hyperlinks'), with their [start, end) offsets."""
    out, pos = [], 0
    for child in p:
        for r in ((child,) if child.tag == _W["r"] else
                  [x for x in child if x.tag == _W["r"]] if child.tag == _W["hyperlink"] else ()):
            n = sum(len(_piece_text(e)) for e in r)
            out.append((r, pos, pos + n))
            pos += n
    return out


def _split(r, k: int) -> None:
    """Split a run after its first k characters: it keeps them, a copy placed after it (same formatting) holds
    the rest. A text element is cut in two; nothing is added or lost."""
    pieces = [e for e in r if e.tag != _W["rPr"]]
    pos = 0
    for i, e in enumerate(pieces):
        n = len(_piece_text(e))
        if pos + n > k:
            break
        pos += n
    else:
        return
    twin = deepcopy(r)
    twins = [e for e in twin if e.tag != _W["rPr"]]
    inside = k - pos
    if inside:   # only a w:t holds more than one character
        twins[i].text, pieces[i].text = pieces[i].text[inside:], pieces[i].text[:inside]
        for t in (twins[i], pieces[i]):
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        keep = i + 1
    else:
        keep = i
    for e in pieces[keep:]:
        r.remove(e)
    for e in twins[:i]:
        twin.remove(e)
    r.addnext(twin)


def _cover(p, start: int, end: int):
    """The first and last run covering exactly [start, end) of a paragraph, splitting runs at both ends."""
    for cut in (start, end):
        for r, s, e in _runs(p):
            if s < cut < e:
                _split(r, cut - s)
                break
    covered = [r for r, s, e in _runs(p) if start <= s and e <= end and e > s]
    return (covered[0], covered[-1]) if covered else None


def _grid_cell(tr, column: int):
    at = 1
    for tc in (c for c in tr if c.tag == _W["tc"]):
        if at == column:
            return tc
        pr = tc.find(_W["tcPr"])
        span = pr.find(_W["gridSpan"]) if pr is not None else None
        try:
            at += max(1, int(span.get(qn("w:val")))) if span is not None else 1
        except (TypeError, ValueError):
            at += 1
    return None


class Unopenable(Exception):
    """python-docx cannot open a .docx the reader could read (strict Open XML, an odd package): the copy is
    made from the text instead."""


class _Original:
    """A python-docx document of the report and where its extracted lines stand in it."""

    def __init__(self, data: bytes, path: str):
        try:
            self.doc = Document(io.BytesIO(data))
        except Exception as exc:   # python-docx raises many kinds (strict Open XML, a missing part, bad XML)
            raise Unopenable(str(exc)) from None
        extracted = docx_reader.extract(data, path)
        self.lines = extracted.text.split("\n")
        self.places = extracted.places or ()
        body = self.doc.element.body
        self.paragraphs = [c for c in body if c.tag == _W["p"]]
        self.tables = [c for c in body if c.tag == _W["tbl"]]
        self.first_line: dict[int, int] = {}
        for i, place in enumerate(self.places):
            if place.paragraph:
                self.first_line.setdefault(place.paragraph, i)

    def _candidates(self, e: Evidence) -> list[tuple[object, int | None, int | None]]:
        """Where the quote may be: (paragraph, the hit's offset in it, the paragraph's offset in the text)."""
        place = e.place or {}
        if place.get("paragraph") and place["paragraph"] <= len(self.paragraphs):
            number = place["paragraph"]
            first = self.first_line.get(number, e.line - 1)
            hint = sum(len(x) + 1 for x in self.lines[first:e.line - 1]) + e.column - 1
            return [(self.paragraphs[number - 1], hint, sum(len(x) + 1 for x in self.lines[:first]))]
        if place.get("table") and place["table"] <= len(self.tables):
            rows = [tr for tr in self.tables[place["table"] - 1] if tr.tag == _W["tr"]]
            tr = rows[place["row"] - 1] if place.get("row") and place["row"] <= len(rows) else None
            tc = _grid_cell(tr, place.get("cell") or 1) if tr is not None else None
            return [(p, None, None) for p in tc.iter(_W["p"])] if tc is not None else []
        return []

    def locate(self, e: Evidence):
        for p, hint, offset in self._candidates(e):
            text = "".join(_piece_text(x) for r, _s, _e in _runs(p) for x in r)
            span = (e.found_in(text, offset) if offset is not None else None) or Loose(text).find(e.quote, hint)
            if span:
                return _cover(p, *span)
        return None

    def heading(self, part: Part):
        """The heading line of a part, whole (its paragraph's text without the surrounding blanks)."""
        n = part.line - 1
        where = self.places[n] if 0 <= n < len(self.places) else None
        if where is None or not where.paragraph or where.paragraph > len(self.paragraphs):
            return None
        return _whole(self.paragraphs[where.paragraph - 1])

    def title(self):
        for p in self.doc.element.body.iter(_W["p"]):
            anchor = _whole(p)
            if anchor:
                return anchor
        return None


def _whole(p):
    """The first and last run of a paragraph's text without its leading and trailing blanks; None when blank."""
    text = "".join(_piece_text(x) for r, _s, _e in _runs(p) for x in r)
    if not text.strip():
        return None
    return _cover(p, len(text) - len(text.lstrip()), len(text.rstrip()))


# --- a text, PDF or web page report, as a new document --------------------------------------------------

class _Copy:
    """A new document of the extracted text, one paragraph per line, runs cut wherever a comment starts or ends."""

    def __init__(self, text: str, places, title: str):
        self.text = text
        self.loose = Loose(text)
        self.starts = [0]
        for line in text.split("\n"):
            self.starts.append(self.starts[-1] + len(line) + 1)
        self.places = places
        self.doc = parts.new_document(title)
        self.spans: list[tuple[int, int]] = []

    def locate(self, e: Evidence):
        hint = self.starts[e.line - 1] + e.column - 1 if 0 < e.line < len(self.starts) else None
        span = e.found_in(self.text) or self.loose.find(e.quote, hint)
        if span:
            self.spans.append(span)
        return span

    def heading(self, part: Part):
        """The span of a part's heading line, without the blanks around it."""
        if not 0 < part.line < len(self.starts):
            return None
        a = self.starts[part.line - 1]
        line = self.text[a:self.starts[part.line] - 1]
        if not line.strip():
            return None
        span = (a + len(line) - len(line.lstrip()), a + len(line.rstrip()))
        self.spans.append(span)
        return span

    def title(self):
        lead = len(self.text) - len(self.text.lstrip())
        line_end = self.text.find("\n", lead)
        line = self.text[lead:line_end if line_end >= 0 else len(self.text)].rstrip()
        if not line:
            return None
        self.spans.append((lead, lead + len(line)))
        return self.spans[-1]

    def build(self) -> dict[tuple[int, int], tuple]:
        """Write the paragraphs; the first and last run of every span located."""
        cuts = sorted({c for span in self.spans for c in span})
        starts_at, ends_at = {}, {}
        page = None
        lines = self.text.split("\n")
        c = 0
        for n, line in enumerate(lines):
            a, b = self.starts[n], self.starts[n] + len(line)
            p = self.doc.add_paragraph()
            where = self.places[n] if self.places and n < len(self.places) else None
            if where is not None and where.page and page is not None and where.page != page:
                p.paragraph_format.page_break_before = True
            page = where.page if where is not None else None
            while c < len(cuts) and cuts[c] <= a:
                c += 1
            points = [a] + [x for x in cuts[c:] if x < b] + [b]
            for s, e in zip(points, points[1:]):
                if e > s:
                    r = p.add_run(parts.xml_safe(self.text[s:e]))._r
                    starts_at[s], ends_at[e] = r, r
        return {span: (starts_at.get(span[0]), ends_at.get(span[1])) for span in self.spans}


# --- the reviewed copy -----------------------------------------------------------------------------------

def reviewed(report: Report, titles: dict[str, str], reviewed: Iterable[str] = (), show_scores: bool = False):
    """The reviewed copy of one report, as a python-docx Document. `reviewed`: the ids of the rules a person
    reviewed (the rule's own message is said, never the reviewer's reason); `show_scores`: the score goes into
    the title's comment."""
    reviewed = set(reviewed)
    data = read_limited(report.path, MAX_FILE_MB * 2**20)
    if sniff(data, Path(report.path).suffix.lower()) == "docx":
        try:
            return _in_place(report, titles, _Original(data, report.path), reviewed, show_scores)
        except Unopenable:
            pass   # commented as a copy of its text instead
    source = read_source(Path(report.path))
    return _as_copy(report, titles, _Copy(source.text, source.places, parts.report_title(report)), reviewed,
                    show_scores)


def _in_place(report: Report, titles, original: _Original, reviewed, show_scores: bool):
    work = plan(report, titles, reviewed)
    on_title = []
    for note in work.notes:
        anchor = (original.locate(note.evidence) if note.evidence else
                  original.heading(note.heading) if note.heading else None)
        if anchor:
            _comment(original.doc, *anchor, note.lines)
        else:
            on_title.append(note)
    title = original.title()
    if title:
        _comment(original.doc, *title, _title_lines(report, None, show_scores))
        for note in on_title:
            _comment(original.doc, *title, note.lines)
    return original.doc


def _as_copy(report: Report, titles, copy: _Copy, reviewed, show_scores: bool):
    work = plan(report, titles, reviewed)
    located = [(note, copy.locate(note.evidence) if note.evidence else
                copy.heading(note.heading) if note.heading else None) for note in work.notes]
    title = copy.title()
    runs = copy.build()
    on_title = []
    for note, span in located:
        if span and None not in runs[span]:
            _comment(copy.doc, *runs[span], note.lines)
        else:
            on_title.append(note)   # no run to anchor on: the note goes on the title
    if title and None not in runs[title]:
        _comment(copy.doc, *runs[title], _title_lines(report, parts.shown(Path(name(report.path)).name),
                                                      show_scores))
        for note in on_title:
            _comment(copy.doc, *runs[title], note.lines)
    return copy.doc
