"""Markdown for a CI job summary page: per report a heading, its facts and the gap table; then the matrix."""
from __future__ import annotations

from ..model import Report, Rule
from . import table


def render(reports: list[Report], rules: list[Rule], **_options) -> str:
    parts = ["# 法治政府建设年度报告 audit", ""]
    for report in reports:
        head, *facts = table.header(report).splitlines()
        parts += [f"## `{report.path}`", "", head.replace(report.path, "").strip(), ""]
        parts += [f"- {line}" for line in facts if line.strip()] + [""]
        if not report.errors:
            parts += [table.report_table(report, "github", wrap=False), ""]
    if len(reports) > 1:
        parts += ["## Summary", "", table.matrix(reports, rules, "github"), ""]
    return "\n".join(parts)
