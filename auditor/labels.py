"""The words people read for the auditor's stable identifiers, in the language in force (auditor.i18n): statuses,
levels, places in the original. Every renderer takes them from here; machine formats keep the identifiers."""
from __future__ import annotations

from .i18n import N_, _
from .status import Status

LEVELS = {"township": N_("township (street office)"), "county": N_("county level"), "city": N_("city"),
          "province": N_("province"), "department": N_("department")}

GAPS_FIRST = (Status.WRONG_TYPE, Status.MISSING, Status.PARTIAL, Status.PLANNED, Status.SHORTCOMING,
              Status.MET, Status.WAIVED, Status.NOT_APPLICABLE)   # the order a supervisor reads findings in


def status(value: Status | str) -> str:
    return Status(value).label


def level(value: str | None) -> str:
    return _(LEVELS[value]) if value in LEVELS else (value or _("level unknown"))


def place(where: str, place: dict | None) -> str:
    """第9段, 第3页第5行, 第12行第5列, 表1第2行第3格 (or their English) from an evidence's `place` numbers; the
    stored `where` when there are none."""
    p = place or {}
    if p.get("table"):
        return _("table {table} row {row} cell {cell}").format(table=p["table"], row=p.get("row"), cell=p.get("cell"))
    if p.get("paragraph"):
        return _("para {paragraph}").format(paragraph=p["paragraph"])
    if p.get("page"):
        return _("page {page} line {line}").format(page=p["page"], line=p.get("line"))
    if p.get("line"):
        return _("line {line} column {column}").format(line=p["line"], column=p.get("column", 1))
    return where


def gaps_first(findings: list) -> list:
    """Findings ordered as a supervisor reads them: gaps (missing, partial, planned, shortcoming), then the met,
    the waived and the not applicable; the rule order kept within each."""
    order = {s: i for i, s in enumerate(GAPS_FIRST)}
    return sorted(findings, key=lambda f: order[f.status])
