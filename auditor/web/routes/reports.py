"""One report: its page (findings beside the original text, the comparison with an earlier report), a
person's review of a rule, a link to an earlier report, a revised file, the letter's own text."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy import func, select
from starlette.exceptions import HTTPException

from ... import labels
from ...read import read_source
from ...shown import name as shown_name
from ...status import REVIEWABLE
from .. import activity
from .. import compare as comparing
from .. import files as file_store
from ..highlight import highlighted
from ..reports import Reviewed
from ..store import (REPORT_STATES, REVISED, WAITING, File, Letter, ReportLink, ReportRow, ReportState, Review, Store,
                     User)
from ..uploads import accept, received
from ..words import words
from . import records
from .batches import not_stored
from .context import Bench, user

router = APIRouter()


@router.get("/reports/{report_id}", response_class=HTMLResponse)
def report_page(request: Request, report_id: int, bench: Bench):
    with bench.store.session() as s:
        row, batch, reviewed, history, letters = records.report(s, report_id, bench.pipeline)
        original = None if row.kind == "unreadable" else _original(bench.store, row.file)
        comparison = _comparison(s, bench.store, row, reviewed)
        choices = comparing.candidates(s, row, bench.store.data_dir)
        states = list(s.scalars(select(ReportState).where(ReportState.report_id == row.id)
                                .order_by(ReportState.id)))
        accounts = [u.name for u in s.scalars(select(User).order_by(User.id))]
    report = reviewed.report
    return bench.page(request, "report.html", row=row, batch=batch, report=report, meta=report.metadata,
                      findings=_findings(reviewed, history), quality=[labels.quality(k, n) for k, n in
                                                                      (report.quality or {}).items()],
                      text_html=highlighted(original, report) if original is not None else None,
                      machine_rating=(row.points, row.max_points), letter=letters[-1] if letters else None,
                      statuses=REVIEWABLE, file_name=shown_name(row.file.original_name), comparison=comparison,
                      choices=choices, dropped=reviewed.dropped, states=states, state_ids=REPORT_STATES,
                      accounts=accounts,
                      rule_names={r.id: r.short or r.title for r in bench.pipeline(batch.profile).rules})


@router.post("/reports/{report_id}/review")
async def review(request: Request, report_id: int, bench: Bench):
    form = await request.form()
    w = words()
    rule_id = str(form.get("rule") or "")
    reason = str(form.get("reason") or "").strip()
    seen = records.form_id(form.get("seen"))
    with bench.store.writing() as s:
        row = records.opened_report(s, report_id)
        _row, _batch, reviewed, history, _letters = records.report(s, row.id, bench.pipeline)
        finding = next((f for f in reviewed.report.findings if f.rule.id == rule_id), None)
        if finding is None:
            raise HTTPException(400, w["unknown_rule"])
        machine = reviewed.machine[rule_id]
        wanted = finding.status.value if "confirm" in form else str(form.get("status") or "")
        if wanted not in {x.value for x in REVIEWABLE}:
            raise HTTPException(400, w["unknown_status"])
        if wanted != finding.status.value and not reason:   # a change needs its why; a confirmation not
            raise HTTPException(400, w["reason_needed"])
        latest = history.get(rule_id, [None])[-1]
        if latest is not None and latest.id != seen:   # someone reviewed this rule since the form was opened
            return _conflict(request, bench, row, "review", latest,
                             {"rule": rule_id, "status": wanted, "reason": reason})
        s.add(Review(report_id=row.id, rule=rule_id, machine_status=machine, human_status=wanted,
                     reason=reason, user=user(request)))
        activity.record(s, user(request), "review-saved", "report", row.id, f"{rule_id}: {machine} → {wanted}")
    return RedirectResponse(f"/reports/{report_id}#rule-{rule_id}", status_code=303)


@router.post("/reports/{report_id}/link")
async def link_report(request: Request, report_id: int, bench: Bench):
    form = await request.form()
    with bench.store.writing() as s:
        row = records.opened_report(s, report_id)
        earlier = s.get(ReportRow, records.form_id(form.get("earlier")))
        if earlier is None or earlier.id == row.id:
            raise HTTPException(404)
        s.add(ReportLink(report_id=row.id, earlier_id=earlier.id, user=user(request)))
        activity.record(s, user(request), "report-linked", "report", row.id, str(earlier.id))
    return RedirectResponse(f"/reports/{report_id}#compare", status_code=303)


@router.post("/reports/{report_id}/revision")
async def revision(request: Request, report_id: int, bench: Bench):
    form = await request.form()
    accepted = await run_in_threadpool(accept, (await received(form, "file"))[:1], bench.limits)
    if not accepted.files:
        return bench.page(request, "refused.html", 400, refused=accepted.refused, detail=words()["no_files"])
    try:
        batch_id = await run_in_threadpool(_store_revision, bench, report_id, user(request), *accepted.files[0])
    except OSError as exc:
        return not_stored(request, bench, exc)
    bench.worker.wake()
    return RedirectResponse(f"/batches/{batch_id}", status_code=303)


def _store_revision(bench, report_id: int, by: str, file_name: str, data: bytes) -> int:
    """The revised file as the next round of the report, its bytes and row together (files.stored)."""
    with file_store.stored(bench.store, [(file_name, data)]) as (s, kept):
        row = records.opened_report(s, report_id)
        last = s.scalar(select(func.max(File.position)).where(File.batch_id == row.batch_id)) or 0
        (_name, digest, size), = kept
        s.add(File(batch_id=row.batch_id, position=last + 1, hash=digest, size=size, original_name=file_name,
                   state=WAITING, round=row.round + 1, revises_id=row.id))
        s.add(ReportState(report_id=row.id, state=REVISED, note=file_name, user=by))   # its revision came in
        activity.record(s, by, "revision-uploaded", "report", row.id, file_name)
        return row.batch_id


@router.post("/reports/{report_id}/letter")
async def letter_text(request: Request, report_id: int, bench: Bench):
    form = await request.form()
    text = str(form.get("text") or "")
    seen = records.form_id(form.get("seen"))
    with bench.store.writing() as s:
        row = records.opened_report(s, report_id)
        latest = s.scalars(select(Letter).where(Letter.report_id == row.id).order_by(Letter.id.desc())
                           .limit(1)).first()
        if latest is not None and latest.id != seen and latest.text != text:   # written meanwhile by another
            return _conflict(request, bench, row, "letter", latest, {"text": text})
        s.add(Letter(report_id=row.id, text=text, user=user(request)))
        activity.record(s, user(request), "letter-saved", "report", row.id, f"{len(text)}")
    return RedirectResponse(f"/reports/{report_id}#letter", status_code=303)


@router.post("/reports/{report_id}/state")
async def report_state(request: Request, report_id: int, bench: Bench):
    """Where the report stands in the season and who handles it: a new row each time (the latest counts)."""
    form = await request.form()
    state = str(form.get("state") or "")
    if state not in REPORT_STATES:
        raise HTTPException(400, words()["unknown_status"])
    assignee = str(form.get("assignee") or "").strip()[:100] or None
    note = str(form.get("note") or "").strip()[:2000]
    with bench.store.writing() as s:
        row = records.opened_report(s, report_id)
        s.add(ReportState(report_id=row.id, state=state, assignee=assignee, note=note, user=user(request)))
        activity.record(s, user(request), "state-changed", "report", row.id, f"{state} {assignee or ''}".strip())
    return RedirectResponse(f"/reports/{report_id}#state", status_code=303)


def _conflict(request: Request, bench, row: ReportRow, kind: str, theirs, mine: dict):
    """Someone saved this review or 整改意见 after the form was opened: nothing is saved; the page shows their
    save and what this person typed, to save again (over theirs, knowingly) or go back."""
    return bench.page(request, "conflict.html", 409, row=row, kind=kind, theirs=theirs, mine=mine,
                      statuses=REVIEWABLE)


def _findings(reviewed: Reviewed, history: dict[str, list[Review]]) -> list[dict]:
    """The findings gaps first, each with its evidence anchors, where its link scrolls to (its first quote,
    else the heading of the part where it belongs), the machine's status, the review in force and the history."""
    report = reviewed.report
    titles_line = _part_lines(report)
    findings = []
    for f in labels.gaps_first(report.findings):
        anchors = [f"ev-{f.rule.id}-{k}" for k in range(len(f.evidence))]
        target = anchors[0] if anchors else titles_line.get(getattr(f.rule, "part", None) or "measures")
        findings.append({"f": f, "anchors": anchors, "target": target,
                         "machine": reviewed.machine.get(f.rule.id), "review": reviewed.reviews.get(f.rule.id),
                         "history": history.get(f.rule.id, [])})
    return findings


