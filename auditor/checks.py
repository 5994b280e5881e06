"""The few checks of metadata rules that need code, each written once and named by a rule's `check:`.

Everything else about such a rule (severity, message, title wordings as phrases / related, deadlines) is
data in its YAML file.
"""
from __future__ import annotations

from datetime import date

from .metadata import Metadata
from .model import Finding, Rule, Status
from .normalize import normalize_phrase
from .ocr import fold


def words(items) -> list[str]:
    """Phrases as they are compared with a title or a text: normalized and OCR-folded."""
    return [fold(normalize_phrase(p if isinstance(p, str) else p.text)) for p in items]


def _met(rule: Rule, note: str | None = None) -> Finding:
    return Finding(rule, Status.MET, 100.0, note=note)


def _gap(rule: Rule, why: str, status: Status = Status.MISSING, note: str | None = None) -> Finding:
    return Finding(rule, status, 0.0, why=why, note=note)


def names_year(rule: Rule, m: Metadata, _text: str) -> Finding:
    if m.year_source in ("title", "opening"):
        return _met(rule, f"{m.year}年度（见{'标题' if m.year_source == 'title' else '正文开头'}）")
    guess = f"；按成文日期推断为{m.year}年度" if m.year else ""
    return _gap(rule, rule.message + guess)


def names_body(rule: Rule, m: Metadata, _text: str) -> Finding:
    if m.body and m.body_generic:   # 区政府, 县司法局, 我县: says what kind of body, not which
        return _gap(rule, f"报告主体不完整：只写了“{m.body}”，未写明名称；{rule.message}", Status.PARTIAL, m.body)
    return _met(rule, m.body) if m.body else _gap(rule, rule.message)


def signed_and_dated(rule: Rule, m: Metadata, _text: str) -> Finding:
    if m.signed and m.date:
        return _met(rule, f"{m.body}，{m.date}")
    missing = "、".join(x for x, ok in (("署名", m.signed), ("成文日期", m.date)) if not ok)
    return _gap(rule, f"{rule.message}（缺{missing}）")


def title(rule: Rule, m: Metadata, _text: str) -> Finding:
    if not m.title:
        return _gap(rule, rule.message + "（未见标题）")
    folded = fold(m.title)   # an OCR slip (法冶政府) does not make a wrong title
    if any(w in folded for w in words(rule.phrases)):
        return _met(rule, m.title)
    accepted = [w for w in words(rule.related) if w in folded]
    if accepted:
        return _met(rule, f"可接受但不规范的名称（{accepted[0]}）：{m.title}")
    return _gap(rule, f"{rule.message}：{m.title}", Status.PARTIAL)


def deadline(rule: Rule, m: Metadata, _text: str) -> Finding:
    if not (m.year and m.date):
        return _gap(rule, "无法判断：" + ("缺成文日期" if not m.date else "报告年度不详"), Status.NOT_APPLICABLE)
    due = rule.deadline.due if m.year >= 2019 else rule.deadline.due_before_2019
    month, day = (int(x) for x in due.split("-"))
    limit = date(m.year + 1, month, day)
    if date.fromisoformat(m.date) <= limit:
        return _met(rule, f"成文 {m.date}，期限 {limit.isoformat()}")
    return _gap(rule, f"{rule.message}：成文 {m.date}，晚于期限 {limit.isoformat()}")


def consistent_year(rule: Rule, m: Metadata, _text: str) -> Finding:
    if m.year_source == "title" and m.opening_year and m.opening_year != m.year:
        return _gap(rule, f"{rule.message}：标题为{m.year}年度，正文开头却是{m.opening_year}年", Status.PARTIAL)
    return _met(rule)


def _named_kind(rule: Rule, title: str):
    """The kind a title (or a self-description) names: (wrong kind or None, decided?). The form of a notice,
    plan or interpretation decides over its topic; otherwise this report's topic words (法治政府, 依法行政)
    keep it this kind, and another kind's words make it that kind."""
    folded = fold(title)

    def names(kind) -> bool:
        hit = any(w in folded for w in words(kind.title)) or any(folded.endswith(w) for w in words(kind.title_end))
        return hit and not any(w in folded for w in words(kind.unless))
    for kind in (k for k in rule.wrong_types if k.form):
        if names(kind):
            return kind, True
    if any(w in folded for w in words(rule.phrases)):
        return None, True
    return next(((k, True) for k in rule.wrong_types if not k.form and names(k)), (None, False))


def document_type(rule: Rule, m: Metadata, text: str) -> Finding:
    """Another kind of document handed in by mistake: its title names that kind (and not this one); with no
    title, the sentence that says what the text is (现将…总结如下) or the kind's fixed body wording."""
    for label, name in (("标题", m.title), ("正文自述", m.described_as)):
        if name:
            kind, decided = _named_kind(rule, name)
            if kind:
                return _gap(rule, f"{rule.message}：{label}表明这是{kind.name}（{name}）", Status.WRONG_TYPE, kind.name)
            if decided or label == "标题":
                return _met(rule)
    folded = fold(text)
    topic = sum(folded.count(w) for w in words(rule.phrases))   # a report says 法治政府建设 again and again
    for kind in rule.wrong_types:
        found = [w for w in words(kind.body) if w in folded]
        if kind.body and len(found) >= kind.body_min and len(found) > topic:
            return _gap(rule, f"{rule.message}：正文有{kind.name}的固定表述（{'、'.join(found)}）", Status.WRONG_TYPE,
                        kind.name)
    return _met(rule)


CHECKS = {"names-year": names_year, "names-body": names_body, "signed-and-dated": signed_and_dated,
          "title": title, "deadline": deadline, "consistent-year": consistent_year, "document-type": document_type}


def run(rule: Rule, m: Metadata, text: str, outside: str | None = None) -> Finding:
    """The finding of one metadata rule (text: the normalized report); `outside`: why it does not bind."""
    return Finding(rule, Status.NOT_APPLICABLE, 0.0, why=outside) if outside else CHECKS[rule.check](rule, m, text)
