"""The batches: the list and the new-batch form, a batch's matrix (filtered by its query), its progress, its
links to earlier batches, its copies, auditing it again and deleting it."""
from __future__ import annotations

import errno
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from markupsafe import Markup
from sqlalchemy import func, select
from starlette.exceptions import HTTPException

from ...ruleset import load_ruleset
from ...settings import Options
from ...shown import name as shown_name
from ...status import Status
from .. import activity
from .. import compare as comparing
from .. import files as file_store
from .. import matrix, versioned
from ..batch_filter import Filters, Row, choose, matrix_rules
from ..reports import latest_reviews, must_fix, rated
from ..store import DONE, WAITING, Batch, BatchLink, File, ReportRow
from ..uploads import accept, received
from ..words import words
from . import records
from .context import Bench, require_admin, user

router = APIRouter()


@router.get("/", response_class=HTMLResponse)
def index(request: Request, bench: Bench):
    with bench.store.session() as s:
        rows = s.execute(
            select(Batch, func.count(File.id), func.count(File.id).filter(File.state == DONE))
            .outerjoin(File).group_by(Batch.id).order_by(Batch.id.desc())).all()
    return bench.page(request, "index.html", batches=rows, profiles=_profiles(bench.options))


@router.post("/batches")
async def new_batch(request: Request, bench: Bench):
    form = await request.form()
    w = words()
    batch_name = str(form.get("name") or "").strip()
    if not batch_name:
        raise HTTPException(400, w["name_needed"])
    profile = str(form.get("profile") or "auto")
    if profile != "auto" and profile not in _profiles(bench.options):
        profile = "auto"
    uploaded = await received(form, "files")
    earlier = {records.form_id(x) for x in form.getlist("earlier")} - {0}
    # unpacking and storing take seconds for a large upload: off the event loop, so other pages go on
    accepted = await run_in_threadpool(accept, uploaded, bench.limits)
    if not accepted.files:
        return bench.page(request, "refused.html", 400, refused=accepted.refused, detail=w["no_files"])
    try:
        batch_id = await run_in_threadpool(_store_batch, bench, batch_name, profile, user(request), accepted,
                                           earlier)
    except OSError as exc:
        return not_stored(request, bench, exc)
    bench.worker.wake()
    return RedirectResponse(f"/batches/{batch_id}", status_code=303)


def _store_batch(bench, batch_name: str, profile: str, by: str, accepted, earlier: set[int]) -> int:
    """The batch's rows and bytes, together or not at all (files.stored)."""
    with file_store.stored(bench.store, accepted.files) as (s, kept):
        batch = Batch(name=batch_name, profile=profile, created_by=by, refused=[list(x) for x in accepted.refused])
        s.add(batch)
        s.flush()
        for i, (file_name, digest, size) in enumerate(kept):
            s.add(File(batch_id=batch.id, position=i, hash=digest, size=size, original_name=file_name,
                       state=WAITING, round=1))
        for earlier_id in earlier:
            if s.get(Batch, earlier_id) is not None:
                s.add(BatchLink(batch_id=batch.id, earlier_id=earlier_id))
        activity.record(s, by, "batch-created", "batch", batch.id, f"{batch_name}（{len(accepted.files)}）")
        return batch.id


def not_stored(request: Request, bench, exc: OSError):
    """Nothing of the upload kept: said in Chinese, with why (a full disk above all)."""
    from ...errors import os_reason
    w = words()
    reason = w["disk_full"] if exc.errno == errno.ENOSPC else os_reason(exc)
    return bench.page(request, "error.html", 507, title=w["not_stored"], detail=reason)


@router.get("/batches/{batch_id}/progress")
def progress(batch_id: int, bench: Bench):
    with bench.store.session() as s:
        records.batch(s, batch_id)
        total, done = s.execute(select(func.count(File.id), func.count(File.id).filter(File.state == DONE))
                                .where(File.batch_id == batch_id)).one()
    return JSONResponse({"done": done, "total": total, "complete": done == total})


