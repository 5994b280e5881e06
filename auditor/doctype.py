"""What kind of document a text is: an annual rule-of-law report, or another document handed in by mistake.

Told from the title *and* the body's own wording, so that a text without its title, or with its line breaks
lost, gets the same type as the original. Everything that tells the kinds apart is data in
rules/metadata/document-type.yaml (`wrong_types`, `report`); this module only weighs it:

1. The name the text gives itself — its title (not a title it only cites, 《…报告》出炉), else the sentence
   that says what it is (现将…总结如下), else the words it opens with (2023年依法治镇工作一、…) — names a kind
   (关于印发…的通知, 政府信息公开工作年度报告) or this report (the subject, 法治政府建设, and a report word).
2. A document that is no report at all (a notice, a plan, news, an interpretation, assessment measures) is
   told by its form: its title and signs (各乡镇人民政府…: 现印发给你们; 制定本方案; 会议强调; 问:…答:) must
   outweigh the title naming this report plus the report's own voice (现将…报告如下, 一年来, 存在的不足).
3. A report on another subject or by one official (政府信息公开, 普法, 政府工作报告, 述法) is what its name says;
   without a name, its fixed wording or its subject outweighing this report's subject decides.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from .i18n import N_
from .metadata import Metadata
from .rule_schema import ReportForm, Rule, Sign, TopicBalance, WrongType
from .normalize import _t2s, normalize_phrase
from .ocr import fold

# the words a text opens with: up to the first sentence mark, line break or heading number
_HEAD = re.compile(r"[^。!?;:,\n]{4,100}?(?=[。!?;:,\n]|[一二三四五六七八九十]、|\([一二三四五六七八九十]\))")
_OWN_LINE = re.compile(r"\n|[一二三四五六七八九十]、|\([一二三四五六七八九十]\)")
# a heading of the body (一、工作开展情况) or a page's field ([体裁分类]工作报告) is no name of the document
_NO_NAME = re.compile(r"^\s*(?:[一二三四五六七八九十]+[、.]|\([一二三四五六七八九十\d]+\)|\d+[、.]|第[一二三四五六七八九十]+[章节部分])"
                      r"|\[[^\]]*\]")
_CITED = re.compile(r"《[^《》]*》")
_WHOLE = re.compile(r"\s*\((?:全文|摘要|原文)\)")   # 《…》（全文）: the quoted title is the document itself
_YEAR_OPENING = re.compile(r"\s*(?:19|20)\d{2}年")
_BARE = re.compile(r"[()\s]|全文|摘要|原文")   # what may stand beside a quoted title that is the document itself
NAME_LABELS = {"title": N_("title line"), "described": N_("self-description"), "head": N_("opening words")}


@dataclass
class Decision:
    """The kind of document (None: an annual report) and what showed it."""
    kind: WrongType | None = None
    named_by: str | None = None        # title | described | head: the document's name said so
    name: str | None = None
    evidence: list[str] = field(default_factory=list)   # the signs found, as they stand in the text


def words(items) -> list[str]:
    """Phrases as they are compared with a title or a text: normalized and OCR-folded."""
    return [fold(normalize_phrase(p if isinstance(p, str) else p.text)) for p in items]


@lru_cache(maxsize=512)
def _compiled(pattern: str) -> re.Pattern:
    """A pattern as the text is normalized: half-width punctuation, simplified script."""
    return re.compile(_t2s().convert(unicodedata.normalize("NFKC", pattern)))


def _sign(item) -> Sign:
    return Sign(words=[item]) if isinstance(item, str) else item


def _found(sign: Sign, text: str, title: str) -> str | None:
    """The first place a sign is found (as it stands), or None."""
    where = title if sign.where == "title" else (text[:sign.within] if sign.within else text)
    if sign.pattern:
        hits = _compiled(sign.pattern).finditer(where)
        found = [h.group(0) for h, _ in zip(hits, range(sign.min_count))]
        return found[0] if len(found) >= sign.min_count else None
    plain = [normalize_phrase(w) for w in sign.words]
    count = sum(where.count(w) for w in plain)
    return next((w for w in plain if w in where), None) if count >= sign.min_count else None


def _weigh(signs, text: str, title: str) -> tuple[int, list[str]]:
    """The weight of the signs found and what was found; nothing when a kind's required signs are all missing."""
    score, found, required, met = 0, [], False, False
    for sign in map(_sign, signs):
        hit = _found(sign, text, title)
        required |= sign.required
        if hit:
            met |= sign.required
            score += sign.weight
            found.append(hit.strip(" \n,;:)】")[:24])
    return (0, []) if required and not met else (score, found)


