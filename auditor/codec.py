"""Report ⇄ its versioned dict (report-v1: auditor/schema/report-v1.json), the only reader and writer of a
report's stored form: the JSON and JSONL outputs, baseline files, batch and Dask workers and the workbench's
store all go through here. Within version 1 fields are only added; `decode` reads dicts that lack newer ones.

A decoded report holds the rule objects of the rules given (its profile's); a result whose rule no longer
exists is left out: its verdict cannot be shown against a rule that is gone. Explanations stored with their
message ids are said again in the language in force, with the rule's message as it is now.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from .errors import _restore
from .explain import Said, again
from .metadata import Metadata
from .model import Evidence, Finding, Part, Rating, Report
from .rule_schema import Rule
from .status import Status

VERSION = 1   # the JSON output's schema_version; report-v1.json describes one report's dict

_META = {f.name for f in dataclasses.fields(Metadata)}
_EVIDENCE = {f.name for f in dataclasses.fields(Evidence)}
_TUPLES = {"path", "span"}


def encode(report: Report) -> dict:
    """The report as plain data (JSON types only), every field the pipeline produced."""
    return {
        "path": report.path,
        "encoding": report.encoding,
        "metadata": dataclasses.asdict(report.metadata) if report.metadata else None,
        "results": [_finding(f) for f in report.findings],
        "outline": [dataclasses.asdict(p) for p in report.outline],
        "quality": dict(report.quality),
        "damaged_lines": list(report.damaged_lines),
        "segmenter": dict(report.segmenter),
        "wrong_type": report.wrong_type,
        "profile": report.profile,
        "rating": dataclasses.asdict(report.rating) if report.rating else None,
        "fixed": list(report.fixed),
        "errors": [e.as_dict() for e in report.errors],
    }


def _finding(f: Finding) -> dict:
    r = f.rule
    return {
        "rule": r.id, "title": r.title, "kind": r.kind, "severity": r.severity,
        "status": f.status.value, "score": f.score, "points": f.points, "why": _plain(f.why), "note": _plain(f.note),
        "baseline": f.baseline,
        "legal_basis": list(r.legal_basis),
        "evidence": [_evidence(e) for e in f.evidence],
        **_said("why", f.why), **_said("note", f.note),
    }


def _plain(value: str | None) -> str | None:
    return None if value is None else str(value)


def _said(key: str, value) -> dict:
    """An explanation's message id and fields beside its text (explain.Said), so it can be said again."""
    return {f"{key}_id": value.id, f"{key}_fields": value.fields} if isinstance(value, Said) else {}


def _evidence(e: Evidence) -> dict:
    out = {k: (list(v) if k in _TUPLES else v) for k, v in dataclasses.asdict(e).items()}
    if not e.roles:
        del out["roles"]   # only a concept's hit has roles
    return out


def decode(data: Mapping, rules: Mapping[str, Rule]) -> Report:
    """The Report a dict of `encode` stands for, its findings holding the rule objects named in `rules`."""
    meta = data.get("metadata")
    report = Report(
        path=data["path"], encoding=data.get("encoding"),
        metadata=Metadata(**{k: v for k, v in meta.items() if k in _META}) if meta else None,
        outline=[Part(**p) for p in data.get("outline") or []],
        quality=dict(data.get("quality") or {}),
        damaged_lines=list(data.get("damaged_lines") or []),
        segmenter=dict(data.get("segmenter") or {}),
        wrong_type=data.get("wrong_type"), profile=data.get("profile"),
        rating=Rating(**data["rating"]) if data.get("rating") else None,
        fixed=list(data.get("fixed") or []),
        errors=[_restore(e["code"], e.get("path"), e.get("line"), e["message"]) for e in data.get("errors") or []])
    report.findings = [_decode_finding(item, rules[item["rule"]]) for item in data.get("results") or []
                       if item["rule"] in rules]
    return report


def _decode_finding(item: Mapping, rule: Rule) -> Finding:
    return Finding(rule, Status(item["status"]), item.get("score", 0.0),
                   [Evidence(**{k: (tuple(v) if k in _TUPLES else v) for k, v in e.items() if k in _EVIDENCE})
                    for e in item.get("evidence") or []],
                   why=again(item.get("why_id"), item.get("why_fields"), rule.message, item.get("why")),
                   note=again(item.get("note_id"), item.get("note_fields"), rule.message, item.get("note")),
                   baseline=item.get("baseline"), points=item.get("points"))


def statuses(data: Mapping) -> dict[str, Status]:
    """rule id → status of an encoded report, without its rules (a baseline, an earlier round)."""
    return {item["rule"]: Status(item["status"]) for item in data.get("results") or []}
