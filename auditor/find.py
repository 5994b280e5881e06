"""Rule wording vs the normalized report → hits. Nothing here decides a status (judge.py does).

Exact variants first (one Aho-Corasick automaton over every rule's phrases, run on OCR-folded text), then
rapidfuzz for near ones. Element rules look at every sentence; section rules at heading titles, and at
sentence openers anywhere in a paragraph. Exclusions (near misses that must not count) veto any hit they
overlap; phrases with `near` words count only with one of those words close by. Token-level terms (述法)
count only where the segmenter finds them as whole words: the sentence around such a candidate is segmented,
nothing else. Every threshold and window comes from the rule.
"""
from __future__ import annotations

import bisect
import itertools
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import partial

import ahocorasick
from rapidfuzz import fuzz, process

from .model import Outline
from .rule_schema import Concept, Pattern, PhraseSpec, Rule, Term, Vocabulary, is_class_name
from .normalize import normalize_phrase
from .ocr import fold
from .prefilter import SentenceFilter
from .segment import Segmenter, get_segmenter

SCORERS = {"partial_ratio": fuzz.partial_ratio, "ratio": fuzz.ratio}
TOP_LEVELS = 4   # headings a section rule reads: not titles (0), not 一是 run-in items (5)
ROLE_PHRASE, ROLE_RELATED, ROLE_OPENER, ROLE_PART = "phrase", "related", "opener", "part"
CLAUSE_BREAK = ","     # sentences already end at 。!?;: and line breaks (normalized punctuation)
NUMBER = r"(?:\d+|[一二两三四五六七八九十百千]+)\s*(?:余|多)?"
TOKEN_MAX = 2          # phrases this short are token-level unless the rule says otherwise
HITS_PER_PHRASE = 8    # hits of one phrase kept per sentence (judge.READS_PER_SENTENCE reads no more)
TRIES_PER_PART = 6     # occurrences of one pattern part tried when filling the parts apart
TRIES_PER_PHRASE = 32  # places of one phrase checked per sentence (上述法律 ×1000 in one sentence: enough)
SEGMENT_CHARS = 200    # a longer sentence is segmented in pieces around its candidates
WORD_CACHE = 4096      # segmented pieces remembered by their text
DICTIONARY_MIN = 4     # rule terms this long (and not token-level) go into the segmenter's user dictionary


@dataclass(frozen=True)
class Hit:
    start: int            # normalized offsets
    end: int
    sentence: int         # index into Outline.sentences
    phrase: str
    how: str              # exact | ocr | fuzzy | clause | heading | opener | related | near-miss
    score: float
    years: tuple = (None, None)     # report years the phrase's wording belongs to
    component: int | None = None    # which of the rule's all_of components the phrase stands for
    heading: int | None = None      # section rules: the heading (index into Outline.headings) the hit is in
    spans: tuple = ()               # clause hits: where each part's words stand
    roles: tuple = ()               # concept hits: (role, the words that filled it), in the order who, act, object
    acts: tuple = ()                # concept hits: where the act's words stand (not context for the other roles)
    check: Callable[[], bool] | None = field(default=None, compare=False, repr=False)
    # a whole-word check the judge makes only if it reads the hit (segmenting costs; most hits are never read)
    part: str = ""        # set when judged: the part of the report the sentence stands in
    context: str = ""     # set when judged: done | planned | shortcoming | named | others
    context_label: str = ""   # set when judged: what decided the context (下一年度安排, 会议议题, …)

    def fits(self, year: int | None) -> bool:
        """Is the phrase's wording that of this report year (unknown year: every wording is)?"""
        lo, hi = self.years
        return year is None or ((lo is None or year >= lo) and (hi is None or year <= hi))


@dataclass(frozen=True)
class _Phrase:
    text: str
    near: tuple[str, ...] = ()
    not_near: tuple[str, ...] = ()
    window: int | None = None
    years: tuple = (None, None)
    token: bool = False
    component: int | None = None   # index into rule.all_of; None: the phrase meets the rule by itself