@router.get("/batches/{batch_id}", response_class=HTMLResponse)
def batch_page(request: Request, batch_id: int, bench: Bench, gaps: str = "", rule: str = "", level: str = "",
               unreviewed: str = "", sort: str = "score-desc"):
    """The batch's matrix: its rows and the table's HTML are made once per version of the batch (and filters)
    and kept (versioned.py), so 20 people opening it cost one making, not 20; the rest of the page (forms with
    each person's CSRF token, who is asking) is made for each request."""
    with bench.store.session() as s:
        batch = records.batch(s, batch_id)
        total = s.scalar(select(func.count(File.id)).where(File.batch_id == batch_id))
        waiting = list(s.scalars(select(File).where(File.batch_id == batch_id, File.state != DONE)
                                 .order_by(File.position)))
        pipeline = bench.pipeline(batch.profile)
        key = (str(bench.store.data_dir), batch_id, batch.profile, versioned.version(s, [batch_id]))
        view = _views.get(key, lambda: _view(s, batch_id, pipeline))
        linked, others = _other_batches(s, batch_id)
    filters = Filters(gaps=gaps, rule=rule, level=level, unreviewed=unreviewed, sort=sort)
    legend = _legend()
    table = _tables.get((key, filters), lambda: _table(bench, view, filters, legend))
    return bench.page(request, "batch.html", batch=batch, total=total, done=total - len(waiting), waiting=waiting,
                      rules=view.rules, reports=table.reports, matrix_html=table.html, levels=view.levels,
                      wrong=view.wrong, unreadable=view.unreadable,
                      refused=batch.refused or [], linked=linked, others=others, f=filters, **legend)


@dataclass(frozen=True)
class _View:
    """What the batch page shows of a batch, whatever the filters: its report rows (latest rounds), the matrix's
    possible columns, the levels, the files of the wrong type and the unreadable ones."""
    reports: list[Row]
    rules: list
    levels: list[str]
    wrong: list[Row]
    unreadable: list[Row]


@dataclass(frozen=True)
class _Table:
    reports: list[Row]   # the rows shown (the page counts them)
    utf8: bytes          # the matrix's <table>, from batch.html's block `matrix` (as bytes: half a str's memory)

    @property
    def html(self) -> Markup:
        return Markup(self.utf8.decode())


_views = versioned.Kept(32)     # (data folder, batch, profile, version) → _View
_tables = versioned.Kept(48)    # (that key, filters) → _Table: the few filters people use, each made once


def _view(s, batch_id: int, pipeline) -> _View:
    replaced = comparing.superseded(s, batch_id)
    rows = [r for r in _rows(s, batch_id, pipeline) if r.id not in replaced]
    reports = [r for r in rows if r.kind == "report"]
    return _View(reports, matrix_rules(reports, pipeline.rules), sorted({r.level for r in reports if r.level}),
                 [r for r in rows if r.kind == "wrong-type"], [r for r in rows if r.kind == "unreadable"])


def _table(bench, view: _View, filters: Filters, legend: dict) -> _Table:
    """The matrix under these filters, rendered once from batch.html's block `matrix` (it holds no form and
    nothing of the person asking: the same for everyone)."""
    shown_rules, chosen = choose(view.reports, view.rules, filters)
    template = bench.templates.env.get_template("batch.html")
    context = template.new_context({"w": words(), "reports": chosen, "shown_rules": shown_rules,
                                    "cells": matrix.cells(chosen, shown_rules, legend["marks"]),
                                    "colour_rules": matrix.colour_rules(legend["colours"])})
    # without line breaks: every value a page shows passes shown_text, which calls a function for each one
    return _Table(chosen, "".join(template.blocks["matrix"](context)).replace("\n", " ").encode())


@router.post("/batches/{batch_id}/links")
async def link_batch(request: Request, batch_id: int, bench: Bench):
    form = await request.form()
    with bench.store.writing() as s:
        records.batch(s, batch_id)
        earlier = records.form_id(form.get("earlier"))
        if earlier == batch_id or s.get(Batch, earlier) is None:
            raise HTTPException(404)
        s.add(BatchLink(batch_id=batch_id, earlier_id=earlier))
        activity.record(s, user(request), "batch-linked", "batch", batch_id, str(earlier))
    return RedirectResponse(f"/batches/{batch_id}", status_code=303)


@router.get("/batches/{batch_id}/copies", response_class=HTMLResponse)
def copies_page(request: Request, batch_id: int, bench: Bench):
    """Copies among the batch's reports and its linked earlier batches', each side named by its batch and round
    and linked to its own report; found once for the same reports (compare.copies keeps the answer)."""
    with bench.store.session() as s:
        batch = records.batch(s, batch_id)
        earlier = [b for (b,) in s.execute(select(BatchLink.earlier_id).where(BatchLink.batch_id == batch_id))]
        rows = s.execute(select(ReportRow.id, ReportRow.batch_id, ReportRow.round, ReportRow.body, File.hash,
                                File.original_name)
                         .join(File, File.id == ReportRow.file_id)
                         .where(ReportRow.batch_id.in_([batch_id, *earlier]), ReportRow.kind == "report")
                         .order_by(ReportRow.id)).all()
        names = {b.id: b.name for b in s.scalars(select(Batch).where(Batch.id.in_([batch_id, *earlier])))}
    entries = tuple((digest, name, comparing.Side(rid, names[bid], round_, body, shown_name(name)))
                    for rid, bid, round_, body, digest, name in rows)
    own = frozenset(digest for _rid, bid, _round, _body, digest, _name in rows if bid == batch_id)
    groups, pairs = comparing.copies(bench.store.data_dir, entries, own)
    return bench.page(request, "copies.html", batch=batch, groups=groups, pairs=pairs)


