"""Hits + the part each sentence stands in + the words around a hit → one rule's status and its Chinese why.

Section rules: a heading or opener → met. Element rules: reported as done → met; only admitted as a
shortcoming → shortcoming; only promised or arranged → planned; only named (a meeting's topic, a law's title
studied), done by others, outdated wording, some components, a near miss or related wording only → partial;
nothing → missing. How a sentence speaks of its hit comes from the shared context vocabulary
(rules/vocabulary/context.yaml), which each rule reads through Rule.contexts().
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

from .dates import YEAR, number
from .find import Hit
from .explain import Said, say, years
from .model import NOT_TEXT, Finding, Outline, Status
from .rule_schema import Rule

DONE, PLANNED, SHORTCOMING, NAMED, OTHERS = "done", "planned", "shortcoming", "named", "others"
_CLAUSE_END = ",;:。!?"
EVIDENCE = 5        # pieces of evidence a finding shows
READS_PER_SENTENCE = 8   # hits of one rule read in one sentence at most (a sentence may run for pages)
SCOPE_CHARS = 150   # contexts look this far either side of a hit at most (a sentence may run for pages)
PART_LABELS = {"shortcomings": "the shortcomings part", "next-year": "the next year's plans"}   # explain.WORDS
_YEAR = re.compile(r"(?:^|[,;:])" + YEAR + "年")   # a year opening a clause (not 2021—2025年 in a title)
_SAID_BEFORE = {PART_LABELS["next-year"], "将来时表述"}   # what the plain "planned" why names (the second: context.yaml's label)
MASK = "\u3000"   # stands for a concept's act while the context of its other roles is read
RUN_IN = 8         # a context word before a hit may run into it by this much at most (将带头 before 带头)


def _reading(rule: Rule, text: str, outline: Outline, hit: Hit, part: str, year: int | None,
             sentence: str | None = None, whole: tuple[int, int] | None = None) -> tuple[str, str]:
    """How the report speaks of a hit, and what showed it: (done | planned | shortcoming | named | others,
    label). The part decides first (shortcomings, next year), then the first context of the rule that fits."""
    if part in PART_LABELS:
        return (SHORTCOMING if part == "shortcomings" else PLANNED), PART_LABELS[part]
    s = outline.sentences[hit.sentence]
    plain = text[s.start:s.end]   # what cancels a context reads the words as they are, acts included
    sentence = plain if sentence is None else sentence
    doubtful = _doubtful_part_reading(rule, text, outline, hit, part, year, sentence)
    if doubtful is not None:
        return doubtful
    if hit.spans and hit.acts:   # the hit as a whole: its acts are not its context either
        sentence = _masked(sentence, s.start, hit.acts)
    heading = _heading_reading(rule, text, outline, hit)
    if heading is not None:
        return heading
    a, b = hit.start - s.start, hit.end - s.start
    if whole is None and hit.spans:   # a clause hit read whole: what cancels a context may follow it closely too
        whole = (a, b)
    return _context_reading(rule, sentence, a, b, plain, whole, year)


def _doubtful_part_reading(rule: Rule, text: str, outline: Outline, hit: Hit, part: str, year: int | None,
                           sentence: str) -> tuple[str, str] | None:
    """The reading of the first part of a clause hit that does not read as done, or None: a clause hit reads
    as its most doubtful part (审议了《…学法…制度》等议题)."""
    s = outline.sentences[hit.sentence]
    for start, end in hit.spans:
        # a concept's act is not context for its other roles: 党工委听取法治建设汇报 is the work, not a report heard
        reading = _reading(rule, text, outline, replace(hit, start=start, end=end, spans=()), part, year,
                           _masked(sentence, s.start, hit.acts, keep=(start, end)), (hit.start - s.start, hit.end - s.start))
        if reading[0] != DONE:
            return reading
    return None


def _heading_reading(rule: Rule, text: str, outline: Outline, hit: Hit) -> tuple[str, str] | None:
    """The reading a heading gives a hit in its title, or None when the words around it decide."""
    if _bare_heading(outline, hit, text):
        return NAMED, "标题（其下没有正文）"
    heading = _in_heading(outline, hit, text)
    if heading is not None:
        for _, c in rule.contexts():
            # a rule that reads a heading's title as naming the part, not reporting the work (unless_counted: the
            # text under it reports the work in other words)
            if c.in_heading and not (c.unless_counted and _reported_under(text, outline, heading, hit.sentence)):
                return c.means, c.label
    return None


_COUNTED = re.compile(r"\d+(?:\.\d+)?\s*(?:余|多)?(?:件|次|个|项|场|名|人次|人|家|起|篇|期|条|份|户|部|%|％)")
_NOT_DONE = re.compile(r"下一步|下步|将[进继持着不把于在]|计划|拟(?:于|在|将|对|开展|建立|制定|出台|推进|完成)|不够|不足|不到位|尚未"
                       r"|有待|仍需|还需|存在|薄弱|滞后")   # (代拟稿 is a draft made for others, no plan)


def _reported_under(text: str, outline: Outline, heading: int, si: int) -> bool:
    """Does the text under a heading (whose title stands in sentence si) report its work as done, with a count
    (（四）加强合法性审查。完成18件行政规范性文件…的审查), and no word of a plan or a problem in its first two sentences?
    Then the heading names what was done."""
    h = outline.headings[heading]
    under = [text[x.start:x.end] for x in outline.sentences[si + 1:si + 3] if heading in x.path and x.start >= h.end]
    first = "".join(under)
    return bool(under) and bool(_COUNTED.search(first)) and not _NOT_DONE.search(first)


def _context_reading(rule: Rule, sentence: str, a: int, b: int, plain: str,
                     whole: tuple[int, int] | None, year: int | None) -> tuple[str, str]:
    """The first of the rule's contexts that fits the hit at [a, b) of the sentence, or done."""
    near_lo, near_hi = max(0, a - SCOPE_CHARS), min(len(sentence), b + SCOPE_CHARS)
    lo, hi = _clause_around(sentence, a, b, near_lo, near_hi)
    for _, c in rule.contexts():
        start, end = (lo, hi) if c.scope == "clause" else (near_lo, near_hi)
        if _fits(c, sentence, start, a, b, end, plain, whole) and _holds(rule, c, sentence, start, a, year):
            return c.means, c.label
    return DONE, ""


