"""A printable audit (HTML, A4 print styles, Chromium prints it as it is): for a batch an overview page first
(ranking by score, the report × rule matrix under the rules' short names, the legend), then per report its facts
and score, the gaps first with the original words, where they stand and how to fix them, what is met with its
evidence, the input-quality notes, a box for the reviewer's 整改意见 and a reviewer / date line. Printed pages
are numbered (CSS @page margin boxes).

Every word is in the reader's language (Chinese by default, `--lang en`: English): the template gets them from
the catalogue here. Jinja2 escapes all report text; `shown` makes it valid UTF-8 with no control characters
first (a file name's undecodable bytes as \\xNN). The match confidence (匹配度) is not shown: it is no score.
"""
from __future__ import annotations

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from .. import __version__, labels
from ..i18n import N_, _, language
from ..model import Report, Status
from ..rule_schema import Rule
from ..shown import name, tree
from .csv_format import level, number, profile, rating, short

WORDS = {
    "title": N_("Review of the annual report on building a rule-of-law government"),
    "overview": N_("Overview of the annual reports audited"),
    "ranking": N_("Ranking by score"), "matrix": N_("Rules met, report by report"), "rank": N_("rank"),
    "body": N_("reporting body"), "year": N_("report year"), "date": N_("date signed"),
    "level": N_("administrative level"), "profile": N_("profile"), "file": N_("file"),
    "verdict": N_("conclusion"), "score": N_("score"), "points": N_("points scored"), "max": N_("full marks"),
    "share": N_("share of full marks"),
    "gaps": N_("gaps"), "met": N_("rules met"), "unknown": N_("unknown"), "rule": N_("rule"),
    "status": N_("status"), "finding": N_("finding and the original words"), "fix": N_("how to fix"),
    "basis": N_("legal basis"), "evidence": N_("the original words and where they stand"),
    "gap_list": N_("Gaps and how to fix them"), "met_list": N_("Met, and rules that do not apply"),
    "no_gaps": N_("No gaps found."), "notes": N_("Input"), "not_audited": N_("not audited"),
    "comments": N_("reviewer's rectification comments"), "reviewer": N_("reviewer"), "signed": N_("date"),
    "date_blank": N_("____ year __ month __ day"), "legend": N_("legend"), "not_ranked": N_("not rated"),
    "reports": N_("reports"),
}


def _short_body(body: str | None, path: str) -> str:
    return body or path.rsplit("/", 1)[-1]


def _row(f) -> dict:
    ev = f.evidence[0] if f.evidence else None
    if f.status is Status.MET:
        finding = ev.quote if ev else (f.note or "")
    elif f.status is Status.WAIVED:
        finding = f.note or f.why or ""
    else:
        finding = f.why or f.rule.message
    return {"id": f.rule.id, "title": f.rule.title, "status": f.status.value, "label": f.status.label,
            "finding": finding, "quote": ev.quote if ev and f.status is not Status.MET else "",
            "where": " ".join(x for x in [labels.place(ev.where, ev.place) if ev else "", ev.section if ev else ""] if x),
            "fix": f.rule.fix if f.status.is_gap else "", "basis": _("Legal basis: {basis}").format(basis="；".join(f.rule.legal_basis)),
            "points": str(number(getattr(f, "points", None) or None))}   # a gap's 0 says nothing new


def _verdict(report: Report) -> str:
    if report.errors:
        return _(WORDS["not_audited"])
    if report.wrong_type:
        return _("not an annual report on building a rule-of-law government, but a {kind}").format(
            kind=report.wrong_type)
    met, checked = labels.counted(report.findings)
    return _("{met} of {total} rules met, {gaps} gap(s)").format(met=met, total=checked, gaps=checked - met)


