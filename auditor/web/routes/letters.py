"""A batch's letters, fit to send: the settings set once per batch (signing office, 文号 pattern, date, reply
deadline, whether scores are shown), one report's letter and reviewed copy, and all of them at once — a zip
of letters named by body, one PDF of them all to print (LibreOffice), a zip of the reviewed copies. Each
office is counted once: the latest round of a revised report."""
from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile
import zipfile
from copy import deepcopy
from datetime import date
from pathlib import Path, PurePosixPath

from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy import select
from starlette.exceptions import HTTPException

from ...errors import AuditorError
from ...render import docx_parts, letter_format, review_format
from .. import activity
from ..compare import superseded
from ..reports import Reviewed
from ..store import Batch, File, ReportRow
from ..words import words
from . import records
from .context import Bench, Workbench, user
from .exports import DOCX, Entry, batch_reports, download

router = APIRouter()
PDF_SECONDS = 300    # LibreOffice converting a batch's letters (40 letters: well under a minute)
TEXT_CHARS = 200     # the settings' text fields, as the store's columns hold them
SETTINGS_SAVED = "letter-settings-saved"   # the activity log's id for a change of the letter settings


# --- the settings -----------------------------------------------------------------------------------------

@router.get("/batches/{batch_id}/letters/settings", response_class=HTMLResponse)
def settings_page(request: Request, batch_id: int, bench: Bench):
    with bench.store.session() as s:
        batch = records.batch(s, batch_id)
    return bench.page(request, "letter_settings.html", batch=batch, office=bench.office)


@router.post("/batches/{batch_id}/letters/settings")
async def save_settings(request: Request, batch_id: int, bench: Bench):
    form = await request.form()
    w = words()
    office = str(form.get("office") or "").strip()[:TEXT_CHARS] or None
    number = str(form.get("number") or "").strip()[:TEXT_CHARS] or None
    dated, reply_by = _date(form.get("date"), w), _date(form.get("reply_by"), w)
    with bench.store.writing() as s:
        batch = records.batch(s, batch_id)
        batch.letter_office, batch.letter_number = office, number
        batch.letter_date, batch.reply_by = dated, reply_by
        batch.show_scores = form.get("show_scores") is not None
        activity.record(s, user(request), SETTINGS_SAVED, "batch", batch.id,
                        f"{office or ''} {number or ''} {dated or ''} {reply_by or ''} "
                        f"scores={'on' if batch.show_scores else 'off'}")
    return RedirectResponse(f"/batches/{batch_id}/letters/settings?saved=1", status_code=303)


