"""The workbench's wiring: new batch → batch matrix → report with its original text → review → exports, each
room a router of routes/, put together here with the shared state, the templates, security and the error pages.

Server-rendered Jinja2 (autoescaped); every form works without JavaScript. The pages show what the pipeline
returned and what people reviewed, never a verdict of their own: a reviewed status is marked as such."""
from __future__ import annotations

import sys
import traceback
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException

from .. import labels
from ..settings import Options
from . import files, security
from .jobs import Auditor
from .routes import admin, batches, exports, reports, season
from .routes import letters
from .routes.context import Workbench
from .store import Store
from .uploads import FRAMEWORK_FORM_WORDS, Limits, form_refusal
from .words import words

HERE = Path(__file__).parent


def create_app(data_dir: Path, *, require_login: bool = False, https: bool = False, limits: Limits | None = None,
               options: Options | None = None, office: str | None = None) -> FastAPI:
    """The workbench on the data folder: its store opened (and migrated), the audit worker started with the
    app and stopped with it; files still waiting from an earlier run are audited then. `office`: the reviewing
    office that signs the letters (the settings key office), else a blank to fill in."""
    store = Store(Path(data_dir))
    bench = Workbench(store=store, worker=Auditor(store, options or Options()), limits=limits or Limits(),
                      templates=_templates(), office=office)
    app = FastAPI(lifespan=_lifespan, docs_url=None, redoc_url=None, openapi_url=None)
    app.state.workbench = bench
    # security's guard reads limits from app.state; security.install adds csrf_input to app.state.templates
    app.state.store, app.state.worker, app.state.limits = bench.store, bench.worker, bench.limits
    app.state.templates = bench.templates
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    security.install(app, store, require_login=require_login, https=https)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(Exception, _server_error)
    app.add_exception_handler(RequestValidationError, _bad_address)
    for room in (batches, reports, exports, admin, season):
        app.include_router(room.router)
    app.include_router(letters.router)   # a batch's letters, set once and downloaded at once
    return app


@asynccontextmanager
async def _lifespan(app: FastAPI):
    bench = app.state.workbench
    files.sweep(bench.store)   # what a stopped server or a full disk left half done
    worker = bench.worker
    worker.start()
    try:
        yield
    finally:
        worker.stop()


def _templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.globals.update(t=words, status_label=labels.status, level_label=labels.level, tier_label=labels.tier,
                                 number=_number, short_body=labels.short_body)
    return templates


def _number(value) -> str:
    if value is None:
        return "—"
    return f"{value:g}" if isinstance(value, float) else str(value)


def _error_page(request: Request, status_code: int, title: str, detail: str):
    return request.app.state.workbench.page(request, "error.html", status_code, title=title, detail=detail)


async def _http_error(request: Request, exc: HTTPException):
    w = words()
    if exc.status_code == 404:
        return _error_page(request, 404, w["not_found"], w["not_found_text"])
    said = str(exc.detail)
    if said.startswith(FRAMEWORK_FORM_WORDS):   # request.form() in any route: the parser's English, said in Chinese
        status, said = form_refusal(said)
        return _error_page(request, status, w["bad_request"], said)
    return _error_page(request, exc.status_code, w["bad_request"], said)


async def _server_error(request: Request, exc: Exception):
    """A bug: said in Chinese, never a traceback page; the traceback goes to the server's log."""
    traceback.print_exception(exc, file=sys.stderr)
    w = words()
    return _error_page(request, 500, w["server_error"], w["server_error_text"])


async def _bad_address(request: Request, _exc):
    """/batches/abc: no such page, said in Chinese."""
    w = words()
    return _error_page(request, 404, w["not_found"], w["not_found_text"])
