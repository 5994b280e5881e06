"""Which part of the report each sentence stands in: preamble, measures, leader-duty, shortcomings, next-year,
other, signature, contents (a table of contents).

The vocabulary is the section rules' own: a heading their phrases match gives its part to everything under it
(the innermost classified heading wins); an opener (虽然…仍存在一些差距, 今后，我们将…) switches the part for
the rest of its paragraph, and for the unheaded paragraphs after it when it opens its paragraph.

A top-level part whose heading names no part is placed by its meaning: by its text when that opens with a
section rule's opener (下一步，我们将…) or mostly reads as the rule's contexts say its part reads (problems:
有待加强, 不够; plans: 将进一步) — and, the heading named no part, by its place: the top-level parts before
the shortcomings and next year's are the year's work (一、工作情况, 一、坚持党的领导…), the measures part. A
report with no headings opens its measures with its second paragraph of text (the first is the opening,
which may end in 现将…报告如下). A part found so is a section hit like a heading's (how: heading; opener for
a paragraph), and its phrase is the words that showed it.

The signature is the short lines after the last body sentence, from the first that looks like one (a body's
name, a date); a short closing sentence that is neither (a text cut off mid-report) is still the report's.
"""
from __future__ import annotations

import bisect
import re

from .dates import DATE, YEAR, years_named
from .find import Hit
from .model import CONTENTS, DONE_PARTS, NOT_TEXT, PREAMBLE, SIGNATURE, Outline
from .rule_schema import Rule

BODY_SENTENCE = 30     # a sentence at least this long is body text; short lines after the last one may sign off
NEXT_YEAR = "next-year"
# the name of a body as it signs (…人民政府, …街道办事处, …司法局, 中共…委员会), perhaps with its seal noted,
# and the date, alone or after the name on the same line
_NAME = (r"[\u4e00-\u9fff()]{2,30}?(?:人民政府|办事处|委员会|政府|局|委|办公室|办|厅|署|司法所|街道|乡|镇|部|中心|党委|"
         r"党工委|党组)(?:\((?:盖章|印章|章)\))?")
SIGNING_NAME = _NAME   # a signing body's name, with a noted seal: for patterns built elsewhere (metadata)
BODY_NAME = re.compile(rf"^({_NAME})$")
SIGNED_DATE = re.compile(rf"^(?:({_NAME})\s*)?" + DATE.pattern + r"$")


def signing_name(line: str) -> str | None:
    """The body's name in a signature line, without a noted seal."""
    m = BODY_NAME.match(line) or SIGNED_DATE.match(line)
    return re.sub(r"\((?:盖章|印章|章)\)$", "", m.group(1)) if m and m.group(1) else None


def looks_like_signature(line: str) -> bool:
    """A signing body's name, a date, or both on one line."""
    return bool(BODY_NAME.match(line) or SIGNED_DATE.match(line.strip()))


FLAT_SENTENCES = 4         # sentences after the opening on its one line: a report's text that lost its line breaks
RESET_LEVELS = range(0, 5)   # a new heading at these levels ends an opener's reach


_MONTH = re.compile(YEAR + r"年(?:\d{1,2}|[一二三四五六七八九十]{1,3})月")


def years_about(title: str) -> list[int]:
    """The years a heading or a part's opening is about: not a month's date (2024年1月, the first news of a
    year's work, or a text run into a heading whose line break was lost)."""
    return years_named(_MONTH.sub("", title))


def years_decide(outline: Outline, rules: list[Rule], hits: dict, year: int | None) -> dict:
    """With the report year known, a heading about a later year (四、2024年工作重点) is next year's part, and one
    about this year only (2023年重点工作) is not, whatever words it uses: the hits (rule id → how → hits) with
    the next-year section rule's heading hits so corrected; the finder's own are left as they were."""
    rule = next((r for r in rules if r.part == NEXT_YEAR and r.id in hits), None)
    if not year or rule is None:
        return hits
    named = {i: years_about(h.title) for i, h in enumerate(outline.headings) if 1 <= h.level <= 4}
    found = hits[rule.id].get("heading", [])
    kept = [x for x in found if not (named.get(x.heading) and max(named[x.heading]) <= year)]
    have = {x.heading for x in kept}
    starts = [s.start for s in outline.sentences]
    for i, ys in named.items():
        h = outline.headings[i]
        si = bisect.bisect_right(starts, h.start) - 1
        if ys and ys[0] > year and i not in have and si >= 0:
            kept.append(Hit(h.start + len(h.marker), h.end, si, h.title, "heading", 100.0, heading=i))
    return {**hits, rule.id: {**hits[rule.id], "heading": kept}}


