"""The versioned JSON shape (schema_version 1), documented in README.md: codec.encode's dicts, made safe to
print."""
from __future__ import annotations

import json

from .. import __version__
from ..codec import VERSION, encode
from ..model import Report
from ..rule_schema import Rule
from ..shown import name, text, tree

def report_dict(report: Report) -> dict:
    """One report as the JSON shape; file names shown as `shown.name`, all other text through `shown.text`
    (control characters escaped but newline and tab), so the JSON is valid UTF-8 whatever the input held."""
    data = encode(report)
    data["path"] = name(report.path)
    if data["segmenter"].get("path"):
        data["segmenter"]["path"] = name(data["segmenter"]["path"])
    data["errors"] = [{**e, "path": None if e["path"] is None else name(e["path"]), "message": text(e["message"])}
                      for e in data["errors"]]
    return tree(data)


def render(reports: list[Report], rules: list[Rule], **_options) -> str:
    doc = {
        "schema_version": VERSION,
        "tool": {"name": "auditor", "version": __version__, "rules": [r.id for r in rules]},
        "reports": [report_dict(r) for r in reports],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
