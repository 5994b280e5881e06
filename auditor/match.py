"""Rule phrases vs the normalized report: exact variants first (Aho-Corasick), then rapidfuzz for near ones.

Element rules look at every sentence. Section rules look at heading titles, then at sentence openers
anywhere in a paragraph. Exclusions (near misses that must not count) veto any hit they overlap; phrases
with `near` words count only with one of those words close by. Every threshold and window comes from the rule.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass

import ahocorasick
from rapidfuzz import fuzz, process

from .model import Finding, Heading, Outline, Rule, Status
from .normalize import normalize_phrase

SCORERS = {"partial_ratio": fuzz.partial_ratio, "ratio": fuzz.ratio}
TOP_LEVELS = 4   # headings a section rule reads: not titles (0), not 一是 run-in items (5)
ROLE_PHRASE, ROLE_RELATED, ROLE_OPENER = "phrase", "related", "opener"


@dataclass(frozen=True)
class Hit:
    start: int            # normalized offsets
    end: int
    sentence: int         # index into Outline.sentences
    phrase: str
    how: str              # exact | fuzzy | heading | opener | related
    score: float


@dataclass(frozen=True)
class _Phrase:
    text: str
    near: tuple[str, ...] = ()
    window: int | None = None


@dataclass
class _Compiled:
    rule: Rule
    phrases: list[_Phrase]
    related: list[str]
    openers: list[str]
    exclude: list[str]

    @property
    def fuzzy(self) -> list[_Phrase]:
        return [p for p in self.phrases if len(p.text) >= self.rule.match.min_length]


def _compile(rule: Rule) -> _Compiled:
    phrases = []
    for p in rule.phrases:
        if isinstance(p, str):
            phrases.append(_Phrase(normalize_phrase(p)))
        else:
            phrases.append(_Phrase(normalize_phrase(p.text), tuple(normalize_phrase(w) for w in p.near), p.window))
    norm = lambda items: [t for t in (normalize_phrase(x) for x in items) if t]
    return _Compiled(rule, phrases, norm(rule.related), norm(rule.openers), norm(rule.exclude))


class Matcher:
    """All rules compiled once: one automaton over every phrase of every rule."""

    def __init__(self, rules: list[Rule]):
        self.compiled = [_compile(r) for r in rules]
        self.automaton = ahocorasick.Automaton()
        payloads: dict[str, list] = {}
        for ri, c in enumerate(self.compiled):
            for pi, p in enumerate(c.phrases):
                payloads.setdefault(p.text, []).append((ri, ROLE_PHRASE, pi))
            for text in c.related:
                payloads.setdefault(text, []).append((ri, ROLE_RELATED, text))
            for text in c.openers:
                payloads.setdefault(text, []).append((ri, ROLE_OPENER, text))
        for text, items in payloads.items():
            self.automaton.add_word(text, (text, items))
        self.automaton.make_automaton()

    def match(self, text: str, outline: Outline) -> list[tuple[Finding, list[Hit]]]:
        """One finding per rule, in rule order, each with the hits that decided it."""
        doc = _DocView(text, outline)
        hits: list[dict[str, list[Hit]]] = [{} for _ in self.compiled]
        for end, (word, items) in self.automaton.iter(text):
            start = end + 1 - len(word)
            si = doc.sentence_at(start)
            if si is None:
                continue
            for ri, role, key in items:
                hit = self._exact(doc, self.compiled[ri], role, key, start, end + 1, si)
                if hit:
                    hits[ri].setdefault(hit.how, []).append(hit)
        self._fuzzy(doc, hits)
        return [_judge(c, h) for c, h in zip(self.compiled, hits)]

    def _exact(self, doc: "_DocView", c: _Compiled, role: str, key, start: int, end: int, si: int) -> Hit | None:
        if _excluded(doc.text, start, end, c.exclude):
            return None
        if role == ROLE_RELATED:
            return Hit(start, end, si, key, "related", 100.0)
        if role == ROLE_OPENER:
            s = doc.outline.sentences[si]
            if c.rule.kind == "section" and start - s.start <= c.rule.match.opener_window:
                return Hit(start, end, si, key, "opener", 100.0)
            return None
        phrase = c.phrases[key]
        if c.rule.kind == "section":
            return Hit(start, end, si, phrase.text, "heading", 100.0) if doc.in_heading(start, end) else None
        if not _near_ok(doc, c, phrase, start, end, si):
            return None
        return Hit(start, end, si, phrase.text, "exact", 100.0)

    def _fuzzy(self, doc: "_DocView", hits: list[dict[str, list[Hit]]]) -> None:
        """Near variants: score every fuzzy phrase against every target, then check the aligned span."""
        for ri, c in enumerate(self.compiled):
            if c.rule.kind == "section":
                targets = [(h.start + len(h.marker), h.end) for h in doc.top_headings]
            else:
                targets = [(s.start, s.end) for s in doc.outline.sentences]
            phrases = c.fuzzy
            if not targets or not phrases:
                continue
            scorer = SCORERS[c.rule.match.scorer]
            choices = [doc.text[s:e] for s, e in targets]
            scores = process.cdist([p.text for p in phrases], choices, scorer=scorer,
                                   score_cutoff=c.rule.match.min_score, workers=-1)
            found = [h for group in hits[ri].values() for h in group if h.how != "related"]
            for pi, ti in zip(*scores.nonzero()):
                phrase, (ts, te) = phrases[pi], targets[ti]
                span = _aligned(phrase.text, choices[ti], c.rule.match.scorer)
                if span is None:
                    continue
                start, end = ts + span[0], ts + span[1]
                if any(h.start < end and start < h.end for h in found):
                    continue   # the exact pass already has this place
                si = doc.sentence_at(start)
                if si is None or _excluded(doc.text, start, end, c.exclude):
                    continue
                if c.rule.kind == "element" and not _near_ok(doc, c, phrase, start, end, si):
                    continue
                how = "heading" if c.rule.kind == "section" else "fuzzy"
                hit = Hit(start, end, si, phrase.text, how, round(float(scores[pi, ti]), 1))
                hits[ri].setdefault(how, []).append(hit)
                found.append(hit)


def _aligned(phrase: str, target: str, scorer: str) -> tuple[int, int] | None:
    """Where the phrase sits in the target, or None when the alignment is a fragment.

    partial_ratio aligns the shorter string inside the longer one, so a short target scores 100 inside a
    long phrase (其他 vs 其他需要报告的情况): require the whole phrase aligned to a span of about its length.
    """
    if scorer == "ratio":
        return 0, len(target)
    al = fuzz.partial_ratio_alignment(phrase, target)
    if al.src_start != 0 or al.src_end != len(phrase):
        return None
    if abs((al.dest_end - al.dest_start) - len(phrase)) > 1:
        return None
    return al.dest_start, al.dest_end


def _excluded(text: str, start: int, end: int, exclude: list[str]) -> bool:
    """True when an exclusion occurs overlapping [start, end) (法律顾问费 vetoes 法律顾问 there)."""
    for x in exclude:
        lo = max(0, start - len(x) + 1)
        i = text.find(x, lo, end + len(x) - 1)
        while i != -1 and i < end:
            if i + len(x) > start:
                return True
            i = text.find(x, i + 1, end + len(x) - 1)
    return False


def _near_ok(doc: "_DocView", c: _Compiled, phrase: _Phrase, start: int, end: int, si: int) -> bool:
    if not phrase.near:
        return True
    window = phrase.window or c.rule.match.context_window
    s = doc.outline.sentences[si]
    context = doc.text[max(s.start, start - window):min(s.end, end + window)]
    return any(w in context for w in phrase.near)


class _DocView:
    """Lookups over one report's normalized text and outline."""

    def __init__(self, text: str, outline: Outline):
        self.text = text
        self.outline = outline
        self._starts = [s.start for s in outline.sentences]
        self.top_headings: list[Heading] = [h for h in outline.headings if 1 <= h.level <= TOP_LEVELS]
        self._title_spans = sorted((h.start + len(h.marker), h.end) for h in self.top_headings)

    def sentence_at(self, pos: int) -> int | None:
        i = bisect.bisect_right(self._starts, pos) - 1
        if i < 0 or pos >= self.outline.sentences[i].end:
            return None
        return i

    def in_heading(self, start: int, end: int) -> bool:
        i = bisect.bisect_right(self._title_spans, (start, float("inf"))) - 1
        return i >= 0 and self._title_spans[i][0] <= start and end <= self._title_spans[i][1]


def _judge(c: _Compiled, hits: dict[str, list[Hit]]) -> tuple[Finding, list[Hit]]:
    """Status from hits: the rule's own phrases (or, for a section, a heading or opener) → met;
    only related wording → partial; nothing → missing."""
    rule = c.rule
    # strongest evidence first: a part's heading before an opener, exact before fuzzy, longer phrases first
    strength = {"heading": 0, "opener": 1, "exact": 2, "fuzzy": 2}
    decisive = sorted((h for how in strength for h in hits.get(how, [])),
                      key=lambda h: (strength[h.how], -h.score, -len(h.phrase), h.start))
    if decisive:
        return Finding(rule, Status.MET, max(h.score for h in decisive)), decisive
    related = sorted(hits.get("related", []), key=lambda h: h.start)
    if related:
        words = "、".join(dict.fromkeys(h.phrase for h in related))
        return Finding(rule, Status.PARTIAL, 0.0, why=f"只见相关表述（{words}），{rule.message}"), related
    return Finding(rule, Status.MISSING, 0.0, why=rule.message), []