def from_hits(text: str, outline: Outline, rules: list[Rule], hits: dict,
              year: int | None = None) -> tuple[list[str], dict[int, str], dict]:
    """Parts per sentence and per classified heading, from the section rules' heading and opener hits
    (`hits`: rule id → how → hits, as find.Finder gives them), then top-level parts placed by their meaning;
    and the hits with those placed parts' added, so the section rules' verdicts follow (the finder's own
    are left as they were)."""
    heading_hits, opener_hits = _collected(rules, hits)
    first = classify(text, outline, heading_hits, opener_hits)
    by_part = {r.part: r for r in rules if r.part and r.id in hits}
    placed = _by_meaning(text, outline, by_part, hits, first, year)
    if not placed:
        return (*first, hits)
    hits = {**hits, **{rule.id: {how: list(found) for how, found in hits[rule.id].items()} for rule in by_part.values()}}
    # every part placed so counts for its sentences; the first of a part no heading or opener found is its
    # rule's evidence (a heading that names the part is better evidence than one placed by its place)
    shown = {part for part, rule in by_part.items() if hits[rule.id].get("heading") or hits[rule.id].get("opener")}
    for part, hit in placed:
        if hit.how == "heading":
            heading_hits.append((part, hit.heading, hit.start))
        else:
            opener_hits.append((part, hit.sentence, hit.start))
        if part not in shown:
            hits[by_part[part].id].setdefault(hit.how, []).append(hit)
            shown.add(part)
    return (*classify(text, outline, heading_hits, opener_hits), hits)


def _collected(rules: list[Rule], hits: dict) -> tuple[list, list]:
    heading_hits, opener_hits = [], []
    for rule in rules:
        if rule.part and rule.id in hits:
            h = hits[rule.id]
            heading_hits += [(rule.part, x.heading, x.start) for x in h.get("heading", [])]
            opener_hits += [(rule.part, x.sentence, x.start) for x in h.get("opener", [])]
    return heading_hits, opener_hits


# what a part's text reads as, in the shared context vocabulary's terms (model.Context.means)
READS_AS = {"shortcomings": "shortcoming", NEXT_YEAR: "planned"}
MOSTLY = 0.6          # this share of a part's sentences reading as a part's contexts say makes it that part
MOST_FROM = 3         # … of at least this many sentences
FIRST_CLAUSE = 12     # a later year this close to the start of a part's text dates the part (2024年，我镇将…)


def _by_meaning(text: str, outline: Outline, by_part: dict[str, Rule], hits: dict, first,
                year: int | None) -> list[tuple[str, object]]:
    """Top-level parts whose headings name no part, placed by their text and their place; a report without
    headings, its measures by its second paragraph: (part, the section hit that shows it) for each."""
    sentence_parts, heading_part = first
    text_end = next((s.start for s, p in zip(outline.sentences, sentence_parts) if p == SIGNATURE), len(text))
    body = _body_headings(outline, text_end)
    if not body:
        return _measures_without_headings(text, outline, by_part, sentence_parts)
    tops = _top_parts(outline, body, sentence_parts, text_end)
    under = _sentences_under(outline, tops, sentence_parts)
    openers = _part_openers(by_part, hits)
    starts = [s.start for s in outline.sentences]
    placed: list[tuple[str, object]] = []
    later_done = False    # past the first shortcomings, next-year or other part: no more year's work
    for i in tops:
        h = outline.headings[i]
        part = heading_part.get(i)
        if part is None:
            part, phrase = _unnamed_part(text, outline, under[i], by_part, openers, year, later_done, h.title)
            if part in by_part:
                si = bisect.bisect_right(starts, h.start) - 1
                placed.append((part, _section_hit(h.start + len(h.marker), h.end, si, phrase, "heading", heading=i)))
        if part in ("shortcomings", NEXT_YEAR, "other"):
            later_done = True
    return placed


def _part_openers(by_part: dict[str, Rule], hits: dict) -> dict:
    """The sentences with an opener of a part that text reads as (shortcomings, next year): sentence →
    (part, hit)."""
    return {x.sentence: (part, x) for part in READS_AS
            for x in hits.get(getattr(by_part.get(part), "id", ""), {}).get("opener", [])}


def _section_hit(start: int, end: int, si: int, phrase: str, how: str, heading: int | None = None):
    """A section hit for a part placed by its meaning, like one a heading or an opener gives."""
    from .find import Hit
    return Hit(start, end, si, phrase, how, 100.0, heading=heading)


def _body_headings(outline: Outline, text_end: int) -> list[int]:
    """The headings (levels 1 to 4) of the report's text: before its signature, outside its contents."""
    return [i for i, h in enumerate(outline.headings) if 1 <= h.level <= 4 and h.start < text_end
            and not any(a <= h.start < b for a, b in outline.contents)]


