"""After judging, one stage settles a report's verdicts: the waivers accepted (the command line), the baseline
compared with (only new gaps fail the gate), the people's reviews (the workbench), then the score, once.

`diff` is the one comparison of a report's statuses with earlier ones: the gate's baseline, the workbench's
comparison with last year's report or an earlier round, and the rounds of a season all read it.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

from . import scoring
from .i18n import _
from .model import Report
from .status import Status


@dataclass
class Diff:
    """Rule ids, by what became of them since the earlier statuses."""
    fixed: list[str] = field(default_factory=list)       # a gap then, met now
    still_open: list[str] = field(default_factory=list)  # a gap then and now
    new: list[str] = field(default_factory=list)         # a gap now that was not one then (met, not binding, absent)
    accepted: list[str] = field(default_factory=list)    # a gap then, waived now: accepted, not fixed


def diff(now: Mapping[str, Status], earlier: Mapping[str, Status]) -> Diff:
    """What became of each rule since `earlier`. A rule that does not bind now is left out; one that did not
    bind then, or was not checked then, and is a gap now is new (a gate must not let it through)."""
    out = Diff()
    for rule, status in now.items():
        if status is Status.NOT_APPLICABLE:
            continue
        before = earlier.get(rule)
        was_gap = before is not None and before.is_gap
        if status.is_gap:
            (out.still_open if was_gap else out.new).append(rule)
        elif was_gap:
            (out.fixed if status is Status.MET else out.accepted).append(rule)
    return out


class Review(Protocol):
    """A person's verdict on one rule of one report (the workbench's store.Review)."""
    rule: str
    machine_status: str
    human_status: str
    user: str
    reason: str
    created_at: object


def settle(report: Report, by, *, waivers=None, earlier: Mapping[str, Status] | None = None,
           reviews: Mapping[str, Review] | None = None) -> Report:
    """The report's verdicts in force, rated once (`by`: what scoring.rate takes, a Scheme or the pipeline
    whose checklist knows each profile's scheme): waivers (gate.Waivers) mark accepted gaps,
    `earlier` (the baseline's statuses of this report) labels each gap new or unchanged and lists the fixed,
    `reviews` (rule id → the newest review) put the people's statuses in place of the machine's."""
    if report.errors:
        return report
    if waivers is not None:
        waivers.apply(report)
    if earlier is not None:
        _baseline(report, earlier)
    for f in report.findings:
        review = (reviews or {}).get(f.rule.id)
        if review is not None:
            f.status = Status(review.human_status)
            f.why = reviewed_why(review, f.why)
    return scoring.rate(report, by)


def _baseline(report: Report, earlier: Mapping[str, Status]) -> None:
    changes = diff({f.rule.id: f.status for f in report.findings}, earlier)
    unchanged = set(changes.still_open)
    for f in report.findings:
        if f.status.is_gap:
            f.baseline = "unchanged" if f.rule.id in unchanged else "new"
    report.fixed = changes.fixed


def reviewed_why(review: Review, machine_why: str | None) -> str:
    """What the spreadsheet, the letter and the reviewed copy say of a reviewed verdict: who changed it from
    what to what and why, or who confirmed the machine's reading."""
    from .labels import status as label
    when = f"{review.created_at:%Y-%m-%d}"
    if review.human_status == review.machine_status:
        said = _("confirmed by a person ({user}, {date})").format(user=review.user, date=when)
        return f"{machine_why}（{said}）" if machine_why else said
    return _("reviewed by a person ({user}, {date}): {old} → {new}. {reason}").format(
        user=review.user, date=when, old=label(review.machine_status), new=label(review.human_status),
        reason=review.reason).strip()
