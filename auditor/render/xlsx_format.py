"""The batch for supervisors as a spreadsheet (openpyxl): the report × rule matrix, then every piece of evidence.

No cell is a formula: text that would start one (OWASP's CSV-injection list) is stored as a string with
Excel's quote prefix, so it reads as written and stays text when the cell is edited.
"""
from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from ..model import Report, Rule
from ..shown import name, text
from ..status import Status
from .csv_format import FORMULA_START, rows

FILLS = {s.value: s.colour for s in Status if s.colour}


def _cell(sheet, value):
    """A value as a cell; text is never a formula (nor an error value such as #N/A)."""
    cell = Cell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"   # openpyxl would make "=…" a formula and "#N/A" an error
        if value.startswith(FORMULA_START):
            cell.quotePrefix = True   # Excel's own mark for text that looks like a formula
    return cell


def _append(sheet, row: list) -> None:
    sheet.append([_cell(sheet, value) for value in row])


def render(reports: list[Report], rules: list[Rule], **_options) -> bytes:
    book = Workbook()
    matrix = book.active
    matrix.title = "matrix"
    for row in rows(reports, rules):
        _append(matrix, row)
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
    _append(evidence, ["report", "rule", "title", "status", "severity", "where", "quote (原文)", "phrase", "how",
                       "why", "legal basis"])
    for report in reports:
        for f in report.findings:
            base = [name(report.path), f.rule.id, text(f.rule.title), f.status.value, f.rule.severity]
            tail = [text(f.why or "", "\n\t"), text("；".join(f.rule.legal_basis))]
            if not f.evidence:
                _append(evidence, base + ["", "", "", ""] + tail)
            for e in f.evidence:
                _append(evidence, base + [text(e.where), text(e.quote, "\n\t"), text(e.phrase), e.how] + tail)
    for cell in evidence[1]:
        cell.font = Font(bold=True)
    for i, width in enumerate([40, 28, 30, 14, 9, 16, 60, 18, 9, 50, 50], 1):
        evidence.column_dimensions[get_column_letter(i)].width = width
    evidence.freeze_panes = "C2"
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()