def _measures_without_headings(text: str, outline: Outline, by_part: dict[str, Rule],
                               sentence_parts: list[str]) -> list[tuple[str, object]]:
    """A report with no headings: its measures open with its second paragraph."""
    si = _second_paragraph(text, outline, sentence_parts)
    if si is None or "measures" not in by_part:
        return []
    s = outline.sentences[si]
    end = min(s.end, s.start + FIRST_CLAUSE)
    return [("measures", _section_hit(s.start, end, si, text[s.start:end], "opener"))]


def _top_parts(outline: Outline, body: list[int], sentence_parts: list[str], text_end: int) -> list[int]:
    """The headings of the report's top-level parts: the numbered headings of the top level when there are
    any (not a site's header, a document number or the title read as unnumbered lines); else the unnumbered
    ones after the opening sentence."""
    headings, sentences = outline.headings, outline.sentences
    top = min(headings[i].level for i in body)
    tops = [i for i in body if headings[i].level == top]
    if any(headings[i].marker for i in tops):
        return [i for i in tops if headings[i].marker]
    opening = next((s.start for si, s in enumerate(sentences) if s.end - s.start >= BODY_SENTENCE
                    and sentence_parts[si] not in NOT_TEXT and not any(
                        headings[i].start == s.start for i in s.path)), text_end)
    return [i for i in tops if headings[i].start > opening]


def _sentences_under(outline: Outline, tops: list[int], sentence_parts: list[str]) -> dict[int, list[int]]:
    """Each top part's sentences of text, its own heading's aside."""
    top_starts = {outline.headings[i].start for i in tops}
    under: dict[int, list[int]] = {i: [] for i in tops}
    for si, s in enumerate(outline.sentences):
        if s.start in top_starts or sentence_parts[si] in NOT_TEXT:
            continue
        owner = next((i for i in s.path if i in under), None)
        if owner is not None:
            under[owner].append(si)
    return under


def _unnamed_part(text: str, outline: Outline, own: list[int], by_part: dict[str, Rule], openers: dict,
                  year: int | None, later_done: bool, title: str) -> tuple[str | None, str]:
    """The part of a top-level part whose heading names none, and the words that show it: what its text
    reads as; else, before any later part, the year's work (measures) when it has text; else none."""
    found = _read(text, outline, own, by_part, openers, year)
    if found:
        return found
    if not later_done and own:
        return "measures", title[:FIRST_CLAUSE * 2]
    return None, ""


def _read(text: str, outline: Outline, own: list[int], by_part: dict[str, Rule], openers: dict,
          year: int | None) -> tuple[str, str] | None:
    """The part a top-level part's text shows, and the words that show it: an opener at the start of its
    text (下一步，我们将…), a later year opening it in future wording (2024年，我镇将…), or most of its
    sentences reading as shortcomings or plans."""
    if not own:
        return None
    first = own[0]
    if first in openers:
        part, hit = openers[first]
        return part, hit.phrase
    sentences = outline.sentences
    cues = {part: [c for _, c in rule.contexts() if c.means == READS_AS[part]]
            for part, rule in by_part.items() if part in READS_AS}
    s = sentences[first]
    opening = text[s.start:s.end]
    if year and NEXT_YEAR in cues and any(y > year for y in years_about(opening[:FIRST_CLAUSE])):
        word = _reads(opening, cues[NEXT_YEAR], year)
        if word:
            return NEXT_YEAR, word
    if len(own) < MOST_FROM:
        return None
    for part, contexts in cues.items():
        words = [w for si in own if (w := _reads(text[sentences[si].start:sentences[si].end], contexts, year))]
        if len(words) >= MOSTLY * len(own):
            return part, words[0]
    return None


def _reads(sentence: str, contexts: list, year: int | None) -> str | None:
    """The first word by which a sentence reads as one of the contexts (each of its word groups present
    anywhere in the sentence, none of its `unless` words), or None."""
    for c in contexts:
        if any(w in sentence for w in c.unless):
            continue
        if c.later_year and not (year and any(y > year for y in years_named(sentence))):
            continue
        found = []
        for group in (*c.before, *c.after, *c.around):
            word = next((w for w in group if w in sentence), None)
            if word is None:
                break
            found.append(word)
        else:
            if found:
                return found[0]
    return None


def _second_paragraph(text: str, outline: Outline, sentence_parts: list[str]) -> int | None:
    """In a report with no headings, where its text after the opening begins: the first sentence after the
    opening sentence's paragraph, or after a sentence of it that ends in a colon (…报告如下:, which also
    opens the text when the line breaks were lost), or, all of it on one line, the sentence after the opening
    one; if nothing placed it in another part."""
    breaks = [i for i, ch in enumerate(text) if ch == "\n"]
    line_of = lambda pos: bisect.bisect_right(breaks, pos)   # noqa: E731
    sentences = outline.sentences
    opening = next((si for si, s in enumerate(sentences)
                    if s.end - s.start >= BODY_SENTENCE and sentence_parts[si] not in NOT_TEXT), None)
    if opening is None:
        return None
    line = line_of(sentences[opening].start)
    for si in range(opening + 1, len(sentences)):
        s, before = sentences[si], sentences[si - 1]
        if sentence_parts[si] in NOT_TEXT:
            return None
        if line_of(s.start) != line or text[before.end - 1] == ":":
            return si if sentence_parts[si] == PREAMBLE else None
    # one line to the end (the line breaks were lost): the text after the opening sentence, if there is text
    rest = len(sentences) - opening - 1
    return opening + 1 if rest >= FLAT_SENTENCES and sentence_parts[opening + 1] == PREAMBLE else None


