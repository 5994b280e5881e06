"""The batch matrix for supervisors as CSV: one row per report, its facts and score, then per rule the status a
person reads (满足, 缺失, …) under the rule's short name and the status id under the rule id.

People open it in Excel, so it is UTF-8 with a BOM (Excel on a Chinese Windows PC reads a file without one as
GBK) and its headers are Chinese (`--lang en`: English). Machines keep what they read: a column per rule id
holding the status id (met, missing, …). The match confidence (匹配度) is not here: it is no score; the
points are (得分 / 满分).

Cells are neutralized as OWASP's CSV-injection guidance says: every text cell is quoted, and one that a
spreadsheet would read as a formula (it starts with = + - @, a tab or a carriage return, or their full-width
forms) gets a leading apostrophe, so it opens as the text it is.
"""
from __future__ import annotations

import csv
import io

from .. import labels
from ..i18n import N_, _
from ..model import Report, Status
from ..rule_schema import Rule
from ..shown import name, text

# What makes a spreadsheet read a cell as a formula when it comes first (full-width forms: some spreadsheets
# convert them on entry); also used by the spreadsheet format.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
BOM = "\ufeff"

# The per-report columns, shared with the spreadsheet's 汇总 sheet (ids: English; headers shown translated).
SUMMARY = {"body": N_("reporting body"), "level": N_("administrative level"), "year": N_("report year"),
           "result": N_("audit result"), "points": N_("points scored"), "max": N_("full marks"),
           "met": N_("rules met"), "gaps": N_("gaps"), "file": N_("file"), "profile": N_("profile")}
# Statuses counted per report in the spreadsheet: every one a finding can have, gaps first.
COUNTED = [s for s in labels.GAPS_FIRST if s is not Status.WRONG_TYPE]


def short(rule: Rule) -> str:
    """The rule's short name for a matrix column: `short`, else its title up to the first bracket."""
    return rule.short or rule.title.split("（")[0].split("(")[0]


def level(value: str | None) -> str:
    """乡镇（街道）, 县级部门 … (labels.level); an empty cell when unknown."""
    return labels.level(value) if value else ""


def profile(value: str | None) -> str:
    """The profile a report was audited with: a level's profile in words (乡镇（街道）), another by its id."""
    return labels.level(value) if value in labels.LEVELS else (value or "")


def result(report: Report) -> str:
    """What became of the report: audited, not audited (error codes), or another kind of document."""
    if report.errors:
        return _("not audited ({codes})").format(codes=", ".join(e.code for e in report.errors))
    if report.wrong_type:
        return _("not this kind of report: {kind}").format(kind=report.wrong_type)
    return _("audited")


def rating(report: Report) -> tuple:
    """(points, full marks) of the report's score, or two empty cells when it has none."""
    r = getattr(report, "rating", None)
    return (number(r.points), number(r.max)) if r is not None else ("", "")


def number(x: float | None):
    """Points as people write them: 83, 98.5; None as an empty cell."""
    return "" if x is None else (int(x) if float(x).is_integer() else round(x, 1))


def summary(report: Report) -> dict:
    """The report's own cells (SUMMARY's ids), names and text as they may be shown."""
    m = report.metadata
    points, full = rating(report)
    cells = {"body": getattr(m, "body", None) or "", "level": level(getattr(m, "level", None)),
             "year": getattr(m, "year", None) or "", "result": result(report), "points": points, "max": full,
             "met": sum(f.status is Status.MET for f in report.findings),
             "gaps": sum(f.status.is_gap for f in report.findings), "file": name(report.path),
             "profile": profile(report.profile)}
    return {k: text(v) if isinstance(v, str) else v for k, v in cells.items()}   # one line each


def rows(reports: list[Report], rules: list[Rule]) -> list[list]:
    """Header and one row per report: the report's cells, then per rule the status label (under its short
    name) and the status id (under its rule id)."""
    head = [_(h) for h in SUMMARY.values()]
    for rule in rules:
        head += [text(short(rule)), rule.id]
    out = [head]
    for r in reports:
        by_id = {f.rule.id: f for f in r.findings}
        row = list(summary(r).values())
        for rule in rules:
            f = by_id.get(rule.id)
            row += [f.status.label, f.status.value] if f else ["", ""]
        out.append(row)
    return out


def neutral(cell):
    """A CSV cell that no spreadsheet runs: text that would start a formula gets a leading apostrophe."""
    return "'" + cell if isinstance(cell, str) and cell.startswith(FORMULA_START) else cell


def render(reports: list[Report], rules: list[Rule], **_options) -> str:
    buf = io.StringIO()
    buf.write(BOM)   # Excel reads UTF-8 only with it
    writer = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_NONNUMERIC)
    writer.writerows([neutral(cell) for cell in row] for row in rows(reports, rules))
    return buf.getvalue()
