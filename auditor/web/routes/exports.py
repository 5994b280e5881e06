"""What leaves the workbench as a file: a report's letter and reviewed copy (Word), a batch's spreadsheet,
printable page and reviewed labels (for the evaluation's label files)."""
from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path
from urllib.parse import quote

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select
from starlette.exceptions import HTTPException

from ...render import RENDERERS, docx_parts, letter_format, review_format
from ...render.csv_format import neutral
from ...shown import name as shown_name
from ...shown import text as shown_text
from ...status import Status
from ..reports import restore
from ..store import File, ReportRow
from ..words import words
from . import records
from .context import Bench, Workbench

router = APIRouter()
_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get("/reports/{report_id}/letter.docx")
def letter_docx(report_id: int, bench: Bench):
    with bench.store.session() as s:
        row, _b, reviewed, _h, letters = records.report(s, report_id, bench.pipeline)   # names the uploaded file
    report = reviewed.report
    if report.errors or not report.findings:
        raise HTTPException(404)
    doc = letter_format.letter(report, docx_parts.part_titles(bench.pipeline().rules), office=bench.office)
    if letters and letters[-1].text.strip():
        doc.add_paragraph(words()["letter_text"], style="Heading 2")
        for paragraph in letters[-1].text.strip().splitlines():
            if paragraph.strip():
                doc.add_paragraph(shown_text(paragraph.strip()))
    out = io.BytesIO()
    doc.save(out)
    return _download(out.getvalue(), _stem(row.file.original_name) + docx_parts.LETTER, _DOCX)


@router.get("/reports/{report_id}/review.docx")
def review_docx(report_id: int, bench: Bench):
    with bench.store.session() as s:
        row, _b, reviewed, _h, _l = records.report(s, report_id, bench.pipeline, stored_path=bench.store.data_dir)
    with tempfile.TemporaryDirectory() as tmp:
        written = review_format.write([reviewed.report], bench.pipeline().rules, Path(tmp))
        if not written:
            raise HTTPException(404)
        data = written[0].read_bytes()
    return _download(data, _stem(row.file.original_name) + docx_parts.REVIEW, _DOCX)


@router.get("/batches/{batch_id}/export.xlsx")
def export_xlsx(batch_id: int, bench: Bench):
    batch, pairs = _batch_reports(bench, batch_id)
    data = RENDERERS["xlsx"]([rv.report for _r, rv in pairs], bench.pipeline(batch.profile).rules)
    return _download(data, f"{batch.name}.xlsx", _XLSX)


@router.get("/batches/{batch_id}/print", response_class=HTMLResponse)
def export_print(batch_id: int, bench: Bench):
    batch, pairs = _batch_reports(bench, batch_id)
    return HTMLResponse(RENDERERS["html"]([rv.report for _r, rv in pairs], bench.pipeline(batch.profile).rules))


@router.get("/batches/{batch_id}/labels.tsv")
def export_labels(batch_id: int, bench: Bench):
    batch, pairs = _batch_reports(bench, batch_id)
    out = io.StringIO()
    writer = csv.writer(out, delimiter="\t", lineterminator="\n")
    writer.writerow(["file", "rule", "expected", "note"])
    for row, rv in pairs:
        for rule_id, r in sorted(rv.reviews.items()):
            status = Status(r.human_status)
            expected = "met" if status is Status.MET else ("?" if not status.is_gap else "not-met")
            note = " ".join(f"{r.machine_status}→{r.human_status} {r.user} {r.created_at:%Y-%m-%d} "
                            f"{r.reason}".split())
            cells = [shown_name(Path(row.file.original_name).name), rule_id, expected, shown_text(note)]
            writer.writerow([neutral(cell) for cell in cells])   # a spreadsheet runs no cell as a formula
    return _download(out.getvalue().encode("utf-8"), f"{batch.name}.labels.tsv",
                     "text/tab-separated-values; charset=utf-8")


def _batch_reports(bench: Workbench, batch_id: int):
    """The batch and its reports in upload order, each restored with the reviews in force."""
    with bench.store.session() as s:
        batch = records.batch(s, batch_id)
        rows = s.scalars(select(ReportRow).where(ReportRow.batch_id == batch_id)
                         .join(File).order_by(File.position)).all()
        reviews = records.reviews_by_report(s, [r.id for r in rows])
        out = [(r, restore(r, reviews.get(r.id, []), bench.pipeline(batch.profile))) for r in rows if r.file]
        return batch, out


def _stem(file_name: str) -> str:
    return Path(file_name).stem or "report"


def _download(data: bytes, file_name: str, media_type: str) -> Response:
    """Bytes offered as a download under a Chinese name (RFC 5987), with an ASCII fallback; the name (a batch's
    or an uploaded file's, as typed) with its control and bidi characters escaped, as on the pages."""
    file_name = shown_name(file_name)
    fallback = "".join(c if c.isascii() and c.isalnum() or c in "._-" else "_" for c in file_name)
    disposition = f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(file_name)}"
    return Response(data, media_type=media_type, headers={"Content-Disposition": disposition})