def _count(items, folded: str) -> int:
    return sum(folded.count(w) for w in words(items) if w)


def _balance(topic: TopicBalance | None, rule: Rule, folded: str) -> tuple[int, list[str]]:
    if topic is None:
        return 0, []
    mine = _count(topic.words, folded)
    theirs = _count(topic.against or rule.phrases, folded)
    if mine >= topic.min and mine >= topic.ratio * (theirs + 1):
        return topic.weight, [f"{'、'.join(topic.words[:2])}…{mine}处"]
    return 0, []


def _as_named(title: str) -> str:
    """A title with the documents it only cites taken out (《…报告》出炉 → 出炉), unless the quoted title is the
    document itself (《民政部2021年法治政府建设年度报告》(全文))."""
    rest = _CITED.sub("", title)
    return rest if len(_BARE.sub("", rest)) >= 2 else title


def named_kind(rule: Rule, title: str) -> tuple[WrongType | None, bool]:
    """The kind a name (title, self-description) says the document is: (wrong kind or None, decided?). The form
    of a notice, plan or interpretation decides over its subject; otherwise this report's subject (法治政府,
    依法行政) with a report word (报告, 总结, 情况) names this report, and another kind's words name that kind."""
    folded = fold(_as_named(title))

    def names(kind: WrongType) -> bool:
        hit = any(w in folded for w in words(kind.title)) or any(folded.endswith(w) for w in words(kind.title_end))
        return hit and not any(w in folded for w in words(kind.unless))
    for kind in (k for k in rule.wrong_types if k.form):
        if names(kind):
            return kind, True
    if any(w in folded for w in words(rule.phrases)) and any(w in folded for w in words(rule.report.title)):
        return None, True
    return next(((k, True) for k in rule.wrong_types if not k.form and names(k)), (None, False))


def _cited(title: str, text: str) -> bool:
    """The title is quoted inside a paragraph (《…报告》（以下简称《报告》）出炉), not the text's own name: a 《》 title
    run into the text and followed neither by （全文）, nor by itself, nor by the body's opening year."""
    at = text.find(title)
    if at <= 0 or text[at - 1] != "《" or not _run_in(title, text):
        return False
    after = text[at + len(title):].lstrip("》")
    return not (_WHOLE.match(after) or after.startswith(title) or _YEAR_OPENING.match(after))


def _run_in(title: str, text: str) -> bool:
    """The title stands in a line with other text (copied out of a PDF, or a page's header run into it)."""
    at = text.find(title)
    if at < 0:
        return False
    line_start = text.rfind("\n", 0, at) + 1
    line_end = text.find("\n", at)
    return (line_end if line_end >= 0 else len(text)) - line_start > len(title) + 12


