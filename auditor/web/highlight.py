"""The report page's original text as HTML: line by line (anchors L1, L2, …), every piece of evidence marked,
with an anchor ev-<rule>-<k> where it starts, so a rule's link scrolls to its quote."""
from __future__ import annotations

from typing import NamedTuple

from markupsafe import Markup, escape

from ..shown import text as shown_text


class _Span(NamedTuple):
    start: int
    end: int
    rule: str
    anchor: str


def _line_starts(lines: list[str]) -> list[int]:
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    return starts


def _span(text: str, at: int, quote: str, phrase: str) -> tuple[int, int]:
    """Where evidence without a span that holds its quote lies (stored before spans, a file changed since): its
    quote found near its place, else its phrase's length from the place."""
    found = text.find(quote, max(at - len(quote) - 2, 0)) if quote else -1
    if 0 <= found <= at + 2:
        return found, found + len(quote)
    return at, at + max(len(phrase), 2)


def _spans(text: str, lines: list[str], starts: list[int], report) -> list[_Span]:
    spans = []
    for f in report.findings:
        for k, e in enumerate(f.evidence):
            if not 1 <= e.line <= len(lines):
                continue
            at = starts[e.line - 1] + max(e.column - 1, 0)
            start, end = e.found_in(text) or _span(text, at, (e.quote or "").strip("…").strip(), e.phrase or "")
            spans.append(_Span(start, min(end, len(text)), f.rule.id, f"ev-{f.rule.id}-{k}"))
    return sorted(spans)


def _piece(text: str, a: int, b: int, here: list[_Span]) -> Markup:
    """text[a:b], marked with the rules and quotes covering it (every piece of a quote lights up)."""
    covering = sorted({sp.rule for sp in here if sp.start < b and sp.end > a})
    quotes = sorted({sp.anchor for sp in here if sp.start < b and sp.end > a})
    chunk = escape(shown_text(text[a:b], keep="\t"))
    if not covering:
        return chunk
    return Markup('<mark class="ev" data-rules="{}" data-quotes="{}">{}</mark>').format(
        " ".join(covering), " ".join(quotes), chunk)


def _line(text: str, n: int, ls: int, le: int, spans: list[_Span], placed: set[str]) -> Markup:
    """Line n (text[ls:le]) with its marks; an evidence's anchor goes where it starts, once."""
    here = [sp for sp in spans if sp.start < max(le, ls + 1) and sp.end > ls]
    edges = sorted({ls, le, *(max(sp.start, ls) for sp in here), *(min(sp.end, le) for sp in here)})
    pieces = [Markup('<div class="line" id="L{}"><span class="ln">{}</span><span class="tx">').format(n, n)]
    for a, b in zip(edges, edges[1:]) if len(edges) > 1 else [(ls, le)]:
        for sp in here:
            if sp.anchor not in placed and max(sp.start, ls) == a:
                placed.add(sp.anchor)
                pieces.append(Markup('<a class="anchor" id="{}"></a>').format(sp.anchor))
        pieces.append(_piece(text, a, b, here))
    pieces.append(Markup("</span></div>"))
    return Markup("").join(pieces)


def highlighted(text: str, report) -> Markup:
    """The original text with the report's evidence marked and anchored (see the module's docstring)."""
    lines = text.split("\n")
    starts = _line_starts(lines)
    spans = _spans(text, lines, starts, report)
    placed: set[str] = set()
    return Markup("\n").join(_line(text, n, starts[n - 1], starts[n - 1] + len(line), spans, placed)
                             for n, line in enumerate(lines, 1))
