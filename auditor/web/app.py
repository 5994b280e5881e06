"""The workbench's pages: new batch → batch matrix → report with its original text → review → exports.

Server-rendered Jinja2 (autoescaped); every form works without JavaScript. The pages show what the pipeline
returned and what people reviewed, never a verdict of their own: a reviewed status is marked as such."""
from __future__ import annotations

import csv
import io
import sys
import tempfile
from contextlib import asynccontextmanager
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote, urlencode

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy import func, select
from sqlalchemy.orm import defer, selectinload
from starlette.exceptions import HTTPException

from .. import labels
from ..i18n import _
from ..read import read_source
from ..settings import Options
from ..shown import name as shown_name, text as shown_text
from ..status import Status
from . import files as file_store
from . import security
from .batch_filter import Filters, Row, choose
from .highlight import highlighted
from .jobs import Auditor
from .reports import Reviewed, latest_reviews, restore
from . import compare as comparing
from .store import DONE, WAITING, Batch, BatchLink, File, Letter, ReportLink, ReportRow, Review, Store
from .uploads import Limits, accept
from .words import words

HERE = Path(__file__).parent
REVIEWABLE = [s for s in Status if s is not Status.WRONG_TYPE]


def create_app(data_dir: Path, *, require_login: bool = False, https: bool = False, limits: Limits | None = None,
               options: Options | None = None, office: str | None = None) -> FastAPI:
    """The workbench on the data folder: its store opened (and migrated), the audit worker started with the
    app and stopped with it; files still waiting from an earlier run are audited then. `office`: the reviewing
    office that signs the letters (the settings key office), else a blank to fill in."""
    store = Store(Path(data_dir))
    worker = Auditor(store, options or Options())
    limits = limits or Limits()

    @asynccontextmanager
    async def lifespan(_app):
        worker.start()
        try:
            yield
        finally:
            worker.stop()

    app = FastAPI(lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None)
    app.state.store, app.state.worker, app.state.limits = store, worker, limits
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    app.state.templates = templates
    env = templates.env
    env.globals.update(t=words, status_label=labels.status, level_label=labels.level, number=_number)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    security.install(app, store, require_login=require_login, https=https)
    if "csrf_input" not in env.globals and hasattr(security, "csrf_input"):
        env.globals["csrf_input"] = security.csrf_input

    def page(request: Request, template: str, status_code: int = 200, **context) -> HTMLResponse:
        return templates.TemplateResponse(request, template, {"w": words(), "user": _user(request), **context},
                                          status_code=status_code)

    @app.exception_handler(HTTPException)
    async def _http_error(request: Request, exc: HTTPException):
        w = words()
        if exc.status_code == 404:
            title, detail = w["not_found"], w["not_found_text"]
        else:
            title, detail = w["bad_request"], str(exc.detail)
        return page(request, "error.html", exc.status_code, title=title, detail=detail)

    @app.exception_handler(Exception)
    async def _server_error(request: Request, exc: Exception):   # a bug: said in Chinese, never a traceback page
        import traceback
        traceback.print_exception(exc, file=sys.stderr)
        w = words()
        return page(request, "error.html", 500, title=w["server_error"], detail=w["server_error_text"])

    @app.exception_handler(RequestValidationError)
    async def _bad_address(request: Request, _exc):   # /batches/abc: no such page, said in Chinese
        w = words()
        return page(request, "error.html", 404, title=w["not_found"], detail=w["not_found_text"])

    def pipeline(profile: str = "auto"):
        return worker.pipeline(profile)

    # --- batches -------------------------------------------------------------------------------------------

    @app.get("/", response_class=HTMLResponse)
    def index(request: Request):
        with store.session() as s:
            rows = s.execute(
                select(Batch, func.count(File.id), func.count(File.id).filter(File.state == DONE))
                .outerjoin(File).group_by(Batch.id).order_by(Batch.id.desc())).all()
        return page(request, "index.html", batches=rows, profiles=_profiles(worker.options))

    @app.post("/batches")
    async def new_batch(request: Request):
        form = await request.form()
        w = words()
        batch_name = str(form.get("name") or "").strip()
        if not batch_name:
            raise HTTPException(400, w["name_needed"])
        profile = str(form.get("profile") or "auto")
        if profile != "auto" and profile not in _profiles(worker.options):
            profile = "auto"
        items = [(u.filename or "", await u.read()) for u in form.getlist("files") if hasattr(u, "read")]
        accepted = accept(items, limits)
        if not accepted.files:
            return page(request, "refused.html", 400, refused=accepted.refused, detail=w["no_files"])
        with store.session() as s:
            batch = Batch(name=batch_name, profile=profile, created_by=_user(request),
                          refused=[list(x) for x in accepted.refused])
            s.add(batch)
            s.flush()
            for i, (file_name, data) in enumerate(accepted.files):
                digest, size = file_store.save(store.data_dir, file_name, data)
                s.add(File(batch_id=batch.id, position=i, hash=digest, size=size, original_name=file_name,
                           state=WAITING, round=1))
            batch_id = batch.id
            for earlier in {int(x) for x in form.getlist("earlier") if str(x).isdigit()}:
                if s.get(Batch, earlier) is not None:
                    s.add(BatchLink(batch_id=batch_id, earlier_id=earlier))
        worker.wake()
        return RedirectResponse(f"/batches/{batch_id}", status_code=303)

    @app.get("/batches/{batch_id}/progress")
    def progress(batch_id: int):
        with store.session() as s:
            _batch(s, batch_id)
            total, done = s.execute(select(func.count(File.id), func.count(File.id).filter(File.state == DONE))
                                    .where(File.batch_id == batch_id)).one()
        return JSONResponse({"done": done, "total": total, "complete": done == total})

    @app.get("/batches/{batch_id}", response_class=HTMLResponse)
    def batch_page(request: Request, batch_id: int, gaps: str = "", rule: str = "", level: str = "",
                   unreviewed: str = "", sort: str = "score-desc"):
        with store.session() as s:
            batch = _batch(s, batch_id)
            batch_files = list(batch.files)
            rows = _rows(s, batch_id, pipeline(batch.profile))
            replaced = comparing.superseded(s, batch_id)
            rows = [r for r in rows if r.id not in replaced]
            linked = [s.get(Batch, b) for (b,) in s.execute(select(BatchLink.earlier_id)
                                                             .where(BatchLink.batch_id == batch_id))]
            others = s.scalars(select(Batch).where(Batch.id != batch_id).order_by(Batch.id.desc())).all()
        waiting = [f for f in batch_files if f.state != DONE]
        reports = [r for r in rows if r.kind == "report"]
        rules = _matrix_rules(reports, pipeline(batch.profile))
        levels = sorted({r.level for r in reports if r.level})
        filters = Filters(gaps=gaps, rule=rule, level=level, unreviewed=unreviewed, sort=sort)
        shown_rules, chosen = choose(reports, rules, filters)
        return page(request, "batch.html", batch=batch, total=len(batch_files), done=len(batch_files) - len(waiting),
                    waiting=waiting, rules=rules, shown_rules=shown_rules, reports=chosen, levels=levels,
                    wrong=[r for r in rows if r.kind == "wrong-type"],
                    unreadable=[r for r in rows if r.kind == "unreadable"],
                    refused=batch.refused or [], linked=linked,
                    others=[b for b in others if b not in linked],
                    f=filters,
                    colours={s.value: s.colour for s in Status}, marks={s.value: s.mark for s in Status},
                    names={s.value: s.label for s in Status})

    @app.post("/batches/{batch_id}/links")
    async def link_batch(request: Request, batch_id: int):
        form = await request.form()
        with store.session() as s:
            _batch(s, batch_id)
            earlier = _id(form.get("earlier"))
            if earlier == batch_id or s.get(Batch, earlier) is None:
                raise HTTPException(404)
            s.add(BatchLink(batch_id=batch_id, earlier_id=earlier))
        return RedirectResponse(f"/batches/{batch_id}", status_code=303)

    @app.get("/batches/{batch_id}/copies", response_class=HTMLResponse)
    def copies_page(request: Request, batch_id: int):
        with store.session() as s:
            batch = _batch(s, batch_id)
            earlier = [b for (b,) in s.execute(select(BatchLink.earlier_id).where(BatchLink.batch_id == batch_id))]
            rows = s.scalars(select(ReportRow).where(ReportRow.batch_id.in_([batch_id, *earlier]),
                                                     ReportRow.kind == "report")).all()
            names = {b.id: b.name for b in s.scalars(select(Batch).where(Batch.id.in_([batch_id, *earlier])))}
            entries, own = [], set()
            for r in rows:
                path = str(file_store.path_for(store.data_dir, r.file.hash, r.file.original_name))
                entries.append((path, {"id": r.id, "batch": names[r.batch_id], "body": r.body,
                                       "file": shown_name(r.file.original_name)}))
                if r.batch_id == batch_id:
                    own.add(path)
        groups, pairs = comparing.copies(entries, own)
        return page(request, "copies.html", batch=batch, groups=groups, pairs=pairs)

    @app.post("/batches/{batch_id}/reaudit")
    def reaudit(batch_id: int):
        """Every file of the batch audited again (after a rules update); reviews and letters are kept."""
        with store.session() as s:
            _batch(s, batch_id)
            for f in s.scalars(select(File).where(File.batch_id == batch_id)):
                f.state = WAITING
        worker.wake()
        return RedirectResponse(f"/batches/{batch_id}", status_code=303)

    @app.post("/batches/{batch_id}/delete")
    def delete_batch(batch_id: int):
        with store.session() as s:
            batch = _batch(s, batch_id)
            hashes = {(f.hash, f.original_name) for f in batch.files}
            s.delete(batch)
        with store.session() as s:   # bytes no other batch refers to go too
            for digest, file_name in hashes:
                if not s.scalar(select(func.count(File.id)).where(File.hash == digest)):
                    file_store.path_for(store.data_dir, digest, file_name).unlink(missing_ok=True)
        return RedirectResponse("/", status_code=303)

    # --- one report ----------------------------------------------------------------------------------------

    @app.get("/reports/{report_id}", response_class=HTMLResponse)
    def report_page(request: Request, report_id: int):
        with store.session() as s:
            row, batch, reviewed, history, letters = _report(s, report_id, pipeline)
            original = _original(store, row.file)
            comparison = _comparison(s, store, row, reviewed, pipeline)
            choices = [(r.id, s.get(Batch, r.batch_id).name, r.body or shown_name(r.file.original_name))
                       for r in comparing.candidates(s, row)]
        report = reviewed.report
        titles_line = _part_lines(report)
        findings = []
        for f in labels.gaps_first(report.findings):
            anchors = [f"ev-{f.rule.id}-{k}" for k in range(len(f.evidence))]
            target = anchors[0] if anchors else titles_line.get(getattr(f.rule, "part", None) or "measures")
            findings.append({"f": f, "anchors": anchors, "target": target,
                             "machine": reviewed.machine.get(f.rule.id), "review": reviewed.reviews.get(f.rule.id),
                             "history": history.get(f.rule.id, [])})
        text_html = highlighted(original, report) if original is not None else None
        quality = [labels.quality(k, n) for k, n in (report.quality or {}).items()]
        machine_rating = (row.points, row.max_points)
        return page(request, "report.html", row=row, batch=batch, report=report, meta=report.metadata,
                    findings=findings, text_html=text_html, quality=quality, machine_rating=machine_rating,
                    letter=letters[-1] if letters else None, statuses=REVIEWABLE,
                    file_name=shown_name(row.file.original_name), comparison=comparison, choices=choices,
                    rule_names={r.id: r.short or r.title for r in pipeline(batch.profile).rules})

    @app.post("/reports/{report_id}/review")
    async def review(request: Request, report_id: int):
        form = await request.form()
        w = words()
        rule_id = str(form.get("rule") or "")
        reason = str(form.get("reason") or "").strip()
        with store.session() as s:
            row, _batch_row, reviewed, _history, _letters = _report(s, report_id, pipeline)
            finding = next((f for f in reviewed.report.findings if f.rule.id == rule_id), None)
            if finding is None:
                raise HTTPException(400, w["unknown_rule"])
            machine = reviewed.machine[rule_id]
            wanted = finding.status.value if "confirm" in form else str(form.get("status") or "")
            if wanted not in {x.value for x in REVIEWABLE}:
                raise HTTPException(400, w["unknown_status"])
            if wanted != finding.status.value and not reason:   # a change needs its why; a confirmation not
                raise HTTPException(400, w["reason_needed"])
            s.add(Review(report_id=row.id, rule=rule_id, machine_status=machine, human_status=wanted,
                         reason=reason, user=_user(request)))
        return RedirectResponse(f"/reports/{report_id}#rule-{rule_id}", status_code=303)

    @app.post("/reports/{report_id}/link")
    async def link_report(request: Request, report_id: int):
        form = await request.form()
        with store.session() as s:
            row = s.get(ReportRow, report_id)
            earlier = s.get(ReportRow, _id(form.get("earlier")))
            if row is None or earlier is None or earlier.id == row.id:
                raise HTTPException(404)
            s.add(ReportLink(report_id=row.id, earlier_id=earlier.id, user=_user(request)))
        return RedirectResponse(f"/reports/{report_id}#compare", status_code=303)

    @app.post("/reports/{report_id}/revision")
    async def revision(request: Request, report_id: int):
        form = await request.form()
        items = [(u.filename or "", await u.read()) for u in form.getlist("file") if hasattr(u, "read")]
        accepted = accept(items[:1], limits)
        if not accepted.files:
            return page(request, "refused.html", 400, refused=accepted.refused, detail=words()["no_files"])
        file_name, data = accepted.files[0]
        with store.session() as s:
            row = s.get(ReportRow, report_id)
            if row is None:
                raise HTTPException(404)
            last = s.scalar(select(func.max(File.position)).where(File.batch_id == row.batch_id)) or 0
            digest, size = file_store.save(store.data_dir, file_name, data)
            s.add(File(batch_id=row.batch_id, position=last + 1, hash=digest, size=size, original_name=file_name,
                       state=WAITING, round=row.round + 1, revises_id=row.id))
            batch_id = row.batch_id
        worker.wake()
        return RedirectResponse(f"/batches/{batch_id}", status_code=303)

    @app.post("/reports/{report_id}/letter")
    async def letter_text(request: Request, report_id: int):
        form = await request.form()
        with store.session() as s:
            row = s.get(ReportRow, report_id)
            if row is None:
                raise HTTPException(404)
            s.add(Letter(report_id=row.id, text=str(form.get("text") or ""), user=_user(request)))
        return RedirectResponse(f"/reports/{report_id}#letter", status_code=303)

    @app.get("/reports/{report_id}/letter.docx")
    def letter_docx(report_id: int):
        from ..render import docx_parts, letter_format
        with store.session() as s:
            row, _b, reviewed, _h, letters = _report(s, report_id, pipeline)   # names the uploaded file
        report = reviewed.report
        if report.errors or not report.findings:
            raise HTTPException(404)
        rules = pipeline().rules
        doc = letter_format.letter(report, docx_parts.part_titles(rules), office=office)
        if letters and letters[-1].text.strip():
            doc.add_paragraph(words()["letter_text"], style="Heading 2")
            for paragraph in letters[-1].text.strip().splitlines():
                if paragraph.strip():
                    doc.add_paragraph(shown_text(paragraph.strip()))
        out = io.BytesIO()
        doc.save(out)
        return _download(out.getvalue(), _stem(row.file.original_name) + docx_parts.LETTER, _DOCX)

    @app.get("/reports/{report_id}/review.docx")
    def review_docx(report_id: int):
        from ..render import docx_parts, review_format
        with store.session() as s:
            row, _b, reviewed, _h, _l = _report(s, report_id, pipeline, stored_path=store.data_dir)
        with tempfile.TemporaryDirectory() as tmp:
            written = review_format.write([reviewed.report], pipeline().rules, Path(tmp))
            if not written:
                raise HTTPException(404)
            data = written[0].read_bytes()
        return _download(data, _stem(row.file.original_name) + docx_parts.REVIEW, _DOCX)

    # --- batch exports -------------------------------------------------------------------------------------

    def _batch_reports(batch_id: int):
        with store.session() as s:
            batch = _batch(s, batch_id)
            rows = s.scalars(select(ReportRow).where(ReportRow.batch_id == batch_id)
                             .join(File).order_by(File.position)).all()
            reviews = _reviews_by_report(s, [r.id for r in rows])
            out = [(r, restore(r, reviews.get(r.id, []), pipeline(batch.profile))) for r in rows if r.file]
            return batch, out

    @app.get("/batches/{batch_id}/export.xlsx")
    def export_xlsx(batch_id: int):
        from ..render import RENDERERS
        batch, pairs = _batch_reports(batch_id)
        data = RENDERERS["xlsx"]([rv.report for _r, rv in pairs], pipeline(batch.profile).rules)
        return _download(data, f"{batch.name}.xlsx",
                         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")

    @app.get("/batches/{batch_id}/print", response_class=HTMLResponse)
    def export_print(batch_id: int):
        from ..render import RENDERERS
        batch, pairs = _batch_reports(batch_id)
        return HTMLResponse(RENDERERS["html"]([rv.report for _r, rv in pairs], pipeline(batch.profile).rules))

    @app.get("/batches/{batch_id}/labels.tsv")
    def export_labels(batch_id: int):
        batch, pairs = _batch_reports(batch_id)
        out = io.StringIO()
        writer = csv.writer(out, delimiter="\t", lineterminator="\n")
        writer.writerow(["file", "rule", "expected", "note"])
        for row, rv in pairs:
            for rule_id, r in sorted(rv.reviews.items()):
                status = Status(r.human_status)
                expected = "met" if status is Status.MET else ("?" if not status.is_gap else "not-met")
                note = " ".join(f"{r.machine_status}→{r.human_status} {r.user} {r.created_at:%Y-%m-%d} "
                                f"{r.reason}".split())
                writer.writerow([Path(row.file.original_name).name, rule_id, expected, note])
        return _download(out.getvalue().encode("utf-8"), f"{batch.name}.labels.tsv",
                         "text/tab-separated-values; charset=utf-8")

    return app


# --- helpers ---------------------------------------------------------------------------------------------

_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _user(request: Request) -> str:
    return getattr(request.state, "user", None) or _("local user")


def _id(value) -> int:
    """A record id from a form field; 0 (no record) for anything but digits."""
    return int(value) if isinstance(value, str) and value.isdigit() else 0


def _number(value) -> str:
    if value is None:
        return "—"
    return f"{value:g}" if isinstance(value, float) else str(value)


def _stem(file_name: str) -> str:
    return Path(file_name).stem or "report"


def _download(data: bytes, file_name: str, media_type: str) -> Response:
    """Bytes offered as a download under a Chinese name (RFC 5987), with an ASCII fallback."""
    fallback = "".join(c if c.isascii() and c.isalnum() or c in "._-" else "_" for c in file_name)
    disposition = f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(file_name)}"
    return Response(data, media_type=media_type, headers={"Content-Disposition": disposition})