@dataclass(frozen=True)
class _Pattern:
    parts: tuple[tuple[tuple[str, bool], ...], ...]   # per part: (variant, token-level)
    window: int | None
    count: re.Pattern | None
    exclude: tuple[str, ...]    # OCR-folded
    years: tuple
    component: int | None
    roles: tuple[str, ...] = ()   # a concept's: the role each part fills
    distinct: tuple = ()          # pairs of parts drawn from one word class: two different words must fill them
    same: dict = field(default_factory=dict)   # folded word → the word it is another name for (Term.same)

    def vetoed(self, folded: str, start: int, end: int) -> bool:
        return any(x in folded[start:end] for x in self.exclude)

    def counted(self, text: str, start: int, end: int) -> bool:
        return self.count is None or bool(self.count.search(text, start, end))


@dataclass
class _Compiled:
    rule: Rule
    phrases: list[_Phrase]
    related: list[str]
    openers: list[str]
    exclude: list[str]
    patterns: list[_Pattern] = field(default_factory=list)

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
        not_near = tuple(fold(normalize_phrase(w)) for w in spec.not_near)
        phrases.append(_Phrase(text, near, not_near, spec.window, spec.years, token, component))
    norm = lambda items: [t for t in (normalize_phrase(x) for x in items) if t]
    owned_patterns = [(p, None) for p in rule.patterns] + [(p, k) for k, c in enumerate(rule.all_of)
                                                            for p in c.patterns]
    patterns = [_compile_pattern(p, component, norm) for p, component in owned_patterns]
    patterns += [_compile_concept(c, rule.vocabulary(), norm) for c in rule.concepts]
    # exclusions too veto in OCR-folded text: 党内规范姓文件 is still 党内规范性文件
    return _Compiled(rule, phrases, norm(rule.related), norm(rule.openers), [fold(x) for x in norm(rule.exclude)],
                     patterns)


def _compile_pattern(p: Pattern, component: int | None, norm) -> _Pattern:
    parts = tuple(tuple((normalize_phrase(v.text if isinstance(v, Term) else v),
                         v.token if isinstance(v, Term) else False) for v in part) for part in p.all)
    count = re.compile(NUMBER + "(?:" + "|".join(map(re.escape, norm(p.count))) + ")") if p.count else None
    return _Pattern(parts, p.window, count, tuple(fold(x) for x in norm(p.exclude)), p.years, component)


def _class_words(items: list, vocabulary: Vocabulary) -> list:
    """Word classes (by id) written out into their words; other items are words already."""
    return [w for item in items for w in (vocabulary.classes[item].words if is_class_name(item) else [item])]


def _compile_concept(c: Concept, vocabulary: Vocabulary, norm) -> _Pattern:
    """A concept is a clause pattern whose parts are its roles, each the words of its classes (and its own)."""
    parts, roles, classes = [], [], []
    for role, items in c.roles():
        classes.append({x for x in items if is_class_name(x)})
        variants = {}
        for w in _class_words(items, vocabulary):
            text = normalize_phrase(w.text if isinstance(w, Term) else w)
            if text:
                variants[text] = variants.get(text, False) or (isinstance(w, Term) and w.token)
        parts.append(tuple(variants.items()))
        roles.append(role)
    count = re.compile(NUMBER + "(?:" + "|".join(map(re.escape, norm(c.count))) + ")") if c.count else None
    exclude = [w if isinstance(w, str) else w.text for w in _class_words(c.exclude, vocabulary)]
    distinct = tuple((i, j) for i in range(len(classes)) for j in range(i + 1, len(classes)) if classes[i] & classes[j])
    same = {fold(normalize_phrase(w.text)): fold(normalize_phrase(w.same)) for items in (i for _, i in c.roles())
            for w in _class_words(items, vocabulary) if isinstance(w, Term) and w.same}
    return _Pattern(tuple(parts), c.window, count, tuple(fold(x) for x in norm(exclude)), c.years, None,
                    tuple(roles), distinct, same)


Hits = dict[str, dict[str, list[Hit]]]   # rule id → how → hits