def classify(text: str, outline: Outline, heading_hits: list[tuple[str, int, int]],
             opener_hits: list[tuple[str, int, int]]) -> tuple[list[str], dict[int, str]]:
    """Parts per sentence, and per classified heading.

    heading_hits: (part, heading index, offset) for section-rule phrases found in heading titles;
    opener_hits: (part, sentence index, offset) for section-rule openers.
    """
    heading_part = _heading_parts(heading_hits)
    toc_sentences = _in_spans(outline, outline.contents)
    openers = _openers_in_force(text, outline, _opener_parts(opener_hits), toc_sentences)
    signed = _signature_start(text, outline)
    parts: list[str] = []
    seen_heading = False
    for si, s in enumerate(outline.sentences):
        seen_heading = seen_heading or any(1 <= outline.headings[i].level <= 4 for i in s.path)
        inherited = next((heading_part[i] for i in reversed(s.path) if i in heading_part), None)
        if si in toc_sentences:
            parts.append(CONTENTS)
        elif si >= signed:
            parts.append(SIGNATURE)
        else:
            parts.append(_text_part(openers[si], inherited, seen_heading))
    return parts, heading_part


def _heading_parts(heading_hits: list[tuple[str, int, int]]) -> dict[int, str]:
    """The part each classified heading names; a combined title (主要做法和存在问题): the later part wins."""
    heading_part: dict[int, str] = {}
    best: dict[int, int] = {}
    for part, hi, pos in heading_hits:
        if pos >= best.get(hi, -1):
            best[hi] = pos
            heading_part[hi] = part
    return heading_part


def _opener_parts(opener_hits: list[tuple[str, int, int]]) -> dict[int, str]:
    """The part each sentence with an opener switches to: the last opener in it wins."""
    opener_at: dict[int, tuple[int, str]] = {}
    for part, si, pos in opener_hits:
        if si not in opener_at or pos > opener_at[si][0]:
            opener_at[si] = (pos, part)
    return {si: part for si, (_, part) in opener_at.items()}


def _openers_in_force(text: str, outline: Outline, opener_at: dict[int, str], toc_sentences: set[int]) -> list:
    """Per sentence, the part an opener switched to that still holds there, or None. An opener holds to the end
    of its paragraph, and past it when it opens its paragraph, until a heading (or a table of contents)."""
    heading_starts = {h.start for h in outline.headings if h.level in RESET_LEVELS}
    in_force: list[str | None] = []
    opener: str | None = None
    carries = False          # does the opener reach past its own paragraph?
    line, prev_line, pos = 0, -1, 0
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
            opener, carries = opener_at[si], new_paragraph
        prev_line = line
        in_force.append(opener)
    return in_force


def _signature_start(text: str, outline: Outline) -> int:
    """The first sentence of the signature: the first after the last body sentence that looks like one
    (the number of sentences when there is none)."""
    sentences = outline.sentences
    last_body = max((i for i, s in enumerate(sentences) if s.end - s.start >= BODY_SENTENCE), default=-1)
    if last_body < 0:
        return len(sentences)
    return next((i for i in range(last_body + 1, len(sentences))
                 if looks_like_signature(text[sentences[i].start:sentences[i].end])), len(sentences))


def _text_part(opener: str | None, inherited: str | None, seen_heading: bool) -> str:
    """The part of a sentence of text: the opener in force, else the innermost classified heading's, else
    measures once the headings have begun (the preamble before)."""
    if opener and (opener not in DONE_PARTS or inherited in (None, "measures")):
        # an opener of a done part (…切实履行第一责任人职责) does not overrule a shortcomings or
        # next-year heading; 仍存在一些差距 / 今后，我们将 do switch the part
        return opener
    return inherited or ("measures" if seen_heading else PREAMBLE)


def _in_spans(outline: Outline, spans: list[tuple[int, int]]) -> set[int]:
    """Indices of the sentences that start inside one of the spans."""
    starts = [a for a, _ in spans]
    inside = set()
    for si, s in enumerate(outline.sentences):
        k = bisect.bisect_right(starts, s.start) - 1
        if k >= 0 and s.start < spans[k][1]:
            inside.add(si)
    return inside