def _clause_around(sentence: str, a: int, b: int, near_lo: int, near_hi: int) -> tuple[int, int]:
    """The clause (between clause ends) that holds [a, b), within [near_lo, near_hi)."""
    lo = max((sentence.rfind(ch, near_lo, a) for ch in _CLAUSE_END), default=-1) + 1 or near_lo
    his = [i for i in (sentence.find(ch, b, near_hi) for ch in _CLAUSE_END) if i != -1]
    return lo, (min(his) if his else near_hi)


def _holds(rule: Rule, c, sentence: str, start: int, a: int, year: int | None) -> bool:
    """A context whose words fit still needs a later year before the hit when it is about one; a shortcoming
    does not stand in a sentence whose negation still reports the work (全年无行政复议案件)."""
    if c.later_year and not (year and any(number(y) > year for y in _YEAR.findall(sentence[start:a]))):
        return False
    return not (c.means == SHORTCOMING and any(w in sentence for w in rule.context.counts_when_negated))


def _masked(sentence: str, offset: int, spans: tuple, keep: tuple | None = None) -> str:
    """The sentence (starting at `offset` in the text) with the spans blanked, but `keep` and what overlaps it (研究
    inside the act 专题研究 kept: 将专题研究 still reads as to come)."""
    chars = list(sentence)
    for s, e in spans:
        if (s, e) != keep and not (keep and s < keep[1] and e > keep[0]):
            chars[s - offset:e - offset] = MASK * (e - s)
    return "".join(chars)


