"""The batch for supervisors as a spreadsheet (openpyxl), in the reader's language (Chinese by default):

- 汇总: one row per report (body first, level, year, 得分/满分, what became of it, how many items must be fixed
  and could be better, a count per status, the 整改意见 written for it in the workbench, the file);
- 问题清单: one row per gap, must-fix before could-improve within each report (body, rule, status, tier, why
  and the original words, where, the fix, the legal basis, the points kept, an empty column for notes);
- 对照表: the report × rule matrix of the CSV (status labels, filled in the status colours);
- 原文依据: every piece of evidence, met ones too, to check a verdict against the original.

Every sheet opens ready to print: widths from the Chinese text's display width (capped, long text wrapped),
the header row frozen and repeated on each printed page, filters, landscape A4 fitted to the page width,
page numbers in the footer. The match confidence (匹配度) is not shown: it is no score.

No cell is a formula: text that would start one (OWASP's CSV-injection list) is stored as a string with
Excel's quote prefix, so it reads as written and stays text when the cell is edited.
"""
from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

from .. import labels
from ..i18n import N_, _
from ..model import COULD_IMPROVE, MUST_FIX, Report, Status
from ..rule_schema import Rule
from ..shown import text
from .csv_format import COUNTED, FORMULA_START, SUMMARY, number, rows, summary
from .table import columns

FILLS = {s.value: s.colour for s in Status if s.colour}

SHEETS = {"summary": N_("summary"), "gaps": N_("gap list"), "matrix": N_("matrix"), "evidence": N_("evidence")}
GAP_HEAD = {"body": N_("reporting body"), "rule": N_("rule"), "status": N_("status"), "tier": N_("tier"),
            "why": N_("finding and the original words"), "where": N_("where in the report"), "fix": N_("how to fix"),
            "basis": N_("legal basis"), "points": N_("points scored"), "comment": N_("reviewer's notes"),
            "file": N_("file"), "rule_id": N_("rule id")}
EVIDENCE_HEAD = {"body": N_("reporting body"), "rule": N_("rule"), "status": N_("status"),
                 "where": N_("where in the report"), "quote": N_("original words"), "phrase": N_("matched wording"),
                 "file": N_("file"), "rule_id": N_("rule id")}   # the why is in the gap list
# Display width caps (in half-width characters) and which columns wrap; others are one line.
# Sized so the gap list prints on landscape A4 at about three quarters of full size.
CAPS = {"opinion": 40, "tier": 8, "why": 34, "fix": 30, "basis": 30, "comment": 20, "quote": 44, "file": 24, "body": 16, "rule": 18,
        "result": 16, "phrase": 16, "rule_id": 18, "where": 10, "status": 10, "cell": 6}
MACHINE = ("file", "rule_id")   # columns for finding the row again, left out of the printed gap list
TIER_HEAD = (MUST_FIX, COULD_IMPROVE)   # the 汇总 sheet's two counts by tier, labelled by labels.tier
THIN = Side(style="thin", color="999999")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FILL = PatternFill("solid", fgColor="DDDDDD")
LINE = 14.5   # points per line of 11-point text with Chinese characters


def width(value) -> int:
    """Display width of a cell's longest line: CJK and full-width characters count two."""
    return max(columns(line) for line in str(value if value is not None else "").split("\n"))