@router.post("/batches/{batch_id}/reaudit")
def reaudit(request: Request, batch_id: int, bench: Bench):
    """Every file of the batch audited again (after a rules update); reviews and letters are kept."""
    with bench.store.writing() as s:
        records.batch(s, batch_id)
        for f in s.scalars(select(File).where(File.batch_id == batch_id)):
            f.state = WAITING
        activity.record(s, user(request), "batch-reaudited", "batch", batch_id)
    bench.worker.wake()
    return RedirectResponse(f"/batches/{batch_id}", status_code=303)


@router.post("/batches/{batch_id}/delete")
def delete_batch(request: Request, batch_id: int, bench: Bench):
    require_admin(request)
    with bench.store.writing() as s:
        batch = records.batch(s, batch_id)
        stored = {(f.hash, f.original_name) for f in batch.files}
        activity.record(s, user(request), "batch-deleted", "batch", batch_id, f"{batch.name}（{len(stored)}）")
        s.delete(batch)
    with bench.store.writing() as s:   # bytes no other batch refers to go too, never those an upload just took
        file_store.collect(s, bench.store.data_dir, stored)
    return RedirectResponse("/", status_code=303)


def _other_batches(s, batch_id: int) -> tuple[list[Batch], list[Batch]]:
    """The earlier batches this one is linked to, and the others it could be linked to, newest first."""
    linked = [s.get(Batch, b) for (b,) in s.execute(select(BatchLink.earlier_id)
                                                     .where(BatchLink.batch_id == batch_id))]
    others = s.scalars(select(Batch).where(Batch.id != batch_id).order_by(Batch.id.desc())).all()
    return linked, [b for b in others if b not in linked]


def _legend() -> dict[str, dict[str, str]]:
    """Each status's colour, mark and name, for the matrix's cells and its legend."""
    return {"colours": {s.value: s.colour for s in Status}, "marks": {s.value: s.mark for s in Status},
            "names": {s.value: s.label for s in Status}}


@lru_cache(maxsize=4)
def _profiles_cached(rules_dir: str | None) -> dict[str, str]:
    _rules, profiles = load_ruleset(Path(rules_dir) if rules_dir else None)
    return {pid: p.title for pid, p in profiles.items()}


def _profiles(options: Options) -> dict[str, str]:
    """Profile id → its title, for the new-batch form."""
    return _profiles_cached(options.rules_dir)


def _rows(s, batch_id: int, pipeline) -> list[Row]:
    """The batch page's rows in upload order, each with the statuses and score people's reviews put in force,
    its gaps that must be fixed and where it stands: from the rows' own columns (the stored Reports are not
    read)."""
    rows = s.execute(select(ReportRow.id, File.position, File.original_name, ReportRow.kind, ReportRow.reason,
                            ReportRow.body, ReportRow.level, ReportRow.year, ReportRow.points, ReportRow.max_points,
                            ReportRow.round, ReportRow.statuses, ReportRow.profile)
                     .join(File, File.id == ReportRow.file_id).where(ReportRow.batch_id == batch_id)
                     .order_by(File.position)).all()
    reviews = records.reviews_by_report(s, [r.id for r in rows])
    states = records.states_by_report(s, [r.id for r in rows])
    out = []
    for r in rows:
        machine = dict(r.statuses) if r.statuses is not None else {   # stored before the statuses column
            x["rule"]: x["status"] for x in s.scalar(select(ReportRow.data).where(ReportRow.id == r.id))
            .get("results", [])}
        item = Row(r.id, r.position, shown_name(r.original_name), r.kind, r.reason, r.body, r.level,
                   r.year, r.points, r.max_points, r.round,   # rule and status ids once in memory, not per row
                   statuses={sys.intern(k): sys.intern(v) for k, v in machine.items()})
        if reviews.get(r.id):
            newest = latest_reviews(reviews[r.id])
            if r.kind != "unreadable":   # reviewed statuses feed the score, as `restore` rates them
                rating = rated(machine, newest, r.profile, pipeline)
                item.points, item.max = (rating.points, rating.max) if rating else (None, None)
            item.statuses.update({rule: rv.human_status for rule, rv in newest.items()})
            item.reviewed = set(newest)
        if r.kind == "report":
            item.must = must_fix(item.statuses, r.profile, pipeline)
        if r.id in states:
            item.state, item.assignee = states[r.id].state, states[r.id].assignee
        out.append(item)
    return out
