"""The store's records a page asks for by id, or the not-found page: a batch, a report with its reviews and
letters, the reviews of many reports."""
from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from sqlalchemy import select
from starlette.exceptions import HTTPException

from .. import files as file_store
from .. import rounds, security
from ..reports import Reviewed, restore
from ..store import Batch, Letter, ReportRow, ReportState, Review
from ..words import words


def form_id(value) -> int:
    """A record id from a form field; 0 (no record) for anything but ASCII digits from 1 to SQLite's largest
    integer (`١`, `²` and 2**63 are no record, never read as 1 or passed to the database)."""
    return security.valid_id(value) or 0


def batch(s, batch_id: int) -> Batch:
    found = s.get(Batch, batch_id)
    if found is None:
        raise HTTPException(404)
    return found


def report_row(s, report_id: int) -> ReportRow:
    found = s.get(ReportRow, report_id)
    if found is None:
        raise HTTPException(404)
    return found


def opened_report(s, report_id: int) -> ReportRow:
    """The report a form was opened on, or a clear refusal: ids are never given twice, so a form whose report
    was deleted (with its batch, by someone else) can only be refused, never land on another report."""
    found = s.get(ReportRow, report_id)
    if found is None:
        raise HTTPException(410, words()["report_gone"])
    return found


def reviews_by_report(s, report_ids: list[int]) -> dict[int, list[Review]]:
    """Report id → the reviews in force: its own, then those carried from the round it revises."""
    return rounds.in_force(s, report_ids)[0]


def states_by_report(s, report_ids: list[int]) -> dict[int, ReportState]:
    """Report id → its newest state row (where it stands, who handles it); reports never set are absent."""
    out: dict[int, ReportState] = {}
    if report_ids:
        for r in s.scalars(select(ReportState).where(ReportState.report_id.in_(report_ids)).order_by(ReportState.id)):
            out[r.report_id] = r
    return out


class Opened(NamedTuple):
    row: ReportRow
    batch: Batch
    reviewed: Reviewed                 # the restored Report with reviews in force
    history: dict[str, list[Review]]   # rule → its reviews, oldest first
    letters: list[Letter]


def report(s, report_id: int, pipeline_of, stored_path: Path | None = None) -> Opened:
    """The report's row, batch, restored Report (reviews in force), review history by rule and letters;
    `stored_path`: the data folder, when the Report should point at its stored file (Word exports read it)."""
    row = report_row(s, report_id)
    owner = s.get(Batch, row.batch_id)
    carried, dropped = rounds.in_force(s, [row.id])
    reviews = carried.get(row.id, [])
    letters = list(s.scalars(select(Letter).where(Letter.report_id == row.id).order_by(Letter.id)))
    history: dict[str, list[Review]] = {}
    for r in reviews:
        history.setdefault(r.rule, []).append(r)
    path = None
    if stored_path:
        path = str(file_store.path_for(stored_path, row.file.hash, row.file.original_name))
    reviewed = restore(row, reviews, pipeline_of(owner.profile), path=path)
    reviewed.dropped = dropped.get(row.id, [])
    row.file  # loaded while the session is open
    return Opened(row, owner, reviewed, history, letters)
