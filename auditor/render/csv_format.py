"""The batch matrix for supervisors as CSV: one row per report, a status and a score column per rule."""
from __future__ import annotations

import csv
import io

from ..model import Report, Rule


def rows(reports: list[Report], rules: list[Rule]) -> list[list]:
    """Header and one row per report (shared with the spreadsheet)."""
    head = ["report", "body", "year", "level", "profile", "document", "met", "gaps"]
    for rule in rules:
        head += [rule.id, f"{rule.id} score"]
    out = [head]
    for r in reports:
        m = r.metadata
        by_id = {f.rule.id: f for f in r.findings}
        doc = ("error: " + ", ".join(e.code for e in r.errors)) if r.errors else (r.wrong_type or "年度报告")
        row = [r.path, getattr(m, "body", None) or "", getattr(m, "year", None) or "", getattr(m, "level", None) or "",
               r.profile or "", doc, sum(f.status.value == "met" for f in r.findings),
               sum(f.status.is_gap for f in r.findings)]
        for rule in rules:
            f = by_id.get(rule.id)
            row += [f.status.value, round(f.score, 1)] if f else ["", ""]
        out.append(row)
    return out


def render(reports: list[Report], rules: list[Rule], **_options) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows(reports, rules))
    return buf.getvalue()