def _date(value, w) -> date | None:
    """A date from a form field (2025-04-30, as a date input sends it); blank is none; anything else is
    refused in Chinese."""
    text = str(value or "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise HTTPException(400, w["letter_bad_date"].format(value=text)) from None


# --- one report -------------------------------------------------------------------------------------------

@router.get("/reports/{report_id}/letter.docx")
def letter_docx(report_id: int, bench: Bench):
    with bench.store.session() as s:
        row, batch, reviewed, _h, letters = records.report(s, report_id, bench.pipeline)
        n = sequence(s, batch.id).get(row.id)
    if reviewed.report.errors or not reviewed.report.findings:
        raise HTTPException(404)
    doc = _letter(bench, batch, reviewed, letters[-1].text if letters else "", n)
    out = io.BytesIO()
    doc.save(out)
    return download(out.getvalue(), file_name(row, reviewed) + docx_parts.LETTER, DOCX)


@router.get("/reports/{report_id}/review.docx")
def review_docx(report_id: int, bench: Bench):
    with bench.store.session() as s:
        row, batch, reviewed, _h, _l = records.report(s, report_id, bench.pipeline, stored_path=bench.store.data_dir)
    data = _reviewed_copy(bench, batch, reviewed)
    if data is None:
        raise HTTPException(404)
    return download(data, file_name(row, reviewed) + docx_parts.REVIEW, DOCX)


# --- the whole batch --------------------------------------------------------------------------------------

@router.get("/batches/{batch_id}/letters.zip")
def letters_zip(batch_id: int, bench: Bench):
    batch, entries = _with_letters(bench, batch_id)
    files = []
    for (name, doc) in _letters(bench, batch, entries):
        out = io.BytesIO()
        doc.save(out)
        files.append((name + docx_parts.LETTER, out.getvalue()))
    return download(_zipped(files), words()["letters_zip_name"].format(batch=batch.name) + ".zip",
                    "application/zip")


@router.get("/batches/{batch_id}/reviewed.zip")
def reviewed_zip(batch_id: int, bench: Bench):
    batch, entries = batch_reports(bench, batch_id, stored=True)
    files = []
    for entry, name in zip(entries, unique_names(entries)):
        data = _reviewed_copy(bench, batch, entry.reviewed)
        if data is not None:
            files.append((name + docx_parts.REVIEW, data))
    return download(_zipped(files), words()["reviewed_zip_name"].format(batch=batch.name) + ".zip",
                    "application/zip")


@router.get("/batches/{batch_id}/letters.pdf")
def letters_pdf(request: Request, batch_id: int, bench: Bench):
    batch, entries = _with_letters(bench, batch_id)
    documents = [doc for _name, doc in _letters(bench, batch, entries)]
    if not documents:
        raise HTTPException(404)
    w = words()
    try:
        data = to_pdf(bound(documents))
    except PdfFailed as exc:
        return bench.page(request, "error.html", 503, title=w["letters_pdf_failed"], detail=str(exc))
    return download(data, w["letters_zip_name"].format(batch=batch.name) + ".pdf", "application/pdf")


def _with_letters(bench: Workbench, batch_id: int):
    """The batch and its reports that get a letter (read and audited), latest rounds only."""
    batch, entries = batch_reports(bench, batch_id)
    return batch, [e for e in entries if docx_parts.wanted(e.reviewed.report)]


def _letters(bench: Workbench, batch: Batch, entries: list[Entry]):
    """(name, Document) of each entry's letter, numbered in upload order."""
    for n, (entry, name) in enumerate(zip(entries, unique_names(entries)), 1):
        yield name, _letter(bench, batch, entry.reviewed, entry.opinion, n)


# --- the pieces -------------------------------------------------------------------------------------------

def _letter(bench: Workbench, batch: Batch, reviewed: Reviewed, opinion: str, n: int | None):
    """A report's letter under its batch's settings: the batch's signing office (else the workbench's), 文号,
    date and reply deadline, the score only when the batch shows scores, the reviewer's 整改意见, and the
    reviewed verdicts as verdicts."""
    return letter_format.letter(
        reviewed.report, docx_parts.part_titles(bench.pipeline(batch.profile).rules),
        office=batch.letter_office or bench.office, date=batch.letter_date, number=letter_number(batch, n),
        reply_by=batch.reply_by, show_scores=bool(batch.show_scores), opinion=opinion,
        reviewed=set(reviewed.reviews))


def _reviewed_copy(bench: Workbench, batch: Batch, reviewed: Reviewed) -> bytes | None:
    """The reviewed copy's bytes, or None for a report that has none (unreadable, its file unreadable now)."""
    report = reviewed.report
    if not docx_parts.wanted(report):
        return None
    try:
        doc = review_format.reviewed(report, docx_parts.part_titles(bench.pipeline(batch.profile).rules),
                                     reviewed=set(reviewed.reviews), show_scores=bool(batch.show_scores))
    except AuditorError:
        return None
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def letter_number(batch: Batch, n: int | None) -> str | None:
    """The letter's 文号 from the batch's pattern, `{n}` its number in the batch (a blank to fill in for a round
    a later one replaced); the rest of the pattern as typed (no other brace is read)."""
    pattern = batch.letter_number
    if not pattern:
        return None
    return pattern.replace("{n}", str(n) if n else "__")


def sequence(s, batch_id: int) -> dict[int, int]:
    """Report id → its letter's number in the batch: the latest rounds that were read, in upload order (what
    the bulk downloads number)."""
    replaced = superseded(s, batch_id)
    rows = s.execute(select(ReportRow.id, ReportRow.kind).join(File).where(ReportRow.batch_id == batch_id)
                     .order_by(File.position)).all()
    ids = [rid for rid, kind in rows if rid not in replaced and kind != "unreadable"]
    return {rid: n for n, rid in enumerate(ids, 1)}


def file_name(row: ReportRow, reviewed: Reviewed) -> str:
    """What a report's letter and reviewed copy are called: its body's name (a generic one, 区政府, after the
    folder it was uploaded in), else that folder, else its file's stem."""
    meta = reviewed.report.metadata
    body = docx_parts.file_stem(getattr(meta, "body", None) or row.body)
    original = PurePosixPath((row.file.original_name or "").replace("\\", "/"))
    folder = docx_parts.file_stem(original.parent.name if len(original.parts) > 1 else "")
    stem = docx_parts.file_stem(original.stem)
    choices = (folder, body, stem) if getattr(meta, "body_generic", False) else (body, folder, stem)
    return next((c for c in choices if c), "report")


def unique_names(entries: list[Entry]) -> list[str]:
    """The entries' file names, made unique in order (a second 东溪镇人民政府 becomes 东溪镇人民政府(2)); a case-
    insensitive disk keeps them apart too."""
    taken: set[str] = set()
    out = []
    for entry in entries:
        stem = file_name(entry.row, entry.reviewed)
        name, k = stem, 1
        while name.lower() in taken:
            k += 1
            name = f"{stem}({k})"
        taken.add(name.lower())
        out.append(name)
    return out


def _zipped(files: list[tuple[str, bytes]]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files:
            z.writestr(name, data)   # non-ASCII names carry zip's UTF-8 flag
    return out.getvalue()


def bound(documents: list):
    """The letters as one document, each starting on a new page: the first letter's document with the others'
    paragraphs appended (they share its styles: every letter is built by docx_parts.new_document)."""
    first = documents[0]
    body = first.element.body
    end = body.find(qn("w:sectPr"))
    for doc in documents[1:]:
        pieces = [deepcopy(el) for el in doc.element.body if el.tag != qn("w:sectPr")]
        for k, el in enumerate(pieces):
            if k == 0 and el.tag == qn("w:p"):
                Paragraph(el, first._body).paragraph_format.page_break_before = True
            if end is not None:
                end.addprevious(el)
            else:
                body.append(el)
    return first


class PdfFailed(Exception):
    """LibreOffice is missing, failed or took too long: said in Chinese on the page."""


def to_pdf(document) -> bytes:
    """A Word document as PDF, by LibreOffice headless in a temporary folder of its own (its own profile too, so
    two conversions at once do not share one), within PDF_SECONDS."""
    w = words()
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        raise PdfFailed(w["letters_pdf_no_office"])
    with tempfile.TemporaryDirectory(prefix="auditor-letters-") as tmp:
        folder = Path(tmp)
        source = folder / "letters.docx"
        document.save(str(source))
        command = [soffice, "--headless", "--norestore", "--nologo",
                   f"-env:UserInstallation={(folder / 'profile').as_uri()}",
                   "--convert-to", "pdf", "--outdir", str(folder), str(source)]
        try:
            done = subprocess.run(command, capture_output=True, timeout=PDF_SECONDS, cwd=tmp,
                                  env={**os.environ, "HOME": tmp})
        except subprocess.TimeoutExpired:
            raise PdfFailed(w["letters_pdf_timeout"].format(seconds=PDF_SECONDS)) from None
        except OSError as exc:
            raise PdfFailed(w["letters_pdf_error"].format(reason=exc)) from None
        pdf = folder / "letters.pdf"
        if done.returncode != 0 or not pdf.is_file():
            reason = (done.stderr or done.stdout or b"").decode("utf-8", "replace").strip().splitlines()
            raise PdfFailed(w["letters_pdf_error"].format(reason=reason[-1] if reason else done.returncode))
        return pdf.read_bytes()
