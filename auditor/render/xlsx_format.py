"""The batch for supervisors as a spreadsheet (openpyxl): the report × rule matrix, then every piece of evidence."""
from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from ..model import Report, Rule
from ..status import Status
from .csv_format import rows

FILLS = {s.value: s.colour for s in Status if s.colour}


def render(reports: list[Report], rules: list[Rule], **_options) -> bytes:
    book = Workbook()
    matrix = book.active
    matrix.title = "matrix"
    for row in rows(reports, rules):
        matrix.append(row)
    for cell in matrix[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(text_rotation=90 if cell.column > 8 else 0)
    for row in matrix.iter_rows(min_row=2):
        for cell in row:
            if cell.value in FILLS:
                cell.fill = PatternFill("solid", fgColor=FILLS[cell.value])
    matrix.freeze_panes = "B2"
    matrix.column_dimensions["A"].width = 40

    evidence = book.create_sheet("evidence")
    evidence.append(["report", "rule", "title", "status", "severity", "where", "quote (原文)", "phrase", "how",
                     "why", "legal basis"])
    for report in reports:
        for f in report.findings:
            base = [report.path, f.rule.id, f.rule.title, f.status.value, f.rule.severity]
            tail = [f.why or "", "；".join(f.rule.legal_basis)]
            if not f.evidence:
                evidence.append(base + ["", "", "", ""] + tail)
            for e in f.evidence:
                evidence.append(base + [e.where, e.quote, e.phrase, e.how] + tail)
    for cell in evidence[1]:
        cell.font = Font(bold=True)
    for i, width in enumerate([40, 28, 30, 14, 9, 16, 60, 18, 9, 50, 50], 1):
        evidence.column_dimensions[get_column_letter(i)].width = width
    evidence.freeze_panes = "C2"
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()
