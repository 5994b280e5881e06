"""One module per output format; each turns the same list of Reports into text (xlsx: bytes)."""
from . import csv_format, html_format, json_format, junit_format, markdown_format, sarif_format, table, xlsx_format

RENDERERS = {"table": table.render, "json": json_format.render, "markdown": markdown_format.render,
             "csv": csv_format.render, "sarif": sarif_format.render, "junit": junit_format.render,
             "xlsx": xlsx_format.render, "html": html_format.render}
BINARY = {"xlsx"}
