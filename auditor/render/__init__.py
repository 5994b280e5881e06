"""One module per output format; each turns the same list of Reports into text."""
from . import json_format, table

RENDERERS = {"table": table.render, "json": json_format.render}
