"""The activity log: who created, audited again, reviewed, wrote to, deleted what, and who changed the accounts.
One row per act, written in the same transaction as the act (so the log never claims what did not happen)."""
from __future__ import annotations

from sqlalchemy.orm import Session

from .store import Activity

# action id → what the 管理员's page calls it (the page translates through words/catalogue)
ACTIONS = ("batch-created", "batch-reaudited", "batch-deleted", "batch-linked", "revision-uploaded",
           "review-saved", "letter-saved", "report-linked", "user-added", "user-password-changed",
           "user-role-changed", "user-removed",
           "season-set", "roster-set", "roster-linked", "files-added", "letter-settings-saved", "state-changed")


def record(session: Session, user: str, action: str, target: str, target_id: int | None = None,
           detail: str = "") -> None:
    if action not in ACTIONS:
        raise ValueError(f"unknown activity {action!r}")
    session.add(Activity(user=user, action=action, target=target, target_id=target_id, detail=detail))
