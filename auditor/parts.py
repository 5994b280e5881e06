"""Which part of the report each sentence stands in: preamble, measures, leader-duty, shortcomings, next-year,
other, signature, contents (a table of contents).

The vocabulary is the section rules' own: a heading their phrases match gives its part to everything under it
(the innermost classified heading wins); an opener (虽然…仍存在一些差距, 今后，我们将…) switches the part for
the rest of its paragraph, and for the unheaded paragraphs after it when it opens its paragraph.

The signature is the short lines after the last body sentence, from the first that looks like one (a body's
name, a date); a short closing sentence that is neither (a text cut off mid-report) is still the report's.
"""
from __future__ import annotations

import bisect
import re

from .dates import DATE, years_named
from .model import CONTENTS, DONE_PARTS, PREAMBLE, SIGNATURE, Outline, Rule

BODY_SENTENCE = 30     # a sentence at least this long is body text; short lines after the last one may sign off
NEXT_YEAR = "next-year"
# the name of a body as it signs (…人民政府, …街道办事处, …司法局, 中共…委员会), perhaps with its seal noted,
# and the date, alone or after the name on the same line
_NAME = (r"[\u4e00-\u9fff()]{2,30}?(?:人民政府|办事处|委员会|政府|局|委|办公室|办|厅|署|司法所|街道|乡|镇|部|中心|党委|"
         r"党工委|党组)(?:\((?:盖章|印章|章)\))?")
BODY_NAME = re.compile(rf"^({_NAME})$")
SIGNED_DATE = re.compile(rf"^(?:({_NAME})\s*)?" + DATE.pattern + r"$")


def signing_name(line: str) -> str | None:
    """The body's name in a signature line, without a noted seal."""
    m = BODY_NAME.match(line) or SIGNED_DATE.match(line)
    return re.sub(r"\((?:盖章|印章|章)\)$", "", m.group(1)) if m and m.group(1) else None


def looks_like_signature(line: str) -> bool:
    """A signing body's name, a date, or both on one line."""
    return bool(BODY_NAME.match(line) or SIGNED_DATE.match(line.strip()))
RESET_LEVELS = range(0, 5)   # a new heading at these levels ends an opener's reach


def years_decide(outline: Outline, rules: list[Rule], hits: dict, year: int | None) -> None:
    """With the report year known, a heading about a later year (四、2024年工作重点) is next year's part, and one
    about this year only (2023年重点工作) is not, whatever words it uses: the next-year section rule's heading
    hits are corrected in place (`hits`: rule id → how → hits)."""
    rule = next((r for r in rules if r.part == NEXT_YEAR and r.id in hits), None)
    if not year or rule is None:
        return
    from .find import Hit
    named = {i: years_named(h.title) for i, h in enumerate(outline.headings) if 1 <= h.level <= 4}
    found = hits[rule.id].get("heading", [])
    kept = [x for x in found if not (named.get(x.heading) and max(named[x.heading]) <= year)]
    have = {x.heading for x in kept}
    starts = [s.start for s in outline.sentences]
    for i, ys in named.items():
        h = outline.headings[i]
        si = bisect.bisect_right(starts, h.start) - 1
        if ys and ys[0] > year and i not in have and si >= 0:
            kept.append(Hit(h.start + len(h.marker), h.end, si, h.title, "heading", 100.0, heading=i))
    hits[rule.id]["heading"] = kept


def from_hits(text: str, outline: Outline, rules: list[Rule], hits: dict) -> tuple[list[str], dict[int, str]]:
    """Parts per sentence and per classified heading, from the section rules' heading and opener hits
    (`hits`: rule id → how → hits, as find.Finder gives them)."""
    heading_hits, opener_hits = [], []
    for rule in rules:
        if rule.part and rule.id in hits:
            h = hits[rule.id]
            heading_hits += [(rule.part, x.heading, x.start) for x in h.get("heading", [])]
            opener_hits += [(rule.part, x.sentence, x.start) for x in h.get("opener", [])]
    return classify(text, outline, heading_hits, opener_hits)


def classify(text: str, outline: Outline, heading_hits: list[tuple[str, int, int]],
             opener_hits: list[tuple[str, int, int]]) -> tuple[list[str], dict[int, str]]:
    """Parts per sentence, and per classified heading.

    heading_hits: (part, heading index, offset) for section-rule phrases found in heading titles;
    opener_hits: (part, sentence index, offset) for section-rule openers.
    """
    heading_part: dict[int, str] = {}
    best: dict[int, int] = {}
    for part, hi, pos in heading_hits:
        if pos >= best.get(hi, -1):       # a combined title (主要做法和存在问题): the later part wins
            best[hi] = pos
            heading_part[hi] = part
    opener_at: dict[int, tuple[int, str]] = {}
    for part, si, pos in opener_hits:
        if si not in opener_at or pos > opener_at[si][0]:
            opener_at[si] = (pos, part)

    heading_starts = {h.start for h in outline.headings if h.level in RESET_LEVELS}
    last_body = max((i for i, s in enumerate(outline.sentences) if s.end - s.start >= BODY_SENTENCE), default=-1)
    signed = next((i for i in range(last_body + 1, len(outline.sentences))
                   if looks_like_signature(text[outline.sentences[i].start:outline.sentences[i].end])),
                  len(outline.sentences)) if last_body >= 0 else len(outline.sentences)
    toc_sentences = _in_spans(outline, outline.contents)
    parts: list[str] = []
    opener: str | None = None
    carries = False          # does the opener reach past its own paragraph?
    line, prev_line, pos = 0, -1, 0
    seen_heading = False
    for si, s in enumerate(outline.sentences):
        line += text.count("\n", pos, s.start)
        pos = s.start
        new_paragraph = line != prev_line
        if s.start in heading_starts:
            opener, carries = None, False
        elif new_paragraph and not carries:
            opener = None
        if si in toc_sentences:   # a table of contents lists parts; it opens none
            opener, carries = None, False
        elif si in opener_at:
            opener, carries = opener_at[si][1], new_paragraph
        prev_line = line
        if any(1 <= outline.headings[i].level <= 4 for i in s.path):
            seen_heading = True
        inherited = next((heading_part[i] for i in reversed(s.path) if i in heading_part), None)
        if si in toc_sentences:
            parts.append(CONTENTS)
        elif si >= signed:
            parts.append(SIGNATURE)
        elif opener and (opener not in DONE_PARTS or inherited in (None, "measures")):
            # an opener of a done part (…切实履行第一责任人职责) does not overrule a shortcomings or
            # next-year heading; 仍存在一些差距 / 今后，我们将 do switch the part
            parts.append(opener)
        else:
            parts.append(inherited or ("measures" if seen_heading else PREAMBLE))
    return parts, heading_part


def _in_spans(outline: Outline, spans: list[tuple[int, int]]) -> set[int]:
    """Indices of the sentences that start inside one of the spans."""
    starts = [a for a, _ in spans]
    inside = set()
    for si, s in enumerate(outline.sentences):
        k = bisect.bisect_right(starts, s.start) - 1
        if k >= 0 and s.start < spans[k][1]:
            inside.add(si)
    return inside