class Finder:
    """Every element and section rule compiled once, as written: one automaton over all their phrases.
    Profiles never change what a rule finds (ruleset forbids such overrides), so one Finder serves them all."""

    def __init__(self, rules: list[Rule], segmenter: Segmenter | None = None):
        self.segmenter = segmenter or get_segmenter()
        self.compiled = [_compile(r) for r in rules if r.kind != "metadata"]
        self.sentence_filter = _sentence_filter(self.compiled)
        self.dictionary = frozenset(_dictionary_words(self.compiled))
        self._words: dict[str, set[int] | None] = {}   # segmented pieces, by their text
        self.automaton = _phrase_automaton(self.compiled)
        # every rule's exclusions, found once per report: a part or phrase occurrence then asks in log time
        # whether one overlaps it (a page of the same word would otherwise scan its neighbourhood each time)
        self.exclusions = _exclusion_automaton(self.compiled)

    def excluded_spans(self, folded: str) -> list["_Spans"]:
        """Per rule, where its exclusions stand in the OCR-folded text."""
        spans: list[list[tuple[int, int]]] = [[] for _ in self.compiled]
        if len(self.exclusions):
            for end, (size, owners) in self.exclusions.iter(folded):
                for ri in owners:
                    spans[ri].append((end + 1 - size, end + 1))
        return [_Spans(s) for s in spans]

    def boundaries(self, piece: str, offset: int) -> set[int] | None:
        """Word boundaries of a piece of text (absolute offsets); a piece seen before (a template's repeated
        sentence) is not segmented again."""
        if piece not in self._words:
            if len(self._words) >= WORD_CACHE:
                self._words.clear()
            self.segmenter.use_words(self.dictionary)
            self._words[piece] = self.segmenter.boundaries(piece)
        found = self._words[piece]
        return None if found is None else {offset + b for b in found}

    def find(self, text: str, outline: Outline) -> tuple[Hits, "_DocView"]:
        """Hits of every rule by how they were found, and the view of the text they point into (its
        `segmented` says, once the hits are judged, how many sentences needed words)."""
        doc = _DocView(text, outline, self)
        hits: list[dict[str, list[Hit]]] = [{} for _ in self.compiled]
        parts: dict[tuple[int, int], list[tuple[int, int, int, int]]] = {}   # (rule, pattern) → part occurrences
        kept: Counter = Counter()   # (rule, sentence, role, phrase) → hits kept
        tried: Counter = Counter()  # … → places checked (exclusions, near words, whole words)
        # the exact pass runs over OCR-folded text: 合法姓审查 finds 合法性审查 (reported as an OCR match)
        found = self.automaton.iter(doc.folded) if len(self.automaton) else ()   # no phrases: metadata only
        for end, (word, items) in found:
            start = end + 1 - len(word)
            si = doc.sentence_at(start)
            if si is None:
                continue
            for phrase, ri, role, key in items:
                if role == ROLE_PART:   # token parts are checked as whole words once a clause has every part
                    pk, part, token = key
                    if not doc.excluded[ri].overlaps(start, end + 1):
                        parts.setdefault((ri, pk), []).append((start, end + 1, si, part, token))
                    continue
                seen = (ri, si, role, key)
                if kept[seen] >= HITS_PER_PHRASE or tried[seen] >= TRIES_PER_PHRASE:
                    continue   # the judge reads no more of one sentence: more of the same phrase cannot matter
                tried[seen] += 1
                hit = self._exact(doc, ri, role, key, start, end + 1, si)
                if hit and hit.how == "exact" and text[start:end + 1] != phrase:
                    hit = replace(hit, how="ocr", score=round(fuzz.ratio(text[start:end + 1], phrase), 1))
                if hit:
                    hits[ri].setdefault(hit.how, []).append(hit)
                    kept[seen] += 1
        for (ri, pk), occurrences in parts.items():
            for hit in _clause_hits(doc, self.compiled[ri].patterns[pk], occurrences):
                hits[ri].setdefault("clause", []).append(hit)
        self._fuzzy(doc, hits)
        for h in hits:
            _check_related(doc, h)
        return {c.rule.id: h for c, h in zip(self.compiled, hits)}, doc

    def _exact(self, doc: "_DocView", ri: int, role: str, key, start: int, end: int, si: int) -> Hit | None:
        c = self.compiled[ri]
        if doc.excluded[ri].overlaps(start, end):
            return None
        if role == ROLE_RELATED:   # a short one is checked as whole words later, only if it can matter
            return Hit(start, end, si, key, "related" if len(key) > TOKEN_MAX else UNCHECKED, 100.0)
        if role == ROLE_OPENER:
            s = doc.outline.sentences[si]
            if c.rule.kind == "section" and start - s.start <= c.rule.match.opener_window:
                return Hit(start, end, si, key, "opener", 100.0)
            return None
        phrase = c.phrases[key]
        if c.rule.kind == "section":
            heading = doc.heading_at(start, end)
            return None if heading is None else Hit(start, end, si, phrase.text, "heading", 100.0, heading=heading)
        if not _near_ok(doc, c, phrase, start, end, si):
            return None
        check = partial(doc.whole_words, si, start, end) if phrase.token else None
        return Hit(start, end, si, phrase.text, "exact", 100.0, phrase.years, phrase.component, check=check)

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
            if targets and phrases:
                _fuzzy_hits(doc, ri, c, phrases, targets, hits[ri])


