"""A printable audit report (HTML, A4 print styles): per report its facts, the gap table with quoted evidence
and legal basis, and the input-quality notes; one report per printed page run. Jinja2 escapes all report text;
`shown` makes it valid UTF-8 with no control characters first (a file name's undecodable bytes as \\xNN)."""
from __future__ import annotations

from jinja2 import Environment, PackageLoader, select_autoescape

from .. import __version__
from ..model import GROUPS, Report, Rule, Status
from ..shown import name, tree


def _rows(report: Report) -> list[dict]:
    rows, group = [], None
    for f in report.findings:
        ev = f.evidence[0] if f.evidence else None
        text = ev.quote if f.status is Status.MET and ev else (f.why or f.note or "")
        if ev and f.status is not Status.MET:
            text += f"：{ev.quote}"
        rows.append({"group": GROUPS[f.rule.group] if f.rule.group != group else None, "id": f.rule.id,
                     "title": f.rule.title, "status": f.status.value, "status_zh": f.status.label,
                     "text": text, "where": f"{ev.where} {ev.section}".strip() if ev else "",
                     "basis": "；".join(f.rule.legal_basis)})
        group = f.rule.group
    return rows


def _view(report: Report) -> dict:
    m = report.metadata
    met = sum(f.status is Status.MET for f in report.findings)
    gaps = sum(f.status.is_gap for f in report.findings)
    if report.errors:
        verdict = "未能审查"
    elif report.wrong_type:
        verdict = f"不是法治政府建设年度报告，而是{report.wrong_type}"
    else:
        verdict = f"{len(report.findings)} 项中满足 {met} 项，缺项或不足 {gaps} 项"
    seg = report.segmenter
    view = {"path": name(report.path), "encoding": report.encoding, "body": getattr(m, "body", None),
            "year": getattr(m, "year", None), "date": getattr(m, "date", None), "level": getattr(m, "level", None),
            "profile": report.profile, "verdict": verdict, "errors": [e.format() for e in report.errors],
            "rows": _rows(report), "notes": "；".join(f"{k} {v}" for k, v in report.quality.items()),
            "segmenter": f"分词：{seg.get('name')} {seg.get('model', '')} {seg.get('version', '')}".strip() if seg else ""}
    return tree(view, keep="")   # no control character, not even a newline: each field is one line


def render(reports: list[Report], rules: list[Rule], **_options) -> str:
    env = Environment(loader=PackageLoader("auditor", "render/templates"), autoescape=select_autoescape(["html", "j2"]))
    return env.get_template("report.html.j2").render(reports=[_view(r) for r in reports], version=__version__)
