"""The few checks of metadata rules that need code, each written once and named by a rule's `check:`.

Everything else about such a rule (severity, message, title wordings as phrases / related, deadlines) is
data in its YAML file.
"""
from __future__ import annotations

from datetime import date

from . import doctype
from .doctype import words
from .explain import say
from .metadata import Metadata
from .model import Finding, Status
from .rule_schema import Rule
from .ocr import fold


def _met(rule: Rule, note: str | None = None) -> Finding:
    return Finding(rule, Status.MET, 100.0, note=note)


def _gap(rule: Rule, why: str, status: Status = Status.MISSING, note: str | None = None) -> Finding:
    return Finding(rule, status, 0.0, why=why, note=note)


def names_year(rule: Rule, m: Metadata, _text: str) -> Finding:
    if m.year_source in ("title", "opening"):
        return _met(rule, say("year-named", year=m.year, where="in the title" if m.year_source == "title"
                                                                   else "in the opening"))
    return _gap(rule, say("year-guessed", message=rule.message, year=m.year) if m.year else rule.message)


def names_body(rule: Rule, m: Metadata, _text: str) -> Finding:
    if m.body and m.body_generic:   # 区政府, 县司法局, 我县: says what kind of body, not which
        return _gap(rule, say("body-generic", body=m.body, message=rule.message), Status.PARTIAL, m.body)
    return _met(rule, m.body) if m.body else _gap(rule, rule.message)


def signed_and_dated(rule: Rule, m: Metadata, _text: str) -> Finding:
    if m.signed and m.date:
        return _met(rule, say("signed", body=m.body, date=m.date))
    missing = [x for x, ok in (("signature", m.signed), ("date written", m.date)) if not ok]
    return _gap(rule, say("unsigned", message=rule.message, missing=missing))


def title(rule: Rule, m: Metadata, _text: str) -> Finding:
    if not m.title:
        return _gap(rule, say("no-title", message=rule.message))
    folded = fold(m.title)   # an OCR slip (法冶政府) does not make a wrong title
    if any(w in folded for w in words(rule.phrases)):
        return _met(rule, m.title)
    accepted = [w for w in words(rule.related) if w in folded]
    if accepted:
        return _met(rule, say("title-accepted", word=accepted[0], title=m.title))
    return _gap(rule, say("title-wrong", message=rule.message, title=m.title), Status.PARTIAL)


def deadline(rule: Rule, m: Metadata, _text: str) -> Finding:
    if not (m.year and m.date):
        missing = "the date written is missing" if not m.date else "the report's year is unknown"
        return _gap(rule, say("deadline-unknown", missing=missing), Status.NOT_APPLICABLE)
    due = rule.deadline.due if m.year >= 2019 else rule.deadline.due_before_2019
    month, day = (int(x) for x in due.split("-"))
    limit = date(m.year + 1, month, day)
    if date.fromisoformat(m.date) <= limit:
        return _met(rule, say("deadline-met", date=m.date, due=limit.isoformat()))
    return _gap(rule, say("deadline-late", message=rule.message, date=m.date, due=limit.isoformat()))


def consistent_year(rule: Rule, m: Metadata, _text: str) -> Finding:
    if m.year_source == "title" and m.opening_year and m.opening_year != m.year:
        return _gap(rule, say("years-differ", message=rule.message, year=m.year, opening_year=m.opening_year),
                    Status.PARTIAL)
    return _met(rule)


def document_type(rule: Rule, m: Metadata, text: str) -> Finding:
    """Another kind of document handed in by mistake, by its name and by its wording (doctype.decide)."""
    d = doctype.decide(rule, m, text)
    if d.kind is None:
        return _met(rule)
    shown = list(d.evidence[:4])
    if d.named_by:
        why = say("named-kind-and-text" if shown else "named-kind", message=rule.message,
                  where=doctype.NAME_LABELS[d.named_by], kind=d.kind.name, name=d.name,
                  **({"found": shown} if shown else {}))
    else:
        why = say("text-kind", message=rule.message, kind=d.kind.name, found=shown)
    return _gap(rule, why, Status.WRONG_TYPE, d.kind.name)


CHECKS = {"names-year": names_year, "names-body": names_body, "signed-and-dated": signed_and_dated,
          "title": title, "deadline": deadline, "consistent-year": consistent_year, "document-type": document_type}


def run(rule: Rule, m: Metadata, text: str, outside: str | None = None) -> Finding:
    """The finding of one metadata rule (text: the normalized report); `outside`: why it does not bind."""
    return Finding(rule, Status.NOT_APPLICABLE, 0.0, why=outside) if outside else CHECKS[rule.check](rule, m, text)
