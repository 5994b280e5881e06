"""The gap table for people: one table per report, then a reports × rules matrix for a batch.

File names and report text go through `shown`, so no control character or escape sequence reaches a terminal.
"""
from __future__ import annotations

from tabulate import tabulate

from ..model import GROUPS, Report, Rule, Status
from ..shown import name, text

MARKS = {status: status.mark for status in Status}
WIDTHS = {"title": 12, "evidence": 34, "location": 16, "basis": 18}
CONCRETE_MARK, REPAIRED_MARK = "◆", "⚠"
LEGEND = (f"{CONCRETE_MARK} evidence with concrete facts (counts, dates, named documents), not a slogan only\n"
          f"{REPAIRED_MARK} evidence in text that was garbled and repaired, or matched despite an OCR slip: check the original")
HEADERS = ["rule", "要素 / 部分", "status", "score", "evidence (原文) / why", "location", "legal basis"]


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def report_table(report: Report, table_format: str, escape=None) -> str:
    """The gap table; with `escape` (Markdown's cell escaping) each row stays on one line, as Markdown cannot
    continue a cell."""
    rows, group = [], None
    for f in report.findings:
        if f.rule.group != group:   # findings come in group order (statutory parts, core elements, …)
            group = f.rule.group
            rows.append([f"【{GROUPS[group]}】"] + [""] * (len(HEADERS) - 1))
        ev = f.evidence[0] if f.evidence else None
        if f.status is Status.MET:
            marks = (REPAIRED_MARK + " " if ev and (ev.repaired or ev.how == "ocr") else "") + \
                    (CONCRETE_MARK + " " if ev and ev.concrete else "")
            shown = (marks + ev.quote) if ev else (f.note or "")
        else:
            shown = f.why or ""
            if ev:
                shown += f"：{ev.quote}"
        location = f"{ev.where} {_short(ev.section, 14)}".strip() if ev else ""
        status = f.status.value + (f" ({f.baseline})" if f.baseline else "")
        if f.status is Status.WAIVED:
            shown = f.note or ""
        rows.append([f.rule.id, text(f.rule.title), status, f"{f.score:.0f}",
                     _short(text(shown), 90), text(location), _short(text(f.rule.legal_basis[0]), 40)])
    if escape:
        return tabulate([[escape(cell) for cell in row] for row in rows], headers=HEADERS, tablefmt=table_format)
    return tabulate(rows, headers=HEADERS, tablefmt=table_format,
                    maxcolwidths=[None, WIDTHS["title"], None, None, WIDTHS["evidence"],
                                  WIDTHS["location"], WIDTHS["basis"]])


def header(report: Report) -> str:
    """The report's facts above its table, a line each: the file (as `shown.name`) and its verdict, body,
    year, level, date and profile, the input notes. No field can add a line or a control sequence."""
    path = name(report.path)
    if report.errors:
        return f"{path}: not audited ({', '.join(e.code for e in report.errors)})"
    met = sum(f.status is Status.MET for f in report.findings)
    m = report.metadata
    about = "  ".join(text(str(x)) for x in [
        m.body or "报告主体不详", f"{m.year}年度" if m.year else "报告年度不详",
        m.level or "层级不详", f"成文 {m.date}" if m.date else "", m.doc_number or "",
        f"profile {report.profile}" if report.profile else "profile none"] if x) if m else ""
    encoding = text(str(report.encoding))
    if report.wrong_type:
        return f"{path}  [{encoding}]  not audited: a {text(report.wrong_type)}, not a 法治政府建设年度报告"
    lines = [f"{path}  [{encoding}]  {met}/{len(report.findings)} met", about]
    if report.quality:
        lines.append("input: " + "; ".join(f"{text(kind)} {n}" for kind, n in report.quality.items()))
    if report.fixed:
        lines.append("fixed since the baseline: " + ", ".join(report.fixed))
    if report.damaged_lines:
        shown = ", ".join(map(str, report.damaged_lines[:10])) + (" …" if len(report.damaged_lines) > 10 else "")
        lines.append(f"{REPAIRED_MARK} garbled text could not be recovered at line(s) {shown}: "
                     "a missing element may be hidden there; read the original")
    return "\n".join(lines)


def _segmenter_line(reports: list[Report]) -> str:
    seg = next((r.segmenter for r in reports if r.segmenter), {"name": "none (nothing was matched)"})
    words = f"pkuseg, model {seg.get('model')} {seg.get('version')}" if seg.get("name") == "pkuseg" else seg.get("name")
    segmented = sum(r.segmenter.get("sentences", 0) for r in reports)
    return text(f"words: {words}; {segmented} sentence(s) segmented to check token-level phrases")


def matrix(reports: list[Report], rules: list[Rule], table_format: str, escape=str) -> str:
    headers = ["report"] + [str(i) for i in range(1, len(rules) + 1)] + ["met"]
    rows = []
    for r in reports:
        if r.errors:
            rows.append([name(r.path)] + ["?"] * len(rules) + [r.errors[0].code])
            continue
        if r.wrong_type:
            rows.append([name(r.path)] + [MARKS[Status.WRONG_TYPE]] * len(rules) + ["wrong type"])
            continue
        by_id = {f.rule.id: f for f in r.findings}
        marks = [MARKS[by_id[rule.id].status] if rule.id in by_id else "" for rule in rules]
        met = sum(f.status is Status.MET for f in r.findings)
        rows.append([name(r.path)] + marks + [f"{met}/{len(r.findings)}"])
    legend = "  ".join(f"{i} {rule.id}" for i, rule in enumerate(rules, 1))
    key = "  ".join(f"{mark} {status.value}" for status, mark in MARKS.items())
    rows = [[escape(row[0])] + row[1:] for row in rows]   # the file name; the rest are marks and counts
    return "\n".join([tabulate(rows, headers=headers, tablefmt=table_format), legend, key])


def render(reports: list[Report], rules: list[Rule], table_format: str = "grid", **_options) -> str:
    parts = []
    for report in reports:
        parts.append(header(report))
        if not report.errors:
            parts.append(report_table(report, table_format))
        parts.append("")
    audited = [r for r in reports if not r.errors]
    if audited:
        parts.append(LEGEND)
        parts.append(_segmenter_line(audited))
        parts.append("")
    if len(reports) > 1:
        parts.append("Summary")
        parts.append(matrix(reports, rules, table_format))
        parts.append("")
    return "\n".join(parts)
