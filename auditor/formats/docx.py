"""Word .docx: the body in document order, paragraphs and table cells alike (a paragraphs-only walk drops
the text of tables, where many reports list their 法律顾问 or 普法 figures)."""
from __future__ import annotations

import io
import zipfile

from ..errors import AuditorError
from . import Extracted, Place

MAX_UNZIPPED_MB = 200   # a .docx that declares more is refused as a possible zip bomb


def _guard(data: bytes, path: str) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = z.namelist()
            size = sum(i.file_size for i in z.infolist())
    except (zipfile.BadZipFile, EOFError, ValueError) as exc:
        raise AuditorError("E108", path, kind="Word .docx", reason=str(exc) or "not a zip archive") from None
    if "word/document.xml" not in names:
        raise AuditorError("E108", path, kind="Word .docx", reason="no word/document.xml inside")
    if size > MAX_UNZIPPED_MB * 2**20:
        raise AuditorError("E112", path, size=size // 2**20, limit=MAX_UNZIPPED_MB)


def extract(data: bytes, path: str) -> Extracted:
    _guard(data, path)
    import docx
    from docx.table import Table
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:   # python-docx raises KeyError, lxml errors, ValueError … on damaged parts
        raise AuditorError("E108", path, kind="Word .docx", reason=f"{type(exc).__name__}: {exc}"[:120]) from None
    lines: list[str] = []
    places: list[Place] = []
    paragraph = table = 0
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            table += 1
            for r, row in enumerate(block.rows, 1):
                seen = set()
                for c, cell in enumerate(row.cells, 1):
                    if id(cell._tc) in seen:    # a merged cell repeats across the columns it spans
                        continue
                    seen.add(id(cell._tc))
                    for line in cell.text.split("\n"):
                        lines.append(line)
                        places.append(Place(table=table, row=r, cell=c))
        else:
            paragraph += 1
            for line in block.text.split("\n"):   # a manual line break (w:br) inside a paragraph
                lines.append(line)
                places.append(Place(paragraph=paragraph))
    return Extracted("\n".join(lines), "docx", tuple(places))
