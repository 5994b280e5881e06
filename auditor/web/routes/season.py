"""The season of a batch: its roster and deadline (who has reported, late or not at all, the reports of another
year or of no roster line, a line linked to its report by hand, reports handed in later added to the batch), the
leader's one printable page, and for 管理员 what the reviews teach about each rule."""
from __future__ import annotations

import re
import tempfile
from datetime import date
from pathlib import Path

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy import func, select
from starlette.exceptions import HTTPException

from ... import roster
from ...status import Status
from .. import activity
from .. import files as file_store
from .. import season as seasons
from ..store import WAITING, File, ReportRow, RosterEntry
from ..uploads import accept, read_form, received, safe_name
from ..words import words
from . import records
from .batches import not_stored
from .context import Bench, require_admin, user

router = APIRouter()

ROSTER_BYTES = 4 * 2**20   # a roster of a few hundred bodies is a few KB; a bigger file is not one


@router.get("/batches/{batch_id}/roster", response_class=HTMLResponse)
def roster_page(request: Request, batch_id: int, bench: Bench):
    with bench.store.session() as s:
        batch = records.batch(s, batch_id)
        found = seasons.season(s, batch)
    lines = found.lines
    return bench.page(request, "roster.html", batch=batch, season=found, today=date.today(),
                      reported=found.of(roster.REPORTED), late=found.of(roster.LATE),
                      missing=found.of(roster.MISSING), typed="\n".join(x.body for x in lines),
                      states={roster.REPORTED: words()["state_reported"], roster.LATE: words()["state_late"],
                              roster.MISSING: words()["state_missing"]})


@router.post("/batches/{batch_id}/season")
async def set_season(request: Request, batch_id: int, bench: Bench):
    """The deadline and the season's year (either may be left empty: no deadline, the year the reports say)."""
    form = await request.form()
    w = words()
    deadline = _date(str(form.get("deadline") or "").strip())
    year_text = str(form.get("season_year") or "").strip()
    if year_text and not re.fullmatch(r"(19|20)\d\d", year_text):
        raise HTTPException(400, w["bad_year"])
    with bench.store.writing() as s:
        batch = records.batch(s, batch_id)
        batch.deadline, batch.season_year = deadline, int(year_text) if year_text else None
        activity.record(s, user(request), "season-set", "batch", batch_id,
                        f"{deadline.isoformat() if deadline else '—'} / {year_text or '—'}")
    return RedirectResponse(f"/batches/{batch_id}/roster", status_code=303)


