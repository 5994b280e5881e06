"""What leaves the workbench as a file: a batch's spreadsheet (with the 整改意见 written in the workbench),
printable page and reviewed labels (for the evaluation's label files); the letters and reviewed copies are in
letters.py. A batch's exports count each office once: the latest round of a revised report."""
from __future__ import annotations

import csv
import io
from collections import Counter
from pathlib import Path
from typing import NamedTuple
from urllib.parse import quote

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select

from ...render import RENDERERS
from ...render.csv_format import neutral
from ...shown import name as shown_name
from ...shown import text as shown_text
from ...status import Status
from .. import files as file_store
from ..compare import superseded
from ..reports import Reviewed, restore
from ..season import CONFIRMED, LOOSER, OTHER, STRICTER, direction
from ..store import File, Letter, ReportRow
from ..words import words
from . import records
from .context import Bench, Workbench

router = APIRouter()
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get("/batches/{batch_id}/export.xlsx")
def export_xlsx(batch_id: int, bench: Bench):
    batch, entries = batch_reports(bench, batch_id)
    data = RENDERERS["xlsx"]([e.reviewed.report for e in entries], bench.pipeline(batch.profile).rules,
                             opinions=[e.opinion for e in entries])
    return download(data, f"{batch.name}.xlsx", _XLSX)


@router.get("/batches/{batch_id}/print", response_class=HTMLResponse)
def export_print(batch_id: int, bench: Bench):
    batch, entries = batch_reports(bench, batch_id)
    return HTMLResponse(RENDERERS["html"]([e.reviewed.report for e in entries], bench.pipeline(batch.profile).rules))


@router.get("/batches/{batch_id}/labels.tsv")
def export_labels(batch_id: int, bench: Bench):
    batch, entries = batch_reports(bench, batch_id, latest=False)   # every round's reviews are labels
    own = [(e.row, {rule: r for rule, r in e.reviewed.reviews.items() if not getattr(r, "from_round", None)})
           for e in entries]   # a review carried to a later round was not made on that round's file
    out = io.StringIO()
    for line in _review_summary(own):   # comment lines: `auditor eval` reads past them
        out.write(f"# {line}\n")
    writer = csv.writer(out, delimiter="\t", lineterminator="\n")
    writer.writerow(["file", "rule", "expected", "note"])
    for row, reviews in own:
        for rule_id, r in sorted(reviews.items()):
            status = Status(r.human_status)
            expected = "met" if status is Status.MET else ("?" if not status.is_gap else "not-met")
            note = " ".join(f"{r.machine_status}→{r.human_status} {r.user} {r.created_at:%Y-%m-%d} "
                            f"{r.reason}".split())
            cells = [shown_name(Path(row.file.original_name).name), rule_id, expected, shown_text(note)]
            writer.writerow([neutral(cell) for cell in cells])   # a spreadsheet runs no cell as a formula
    return download(out.getvalue().encode("utf-8"), f"{batch.name}.labels.tsv",
                    "text/tab-separated-values; charset=utf-8")


def _review_summary(own) -> list[str]:
    """What the reviews of this batch say of each rule, a line each (rule id, then kept / the machine saw a
    gap the reviewer did not / the reverse / other): where the rules' authors should look first."""
    counts: dict[str, Counter] = {}
    for _row, reviews in own:
        for rule_id, r in reviews.items():
            counts.setdefault(rule_id, Counter())[direction(r.machine_status, r.human_status)] += 1
    if not counts:
        return []
    w = words()
    lines = [w["labels_summary"]]
    for rule_id, c in sorted(counts.items(), key=lambda kv: (-sum(kv[1].values()), kv[0])):
        lines.append(f"{rule_id}\t{w['kept']} {c[CONFIRMED]}\t{w['stricter']} {c[STRICTER]}\t"
                     f"{w['looser']} {c[LOOSER]}\t{w['other_change']} {c[OTHER]}")
    return lines


class Entry(NamedTuple):
    row: ReportRow
    reviewed: Reviewed     # the restored Report with the reviews in force
    opinion: str           # the latest 整改意见 written for it ("" when none)


def batch_reports(bench: Workbench, batch_id: int, *, latest: bool = True, stored: bool = False):
    """The batch and its reports in upload order, each restored with the reviews in force and its latest
    整改意见. `latest`: a report a later round revises is left out (each office counted once, as the matrix
    shows it); `stored`: each Report points at its stored file (the reviewed copies read it)."""
    with bench.store.session() as s:
        batch = records.batch(s, batch_id)
        replaced = superseded(s, batch_id) if latest else set()
        rows = [r for r in s.scalars(select(ReportRow).where(ReportRow.batch_id == batch_id)
                                     .join(File).order_by(File.position)).all() if r.file and r.id not in replaced]
        ids = [r.id for r in rows]
        reviews = records.reviews_by_report(s, ids)
        opinions: dict[int, str] = {}
        if ids:
            for letter in s.scalars(select(Letter).where(Letter.report_id.in_(ids)).order_by(Letter.id)):
                opinions[letter.report_id] = letter.text   # the latest counts
        pipeline = bench.pipeline(batch.profile)
        out = []
        for r in rows:
            path = (str(file_store.path_for(bench.store.data_dir, r.file.hash, r.file.original_name))
                    if stored else None)
            out.append(Entry(r, restore(r, reviews.get(r.id, []), pipeline, path=path), opinions.get(r.id, "")))
        return batch, out


def download(data: bytes, file_name: str, media_type: str) -> Response:
    """Bytes offered as a download under a Chinese name (RFC 5987), with an ASCII fallback; the name (a batch's
    or an uploaded file's, as typed) with its control and bidi characters escaped, as on the pages."""
    file_name = shown_name(file_name)
    fallback = "".join(c if c.isascii() and c.isalnum() or c in "._-" else "_" for c in file_name)
    disposition = f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(file_name)}"
    return Response(data, media_type=media_type, headers={"Content-Disposition": disposition})