def head(text: str, report: ReportForm) -> str | None:
    """The words a text opens with, when they are its name: on a line of their own or before its first heading
    (2023年依法治镇工作一、认真…), or a name run into the body that ends in a document word right before the body's
    first words (…工作谋划今年以来，… → …工作谋划) or opens like a name (关于…的报告, whatever follows it).
    The first clause of a sentence is no name."""
    text = text.lstrip()
    m = _HEAD.match(text)
    if not m or m.group(0).startswith("各") or _NO_NAME.search(m.group(0)):   # a salutation, heading or field
        return None
    words_ = m.group(0)
    if m.end() == len(text) or _OWN_LINE.match(text, m.end()):
        return words_.strip()
    starts = _compiled(report.body_starts)
    ends = [(at + len(w)) for w in map(normalize_phrase, report.name_ends) for at in _find_all(words_, w)]
    cut = min((end for end in ends if starts.match(words_, end)), default=None)
    if cut is None and ends and words_.startswith(tuple(report.name_starts)):   # 关于…的报告 + its signature line
        cut = max(ends)
    return words_[:cut].strip() if cut else None


def _find_all(text: str, word: str):
    at = text.find(word)
    while at >= 0:
        yield at
        at = text.find(word, at + 1)


def decide(rule: Rule, m: Metadata, text: str) -> Decision:
    """The kind of document `text` (normalized) is, by its name and its wording (module docstring)."""
    report = rule.report
    title = _own_title(m.title, text)
    opening = head(text, report)
    by_name, decided = _by_name(rule, _names(title, opening, m.described_as, text))
    shown_title = title if title and not _run_in(title, text) else (opening or title or "")
    folded = fold(text)
    voice, _ = _weigh(report.signs, text, shown_title)
    for_report = report.title_weight if decided and by_name.kind is None else 0
    # a notice, plan, news item … : its form against the report's title and voice
    form = _strongest(rule, [k for k in rule.wrong_types if k.against == "voice"], lambda _k: for_report + voice,
                      text, folded, shown_title, by_name)
    if form:
        return form
    if decided:   # a report: this one, or one on another subject or by one official, as its name says
        named = by_name.kind
        return Decision(named, by_name.named_by, by_name.name) if named is not None and named.against != "voice" \
            else Decision()
    # no name decides: a report on another subject by its fixed wording or its subject
    topic = _count(rule.phrases, folded)
    return _strongest(rule, [k for k in rule.wrong_types if k.against != "voice"],
                      lambda k: topic if k.against == "topic" else 0, text, folded, shown_title, by_name) \
        or Decision()


def _own_title(title: str | None, text: str) -> str | None:
    """The title, unless it is only cited in the text or is no name at all (a heading, a page field)."""
    return title if title and not _cited(title, text) and not _NO_NAME.search(title) else None


def _names(title: str | None, opening: str | None, described: str | None, text: str) -> list[tuple[str, str | None]]:
    """(label, name) in the order they are asked what the document is."""
    if title and _run_in(title, text):   # a title run into the text (flattened) may have lost what stood around
        return [("head", opening), ("title", title), ("described", described)]   # it: the opening words first
    return [("title", title), ("described", described), ("head", None if title else opening)]


def _by_name(rule: Rule, names: list[tuple[str, str | None]]) -> tuple[Decision, bool]:
    """The kind the first deciding name says (kind None: this report) and what named it, and whether any name
    decided."""
    for label, candidate in names:
        if candidate:
            named, decided = named_kind(rule, candidate)
            if decided:
                return Decision(named, label, candidate), True
    return Decision(), False


def _strongest(rule: Rule, kinds, against, text: str, folded: str, shown_title: str,
               by_name: Decision) -> Decision | None:
    """Of `kinds`, the one whose signs (plus the title weight where its name named it) reach its minimum and
    outweigh `against(kind)` by the widest margin, or None."""
    best, best_margin = None, 0
    for kind in kinds:
        score, found = _weigh(kind.signs, text, shown_title)
        extra, balance = _balance(kind.topic, rule, folded)
        named = kind is by_name.kind
        score += extra + (rule.report.title_weight if named else 0)
        margin = score - against(kind)
        if score >= kind.min_score and margin > best_margin:
            by = by_name.named_by if named else None
            best, best_margin = Decision(kind, by, by_name.name if by else None, found + balance), margin
    return best