def _comparison(s, store: Store, row: ReportRow, reviewed: Reviewed):
    """This report beside its earlier one (the round it revises, a hand link, or the same body last year): the
    earlier one's reviewed statuses from its columns, the shared text from the index (compare.index_file)."""
    found = comparing.earlier_report(s, row)
    if found is None:
        return None
    earlier, how = found
    now = {f.rule.id: f.status for f in reviewed.report.findings}
    return comparing.compare(now, comparing.statuses(s, earlier), earlier, how, store.data_dir, row.file,
                             earlier.file)


def _original(store: Store, f: File) -> str | None:
    """The text the pipeline read from the stored file (lines and columns of the evidence point into it); a file
    the reader refused is not read again (a hostile one cost seconds and a gigabyte per view)."""
    return _read_text(str(file_store.path_for(store.data_dir, f.hash, f.original_name)))


@lru_cache(maxsize=8)   # stored files never change under their name: the pages people go back and forth between
def _read_text(path: str) -> str | None:
    try:
        return read_source(Path(path)).text
    except Exception:   # noqa: BLE001 - an unreadable file has no text to show; its error is on the page
        return None


def _part_lines(report) -> dict[str, str]:
    """Part kind → the anchor of its first heading line (where a missing element belongs)."""
    out: dict[str, str] = {}
    for p in report.outline:
        if p.part and p.part not in out:
            out[p.part] = f"L{p.line}"
    return out