def _sentence_filter(compiled: list[_Compiled]) -> SentenceFilter:
    """The prefilter of the sentences each element rule's fuzzy phrases can reach."""
    return SentenceFilter([(ri, [p.text for p in c.fuzzy], _floor(c.rule)) for ri, c in enumerate(compiled)
                           if c.rule.kind == "element" and c.fuzzy],
                          {ri for ri, c in enumerate(compiled) if c.rule.match.scorer == "partial_ratio"})


def _payloads(compiled: list[_Compiled]) -> dict[str, list]:
    """Every word the exact pass looks for, with what it stands for: (rule, role, key) for each rule's
    phrases, related terms, openers and the words of each part of its patterns."""
    payloads: dict[str, list] = {}
    for ri, c in enumerate(compiled):
        for pi, p in enumerate(c.phrases):
            payloads.setdefault(p.text, []).append((ri, ROLE_PHRASE, pi))
        for text in c.related:
            payloads.setdefault(text, []).append((ri, ROLE_RELATED, text))
        for text in c.openers:
            payloads.setdefault(text, []).append((ri, ROLE_OPENER, text))
        for pk, pattern in enumerate(c.patterns):
            for part, variants in enumerate(pattern.parts):
                for text, token in variants:
                    payloads.setdefault(text, []).append((ri, ROLE_PART, (pk, part, token)))
    return payloads


def _phrase_automaton(compiled: list[_Compiled]) -> ahocorasick.Automaton:
    """One automaton over every rule's words, OCR-folded: a folded key → (key, [(word, rule, role, key)])."""
    folded: dict[str, list] = {}
    for text, items in _payloads(compiled).items():
        folded.setdefault(fold(text), []).extend((text, *item) for item in items)
    automaton = ahocorasick.Automaton()
    for key, items in folded.items():
        automaton.add_word(key, (key, items))
    automaton.make_automaton()
    return automaton


def _exclusion_automaton(compiled: list[_Compiled]) -> ahocorasick.Automaton:
    """One automaton over every rule's exclusions: a word → (its length, the rules it vetoes)."""
    exclusions = ahocorasick.Automaton()
    by_word: dict[str, set[int]] = {}
    for ri, c in enumerate(compiled):
        for x in c.exclude:
            by_word.setdefault(x, set()).add(ri)
    for x, owners in by_word.items():
        exclusions.add_word(x, (len(x), tuple(owners)))
    if by_word:
        exclusions.make_automaton()
    return exclusions


def _fuzzy_hits(doc: "_DocView", ri: int, c: _Compiled, phrases: list[_Phrase], targets: list[tuple[int, int]],
               found: dict[str, list[Hit]]) -> None:
    """One rule's fuzzy phrases scored against its targets (sentences or heading titles); the hits (or near
    misses) added to `found`, the rule's hits by how, where no other hit already stands."""
    scorer = SCORERS[c.rule.match.scorer]
    choices = [doc.text[s:e] for s, e in targets]
    scores = process.cdist([p.text for p in phrases], choices, scorer=scorer, score_cutoff=_floor(c.rule))
    taken = _Spans((h.start, h.end) for group in found.values() for h in group
                   if h.how not in ("related", "near-miss"))
    added: dict[int, list[tuple[int, int]]] = {}   # target → fuzzy spans found in it so far
    for pi, ti in zip(*scores.nonzero()):
        span = _aligned(phrases[pi].text, choices[ti], c.rule.match.scorer)
        if span is None:
            continue
        start, end = targets[ti][0] + span[0], targets[ti][0] + span[1]
        if taken.overlaps(start, end) or any(s < end and start < e for s, e in added.get(ti, ())):
            continue   # the exact pass (or another fuzzy phrase) already has this place
        hit = _fuzzy_hit(doc, ri, c, phrases[pi], start, end, scores[pi, ti])
        if hit:
            found.setdefault(hit.how, []).append(hit)
            added.setdefault(ti, []).append((start, end))


