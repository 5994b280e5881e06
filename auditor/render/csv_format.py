"""The batch matrix for supervisors as CSV: one row per report, a status and a score column per rule.

Cells are neutralized as OWASP's CSV-injection guidance says: every text cell is quoted, and one that a
spreadsheet would read as a formula (it starts with = + - @, a tab or a carriage return, or their full-width
forms) gets a leading apostrophe, so it opens as the text it is.
"""
from __future__ import annotations

import csv
import io

from ..model import Report, Rule
from ..shown import name, text

# What makes a spreadsheet read a cell as a formula when it comes first (full-width forms: some spreadsheets
# convert them on entry); also used by the spreadsheet format.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def rows(reports: list[Report], rules: list[Rule]) -> list[list]:
    """Header and one row per report (shared with the spreadsheet); names and text as they may be shown."""
    head = ["report", "body", "year", "level", "profile", "document", "met", "gaps"]
    for rule in rules:
        head += [rule.id, f"{rule.id} score"]
    out = [head]
    for r in reports:
        m = r.metadata
        by_id = {f.rule.id: f for f in r.findings}
        doc = ("error: " + ", ".join(e.code for e in r.errors)) if r.errors else (r.wrong_type or "年度报告")
        row = [name(r.path), getattr(m, "body", None) or "", getattr(m, "year", None) or "",
               getattr(m, "level", None) or "", r.profile or "", doc, sum(f.status.value == "met" for f in r.findings),
               sum(f.status.is_gap for f in r.findings)]
        for rule in rules:
            f = by_id.get(rule.id)
            row += [f.status.value, round(f.score, 1)] if f else ["", ""]
        out.append([text(cell) if isinstance(cell, str) else cell for cell in row])   # one line each
    return out


def neutral(cell):
    """A CSV cell that no spreadsheet runs: text that would start a formula gets a leading apostrophe."""
    return "'" + cell if isinstance(cell, str) and cell.startswith(FORMULA_START) else cell


def render(reports: list[Report], rules: list[Rule], **_options) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_NONNUMERIC)
    writer.writerows([neutral(cell) for cell in row] for row in rows(reports, rules))
    return buf.getvalue()
