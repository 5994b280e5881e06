"""The 管理员's rooms: the activity log (who created, audited again, reviewed, wrote to, deleted what, and who
changed the accounts) and the accounts with their roles. Read-only: accounts are managed with `auditor user`."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import func, select

from ...i18n import N_, _
from ..security import idle_since, role_label
from ..store import Activity, Login, User
from .context import Bench, require_admin

router = APIRouter(dependencies=[Depends(require_admin)])

SHOWN = 500   # the newest rows the page lists; the table keeps every row

ACTION_WORDS = {
    "batch-created": N_("created a batch"),
    "batch-reaudited": N_("audited a batch again"),
    "batch-deleted": N_("deleted a batch"),
    "batch-linked": N_("linked an earlier batch"),
    "revision-uploaded": N_("uploaded a revised report"),
    "review-saved": N_("saved a review"),
    "letter-saved": N_("saved rectification comments"),
    "report-linked": N_("linked an earlier report"),
    "user-added": N_("added an account"),
    "user-password-changed": N_("set a new password"),
    "user-role-changed": N_("changed a role"),
    "user-removed": N_("removed an account"),
    "season-set": N_("set the deadline and the reports' year"),
    "roster-set": N_("saved the roster"),
    "roster-linked": N_("linked a roster line to a report"),
    "files-added": N_("added reports to a batch"),
    "letter-settings-saved": N_("set how the letters are signed"),
    "state-changed": N_("changed where a report stands"),
}
TARGET_WORDS = {"batch": N_("Batch"), "report": N_("Report"), "user": N_("Account")}
LINKS = {"batch": "/batches/{id}", "report": "/reports/{id}"}   # accounts have no page of their own


def _row(act: Activity) -> dict:
    """One act as the page shows it: its words translated, its target linked where it has a page."""
    target = _(TARGET_WORDS[act.target]) if act.target in TARGET_WORDS else act.target
    link = LINKS.get(act.target)
    return {"at": act.at, "user": act.user, "action": _(ACTION_WORDS.get(act.action, act.action)),
            "target": f"{target} {act.target_id}" if act.target_id is not None and act.target != "user" else target,
            "link": link.format(id=act.target_id) if link and act.target_id is not None else None,
            "detail": act.detail}


@router.get("/activity", response_class=HTMLResponse)
def activity(request: Request, bench: Bench):
    with bench.store.session() as s:
        acts = list(s.scalars(select(Activity).order_by(Activity.id.desc()).limit(SHOWN)))
        total = s.scalar(select(func.count()).select_from(Activity))
    return bench.page(request, "activity.html", acts=[_row(a) for a in acts], total=total, shown=SHOWN)


@router.get("/users", response_class=HTMLResponse)
def users(request: Request, bench: Bench):
    with bench.store.session() as s:
        live = (Login.user_id == User.id) & (Login.seen_at >= idle_since())
        rows = s.execute(select(User, func.count(Login.id), func.max(Login.seen_at))
                         .outerjoin(Login, live).group_by(User.id).order_by(User.id)).all()
    return bench.page(request, "users.html", accounts=[
        {"name": u.name, "role": role_label(u.role), "created": u.created_at, "sessions": n, "seen": seen}
        for u, n, seen in rows])