def _fuzzy_hit(doc: "_DocView", ri: int, c: _Compiled, phrase: _Phrase, start: int, end: int, score) -> Hit | None:
    """The hit a fuzzy phrase makes at [start, end), unless excluded or without its near words: below the
    rule's threshold a near miss; a heading hit for a section rule."""
    si = doc.sentence_at(start)
    if si is None or doc.excluded[ri].overlaps(start, end):
        return None
    if c.rule.kind == "element" and not _near_ok(doc, c, phrase, start, end, si):
        return None
    score = round(float(score), 1)
    if score < c.rule.match.min_score:
        how = "near-miss"
    else:
        how = "heading" if c.rule.kind == "section" else "fuzzy"
    heading = doc.heading_at(start, end) if c.rule.kind == "section" else None
    return Hit(start, end, si, phrase.text, how, score, phrase.years, phrase.component, heading)


class _Spans:
    """Fixed spans (start, end), asked whether any overlaps [start, end) in log time (a hit list may be long)."""

    def __init__(self, spans):
        spans = sorted(spans)
        self.starts = [s for s, _ in spans]
        self.reach = list(itertools.accumulate((e for _, e in spans), max))   # furthest end so far

    def overlaps(self, start: int, end: int) -> bool:
        k = bisect.bisect_left(self.starts, end)
        return k > 0 and self.reach[k - 1] > start


def _clause_hits(doc: "_DocView", pattern: _Pattern, occurrences: list[tuple[int, int, int, int, bool]]):
    """One hit per clause (or window) holding every part of the pattern; occurrences: (start, end, sentence,
    part, token-level) in text order."""
    need = len(pattern.parts)
    by_sentence: dict[int, list] = {}
    for occ in occurrences:
        by_sentence.setdefault(occ[2], []).append(occ)
    for si, occ in by_sentence.items():
        occ.sort(key=lambda o: (o[0], o[1]))   # by start: a word nested in a longer one ends first (法治 in 依法治县)
        if len({o[3] for o in occ}) >= need:
            yield from _sentence_clause_hits(doc, pattern, si, occ, need)


def _holding_every_part(doc: "_DocView", pattern: _Pattern, si: int, occ: list, need: int) -> list:
    """The groups of a sentence's occurrences that hold every part: those of one clause, or, for a pattern
    read within a window, each shortest span with every occurrence near enough to share a window with it."""
    if pattern.window is None:
        groups: dict[int, list] = {}
        for o in occ:
            groups.setdefault(doc.clause_at(si, o[0]), []).append(o)
        return [g for g in groups.values() if len({o[3] for o in g}) == need]
    starts = [o[0] for o in occ]
    return list({tuple(_near_span(occ, starts, group, pattern.window)): None   # overlapping windows: once
                 for group in _windows(occ, need, pattern.window)})


def _sentence_clause_hits(doc: "_DocView", pattern: _Pattern, si: int, occ: list, need: int):
    """The clause hits of one sentence, in text order, none starting inside the one before, unless that one took
    words of a title in 《》: then a later filling may take its other words (落实《…法治建设第一责任人职责规定》，
    区政府常务会议专题听取法治政府建设汇报: the meeting heard 法治政府建设, not the title's 法治建设)."""
    last_end = -1
    for group in _holding_every_part(doc, pattern, si, occ, need):
        if not group or group[-1][0] < last_end:
            continue   # every filling would start inside the hit just yielded
        group = [o for o in group if o[0] >= last_end]   # words of the hit just yielded fill no other hit
        if len({o[3] for o in group}) < need:
            continue
        first = _one_each(group, need, pattern.distinct, doc.folded, pattern.same)   # one word per part: 法律顾问+审查+合法性
        if first is None:
            continue   # one word would have to fill two parts (中心组学习 as both who and act)
        start, end = min(o[0] for o in first.values()), max(o[1] for o in first.values())
        if start < last_end:
            continue   # overlapping windows: one hit for one stretch of words
        hit = _clause_hit(doc, pattern, si, group, first, need, start, end)
        if hit is not None:
            if not any(_in_title(doc.folded, o[0]) for o in first.values()):
                last_end = end
            yield hit


def _in_title(text: str, pos: int) -> bool:
    """Does pos stand inside a title in 《》 (within 60 characters of its opening mark)?"""
    opened = text.rfind("《", max(0, pos - 60), pos)
    return opened >= 0 and text.find("》", opened, pos) < 0