@lru_cache(maxsize=4)
def _profiles_cached(rules_dir: str | None) -> dict[str, str]:
    from ..ruleset import load_ruleset
    _rules, profiles = load_ruleset(Path(rules_dir) if rules_dir else None)
    return {pid: p.title for pid, p in profiles.items()}


def _profiles(options: Options) -> dict[str, str]:
    """Profile id → its title, for the new-batch form."""
    return _profiles_cached(options.rules_dir)


def _batch(s, batch_id: int) -> Batch:
    batch = s.get(Batch, batch_id)
    if batch is None:
        raise HTTPException(404)
    return batch


def _reviews_by_report(s, report_ids: list[int]) -> dict[int, list[Review]]:
    out: dict[int, list[Review]] = {}
    if report_ids:
        for r in s.scalars(select(Review).where(Review.report_id.in_(report_ids)).order_by(Review.id)):
            out.setdefault(r.report_id, []).append(r)
    return out


def _rows(s, batch_id: int, pipeline) -> list[Row]:
    rows = s.scalars(select(ReportRow).where(ReportRow.batch_id == batch_id).join(File)
                     .options(selectinload(ReportRow.file), defer(ReportRow.data)).order_by(File.position)).all()
    reviews = _reviews_by_report(s, [r.id for r in rows])
    out = []
    for r in rows:
        item = Row(r.id, r.file.position, shown_name(r.file.original_name), r.kind, r.reason, r.body, r.level,
                    r.year, r.points, r.max_points, r.round,
                    statuses=dict(r.statuses) if r.statuses is not None else
                    {x["rule"]: x["status"] for x in r.data.get("results", [])})
        if reviews.get(r.id):
            rated = restore(r, reviews[r.id], pipeline).report   # reviewed statuses feed the score
            item.points = rated.rating.points if rated.rating else None
            item.max = rated.rating.max if rated.rating else None
            newest = latest_reviews(reviews[r.id])
            item.statuses.update({rule: rv.human_status for rule, rv in newest.items()})
            item.reviewed = set(newest)
        out.append(item)
    return out


