"""Markdown for a CI job summary page: per report a heading, its facts and the gap table; then the matrix.

The page has no width to fit: the table keeps the whole evidence or why, and each gap its fix and legal basis;
the matrix has a column per rule under its short name. Headers, statuses and places are in the language in
force (Chinese by default); the match confidence is left to JSON.

Names and report text cannot change the page's structure: every table cell and fact line has `\\`, `|`,
`` ` ``, `<` and `[` escaped (a backslash escape shows the character itself), no cell or fact holds a newline (see
`shown`), and the file name in a heading is a code span fenced longer than any run of backticks in it.
"""
from __future__ import annotations

import re

from ..i18n import _
from ..model import Report
from ..rule_schema import Rule
from ..shown import name
from . import table

_SPECIAL = re.compile(r"([\\|`<\[])")


def cell(value) -> str:
    """Text as one Markdown table cell or inline span: no table break, code span, raw HTML or link in it."""
    return _SPECIAL.sub(r"\\\1", str(value))


def code(value: str) -> str:
    """`value` as a code span whatever backticks it holds (CommonMark: a longer fence, padded by spaces)."""
    fence = "`" * (max((len(run) for run in re.findall("`+", value)), default=0) + 1)
    pad = " " if value.startswith("`") or value.endswith("`") else ""
    return f"{fence}{pad}{value}{pad}{fence}"


def render(reports: list[Report], rules: list[Rule], **_options) -> str:
    parts = ["# " + _("法治政府建设年度报告 audit"), ""]
    for report in reports:
        path = name(report.path)
        head, *facts = table.header(report).splitlines()
        verdict = head.replace(path, "", 1).lstrip(":：").strip()   # the encoding and counts: nothing the report wrote
        parts += [f"## {code(path)}", "", cell(verdict), ""]
        parts += [f"- {cell(line)}" for line in facts if line.strip()] + [""]
        if not report.errors:
            parts += [table.report_table(report, "github", escape=cell), ""]
    if any(not r.errors and not r.wrong_type for r in reports):
        parts += [f"- {cell(_(line))}" for line in table.LEGEND] + [""]
    if len(reports) > 1:
        parts += ["## " + _("Summary"), "", table.matrix(reports, rules, "github", escape=cell), ""]
    return "\n".join(parts)
