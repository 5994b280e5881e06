"""What every route is handed: the workbench (store, audit worker, upload limits, templates, the office that
signs letters) from app.state through a dependency, the page renderer, the person asking and whether they may
do what only a 管理员 may."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from starlette.exceptions import HTTPException
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from markupsafe import Markup

from ... import shown
from ...i18n import _
from ...settings import Options
from ..jobs import Auditor
from ..store import Store
from ..uploads import Limits
from ..words import words


@dataclass
class Workbench:
    """The state one app's routes share; `create_app` builds it once and keeps it in app.state.workbench."""
    store: Store
    worker: Auditor
    limits: Limits
    templates: Jinja2Templates
    office: str | None = None   # the reviewing office that signs the letters, else a blank to fill in

    def __post_init__(self):
        # Every {{ … }} of every page passes through `shown_text`: what people typed (batch names, reasons, letter
        # text, user names, file names) is shown escaped wherever it appears, and kept in the store as typed.
        self.templates.env.finalize = shown_text

    @property
    def options(self) -> Options:
        return self.worker.options

    def pipeline(self, profile: str = "auto"):
        """The pipeline a batch of this profile was audited with."""
        return self.worker.pipeline(profile)

    def page(self, request: Request, template: str, status_code: int = 200, **context) -> HTMLResponse:
        """A page from the templates, with the words and the person asking."""
        return self.templates.TemplateResponse(request, template, {"w": words(), "user": user(request), **context},
                                               status_code=status_code)


def shown_text(value):
    """A value as a page shows it: text with its control and bidi characters as visible escapes (line breaks and
    tabs kept, so a textarea holds what was typed); markup stays markup; anything else as it is."""
    if not isinstance(value, str):
        return value
    escaped = shown.text(value, keep="\n\r\t")
    return Markup(escaped) if isinstance(value, Markup) and escaped is not value else escaped


def workbench(request: Request) -> Workbench:
    return request.app.state.workbench


Bench = Annotated[Workbench, Depends(workbench)]


def user(request: Request) -> str:
    """Who is asking: the logged-in name, else the local user (the workbench on this computer only)."""
    return getattr(request.state, "user", None) or _("local user")


def is_admin(request: Request) -> bool:
    """Whether the asker may do what only a 管理员 may (manage accounts, delete batches, read the activity log):
    a logged-in 管理员, or anyone where no login is required (the workbench on this computer only)."""
    return bool(getattr(request.state, "admin", False))


def require_admin(request: Request) -> None:
    """Refuse (403, one Chinese line) an act only a 管理员 may do; call it first in such a route, or use it as
    a dependency: `dependencies=[Depends(require_admin)]`."""
    if not is_admin(request):
        raise HTTPException(403, _("only an administrator may do this (delete batches, see the activity log and "
                                   "the accounts); ask one of them"))