_COMPILED: dict[int, tuple] = {}   # id(context) → one alternation per word group (before / after / around), unless


def _groups(c) -> tuple:
    if id(c) not in _COMPILED:
        # longest words first: 法等 before 法, so a match is the whole word
        alternation = lambda group: re.compile("|".join(map(re.escape, sorted(group, key=len, reverse=True))))
        _COMPILED[id(c)] = (c, tuple(tuple(alternation(g) for g in groups) for groups in (c.before, c.after, c.around)),
                            alternation(c.unless) if c.unless else None)
    return _COMPILED[id(c)][1:]


def _bare_heading(outline: Outline, hit: Hit, text: str) -> bool:
    """Is the hit in the title of a heading with no text under it (二、…第一责任人职责情况 / （详见县委报告））? A title
    run into text (flattened: （六）化解消费纠纷依托…机制，全年…) holds that text, so it is not bare."""
    s = outline.sentences[hit.sentence]
    return any(1 <= h.level <= 4 and h.start <= hit.start < h.end and _title_closed(text, h.end)
               for h in (outline.headings[i] for i in s.path if i in outline.bare))


def _in_heading(outline: Outline, hit: Hit, text: str) -> int | None:
    """The heading (一、 （一） 1. （1）) whose title holds the hit and surely ends where the outline ends it: at the
    end of its line or at a full stop. A title run into its text (copied out of a PDF: （二）规范行政执法严格落实…，)
    may hold the text's first sentence, which is no title."""
    s = outline.sentences[hit.sentence]
    return next((i for i in s.path if i not in outline.statements and 1 <= (h := outline.headings[i]).level <= 4
                 and h.start <= hit.start < h.end and _title_closed(text, h.end)), None)


_NEXT_HEADING = re.compile(r"[ \t]*(?:\([一二三四五六七八九十\d]{1,3}\)|[一二三四五六七八九十]{1,3}、)")


def _title_closed(text: str, end: int) -> bool:
    """Does a title surely end at `end`: at its line's end, a full stop or (flattened) the next heading's number?"""
    rest = text[end:end + 4].lstrip(" \t")
    return not rest or rest[0] in "\n。" or bool(_NEXT_HEADING.match(text, end))


def _fits(c, sentence: str, start: int, a: int, b: int, end: int, plain: str | None = None,
          whole: tuple[int, int] | None = None) -> bool:
    """Does context c fit a hit at [a, b) of a sentence, looking in [start, end)? `whole`: the stretch of the
    clause hit this is one part of, where what cancels a context is looked for too (发现…不规范等问题9个，均已整改)."""
    if c.in_heading:   # read by _reading from the outline, never from the words
        return False
    (before, after, around), unless = _groups(c)
    return (_words_fit(c, before, after, around, sentence, start, a, b, end, plain or sentence)
            and not (unless and _cancelled(unless, plain or sentence, start, end, whole, c.means == "others"))
            and _shape_fits(c, sentence, start, a, b, end))


def _words_fit(c, before: tuple, after: tuple, around: tuple, sentence: str, start: int, a: int, b: int,
               end: int, plain: str) -> bool:
    """Does a word of each of the context's groups stand where the group looks: before the hit, after it
    (right after it, for an adjacent context), or anywhere in [start, end)?"""
    # a word before the hit may run into it (将带头 before the hit 带头): it must only start before it
    if not all(g.search(sentence, start, a) or any(m.start() < a for m in g.finditer(sentence, max(start, a - RUN_IN), b))
               for g in before):
        return False
    if c.adjacent and not all(_adjacent(g, sentence, b, end) for g in after):
        return False
    if not all(g.search(sentence, b, end) for g in after):
        return False
    if c.named_problem:
        return all(_outside_named_problems(c, g, sentence, start, end, plain) for g in around)
    return all(g.search(sentence, start, end) for g in around)


_PROBLEM_NOUN = re.compile(r"[^,。;:]{0,10}?(?:问题|现象)")


