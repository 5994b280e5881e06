"""Rule phrases vs the normalized report: exact variants first (Aho-Corasick), then rapidfuzz for near ones.

Element rules look at every sentence. Section rules look at heading titles, then at sentence openers
anywhere in a paragraph. Exclusions (near misses that must not count) veto any hit they overlap; phrases
with `near` words count only with one of those words close by. Token-level phrases (述法) count only where
the segmenter finds them as whole words: the sentence around such a candidate is segmented, nothing else.
Every threshold and window comes from the rule.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, replace

import ahocorasick
from rapidfuzz import fuzz, process

from .model import GROUPS, SIGNATURE, Finding, Outline, PhraseSpec, Profile, Rule, Status, years_text
from .normalize import normalize_phrase
from .ocr import fold
from .parts import classify
from .prefilter import SentenceFilter
from .ruleset import override
from .segment import Segmenter, get_segmenter

SCORERS = {"partial_ratio": fuzz.partial_ratio, "ratio": fuzz.ratio}
TOP_LEVELS = 4   # headings a section rule reads: not titles (0), not 一是 run-in items (5)
ROLE_PHRASE, ROLE_RELATED, ROLE_OPENER = "phrase", "related", "opener"
TOKEN_MAX = 2          # phrases this short are token-level unless the rule says otherwise
DICTIONARY_MIN = 4     # rule terms this long (and not token-level) go into the segmenter's user dictionary


@dataclass(frozen=True)
class Hit:
    start: int            # normalized offsets
    end: int
    sentence: int         # index into Outline.sentences
    phrase: str
    how: str              # exact | ocr | fuzzy | heading | opener | related | near-miss
    score: float
    part: str = ""        # set when judged: the part of the report the sentence stands in
    context: str = ""     # done | planned | shortcoming


@dataclass(frozen=True)
class _Phrase:
    text: str
    near: tuple[str, ...] = ()
    window: int | None = None
    years: tuple = (None, None)
    token: bool = False
    component: int | None = None   # index into rule.all_of; None: the phrase meets the rule by itself

    def fits(self, year: int | None) -> bool:
        lo, hi = self.years
        return year is None or ((lo is None or year >= lo) and (hi is None or year <= hi))


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
    owned = [(p, None) for p in rule.phrases] + [(p, k) for k, c in enumerate(rule.all_of) for p in c.phrases]
    for p, component in owned:
        spec = PhraseSpec(text=p) if isinstance(p, str) else p
        text = normalize_phrase(spec.text)
        token = spec.token if spec.token is not None else len(text) <= TOKEN_MAX
        near = tuple(fold(normalize_phrase(w)) for w in spec.near)   # looked for in OCR-folded text
        phrases.append(_Phrase(text, near, spec.window, spec.years, token, component))
    norm = lambda items: [t for t in (normalize_phrase(x) for x in items) if t]
    # exclusions too veto in OCR-folded text: 党内规范姓文件 is still 党内规范性文件
    return _Compiled(rule, phrases, norm(rule.related), norm(rule.openers), [fold(x) for x in norm(rule.exclude)])


class Matcher:
    """All rules compiled once: one automaton over every phrase of every rule."""

    def __init__(self, rules: list[Rule], segmenter: Segmenter | None = None, profile: Profile | None = None,
                 profiles: dict[str, Profile] | None = None):
        """`profile`: applied to every report; else `profiles`: each report gets the one for its level."""
        self.rules, self.profiles, self.profile = rules, profiles or {}, profile
        self.segmenter = segmenter or get_segmenter()
        self.excluded: dict[str, str] = {}   # rule id → why the profile leaves it out
        if profile:
            self.excluded = {r.id: f"“{profile.title}”画像（{profile.id}）不检查{GROUPS[r.group]}"
                             for r in rules if r.group not in profile.groups}
            rules = [override(r, profile.overrides[r.id]) if r.id in profile.overrides else r for r in rules]
        self._by_profile: dict[str, Matcher] = {}
        self.compiled = [_compile(r) for r in rules if r.kind != "metadata"]
        self.metadata_rules = [r for r in rules if r.kind == "metadata"]   # judged by checks.py
        self.sentence_filter = SentenceFilter([(ri, [p.text for p in c.fuzzy], _floor(c.rule))
                                               for ri, c in enumerate(self.compiled)
                                               if c.rule.kind == "element" and c.fuzzy])
        self.dictionary = frozenset(_dictionary_words(self.compiled))
        self.automaton = ahocorasick.Automaton()
        payloads: dict[str, list] = {}
        for ri, c in enumerate(self.compiled):
            for pi, p in enumerate(c.phrases):
                payloads.setdefault(p.text, []).append((ri, ROLE_PHRASE, pi))
            for text in c.related:
                payloads.setdefault(text, []).append((ri, ROLE_RELATED, text))
            for text in c.openers:
                payloads.setdefault(text, []).append((ri, ROLE_OPENER, text))
        folded: dict[str, list] = {}
        for text, items in payloads.items():
            folded.setdefault(fold(text), []).extend((text, *item) for item in items)
        for key, items in folded.items():
            self.automaton.add_word(key, (key, items))
        self.automaton.make_automaton()

    def for_level(self, level: str | None) -> "Matcher":
        """The matcher for a report of this level: this one, or the one with the profile for that level."""
        if self.profile or not self.profiles or not level:
            return self
        base = level.split(":")[0]
        chosen = next((p for p in self.profiles.values() if base in p.levels), None)
        return self.with_profile(chosen.id) if chosen else self

    def with_profile(self, profile_id: str | None) -> "Matcher":
        """The matcher that applies a named profile (None: this one)."""
        if profile_id is None or (self.profile and self.profile.id == profile_id):
            return self
        if profile_id not in self._by_profile:
            self._by_profile[profile_id] = Matcher(self.rules, self.segmenter, self.profiles[profile_id])
        return self._by_profile[profile_id]

    def rules_by_id(self) -> dict[str, Rule]:
        """Every rule as this matcher applies it (profile overrides included)."""
        return {r.id: r for r in [c.rule for c in self.compiled] + self.metadata_rules}

    def outside(self, rule: Rule, year: int | None, level: str | None) -> str | None:
        """Why a rule does not bind this report: the profile leaves its group out, or its own applicability."""
        return self.excluded.get(rule.id) or rule.outside(year, level)

    def match(self, text: str, outline: Outline, year: int | None = None,
              level: str | None = None) -> tuple[list[tuple[Finding, list[Hit]]], dict[int, str], int]:
        """One finding per rule, in rule order, each with the hits that decided it; the part of each
        classified heading (index into outline.headings → part); how many sentences were segmented."""
        doc = _DocView(text, outline, self)
        hits: list[dict[str, list[Hit]]] = [{} for _ in self.compiled]
        # the exact pass runs over OCR-folded text: 合法姓审查 finds 合法性审查 (reported as an OCR match)
        found = self.automaton.iter(doc.folded) if len(self.automaton) else ()   # no phrases: metadata only
        for end, (word, items) in found:
            start = end + 1 - len(word)
            si = doc.sentence_at(start)
            if si is None:
                continue
            for phrase, ri, role, key in items:
                hit = self._exact(doc, self.compiled[ri], role, key, start, end + 1, si)
                if hit and hit.how == "exact" and text[start:end + 1] != phrase:
                    hit = replace(hit, how="ocr", score=round(fuzz.ratio(text[start:end + 1], phrase), 1))
                if hit:
                    hits[ri].setdefault(hit.how, []).append(hit)
        self._fuzzy(doc, hits)
        parts, heading_parts = self.parts(doc, hits)
        results = []
        for c, h in zip(self.compiled, hits):
            outside = self.outside(c.rule, year, level)
            if outside:
                results.append((Finding(c.rule, Status.NOT_APPLICABLE, 0.0, why=outside), []))
                continue
            finding, decisive = _judge(c, h, doc, parts, year)
            if year is None and any(p.years != (None, None) for p in c.phrases):
                finding.note = "报告年度不详：各时期的表述均予认可"
            results.append((finding, decisive))
        return results, heading_parts, len(doc.segmented)

    def parts(self, doc: "_DocView", hits: list[dict[str, list[Hit]]]):
        """Each sentence's part, from the section rules' heading and opener hits."""
        heading_hits, opener_hits = [], []
        for c, h in zip(self.compiled, hits):
            if c.rule.part:
                heading_hits += [(c.rule.part, doc.heading_at(x.start, x.end), x.start) for x in h.get("heading", [])]
                opener_hits += [(c.rule.part, x.sentence, x.start) for x in h.get("opener", [])]
        return classify(doc.text, doc.outline, heading_hits, opener_hits)

    def _exact(self, doc: "_DocView", c: _Compiled, role: str, key, start: int, end: int, si: int) -> Hit | None:
        if _excluded(doc.folded, start, end, c.exclude):
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
            return Hit(start, end, si, phrase.text, "heading", 100.0) if doc.heading_at(start, end) is not None else None
        if not _near_ok(doc, c, phrase, start, end, si):
            return None
        if phrase.token and not doc.whole_words(si, start, end):
            return None
        return Hit(start, end, si, phrase.text, "exact", 100.0)

    def _fuzzy(self, doc: "_DocView", hits: list[dict[str, list[Hit]]]) -> None:
        """Near variants: score every fuzzy phrase against every target, then check the aligned span."""
        sentences = [(s.start, s.end) for s in doc.outline.sentences]
        reachable = self.sentence_filter.candidates(doc.text, sentences)
        for ri, c in enumerate(self.compiled):
            if c.rule.kind == "section":
                targets = [(s, e) for s, e, _ in doc.titles]
            else:   # only the sentences that hold enough of a phrase's characters to reach the threshold
                targets = [sentences[i] for i in reachable.get(ri, ())]
            phrases = c.fuzzy
            if not targets or not phrases:
                continue
            scorer = SCORERS[c.rule.match.scorer]
            choices = [doc.text[s:e] for s, e in targets]
            scores = process.cdist([p.text for p in phrases], choices, scorer=scorer, score_cutoff=_floor(c.rule))
            found = [h for group in hits[ri].values() for h in group if h.how not in ("related", "near-miss")]
            for pi, ti in zip(*scores.nonzero()):
                phrase, ts = phrases[pi], targets[ti][0]
                span = _aligned(phrase.text, choices[ti], c.rule.match.scorer)
                if span is None:
                    continue
                start, end = ts + span[0], ts + span[1]
                if any(h.start < end and start < h.end for h in found):
                    continue   # the exact pass already has this place
                si = doc.sentence_at(start)
                if si is None or _excluded(doc.folded, start, end, c.exclude):
                    continue
                if c.rule.kind == "element" and not _near_ok(doc, c, phrase, start, end, si):
                    continue
                score = round(float(scores[pi, ti]), 1)
                if score < c.rule.match.min_score:
                    how = "near-miss"
                else:
                    how = "heading" if c.rule.kind == "section" else "fuzzy"
                hit = Hit(start, end, si, phrase.text, how, score)
                hits[ri].setdefault(how, []).append(hit)
                found.append(hit)


def _floor(rule: Rule) -> float:
    """The lowest fuzzy score that matters to a rule: a hit, or a near miss."""
    return min(rule.match.min_score, rule.match.near_miss or 100)


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
    context = doc.folded[max(s.start, start - window):min(s.end, end + window)]
    return any(w in context for w in phrase.near)


def _dictionary_words(compiled: list[_Compiled]):
    """Long, unambiguous rule terms: pkuseg keeps them whole (合法性审查, not 合法性/审查). Short ones stay out:
    in the dictionary, 述法 would be forced even in 上述法律."""
    for c in compiled:
        for text in [p.text for p in c.phrases if not p.token] + c.related + c.openers:
            if len(text) >= DICTIONARY_MIN and text.isalnum():
                yield text


class _DocView:
    """Lookups over one report's normalized text and outline."""

    def __init__(self, text: str, outline: Outline, matcher: Matcher):
        self.text = text
        self.folded = fold(text)   # OCR confusions folded; same length, so offsets hold
        self.outline = outline
        self.matcher = matcher
        self.segmented: dict[int, set[int] | None] = {}   # sentence → word boundaries (absolute offsets)
        self._starts = [s.start for s in outline.sentences]
        # (title start, title end, heading index) of the headings section rules read, in text order
        self.titles = [(h.start + len(h.marker), h.end, i) for i, h in enumerate(outline.headings)
                       if 1 <= h.level <= TOP_LEVELS]
        self._title_starts = [s for s, _, _ in self.titles]

    def sentence_at(self, pos: int) -> int | None:
        i = bisect.bisect_right(self._starts, pos) - 1
        if i < 0 or pos >= self.outline.sentences[i].end:
            return None
        return i

    def whole_words(self, si: int, start: int, end: int) -> bool:
        """True when [start, end) begins and ends on word boundaries of its sentence (segmented once)."""
        if si not in self.segmented:
            s = self.outline.sentences[si]
            seg = self.matcher.segmenter
            seg.use_words(self.matcher.dictionary)
            found = seg.boundaries(self.text[s.start:s.end])
            self.segmented[si] = None if found is None else {s.start + b for b in found}
        bounds = self.segmented[si]
        return bounds is None or (start in bounds and end in bounds)

    def heading_at(self, start: int, end: int) -> int | None:
        """The heading whose title holds [start, end), or None."""
        k = bisect.bisect_right(self._title_starts, start) - 1
        if k >= 0 and end <= self.titles[k][1]:
            return self.titles[k][2]
        return None


