"""One reader per file format: bytes → Extracted text, with where each stretch of text stands in the file.

Each reader imports its library lazily, so auditing .txt files never pays for Word, PDF or HTML support.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Place:
    """Where a line of extracted text stands in the original file, as a person would look for it."""
    paragraph: int | None = None     # .docx body paragraph, 1-based
    table: int | None = None         # .docx table / row / cell, 1-based
    row: int | None = None
    cell: int | None = None
    page: int | None = None          # .pdf page and line on that page, 1-based
    line: int | None = None

    def label(self) -> str:
        if self.table:
            return f"table {self.table} row {self.row} cell {self.cell}"
        if self.paragraph:
            return f"para {self.paragraph}"
        return f"page {self.page} line {self.line}"

    def as_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v is not None}


@dataclass(frozen=True)
class Extracted:
    text: str                          # one line per extracted line (paragraph, table cell line, PDF line)
    kind: str                          # docx | pdf | html | …, shown where a text file shows its encoding
    places: tuple[Place, ...] | None = None   # places[i] is where line i+1 stands; None: line:column is enough
    notes: dict[str, int] = field(default_factory=dict)   # what the reader dropped, for the input-quality line
    damaged: tuple[int, ...] = ()     # offsets in text of characters that could not be decoded
