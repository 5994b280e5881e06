"""PDF text layer through PDFium (pypdfium2: fast, complete on Chinese text, Apache-2.0/BSD licensed).

Lines are kept as the PDF lays them out, with their page and line; normalization joins hard-wrapped lines
and drops page numbers and running headers, so the evidence can still name the page and line.
"""
from __future__ import annotations

from ..errors import AuditorError
from . import Extracted, Place

MIN_CHARS_PER_PAGE = 20   # fewer on average: the pages are images (a scan) with no text layer


def extract(data: bytes, path: str) -> Extracted:
    import pypdfium2 as pdfium
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise AuditorError("E109", path, kind="PDF") from None
        raise AuditorError("E108", path, kind="PDF", reason=str(exc)) from None
    lines: list[str] = []
    places: list[Place] = []
    try:
        pages = len(pdf)
        for p in range(pages):
            page = pdf[p]
            textpage = page.get_textpage()
            text = textpage.get_text_range()
            textpage.close()
            page.close()
            for n, line in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), 1):
                lines.append(line)
                places.append(Place(page=p + 1, line=n))
    except pdfium.PdfiumError as exc:
        raise AuditorError("E108", path, kind="PDF", reason=str(exc)) from None
    finally:
        pdf.close()
    text = "\n".join(lines)
    if sum(not ch.isspace() for ch in text) < MIN_CHARS_PER_PAGE * max(pages, 1):
        raise AuditorError("E110", path, pages=pages)
    return Extracted(text, "pdf", tuple(places))
