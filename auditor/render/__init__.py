"""One module per output format; each turns the same list of Reports into text (xlsx: bytes), or (the folder
formats) writes one document per report into a folder.

FORMATS is the one list of output formats: the command line's choices, the settings file's and the
documentation's are derived from it (settings.FORMATS). Modules are imported on first use: openpyxl, jinja2
and junitparser cost start-up time that a table does not need.
"""
from __future__ import annotations

from importlib import import_module

# format name → its module in this package, in the order the help lists them
FORMATS = {"table": "table", "json": "json_format", "markdown": "markdown_format", "csv": "csv_format",
           "sarif": "sarif_format", "junit": "junit_format", "xlsx": "xlsx_format", "html": "html_format",
           "jsonl": "jsonl_format", "letter": "letter_format", "review": "review_format"}
# formats that write one document per report into --output FOLDER: their module has write(reports, rules,
# folder, **options) instead of render(reports, rules, **options)
FOLDER_FORMATS = ("letter", "review")


class _Renderers(dict):
    def __missing__(self, name: str):
        if name in FOLDER_FORMATS:
            raise KeyError(f"{name} writes a folder: use writer({name!r})")
        render = import_module(f"{__name__}.{FORMATS[name]}").render
        self[name] = render
        return render


RENDERERS = _Renderers()