def _clause_hit(doc: "_DocView", pattern: _Pattern, si: int, group: list, first: dict, need: int,
                start: int, end: int) -> Hit | None:
    """The hit of the words chosen to fill the parts (`first`: part → occurrence) at [start, end), unless an
    exclusion vetoes its clause or the count the pattern needs is not there."""
    lo, hi = doc.clause_span(si, start)[0], doc.clause_span(si, end - 1)[1]
    counted_to = hi
    if pattern.window:   # a pattern read within a window takes its topic from the window before it too, and its
        lo = min(lo, max(doc.outline.sentences[si].start, start - pattern.window))   # count from the one after
        counted_to = max(hi, min(doc.outline.sentences[si].end, end + pattern.window))   # (矛盾开展排查，化解88件)
    if pattern.vetoed(doc.folded, lo, hi) or not pattern.counted(doc.text, lo, counted_to):
        return None
    chosen = sorted(first.values())
    words = "+".join(doc.text[o[0]:o[1]] for o in chosen)
    roles = tuple((pattern.roles[k], doc.text[first[k][0]:first[k][1]]) for k in sorted(first)) \
        if pattern.roles else ()
    # every word of the act's vocabulary there, chosen or not: none of them is context for the other roles
    acts = tuple((o[0], o[1]) for o in group if pattern.roles and pattern.roles[o[3]] == "act")
    check = partial(_whole_parts, doc, si, group, need) if any(o[4] for o in group) else None
    return Hit(start, end, si, words, "clause", 100.0, pattern.years, pattern.component,
               spans=tuple((o[0], o[1]) for o in chosen), roles=roles, acts=acts, check=check)


def _near_span(occ: list, starts: list[int], group: list, width: int) -> list:
    """The occurrences that could share a `width`-character window with the span of `group` (occ in text order,
    `starts` their starts: only the slice that can qualify is read)."""
    lo, hi = min(o[0] for o in group), max(o[1] for o in group)
    near = occ[bisect.bisect_left(starts, hi - width):bisect.bisect_right(starts, lo + width)]
    return [o for o in near if o[1] <= lo + width]


def _one_each(group: list, need: int, distinct: tuple = (), text: str = "", same: dict | None = None) -> dict | None:
    """One occurrence per part, none overlapping another, or None when the parts cannot all be filled apart.
    Of the ways to fill them, the tightest wins (words outside a title in 《》 first; whole words before token-level
    ones, which may turn out to be inside another word; then the shortest span; then the longest words): 举办法治专题培训班，将述法情况纳入考核
    takes 述法, not the 法治 of the clause before. A clause holds a few occurrences, so a small search is enough."""
    by_part: dict[int, list] = {}
    for o in group:
        by_part.setdefault(o[3], []).append(o)
    if len(by_part) < need:
        return None
    order = sorted(by_part)
    options = {k: sorted(by_part[k], key=lambda o: (o[4], o[0] - o[1], o[0]))[:TRIES_PER_PART] for k in order}
    titled = {o[0]: _in_title(text, o[0]) for k in order for o in options[k]}
    best, best_key = None, None
    for combo in itertools.product(*(options[k] for k in order)):
        spans = sorted((o[0], o[1]) for o in combo)
        if any(spans[i][1] > spans[i + 1][0] for i in range(len(spans) - 1)):
            continue
        chosen = dict(zip(order, combo))
        if any(_named(text, chosen[i], same) == _named(text, chosen[j], same) for i, j in distinct):
            continue   # two steps of a procedure, not one named twice
        key = (sum(titled[o[0]] for o in combo), sum(o[4] for o in combo),
               max(o[1] for o in combo) - min(o[0] for o in combo), -sum(o[1] - o[0] for o in combo))
        if best_key is None or key < best_key:
            best, best_key = chosen, key
    return best


def _named(text: str, o: tuple, same: dict | None) -> str:
    """The word at occurrence o, by the name it stands for (集体决策 → 集体讨论决定)."""
    word = text[o[0]:o[1]]
    return (same or {}).get(word, word)


def _whole_parts(doc: "_DocView", si: int, group: list, need: int) -> bool:
    """Every part still there when token-level ones count only as whole words (调解, not in 协调解决)."""
    return len({o[3] for o in group if not o[4] or doc.whole_words(si, o[0], o[1])}) == need