def _date(text: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise HTTPException(400, words()["bad_deadline"].format(value=text)) from None


@router.post("/batches/{batch_id}/roster")
async def set_roster(request: Request, batch_id: int, bench: Bench):
    """The roster as typed or pasted, or read from an uploaded .xlsx/.csv/.txt (a column headed 单位): it
    replaces the batch's roster; lines naming the same bodies as before keep their hand links."""
    form = await read_form(request, bench.limits)
    w = words()
    uploaded = [(n, d) for n, d in await received(form, "file") if d]
    if uploaded:
        name, data = uploaded[0]
        if len(data) > ROSTER_BYTES:
            raise HTTPException(413, w["roster_too_big"])
        names = await run_in_threadpool(_read, name, data)
    else:
        names = roster.parse(str(form.get("names") or ""))
    if not names:
        raise HTTPException(400, w["roster_empty"])
    with bench.store.writing() as s:
        records.batch(s, batch_id)
        seasons.set_roster(s, batch_id, names)
        activity.record(s, user(request), "roster-set", "batch", batch_id,
                        f"{len(names)}" + (f"（{safe_name(uploaded[0][0])}）" if uploaded else ""))
    return RedirectResponse(f"/batches/{batch_id}/roster", status_code=303)


def _read(name: str, data: bytes) -> list[str]:
    """The bodies an uploaded roster file lists (roster.read, which knows a file by its suffix), or a 400 with
    its one line, naming the file as uploaded."""
    shown = safe_name(name) or "roster.txt"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / ("roster" + Path(shown).suffix.lower())
        path.write_bytes(data)
        try:
            return roster.read(path)
        except ValueError as exc:
            raise HTTPException(400, str(exc).replace(str(path), shown)) from None


@router.post("/batches/{batch_id}/roster/link")
async def link_line(request: Request, batch_id: int, bench: Bench):
    """A roster line linked by hand to a report of the batch (a generic name the matching cannot place), or
    the link undone (report empty)."""
    form = await request.form()
    entry_id, report_id = records.form_id(form.get("entry")), records.form_id(form.get("report"))
    with bench.store.writing() as s:
        records.batch(s, batch_id)
        entry = s.get(RosterEntry, entry_id)
        if entry is None or entry.batch_id != batch_id:
            raise HTTPException(404)
        if report_id:
            row = s.get(ReportRow, report_id)
            if row is None or row.batch_id != batch_id or row.kind != "report":
                raise HTTPException(404)
        seasons.link(s, entry, report_id or None)
        activity.record(s, user(request), "roster-linked", "batch", batch_id,
                        f"{entry.body} → {report_id or '—'}")
    return RedirectResponse(f"/batches/{batch_id}/roster", status_code=303)


@router.post("/batches/{batch_id}/files")
async def add_files(request: Request, batch_id: int, bench: Bench):
    """Reports handed in after the batch was made, added to it (each received now: after the deadline, late)."""
    form = await read_form(request, bench.limits)
    uploaded = await received(form, "files")
    accepted = await run_in_threadpool(accept, uploaded, bench.limits)
    if not accepted.files:
        return bench.page(request, "refused.html", 400, refused=accepted.refused, detail=words()["no_files"])
    with bench.store.session() as s:
        records.batch(s, batch_id)
    try:
        await run_in_threadpool(_store_files, bench, batch_id, user(request), accepted)
    except OSError as exc:
        return not_stored(request, bench, exc)
    bench.worker.wake()
    return RedirectResponse(f"/batches/{batch_id}/roster", status_code=303)


def _store_files(bench, batch_id: int, by: str, accepted) -> None:
    """The files added to the batch, their bytes and rows together (files.stored)."""
    with file_store.stored(bench.store, accepted.files) as (s, kept):
        records.batch(s, batch_id)
        last = s.scalar(select(func.max(File.position)).where(File.batch_id == batch_id))
        start = 0 if last is None else last + 1
        for i, (file_name, digest, size) in enumerate(kept):
            s.add(File(batch_id=batch_id, position=start + i, hash=digest, size=size, original_name=file_name,
                       state=WAITING, round=1))
        activity.record(s, by, "files-added", "batch", batch_id,
                        "、".join(safe_name(n) for n, _d in accepted.files[:5])
                        + (f"（{len(accepted.files)}）" if len(accepted.files) > 5 else ""))


@router.get("/batches/{batch_id}/leader", response_class=HTMLResponse)
def leader_page(request: Request, batch_id: int, bench: Bench):
    """One A4 page for the leader: who reported and when, the tiers' counts, the most common must-fix gaps and
    the reports furthest behind."""
    with bench.store.session() as s:
        batch = records.batch(s, batch_id)
        numbers = seasons.leader(s, batch, bench.pipeline(batch.profile))
    found = numbers.season
    return bench.page(request, "leader.html", batch=batch, n=numbers, season=found, today=date.today(),
                      names=seasons.LEADER_NAMES, late=found.of(roster.LATE), missing=found.of(roster.MISSING),
                      reported=found.of(roster.REPORTED),
                      late_reports=[r for r in found.reports if found.late(r)])


@router.get("/rules/trust", response_class=HTMLResponse, dependencies=[Depends(require_admin)])
def trust_page(request: Request, bench: Bench, year: str = ""):
    """Per rule, how often reviewers confirmed or overturned the machine, and which way, in one season."""
    rules = bench.pipeline("auto").rules
    with bench.store.session() as s:
        years = seasons.season_years(s)
        chosen = int(year) if year.isdigit() else (years[0] if years and year != "all" else None)
        found = seasons.trust(s, rules, chosen)
    return bench.page(request, "trust.html", rows=found, years=years, chosen=chosen, sure=seasons.SURE_AFTER,
                      label=lambda st: Status(st).label)
