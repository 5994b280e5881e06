"""One module per output format; each turns the same list of Reports into text (xlsx: bytes).

Imported on first use: openpyxl, jinja2 and junitparser cost start-up time that a table does not need.
"""
from __future__ import annotations

from importlib import import_module

FORMATS = {"table": "table", "json": "json_format", "markdown": "markdown_format", "csv": "csv_format",
           "sarif": "sarif_format", "junit": "junit_format", "xlsx": "xlsx_format", "html": "html_format",
           "jsonl": "jsonl_format"}


class _Renderers(dict):
    def __missing__(self, name: str):
        render = import_module(f"{__name__}.{FORMATS[name]}").render
        self[name] = render
        return render


RENDERERS = _Renderers()