def _matrix_rules(reports: list[Row], pipeline) -> list:
    """The rules some report of the batch was checked against, in the rule set's order."""
    present = {rule for r in reports for rule in r.statuses}
    return [r for r in pipeline.rules if r.id in present]


def _report(s, report_id: int, pipeline_of, stored_path: Path | None = None):
    """The report's row, batch, restored Report (reviews in force), review history by rule and letters;
    `stored_path`: the data folder, when the Report should point at its stored file (Word exports read it)."""
    row = s.get(ReportRow, report_id)
    if row is None:
        raise HTTPException(404)
    batch = s.get(Batch, row.batch_id)
    reviews = list(s.scalars(select(Review).where(Review.report_id == row.id).order_by(Review.id)))
    letters = list(s.scalars(select(Letter).where(Letter.report_id == row.id).order_by(Letter.id)))
    history: dict[str, list[Review]] = {}
    for r in reviews:
        history.setdefault(r.rule, []).append(r)
    path = None
    if stored_path:
        path = str(file_store.path_for(stored_path, row.file.hash, row.file.original_name))
    reviewed = restore(row, reviews, pipeline_of(batch.profile), path=path)
    row.file  # loaded while the session is open
    return row, batch, reviewed, history, letters


def _comparison(s, store: Store, row: ReportRow, reviewed: Reviewed, pipeline_of):
    """This report beside its earlier one (the round it revises, a hand link, or the same body last year)."""
    found = comparing.earlier_report(s, row)
    if found is None:
        return None
    earlier, how = found
    then = restore(earlier, list(s.scalars(select(Review).where(Review.report_id == earlier.id))),
                   pipeline_of(s.get(Batch, earlier.batch_id).profile)).report
    now = {f.rule.id: f.status for f in reviewed.report.findings}
    before = {f.rule.id: f.status for f in then.findings}
    path = lambda f: file_store.path_for(store.data_dir, f.hash, f.original_name)
    return comparing.compare(now, before, earlier, how, path(row.file), path(earlier.file))


def _original(store: Store, f: File) -> str | None:
    """The text the pipeline read from the stored file (lines and columns of the evidence point into it)."""
    try:
        return read_source(file_store.path_for(store.data_dir, f.hash, f.original_name)).text
    except Exception:   # noqa: BLE001 - an unreadable file has no text to show; its error is on the page
        return None


def _part_lines(report) -> dict[str, str]:
    """Part kind → the anchor of its first heading line (where a missing element belongs)."""
    out: dict[str, str] = {}
    for p in report.outline:
        if p.part and p.part not in out:
            out[p.part] = f"L{p.line}"
    return out
