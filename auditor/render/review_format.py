"""--format review: a reviewed copy of each report (<stem>.审核批注.docx) with Word comments, for the drafting
office to work through in Word or WPS.

A .docx report is copied with its text unchanged: each piece of evidence gets a comment anchored on exactly
the quoted words (runs are split at the quote's ends, their formatting copied, no character added or lost);
gaps (partly met, planned only, listed as a shortcoming) say what is wrong, the fix and the legal basis, met
items only their name. One comment on the title gives the result and lists what is missing (and any gap whose
words could not be found again). A .txt, .pdf or .html report becomes a .docx of the text the auditor read, one
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

from docx import Document
from docx.oxml.ns import qn
from docx.text.run import Run

from ..errors import AuditorError
from ..formats import docx as docx_reader
from ..i18n import _
from ..labels import gaps_first
from ..model import Evidence, Finding, Report
from ..rule_schema import Rule
from ..read import MAX_FILE_MB, read_limited, read_source, sniff
from ..shown import name
from ..status import Status
from . import docx_parts as parts
from .letter_format import result, score

_W = {tag: qn(f"w:{tag}") for tag in ("p", "r", "t", "tbl", "tr", "tc", "hyperlink", "rPr", "br", "tab", "ptab",
                                     "cr", "noBreakHyphen", "tcPr", "gridSpan", "vMerge")}
_FIXED = {_W["tab"]: "\t", _W["ptab"]: "\t", _W["cr"]: "\n", _W["noBreakHyphen"]: "-"}
INITIALS = "审核"
FUZZY_END = 12   # a quote not found whole (page furniture cut from it) is found by its first and last characters


def write(reports: list[Report], rules: list[Rule], directory: Path, **options) -> list[Path]:
    """One reviewed copy per audited report in `directory`; the paths written, in report order. A report whose
    file cannot be read again (moved, changed into something unreadable) gets none."""
    directory = Path(directory)
    where = parts.targets(reports, directory, parts.REVIEW, parts.wanted)
    titles = parts.part_titles(rules)
    written = []
    for i, report in enumerate(reports):
        if i not in where:
            continue
        try:
            doc = reviewed(report, titles)
        except AuditorError:
            continue
        written.append(parts.save(doc, where[i]))
    return written


# --- what the comments say ------------------------------------------------------------------------------

@dataclass
class Note:
    """One comment to anchor on one piece of evidence."""
    finding: Finding
    evidence: Evidence
    lines: list[str]


@dataclass
class Plan:
    notes: list[Note] = field(default_factory=list)
    unplaced: list[Finding] = field(default_factory=list)   # gaps with no evidence, or evidence not found again


def plan(report: Report) -> Plan:
    """The comments of a report: every piece of evidence of every finding, gaps in full at their first piece."""
    out = Plan()
    for f in gaps_first(report.findings):
        if f.status.is_gap and not f.evidence:
            out.unplaced.append(f)
        for n, e in enumerate(f.evidence):
            out.notes.append(Note(f, e, _gap_lines(f) if f.status.is_gap and n == 0 else [_label(f)]))
    return out


def _label(f: Finding) -> str:
    return _("[{status}] {title}").format(status=f.status.label, title=parts.shown(f.rule.title))


def _gap_lines(f: Finding) -> list[str]:
    return [_("[{status}] {title}: {why}").format(status=f.status.label, title=parts.shown(f.rule.title),
                                                  why=parts.shown(f.why or f.rule.message)),
            _("How to fix: {fix}").format(fix=parts.shown(f.rule.fix)),
            _("Legal basis: {basis}").format(basis="；".join(parts.shown(b) for b in f.rule.legal_basis))]


def _title_lines(report: Report, unplaced: list[Finding], titles: dict[str, str], copy_of: str | None,
                 anchored_gaps: bool) -> list[str]:
    lines = [_("Result: {result}.").format(result=result(report))]
    if score(report):
        lines.append(score(report))
    if report.wrong_type:
        lines.append(_("The file is not an annual report on building a rule-of-law government: it reads as {kind}.")
                     .format(kind=parts.shown(report.wrong_type)))
    elif unplaced:
        lines.append(_("Missing ({n}):").format(n=len(unplaced)))
        for n, f in enumerate(unplaced, 1):
            status = "" if f.status is Status.MISSING else "（{}）".format(f.status.label)
            lines.append(_("{n}. {title}{status}, to be written in {part}: {fix}").format(
                n=n, title=parts.shown(f.rule.title), status=status, part=parts.belongs(f.rule, titles),
                fix=parts.shown(f.rule.fix)))
    else:
        lines.append(_("Nothing is missing."))
    if anchored_gaps:
        lines.append(_("The other gaps are commented where the report speaks of them."))
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

    def title(self):
        for p in self.doc.element.body.iter(_W["p"]):
            runs = [(r, s, e) for r, s, e in _runs(p) if e > s]
            text = "".join(_piece_text(x) for r, _s, _e in runs for x in r)
            if text.strip():
                lead = len(text) - len(text.lstrip())
                return _cover(p, lead, len(text.rstrip()))
        return None


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

def reviewed(report: Report, titles: dict[str, str]):
    """The reviewed copy of one report, as a python-docx Document."""
    data = read_limited(report.path, MAX_FILE_MB * 2**20)
    if sniff(data, Path(report.path).suffix.lower()) == "docx":
        try:
            return _in_place(report, titles, _Original(data, report.path))
        except Unopenable:
            pass   # commented as a copy of its text instead
    source = read_source(Path(report.path))
    return _as_copy(report, titles, _Copy(source.text, source.places, parts.report_title(report)))


def _in_place(report: Report, titles, original: _Original):
    work = plan(report)
    placed_gaps = False
    for note in work.notes:
        anchor = original.locate(note.evidence)
        if anchor:
            _comment(original.doc, *anchor, note.lines)
            placed_gaps |= note.finding.status.is_gap
        elif note.finding.status.is_gap and note.finding not in work.unplaced:
            work.unplaced.append(note.finding)
    title = original.title()
    if title:
        _comment(original.doc, *title, _title_lines(report, work.unplaced, titles, None, placed_gaps))
    return original.doc


def _as_copy(report: Report, titles, copy: _Copy):
    work = plan(report)
    located = [(note, copy.locate(note.evidence)) for note in work.notes]
    for note, span in located:
        if not span and note.finding.status.is_gap and note.finding not in work.unplaced:
            work.unplaced.append(note.finding)
    title = copy.title()
    runs = copy.build()
    placed_gaps = False
    for note, span in located:
        if span and None not in runs[span]:
            _comment(copy.doc, *runs[span], note.lines)
            placed_gaps |= note.finding.status.is_gap
        elif span and note.finding.status.is_gap and note.finding not in work.unplaced:
            work.unplaced.append(note.finding)   # no run to anchor on: the title's comment names the gap
    if title and None not in runs[title]:
        _comment(copy.doc, *runs[title], _title_lines(report, work.unplaced, titles,
                                                      parts.shown(Path(name(report.path)).name), placed_gaps))
    return copy.doc
