"""The versioned JSON shape (schema_version 1), documented in README.md."""
from __future__ import annotations

import dataclasses
import json

from .. import __version__
from ..model import Finding, Report, Rule
from ..shown import name, text, tree

SCHEMA_VERSION = 1


def _finding(f: Finding) -> dict:
    r = f.rule
    return {
        "rule": r.id, "title": r.title, "kind": r.kind, "severity": r.severity,
        "status": f.status.value, "score": f.score, "points": f.points, "why": f.why, "note": f.note,
        "baseline": f.baseline,
        "legal_basis": list(r.legal_basis),
        "evidence": [{"quote": e.quote, "line": e.line, "column": e.column, "section": e.section,
                      "path": list(e.path), "phrase": e.phrase, "how": e.how, "score": e.score,
                      "part": e.part, "context": e.context, "concrete": e.concrete,
                      "where": e.where, "place": e.place, "repaired": e.repaired,
                      **({"roles": e.roles} if e.roles else {})}
                     for e in f.evidence],
    }


def report_dict(report: Report) -> dict:
    """One report as the JSON shape; file names shown as `shown.name`, all other text through `shown.text`
    (control characters escaped but newline and tab), so the JSON is valid UTF-8 whatever the input held."""
    segmenter = dict(report.segmenter)
    if segmenter.get("path"):
        segmenter["path"] = name(segmenter["path"])
    return tree({
        "path": name(report.path),
        "encoding": report.encoding,
        "metadata": dataclasses.asdict(report.metadata) if report.metadata else None,
        "results": [_finding(f) for f in report.findings],
        "outline": [{"level": p.level, "title": p.title, "line": p.line, "part": p.part} for p in report.outline],
        "quality": report.quality,
        "damaged_lines": report.damaged_lines,
        "segmenter": segmenter,
        "wrong_type": report.wrong_type,
        "profile": report.profile,
        "rating": dataclasses.asdict(report.rating) if report.rating else None,
        "fixed": report.fixed,
        "errors": [{**e.as_dict(), "path": None if e.path is None else name(e.path), "message": text(e.message)}
                   for e in report.errors],
    })


def render(reports: list[Report], rules: list[Rule], **_options) -> str:
    doc = {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "auditor", "version": __version__, "rules": [r.id for r in rules]},
        "reports": [report_dict(r) for r in reports],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
