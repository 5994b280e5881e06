"""Stored results back to the pipeline's own types: the Report decoded from its codec dict, with the people's
reviews put in place of the machine's statuses and the score computed again by the verdict stage, so every
page and export shows the same reviewed verdicts."""
from __future__ import annotations

from dataclasses import dataclass, field

from .. import codec, scoring, shown, verdicts
from ..model import Finding, Rating, Report
from ..status import Status
from .store import ReportRow, Review


def row_values(report: Report) -> dict:
    """The columns of a ReportRow for this settled Report (its codec dict, kind, facts, machine counts and
    score)."""
    meta = report.metadata
    if report.errors:
        kind, reason = "unreadable", "; ".join(f"[{e.code}] {e.message}" for e in report.errors)
    elif report.wrong_type:
        kind, reason = "wrong-type", report.wrong_type
    else:
        kind, reason = "report", None
    counts: dict[str, int] = {}
    for f in report.findings:
        counts[f.status.value] = counts.get(f.status.value, 0) + 1
    return dict(data=codec.encode(report), kind=kind, reason=reason, counts=counts,
                statuses={f.rule.id: f.status.value for f in report.findings}, profile=report.profile,
                body=getattr(meta, "body", None), level=getattr(meta, "level", None), year=getattr(meta, "year", None),
                points=report.rating.points if report.rating else None,
                max_points=report.rating.max if report.rating else None)


def latest_reviews(reviews: list[Review]) -> dict[str, Review]:
    """rule id → the newest review of that rule (earlier ones are its history)."""
    out: dict[str, Review] = {}
    for r in sorted(reviews, key=lambda r: (r.created_at, r.id)):
        out[r.rule] = r
    return out


@dataclass
class Reviewed:
    report: Report
    machine: dict[str, str]          # rule id → the machine's status id
    reviews: dict[str, Review]       # rule id → the newest review (its own, or carried from an earlier round)
    dropped: list = field(default_factory=list)   # earlier rounds' reviews not carried (rounds.Dropped)


def restore(row: ReportRow, reviews: list[Review], pipeline, path: str | None = None) -> Reviewed:
    """The stored Report with reviewed statuses in force and rated again under its profile's scheme.
    `path`: where the report's file is now (the file store), for exports that read the original."""
    data = row.data
    rules = pipeline.checklist.rules_for(data.get("profile")) if data.get("results") else {}
    report = codec.decode(shown.tree(data), rules)   # the report's words as pages show them: no control sequence
    if path:
        report.path = path
    machine = {f.rule.id: f.status.value for f in report.findings}
    newest = latest_reviews(reviews)
    verdicts.settle(report, pipeline, reviews=newest)
    return Reviewed(report, machine, newest)


def rated(statuses: dict[str, str], reviews: dict[str, Review], profile: str | None, pipeline) -> Rating | None:
    """The rating `restore` gives a report, from its matrix statuses (the ReportRow's column, in the order of its
    findings) and the newest reviews, without decoding its stored Report: scoring needs each rule and status
    only. `profile`: the profile the report was audited under (its Report's)."""
    rules = pipeline.checklist.rules_for(profile)
    findings = [Finding(rules[rule], Status(reviews[rule].human_status if rule in reviews else status), 0.0)
                for rule, status in statuses.items() if rule in rules]
    return scoring.rate(Report(path="", findings=findings, profile=profile), pipeline).rating


def must_fix(statuses: dict[str, str], profile: str | None, pipeline) -> set[str]:
    """The rules among `statuses` (reviews in force) whose gap must be fixed: a gap under a rule whose severity,
    under the report's profile, is error (Finding.tier's reading, from the columns alone)."""
    rules = pipeline.checklist.rules_for(profile)
    return {rule for rule, status in statuses.items()
            if rule in rules and Status(status).is_gap and rules[rule].severity == "error"}