def _view(report: Report) -> dict:
    m = report.metadata
    findings = labels.gaps_first(report.findings)
    seg = report.segmenter
    points, full = rating(report)
    view = {"path": name(report.path), "encoding": report.encoding or "", "body": getattr(m, "body", None),
            "year": getattr(m, "year", None), "date": getattr(m, "date", None),
            "level": level(getattr(m, "level", None)), "profile": profile(report.profile), "verdict": _verdict(report),
            "errors": [e.format() for e in report.errors], "points": str(points), "max": str(full),
            "gaps": [_row(f) for f in findings if f.status.is_gap],
            "others": [_row(f) for f in findings if not f.status.is_gap],
            "notes": "；".join(labels.quality(k, v) for k, v in report.quality.items()),
            "segmenter": _("word segmentation: {name}").format(
                name=" ".join(str(seg.get(k, "")) for k in ("name", "model", "version")).strip()) if seg else ""}
    return tree(view, keep="")   # no control character, not even a newline: each field is one line


def _share(report: Report) -> float:
    """What the ranking sorts by: the score's share of full marks, else the share of rules met."""
    r = getattr(report, "rating", None)
    if r is not None and r.max:
        return r.points / r.max
    counted = [f for f in report.findings if f.status not in (Status.NOT_APPLICABLE, Status.WAIVED)]
    return sum(f.status is Status.MET for f in counted) / len(counted) if counted else -1.0


def _overview(reports: list[Report], rules: list[Rule]) -> dict:
    """The batch page: reports ranked by score (unaudited last), the matrix in that order, the legend."""
    order = sorted(range(len(reports)), key=lambda i: (bool(reports[i].errors or reports[i].wrong_type),
                                                      -_share(reports[i]), i))
    ranked, rank, last = [], 0, None
    for n, i in enumerate(order, 1):
        r = reports[i]
        audited = not (r.errors or r.wrong_type)
        if audited and _share(r) != last:
            rank, last = n, _share(r)
        points, full = rating(r)
        by_id = {f.rule.id: f for f in r.findings}
        ranked.append({"rank": rank if audited else "", "body": _short_body(getattr(r.metadata, "body", None), name(r.path)),
                       "level": level(getattr(r.metadata, "level", None)), "year": getattr(r.metadata, "year", None) or "",
                       "points": str(points), "max": str(full), "verdict": _verdict(r),
                       "share": f"{_share(r):.1%}" if getattr(r, "rating", None) is not None and audited else "",
                       "gaps": sum(f.status.is_gap for f in r.findings), "path": name(r.path),
                       "cells": [{"mark": by_id[rule.id].status.mark, "status": by_id[rule.id].status.value,
                                  "label": by_id[rule.id].status.label} if rule.id in by_id else None
                                 for rule in rules]})
    columns = [{"short": short(rule), "title": rule.title, "id": rule.id} for rule in rules]
    legend = [{"mark": s.mark, "status": s.value, "label": s.label} for s in labels.GAPS_FIRST]
    return tree({"ranked": ranked, "columns": columns, "legend": legend}, keep="")


def _page_numbers() -> Markup:
    """The CSS content of the page-number margin box, from the catalogue's words (第 3 页，共 9 页)."""
    words = _("page {page} of {pages}")
    parts = words.replace('"', "").replace("\\", "").replace("{page}", "\0page\0").replace("{pages}", "\0pages\0")
    css = " ".join(f"counter({p})" if p in ("page", "pages") else f'"{p}"' for p in parts.split("\0") if p)
    return Markup(css)   # our own catalogue's text, quotes and backslashes removed: no report text


COLOURS = {s.value: s.colour or "EEEEEE" for s in Status}


def render(reports: list[Report], rules: list[Rule], **_options) -> str:
    env = Environment(loader=PackageLoader("auditor", "render/templates"), autoescape=select_autoescape(["html", "j2"]))
    words = {k: _(v) for k, v in WORDS.items()}
    return env.get_template("report.html.j2").render(
        reports=[_view(r) for r in reports], overview=_overview(reports, rules) if len(reports) > 1 else None,
        t=words, version=__version__, lang="zh-CN" if language() == "zh" else "en",
        page_numbers=_page_numbers(), colours=COLOURS)