def _lines(value, room: int) -> int:
    """Lines a cell's text takes when wrapped in a column `room` half-width characters wide."""
    if value is None or value == "":
        return 1
    return sum(max(1, -(-width(line) // max(room, 1))) for line in str(value).split("\n"))


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


def _sheet(book: Workbook, key: str, head: list[str], body: list[list], ids: list[str] | None = None,
           rotate_from: int | None = None):
    """A sheet set up to read and to print: bold filled header, widths, wrapping, frozen header, filters,
    landscape A4 fitted to the width with the header repeated on every page, page numbers."""
    sheet = book.create_sheet(_(SHEETS[key]))
    _append(sheet, head)
    for row in body:
        _append(sheet, row)
    ids = ids or [""] * len(head)
    rooms = []
    for i, cell in enumerate(sheet[1], 1):
        cell.font = Font(bold=True)
        cell.fill = HEAD_FILL
        rotated = rotate_from is not None and i >= rotate_from
        cell.alignment = Alignment(wrap_text=not rotated, vertical="center", horizontal="center",
                                   text_rotation=255 if rotated else 0)   # 255: stacked, read top to bottom
    for i, key_ in enumerate(ids, 1):
        column = [row[i - 1] for row in body]
        cap = CAPS.get(key_, 24)
        rotated = rotate_from is not None and i >= rotate_from
        fit = max([width(v) for v in column] + [2 if rotated else width(head[i - 1])], default=4)
        sheet.column_dimensions[get_column_letter(i)].width = min(fit, cap) + 2
        rooms.append(min(fit, cap))
        wrap = fit > cap
        style = _body_style(book, wrap)
        for cell in sheet.iter_rows(min_row=2, min_col=i, max_col=i):
            _restyle(cell[0], style)
    for cell in sheet[1]:
        cell.border = GRID
    _row_heights(sheet, head, body, rooms, rotate_from)
    sheet.freeze_panes = "B2"
    if body:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(head))}{len(body) + 1}"
    _print_setup(sheet, key)
    return sheet


def _row_heights(sheet, head: list[str], body: list[list], rooms: list[int], rotate_from: int | None) -> None:
    """Row heights from the wrapped line count (a rotated header: its longest label stacked): neither Excel nor
    LibreOffice fits them when opening a file."""
    for r, row in enumerate([head] + body, 1):
        if r == 1 and rotate_from is not None:
            lines = max(len(str(v)) for v in row[rotate_from - 1:]) + 1 if row[rotate_from - 1:] else 1
        else:
            lines = max(_lines(v, room) for v, room in zip(row, rooms))
        sheet.row_dimensions[r].height = LINE * lines + 3


def _print_setup(sheet, key: str) -> None:
    """Landscape A4 fitted to the width, the header row on every page, the sheet's name above and page
    numbers below."""
    setup = sheet.page_setup
    setup.orientation = "landscape"
    setup.paperSize = sheet.PAPERSIZE_A4
    setup.fitToWidth, setup.fitToHeight = 1, 0   # as wide as the page, as many pages long as it takes
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_title_rows = "1:1"
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.75
    sheet.page_margins.header = sheet.page_margins.footer = 0.3
    sheet.print_options.horizontalCentered = True
    sheet.oddFooter.center.text = _("page &P of &N")
    sheet.oddHeader.center.text = _(SHEETS[key])


def _body_style(book: Workbook, wrap: bool, colour: str = "") -> str:
    """The named style of a body cell (top-aligned, framed; wrapped or not; a status fill): set by name, a cell
    costs a lookup instead of hashing new style objects (200 reports: seconds instead of a quarter minute)."""
    name = f"auditor-{'wrap' if wrap else 'line'}{'-' + colour if colour else ''}"
    if name not in book.named_styles:
        style = NamedStyle(name=name, alignment=Alignment(wrap_text=wrap, vertical="top"), border=GRID)
        if colour:
            style.fill = PatternFill("solid", fgColor=colour)
        book.add_named_style(style)
    return name


def _restyle(cell: Cell, style: str) -> None:
    """A named style on a cell, keeping the quote prefix that makes a would-be formula plain text."""
    quoted = cell.quotePrefix
    cell.style = style
    if quoted:
        cell.quotePrefix = True


def _fill(sheet, columns: list[int]) -> None:
    """Status cells filled in their status colour (Status.colour), found by the label shown."""
    by_label = {s.label: s.colour for s in Status if s.colour}
    for row in sheet.iter_rows(min_row=2):
        for i in columns:
            cell = row[i - 1]
            colour = by_label.get(cell.value)
            if colour:
                _restyle(cell, _body_style(sheet.parent, cell.alignment.wrap_text, colour))


def _why(f) -> str:
    """The finding and, for a gap with evidence, the original words it rests on."""
    why = f.why or f.rule.message
    if f.evidence:
        why += "\n" + _("original: {quote}").format(quote=f.evidence[0].quote)
    return text(why, "\n")


def render(reports: list[Report], rules: list[Rule], **options) -> bytes:
    """The workbook; `opinions`: the 整改意见 written for each report (in report order), for the 汇总 sheet."""
    book = Workbook()
    book.remove(book.active)
    _summary_sheet(book, reports, options.get("opinions") or [])
    _gap_sheet(book, reports)
    _matrix_sheet(book, reports, rules)
    _evidence_sheet(book, reports)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def _summary_sheet(book: Workbook, reports: list[Report], opinions: list[str]) -> None:
    """汇总: one row per report, body first, the counts by tier and by status, the 整改意见 written for it."""
    ids = list(SUMMARY) + list(TIER_HEAD) + [s.value for s in COUNTED] + ["opinion"]
    head = ([_(SUMMARY[k]) for k in SUMMARY] + [labels.tier(k) for k in TIER_HEAD] + [s.label for s in COUNTED]
            + [_("rectification comments")])
    order = (["body", "level", "year", "points", "max", "result"] + list(TIER_HEAD) + [s.value for s in COUNTED]
             + ["opinion", "file", "profile"])
    body = []
    for i, r in enumerate(reports):
        cells = summary(r)
        counts = {s.value: sum(f.status is s for f in r.findings) for s in COUNTED}
        tiers = {t: sum(f.tier == t for f in r.findings) for t in TIER_HEAD}
        opinion = text((opinions[i] if i < len(opinions) else None) or "", "\n").strip()
        row = {**cells, **counts, **tiers, "opinion": opinion}
        body.append([row[k] for k in order])
    by_id = dict(zip(ids, head))
    sheet = _sheet(book, "summary", [by_id[k] for k in order], body, order)
    for i, k in enumerate(order, 1):   # the count headers carry their status colour
        if k in FILLS:
            sheet.cell(row=1, column=i).fill = PatternFill("solid", fgColor=FILLS[k])


def _gap_sheet(book: Workbook, reports: list[Report]) -> None:
    """问题清单: one row per gap, gaps-first within each report, with an empty column to write comments in."""
    keys = list(GAP_HEAD)
    body = []
    for r in reports:
        who = summary(r)
        for f in labels.gaps_first([f for f in r.findings if f.status.is_gap]):
            ev = f.evidence[0] if f.evidence else None
            body.append([who["body"], text(f.rule.title), f.status.label, labels.tier(f.tier), _why(f),
                         text(labels.place(ev.where, ev.place)) if ev else "", text(f.rule.fix, "\n"),
                         text("；".join(f.rule.legal_basis)), number(getattr(f, "points", None)), "", who["file"], f.rule.id])
    sheet = _sheet(book, "gaps", [_(GAP_HEAD[k]) for k in keys], body, keys)
    printed = [k for k in keys if k not in MACHINE]
    sheet.print_area = f"A1:{get_column_letter(len(printed))}{len(body) + 1}"   # MACHINE columns come last
    _fill(sheet, [keys.index("status") + 1])
    comment = keys.index("comment") + 1
    sheet.column_dimensions[get_column_letter(comment)].width = CAPS["comment"] + 2   # room to write in
    for row in sheet.iter_rows(min_row=2, min_col=comment, max_col=comment):
        _restyle(row[0], _body_style(book, True))


def _matrix_sheet(book: Workbook, reports: list[Report], rules: list[Rule]) -> None:
    """对照表: the CSV's matrix with the body and its score, labels only (the status ids are for machines)."""
    matrix = rows(reports, rules)
    facts = [list(SUMMARY).index(k) for k in ("body", "points", "max")]
    labelled = facts + [i for i in range(len(SUMMARY), len(matrix[0])) if (i - len(SUMMARY)) % 2 == 0]
    table = [[row[i] for i in labelled] for row in matrix]
    sheet = _sheet(book, "matrix", table[0], table[1:], ["body", "points", "max"] + ["cell"] * len(rules),
                   rotate_from=len(facts) + 1)
    _fill(sheet, list(range(len(facts) + 1, len(table[0]) + 1)))


def _evidence_sheet(book: Workbook, reports: list[Report]) -> None:
    """原文依据: every piece of evidence, met findings too."""
    keys = list(EVIDENCE_HEAD)
    body = []
    for r in reports:
        who = summary(r)
        for f in labels.gaps_first(r.findings):
            for e in f.evidence:
                body.append([who["body"], text(f.rule.title), f.status.label, text(labels.place(e.where, e.place)),
                             text(e.quote, "\n\t"), text(labels.wording(e.phrase, e.roles)), who["file"], f.rule.id])
    sheet = _sheet(book, "evidence", [_(EVIDENCE_HEAD[k]) for k in keys], body, keys)
    _fill(sheet, [keys.index("status") + 1])