def _outside_named_problems(c, g: re.Pattern, sentence: str, start: int, end: int, plain: str) -> bool:
    """Does a word of group g stand in [start, end) other than inside a problem named as dealt with (one of the
    context's named_problem words in its clause: 对督察指出的执法不规范问题…; …不规范问题督促整改; and, with
    fixed_by, a word that the fix was made)? If all there are so named, one elsewhere in the sentence, outside such
    a problem, still counts (…问题，整改仍不到位). `plain`: the sentence with its acts, where those words are read."""
    if not g.search(sentence, start, end):
        return False
    if c.fixed_by and not any(w in plain for w in c.fixed_by):
        return True   # no fix said: no problem in the sentence is named as dealt with

    def named(m: re.Match) -> bool:
        lo, hi = _clause_around(sentence, m.start(), m.end(), 0, len(sentence))
        clause = plain[lo:m.start()] + plain[m.end():hi]
        return bool(_PROBLEM_NOUN.match(sentence, m.end())) and any(w in clause for w in c.named_problem)
    return any(not named(m) for m in g.finditer(sentence))   # the sentence's own, in [start, end) or not


def _cancelled(unless: re.Pattern, text: str, start: int, end: int, whole: tuple[int, int] | None,
               others: bool = False) -> bool:
    """Does a word that cancels the context stand in [start, end), or in the whole clause hit from there on?
    (发现…不规范问题9个，均已整改: a later clause fixes what an earlier one names; 督察指出的…问题，整改仍需加强: an
    earlier clause cancels nothing in a later one.) `others`: the context is others' act, whose cancelling words
    name the body's own leaders."""
    return _unless(unless, text, start, end, others) or bool(whole) and _unless(
        unless, text, max(whole[0], start), whole[1] + SCOPE_CHARS // 5, others)


def _shape_fits(c, sentence: str, start: int, a: int, b: int, end: int) -> bool:
    """The context's conditions on how the hit stands: inside a title in 《》 (quoted), not in a title the body
    made itself (made), inside a bare list of tasks (listed), in a sentence without a count (unless_counted)."""
    if c.quoted and not (sentence.rfind("《", start, a) > sentence.rfind("》", start, a) and "》" in sentence[b:end]):
        return False
    if c.made and _made(c.made, sentence, start, a):
        return False
    if c.listed and not _in_bare_list(c.listed, sentence, start, a, b, end):
        return False
    return not (c.unless_counted and _DIGIT.search(sentence))


# a cancelling word negated (仍未整改到位 fixes nothing; 需研究解决 solves nothing yet), passive (引发行政复议被依法纠正: the body was corrected) or
# only receiving (述法情况报局党组备案: the 党组 is told, the others act) does not cancel
_NOT_ACTING = re.compile(r"(?:未|没有|不|无法|未能|需|需要|有待|亟需|亟待|被(?:依法)?|(?:报|向|报送|提交|报请|呈报)[局厅委办部镇乡区县市]?)$")


# 各乡镇党委书记, 辖区村党组织书记, 12个乡镇党委书记, 行政村党支部书记: the others' 书记, not the body's own
_OTHERS_OWN = re.compile(r"(?:(?:各|辖区|个)[^,。;:、和及与]{0,10}|(?:村(?![镇乡])|社区|居\))[^,。;:、和及与]{0,4})$")


# a word that joins two parties (各部门党组书记列席县政府党组中心组学习；县政府常务会议会同各乡镇主要负责人学法；各乡镇党委
# 书记和县政府领导班子成员述法): the body's own is one of them unless both are others' (各乡镇党委和各部门党组; 列席所在区政府…)
_JOINING = re.compile(r"(?:和|及|与|同|列席|旁听|一起|一同|一道|会同)(.*)")
_OTHERS_START = re.compile(r"各|县直|区直|市直|所在|所属|辖区|\d+个|全县|全市|全区|全省")


def _joins_own(word: str, text: str, start: int, end: int) -> bool | None:
    """For a cancelling word that joins two parties: is the body's own one of them (named in the word itself:
    和县政府领导…; else the words after it or before it not others')? None for any other word, and for one that
    names others after it (与各, 同各: then the words before it decide, as for any word)."""
    m = _JOINING.fullmatch(word)
    if m is None or _OTHERS_START.match(m.group(1)):
        return None
    return bool(m.group(1)) or not _OTHERS_START.match(text, end) \
        or not _OTHERS_OWN.search(text, max(0, start - 12), start)


def _unless(words: re.Pattern, text: str, start: int, end: int, others: bool = False) -> bool:
    """Does a word that cancels the context stand in [start, end), neither negated nor only receiving (nor, for
    others' act, another body's own: 各乡镇党委书记; nor joining others to others)?"""
    def cancels(m: re.Match) -> bool:
        if _NOT_ACTING.search(text, max(0, m.start() - 3), m.start()):
            return False
        if not others:
            return True
        joined = _joins_own(m.group(0), text, m.start(), m.end())
        return joined if joined is not None else not _OTHERS_OWN.search(text, max(0, m.start() - 12), m.start())
    return any(cancels(m) for m in words.finditer(text, start, end))


def _made(verbs: list[str], sentence: str, start: int, a: int) -> bool:
    """Does the title the hit stands in follow one of the verbs (调整了《…权责清单》): the body's own document?"""
    opening = sentence.rfind("《", start, a)
    return sentence[max(start, opening - 8):opening].removesuffix("了").endswith(tuple(verbs))


def _adjacent(group, sentence: str, b: int, end: int) -> bool:
    """One of the group's words starts right at b, and ends in punctuation or at the end of the scope (法 of
    行政复议法 at a clause's end, not the 法 of 行政复议法律服务)."""
    m = group.match(sentence, b, end)
    return bool(m) and (m.end() == end or not m.group(0)[-1].isalnum() or m.group(0)[-1] in "等和及与第")


# a count of work done: 32件, 三次 (not 八个方面, 三项制度)
_DIGIT = re.compile(r"\d|[一二两三四五六七八九十百千]+(?:余|多)?[件次个项场名人家起篇期条份户](?!方面|领域|层面|制度|机制|原则|要求)")


def _in_bare_list(listed, sentence: str, start: int, a: int, b: int, end: int) -> bool:
    """Is [a, b) inside one item of a list in [start, end) whose items (joined by 、) name tasks or systems, at
    least listed.items of them, with no number in that stretch (a count elsewhere in the sentence is another
    statement)?"""
    if _DIGIT.search(sentence, start, end):
        return False
    items, pos = [], start
    for piece in sentence[start:end].split("、"):
        items.append((pos, pos + len(piece)))
        pos += len(piece) + 1

    def names_one(s: int, e: int) -> bool:
        item = re.sub(r"^(?:从|在|围绕|着力|重点)", "", sentence[s:e].strip("“”\""))   # 从A、B、C等方面
        return len(item) >= listed.chars and (item.startswith(tuple(listed.starts)) and bool(listed.starts)
                                               or item.endswith(tuple(listed.ends)) and bool(listed.ends))
    mine = next(((s, e) for s, e in items if s <= a and b <= e), None)
    return mine is not None and mine[1] - mine[0] >= listed.chars and \
        sum(names_one(s, e) for s, e in items) >= listed.items


def judge(rule: Rule, hits: dict[str, list[Hit]], text: str, outline: Outline, parts: list[str],
          year: int | None = None) -> tuple[Finding, list[Hit]]:
    """One rule's finding, with the hits that decided it (strongest first; the first EVIDENCE of them at
    least). Hits are placed in their part only when read: a file of 35,000 headings has as many hits."""
    if rule.kind == "section":
        decided = _section_finding(rule, hits, parts)
    else:
        decided = _element_finding(rule, hits, text, outline, parts, year)
    return decided or _weak_finding(rule, hits, parts)


def _placed(hits: dict[str, list[Hit]], parts: list[str], how: str) -> list[Hit]:
    """The hits found one way that stand in the report's text (not its contents or signature)."""
    return [h for h in hits.get(how, []) if parts[h.sentence] not in NOT_TEXT]


def _evidence(group: list[Hit], parts: list[str]) -> list[Hit]:
    """The first EVIDENCE hits of a group, each placed in its part."""
    return [replace(h, part=parts[h.sentence]) for h in group[:EVIDENCE]]


def _section_finding(rule: Rule, hits: dict[str, list[Hit]], parts: list[str]) -> tuple[Finding, list[Hit]] | None:
    """A section rule is met by a heading or an opener."""
    decisive = [h for how in ("heading", "opener") for h in sorted(_placed(hits, parts, how), key=lambda h: h.start)]
    if decisive:
        return Finding(rule, Status.MET, max(h.score for h in decisive)), _evidence(decisive, parts)
    return None


def _element_finding(rule: Rule, hits: dict[str, list[Hit]], text: str, outline: Outline, parts: list[str],
                     year: int | None) -> tuple[Finding, list[Hit]] | None:
    """An element rule's finding from its phrase and clause hits read in their context, or None when none
    of them decides (near misses and related wording then may)."""
    found, outdated = _read_hits(rule, hits, text, outline, parts, year)
    by_context = {ctx: _one_per_sentence([h for h in found if h.context == ctx])
                  for ctx in (DONE, SHORTCOMING, PLANNED, NAMED, OTHERS)}
    if rule.all_of:
        decided = _components_finding(rule, found)
    elif by_context[DONE]:
        decided = Finding(rule, Status.MET, max(h.score for h in by_context[DONE])), by_context[DONE]
    else:
        decided = None
    return decided or _not_done_finding(rule, by_context) or _outdated_finding(rule, outdated, year)


def _candidates(hits: dict[str, list[Hit]], parts: list[str]) -> list[Hit]:
    """The phrase and clause hits in the report's text, placed in their parts, strongest evidence first:
    phrases before clause patterns, exact before fuzzy, longer phrases first, then document order."""
    candidates = [replace(h, part=parts[h.sentence]) for how in ("exact", "ocr", "fuzzy", "clause")
                  for h in hits.get(how, []) if parts[h.sentence] not in NOT_TEXT]
    candidates.sort(key=lambda h: (h.how == "clause", -h.score, -len(h.phrase), h.start))
    return candidates


def _read_hits(rule: Rule, hits: dict[str, list[Hit]], text: str, outline: Outline, parts: list[str],
               year: int | None) -> tuple[list[Hit], list[Hit]]:
    """The candidates read in their context: (those whose wording fits the report year, those whose wording
    is of another era). Reading stops once enough sentences show the rule done."""
    found, outdated, done_sentences, read = [], [], set(), Counter()
    for h in _candidates(hits, parts):
        if not rule.all_of and (h.sentence in done_sentences or read[h.sentence] >= READS_PER_SENTENCE):
            continue   # the sentence already shows the rule done (or has been read enough): one piece of evidence
        if h.check is not None and not h.check():
            continue   # a token-level word inside another word (述法 in 上述法律)
        read[h.sentence] += 1
        context, label = _reading(rule, text, outline, h, h.part, year)
        (found if h.fits(year) else outdated).append(replace(h, context=context, context_label=label))
        if context == DONE and h.fits(year):
            done_sentences.add(h.sentence)
            if len(done_sentences) >= EVIDENCE and not rule.all_of:
                break   # met, with all the evidence shown: the rest need not be read
    return found, outdated


def _components_finding(rule: Rule, found: list[Hit]) -> tuple[Finding, list[Hit]] | None:
    """A rule of several components: met by a phrase for the whole or by every component done; partial when
    only some are; None when none is."""
    whole = _one_per_sentence([h for h in found if h.context == DONE and h.component is None])
    if whole:
        return Finding(rule, Status.MET, max(h.score for h in whole)), whole
    first: dict[int, Hit] = {}
    for h in sorted((h for h in found if h.context == DONE and h.component is not None), key=lambda h: h.start):
        first.setdefault(h.component, h)
    shown = [first[k] for k in sorted(first)]
    if len(first) == len(rule.all_of):
        return Finding(rule, Status.MET, min(h.score for h in shown)), shown
    if first:
        seen = [rule.all_of[k].name for k in sorted(first)]
        lacking = [c.name for k, c in enumerate(rule.all_of) if k not in first]
        return Finding(rule, Status.PARTIAL, 0.0, why=_why("components", rule, seen=seen, lacking=lacking)), shown
    return None


def _not_done_finding(rule: Rule, by_context: dict[str, list[Hit]]) -> tuple[Finding, list[Hit]] | None:
    """Hits that are there but not as done: a shortcoming, then a plan, then only named or done by others."""
    if by_context[SHORTCOMING]:
        hs = by_context[SHORTCOMING]
        return Finding(rule, Status.SHORTCOMING, max(h.score for h in hs),
                       why=_why("shortcoming", rule, phrases=_phrases(hs))), hs
    if by_context[PLANNED]:
        hs = by_context[PLANNED]
        labels = _labels(hs)
        kind = "planned" if set(labels) <= _SAID_BEFORE else "arranged"
        return Finding(rule, Status.PLANNED, max(h.score for h in hs),
                       why=_why(kind, rule, phrases=_phrases(hs), labels=labels)), hs
    for context in (NAMED, OTHERS):
        hs = by_context[context]
        if hs:
            return Finding(rule, Status.PARTIAL, 0.0, why=_why(context, rule, phrases=_phrases(hs),
                                                               labels=_labels(hs))), hs
    return None


def _outdated_finding(rule: Rule, outdated: list[Hit], year: int | None) -> tuple[Finding, list[Hit]] | None:
    """Only wording of another era: partial."""
    if not outdated:
        return None
    lo, hi = outdated[0].years
    return Finding(rule, Status.PARTIAL, 0.0, why=_why("outdated", rule, phrases=_phrases(outdated),
                                                       era=years(lo, hi), year=year)), \
        _one_per_sentence(outdated)


def _weak_finding(rule: Rule, hits: dict[str, list[Hit]], parts: list[str]) -> tuple[Finding, list[Hit]]:
    """When nothing decided: a near miss (element rules) or related wording is partial; else missing."""
    near = sorted(_placed(hits, parts, "near-miss"), key=lambda h: -h.score)
    if near and rule.kind == "element":
        return Finding(rule, Status.PARTIAL, near[0].score,
                       why=_why("near-miss", rule, phrase=near[0].phrase, score=near[0].score,
                                min_score=rule.match.min_score)), _evidence(_one_per_sentence(near), parts)
    related = sorted(_placed(hits, parts, "related"), key=lambda h: h.start)
    if related:
        return Finding(rule, Status.PARTIAL, 0.0, why=_why("related", rule, phrases=_phrases(related))), \
            _evidence(related, parts)
    return Finding(rule, Status.MISSING, 0.0, why=rule.message), []


def _one_per_sentence(hits: list[Hit]) -> list[Hit]:
    seen: set[int] = set()
    return [h for h in hits if not (h.sentence in seen or seen.add(h.sentence))]


def _why(kind: str, rule: Rule, **fields) -> Said:
    """The explanation of an element rule's verdict (explain.MESSAGES), ending in the rule's own message."""
    return say(kind, message=rule.message, **fields)


def _phrases(hits: list[Hit]) -> list[str]:
    return list(dict.fromkeys(h.phrase for h in hits))


def _labels(hits: list[Hit]) -> list[str]:
    return list(dict.fromkeys(h.context_label for h in hits))
