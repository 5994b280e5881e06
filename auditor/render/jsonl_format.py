"""JSON Lines: one report per line (the `reports` items of the JSON format), written as each is done."""
from __future__ import annotations

import json

from ..model import Report
from ..rule_schema import Rule
from .json_format import report_dict


def line(report: Report) -> str:
    return json.dumps(report_dict(report), ensure_ascii=False, separators=(",", ":")) + "\n"


def render(reports: list[Report], rules: list[Rule], **_options) -> str:
    return "".join(line(r) for r in reports)