def _windows(occ: list, need: int, width: int) -> list[list]:
    """The occurrences of each shortest span of at most `width` characters holding every part (two pointers,
    linear in occurrences); spans may overlap (the first may fail to fill its parts apart, the next not)."""
    spans, counts, lo = [], {}, 0
    for hi, o in enumerate(occ):
        counts[o[3]] = counts.get(o[3], 0) + 1
        while len(counts) == need:
            start, end = occ[lo][0], max(occ[lo][1], o[1])
            if end - start <= width:
                spans.append(occ[lo:hi + 1])
            counts[occ[lo][3]] -= 1
            if not counts[occ[lo][3]]:
                del counts[occ[lo][3]]
            lo += 1
    return spans


UNCHECKED = "related?"   # a short related term not yet checked as whole words


def _check_related(doc: "_DocView", hits: dict[str, list[Hit]]) -> None:
    """Short related terms (调解, 学法) count only as whole words (not 调解 in 协调解决); they decide a verdict
    only when a rule has no other hit, so only then are their sentences segmented."""
    pending = hits.pop(UNCHECKED, [])
    if pending and not any(how != "related" for how in hits):
        kept = [h for h in pending if doc.whole_words(h.sentence, h.start, h.end)]
        if kept:
            hits.setdefault("related", []).extend(replace(h, how="related") for h in kept)


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


def _near_ok(doc: "_DocView", c: _Compiled, phrase: _Phrase, start: int, end: int, si: int) -> bool:
    """A phrase's `near` words are within its window (when it has any), and none of its `not_near` words."""
    if not phrase.near and not phrase.not_near:
        return True
    window = phrase.window or c.rule.match.context_window
    s = doc.outline.sentences[si]
    context = doc.folded[max(s.start, start - window):min(s.end, end + window)]
    return (not phrase.near or any(w in context for w in phrase.near)) and \
        not any(w in context for w in phrase.not_near)


def _dictionary_words(compiled: list[_Compiled]):
    """Long, unambiguous rule terms: pkuseg keeps them whole (合法性审查, not 合法性/审查). Short ones stay out:
    in the dictionary, 述法 would be forced even in 上述法律."""
    for c in compiled:
        for text in [p.text for p in c.phrases if not p.token] + c.related + c.openers:
            if len(text) >= DICTIONARY_MIN and text.isalnum():
                yield text


class _DocView:
    """Lookups over one report's normalized text and outline."""

    def __init__(self, text: str, outline: Outline, finder: Finder):
        self.text = text
        self.folded = fold(text)   # OCR confusions folded; same length, so offsets hold
        self.excluded = finder.excluded_spans(self.folded)   # per rule, where its exclusions stand
        self.outline = outline
        self.finder = finder
        self.segmented: dict = {}   # sentence (or (sentence, piece) of a long one) → word boundaries (absolute offsets)
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
        """True when [start, end) begins and ends on word boundaries of its sentence (segmented once). A
        sentence longer than SEGMENT_CHARS is segmented a piece at a time, each piece reaching a margin past
        the candidates it serves, so a page-long sentence costs its length, not its length per candidate."""
        s = self.outline.sentences[si]
        if s.end - s.start <= SEGMENT_CHARS:
            key, lo, hi = si, s.start, s.end
        else:
            piece = (start - s.start) // SEGMENT_CHARS
            lo = max(s.start, s.start + piece * SEGMENT_CHARS - SEGMENT_CHARS // 4)
            hi = min(s.end, s.start + (piece + 1) * SEGMENT_CHARS + SEGMENT_CHARS // 4)
            key = (si, piece)
        if key not in self.segmented:
            self.segmented[key] = self.finder.boundaries(self.text[lo:hi], lo)
        bounds = self.segmented[key]
        return bounds is None or (start in bounds and end in bounds)

    def clause_span(self, si: int, pos: int) -> tuple[int, int]:
        """The clause of sentence `si` around `pos` (between commas), as absolute offsets."""
        s = self.outline.sentences[si]
        lo = self.text.rfind(CLAUSE_BREAK, s.start, pos) + 1 or s.start
        hi = self.text.find(CLAUSE_BREAK, pos, s.end)
        return max(lo, s.start), (s.end if hi == -1 else hi)

    def clause_at(self, si: int, pos: int) -> int:
        return self.clause_span(si, pos)[0]

    def heading_at(self, start: int, end: int) -> int | None:
        """The heading whose title holds [start, end), or None."""
        k = bisect.bisect_right(self._title_starts, start) - 1
        if k >= 0 and end <= self.titles[k][1]:
            return self.titles[k][2]
        return None
