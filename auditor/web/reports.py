"""Stored results back to the pipeline's own types: the Report from its JSON shape, with the people's reviews
put in place of the machine's statuses and the score computed again, so every page and export shows the same
reviewed verdicts."""
from __future__ import annotations

from dataclasses import dataclass, fields

from .. import scoring
from ..errors import _restore
from ..i18n import _
from ..metadata import Metadata
from ..model import Evidence, Finding, Part, Rating, Report
from ..render.json_format import report_dict
from ..status import Status
from .store import ReportRow, Review

_META = {f.name for f in fields(Metadata)}
_EVIDENCE = {f.name for f in fields(Evidence)}


def row_values(report: Report) -> dict:
    """The columns of a ReportRow for this Report (JSON shape, kind, facts, machine counts and score)."""
    data = report_dict(report)
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
    return dict(data=data, kind=kind, reason=reason, counts=counts,
                statuses={f.rule.id: f.status.value for f in report.findings},
                body=getattr(meta, "body", None), level=getattr(meta, "level", None), year=getattr(meta, "year", None),
                points=report.rating.points if report.rating else None,
                max_points=report.rating.max if report.rating else None)


def latest_reviews(reviews: list[Review]) -> dict[str, Review]:
    """rule id → the newest review of that rule (earlier ones are its history)."""
    out: dict[str, Review] = {}
    for r in sorted(reviews, key=lambda r: (r.created_at, r.id)):
        out[r.rule] = r
    return out


def reviewed_why(review: Review, machine_why: str | None) -> str:
    """What the spreadsheet, the letter and the reviewed copy say of a reviewed verdict: who changed it from
    what to what and why, or who confirmed the machine's reading."""
    from ..labels import status as label
    when = f"{review.created_at:%Y-%m-%d}"
    if review.human_status == review.machine_status:
        said = _("confirmed by a person ({user}, {date})").format(user=review.user, date=when)
        return f"{machine_why}（{said}）" if machine_why else said
    return _("reviewed by a person ({user}, {date}): {old} → {new}. {reason}").format(
        user=review.user, date=when, old=label(review.machine_status), new=label(review.human_status),
        reason=review.reason).strip()


@dataclass
class Reviewed:
    report: Report
    machine: dict[str, str]          # rule id → the machine's status id
    reviews: dict[str, Review]       # rule id → the newest review


def restore(row: ReportRow, reviews: list[Review], pipeline, path: str | None = None) -> Reviewed:
    """The stored Report with reviewed statuses in force and rated again under its profile's scheme.
    `path`: where the report's file is now (the file store), for exports that read the original."""
    data = row.data
    rules = pipeline.checklist.rules_for(data.get("profile")) if data.get("results") else {}
    meta = data.get("metadata")
    report = Report(path=path or data["path"], encoding=data.get("encoding"),
                    metadata=Metadata(**{k: v for k, v in meta.items() if k in _META}) if meta else None,
                    outline=[Part(**p) for p in data.get("outline", [])], quality=dict(data.get("quality") or {}),
                    damaged_lines=list(data.get("damaged_lines") or []), segmenter=dict(data.get("segmenter") or {}),
                    wrong_type=data.get("wrong_type"), profile=data.get("profile"),
                    errors=[_restore(e["code"], e.get("path"), e.get("line"), e["message"])
                            for e in data.get("errors", [])])
    machine: dict[str, str] = {}
    for item in data.get("results", []):
        rule = rules.get(item["rule"])
        if rule is None:   # a rule removed since the audit: its verdict cannot be shown against it
            continue
        machine[rule.id] = item["status"]
        evidence = [Evidence(**{k: (tuple(v) if k == "path" else v) for k, v in e.items() if k in _EVIDENCE})
                    for e in item.get("evidence", [])]
        report.findings.append(Finding(rule, Status(item["status"]), item.get("score", 0.0), evidence,
                                       why=item.get("why"), note=item.get("note")))
    newest = latest_reviews(reviews)
    for f in report.findings:
        review = newest.get(f.rule.id)
        if review is not None:
            f.status = Status(review.human_status)
            f.why = reviewed_why(review, f.why)
    if data.get("rating"):
        report.rating = Rating(**data["rating"])
    if not report.errors and not report.wrong_type:
        scoring.rate(report, pipeline)
    return Reviewed(report, machine, newest)
