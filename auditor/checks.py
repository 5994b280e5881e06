"""The few checks of metadata rules that need code, each written once and named by a rule's `check:`.

Everything else about such a rule (severity, message, title wordings as phrases / related, deadlines) is
data in its YAML file.
"""
from __future__ import annotations

from datetime import date

from . import doctype
from .doctype import words
from .i18n import _
from .metadata import Metadata
from .model import Finding, Rule, Status
from .ocr import fold


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


def document_type(rule: Rule, m: Metadata, text: str) -> Finding:
    """Another kind of document handed in by mistake, by its name and by its wording (doctype.decide)."""
    d = doctype.decide(rule, m, text)
    if d.kind is None:
        return _met(rule)
    shown = "、".join(d.evidence[:4])
    if d.named_by:
        why = _("{message}: the {where} shows this is {kind} ({name})").format(
            message=rule.message, where=_(doctype.NAME_LABELS[d.named_by]), kind=d.kind.name, name=d.name)
        if shown:
            why += _("; the text reads like one too ({found})").format(found=shown)
    else:
        why = _("{message}: the text reads like {kind} ({found})").format(
            message=rule.message, kind=d.kind.name, found=shown)
    return _gap(rule, why, Status.WRONG_TYPE, d.kind.name)


CHECKS = {"names-year": names_year, "names-body": names_body, "signed-and-dated": signed_and_dated,
          "title": title, "deadline": deadline, "consistent-year": consistent_year, "document-type": document_type}


def run(rule: Rule, m: Metadata, text: str, outside: str | None = None) -> Finding:
    """The finding of one metadata rule (text: the normalized report); `outside`: why it does not bind."""
    return Finding(rule, Status.NOT_APPLICABLE, 0.0, why=outside) if outside else CHECKS[rule.check](rule, m, text)