DONE, PLANNED, SHORTCOMING = "done", "planned", "shortcoming"
_CLAUSE_END = ",;:。!?"


def _context(c: _Compiled, doc: "_DocView", hit: Hit, part: str) -> str:
    """How a sentence speaks of the element: done, planned (next-year part, future wording before the hit)
    or shortcoming (shortcomings part, or a negation in the hit's clause the rule does not accept)."""
    if part == "shortcomings":
        return SHORTCOMING
    if part == "next-year":
        return PLANNED
    s = doc.outline.sentences[hit.sentence]
    sentence = doc.text[s.start:s.end]
    lo = max((sentence.rfind(ch, 0, hit.start - s.start) for ch in _CLAUSE_END), default=-1) + 1
    his = [i for i in (sentence.find(ch, hit.end - s.start) for ch in _CLAUSE_END) if i != -1]
    clause = sentence[lo:min(his) if his else len(sentence)]
    ctx = c.rule.context
    if any(w in clause for w in ctx.negation) and not any(w in sentence for w in ctx.counts_when_negated):
        return SHORTCOMING
    if any(w in sentence[:hit.start - s.start] for w in ctx.future):
        return PLANNED
    return DONE


def _judge(c: _Compiled, hits: dict[str, list[Hit]], doc: "_DocView", parts: list[str],
           year: int | None = None) -> tuple[Finding, list[Hit]]:
    """Status from hits. Section rules: a heading or opener → met. Element rules: reported as done → met;
    only admitted as a shortcoming → shortcoming; only promised → planned; only related wording → partial."""
    rule = c.rule
    placed = {how: [replace(h, part=parts[h.sentence]) for h in group] for how, group in hits.items()}
    if rule.kind == "section":
        decisive = [h for how in ("heading", "opener") for h in sorted(placed.get(how, []), key=lambda h: h.start)]
        if decisive:
            return Finding(rule, Status.MET, max(h.score for h in decisive)), decisive
    else:
        eras = {p.text: p for p in c.phrases}
        found, outdated = [], []
        for h in placed.get("exact", []) + placed.get("ocr", []) + placed.get("fuzzy", []):
            if h.part == SIGNATURE:
                continue
            (found if eras[h.phrase].fits(year) else outdated).append(replace(h, context=_context(c, doc, h, h.part)))
        # strongest evidence first: exact before fuzzy, longer phrases first, then document order
        found.sort(key=lambda h: (-h.score, -len(h.phrase), h.start))
        by_context = {ctx: _one_per_sentence([h for h in found if h.context == ctx])
                      for ctx in (DONE, SHORTCOMING, PLANNED)}
        done = by_context[DONE]
        if rule.all_of:
            whole = [h for h in done if eras[h.phrase].component is None]
            if whole:
                return Finding(rule, Status.MET, max(h.score for h in whole)), whole
            first: dict[int, Hit] = {}
            for h in sorted((h for h in found if h.context == DONE), key=lambda h: h.start):
                first.setdefault(eras[h.phrase].component, h)
            shown = [first[k] for k in sorted(first)]
            if len(first) == len(rule.all_of):
                return Finding(rule, Status.MET, min(h.score for h in shown)), shown
            if first:
                seen = "、".join(rule.all_of[k].name for k in sorted(first))
                lacking = "、".join(c.name for k, c in enumerate(rule.all_of) if k not in first)
                return Finding(rule, Status.PARTIAL, 0.0, why=f"只见{seen}，未见{lacking}；{rule.message}"), shown
        elif done:
            return Finding(rule, Status.MET, max(h.score for h in done)), done
        if by_context[SHORTCOMING]:
            hs = by_context[SHORTCOMING]
            return Finding(rule, Status.SHORTCOMING, max(h.score for h in hs),
                           why=f"“{_phrases(hs)}”只出现在不足部分或否定表述中，不能证明已落实；{rule.message}"), hs
        if by_context[PLANNED]:
            hs = by_context[PLANNED]
            return Finding(rule, Status.PLANNED, max(h.score for h in hs),
                           why=f"“{_phrases(hs)}”只出现在下一年度安排或将来时表述中；{rule.message}"), hs
        if outdated:
            lo, hi = eras[outdated[0].phrase].years
            return Finding(rule, Status.PARTIAL, 0.0,
                           why=f"“{_phrases(outdated)}”是{years_text(lo, hi)}的表述，本报告为{year}年度；{rule.message}"), \
                _one_per_sentence(outdated)
    near = sorted(placed.get("near-miss", []), key=lambda h: -h.score)
    if near and rule.kind == "element":
        return Finding(rule, Status.PARTIAL, near[0].score,
                       why=f"只见相近表述（与“{near[0].phrase}”相似度{near[0].score:.0f}，低于{rule.match.min_score:.0f}），"
                           f"{rule.message}"), _one_per_sentence(near)
    related = sorted(placed.get("related", []), key=lambda h: h.start)
    if related:
        return Finding(rule, Status.PARTIAL, 0.0, why=f"只见相关表述（{_phrases(related)}），{rule.message}"), related
    return Finding(rule, Status.MISSING, 0.0, why=rule.message), []


def _one_per_sentence(hits: list[Hit]) -> list[Hit]:
    seen: set[int] = set()
    return [h for h in hits if not (h.sentence in seen or seen.add(h.sentence))]


def _phrases(hits: list[Hit]) -> str:
    return "、".join(dict.fromkeys(h.phrase for h in hits))
