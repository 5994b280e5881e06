"""Word .docx: the body in document order, paragraphs and table cells alike (a paragraphs-only walk drops
the text of tables, where many reports list their 法律顾问 or 普法 figures).

The main part is read with lxml directly (huge-tree mode: a valid file may hold a 20 MB paragraph or tables
nested 200 deep) and walked with explicit stacks, never recursion. Text follows python-docx's reading: a
paragraph is its runs and hyperlinks (w:t, tabs, line breaks); a table is its rows and cells. A cell that
continues a vertical merge holds no text of its own (the merge's text stands at its first row); tables
nested in a cell are read into that cell."""
from __future__ import annotations

import io
import zipfile
import zlib

from ..errors import AuditorError
from ..i18n import _
from . import Extracted, Place

MAX_UNZIPPED_MB = 200   # a .docx that declares more is refused as a possible zip bomb
MAIN = "word/document.xml"
_NAMESPACES = ("http://schemas.openxmlformats.org/wordprocessingml/2006/main",   # transitional (what Word saves)
               "http://purl.oclc.org/ooxml/wordprocessingml/main")               # strict


def _guard(data: bytes, path: str) -> zipfile.ZipFile:
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
        names = z.namelist()
        size = sum(i.file_size for i in z.infolist())
    except (zipfile.BadZipFile, EOFError, ValueError) as exc:
        raise AuditorError("E108", path, kind="Word .docx", reason=str(exc) or _("not a zip archive")) from None
    if MAIN not in names:
        z.close()
        raise AuditorError("E108", path, kind="Word .docx", reason=_("no word/document.xml inside"))
    if size > MAX_UNZIPPED_MB * 2**20:
        z.close()
        raise AuditorError("E112", path, size=size // 2**20, limit=MAX_UNZIPPED_MB)
    return z


def _damaged(path: str, reason: str) -> AuditorError:
    return AuditorError("E108", path, kind="Word .docx", reason=reason[:120])


def _main_part(data: bytes, path: str):
    from lxml import etree
    with _guard(data, path) as z:
        try:
            with z.open(MAIN) as f:
                xml = f.read(MAX_UNZIPPED_MB * 2**20 + 1)   # the sizes in the directory may lie
        except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError, RuntimeError,
                zlib.error) as exc:   # a corrupt, encrypted or oddly compressed member
            raise _damaged(path, f"{type(exc).__name__}: {exc}") from None
    if len(xml) > MAX_UNZIPPED_MB * 2**20:
        raise AuditorError("E112", path, size=len(xml) // 2**20, limit=MAX_UNZIPPED_MB)
    parser = etree.XMLParser(huge_tree=True, resolve_entities=False, no_network=True, load_dtd=False,
                             remove_blank_text=True)
    try:
        root = etree.fromstring(xml, parser)
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise _damaged(path, f"word/document.xml: {exc}") from None
    namespace = root.tag[1:].split("}")[0] if root.tag.startswith("{") else ""
    if namespace not in _NAMESPACES:
        raise _damaged(path, "word/document.xml is not a WordprocessingML document")
    body = root.find(f"{{{namespace}}}body")
    return body, namespace


class _Tags:
    """The WordprocessingML names read, in the document's namespace."""

    def __init__(self, ns: str):
        w = f"{{{ns}}}"
        self.p, self.tbl, self.tr, self.tc, self.r, self.hyperlink, self.t, self.br = (
            w + t for t in ("p", "tbl", "tr", "tc", "r", "hyperlink", "t", "br"))
        self.tcPr, self.vMerge, self.gridSpan, self.type, self.val = (
            w + t for t in ("tcPr", "vMerge", "gridSpan", "type", "val"))
        self.fixed = {w + "tab": "\t", w + "ptab": "\t", w + "cr": "\n", w + "noBreakHyphen": "-"}


def _paragraph(p, tags: _Tags) -> str:
    """A paragraph's text as python-docx reads it: its runs and its hyperlinks' runs; a line break is a
    newline, a page or column break nothing."""
    parts: list[str] = []
    for child in p:
        runs = (child,) if child.tag == tags.r else \
            (r for r in child if r.tag == tags.r) if child.tag == tags.hyperlink else ()
        for r in runs:
            for e in r:
                if e.tag == tags.t:
                    parts.append(e.text or "")
                elif e.tag == tags.br:
                    parts.append("\n" if e.get(tags.type, "textWrapping") == "textWrapping" else "")
                else:
                    parts.append(tags.fixed.get(e.tag, ""))
    return "".join(parts)


def _span(tc, tags: _Tags) -> int:
    pr = tc.find(tags.tcPr)
    span = pr.find(tags.gridSpan) if pr is not None else None
    try:
        return max(1, int(span.get(tags.val))) if span is not None else 1
    except (TypeError, ValueError):
        return 1


def _continues(tc, tags: _Tags) -> bool:
    """A cell that continues the vertical merge above it (w:vMerge without val="restart")."""
    pr = tc.find(tags.tcPr)
    merge = pr.find(tags.vMerge) if pr is not None else None
    return merge is not None and merge.get(tags.val, "continue") == "continue"


def _cell_lines(tc, tags: _Tags) -> list[str]:
    """The cell's paragraphs in order, those of tables nested in it (at any depth) included."""
    texts: list[str] = []
    stack = [iter(tc)]
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
        elif child.tag == tags.p:
            texts.append(_paragraph(child, tags))
        elif child.tag == tags.tbl:
            stack.append(e for tr in child if tr.tag == tags.tr
                         for cell in tr if cell.tag == tags.tc and not _continues(cell, tags) for e in cell)
    return "\n".join(texts).split("\n")


def extract(data: bytes, path: str) -> Extracted:
    body, namespace = _main_part(data, path)
    tags = _Tags(namespace)
    lines: list[str] = []
    places: list[Place] = []
    paragraph = table = 0
    for block in body if body is not None else ():
        if block.tag == tags.tbl:
            table += 1
            for r, row in enumerate((tr for tr in block if tr.tag == tags.tr), 1):
                column = 1   # cells are numbered by the grid columns they start at, as python-docx counts them
                for tc in (tc for tc in row if tc.tag == tags.tc):
                    if not _continues(tc, tags):
                        for line in _cell_lines(tc, tags):
                            lines.append(line)
                            places.append(Place(table=table, row=r, cell=column))
                    column += _span(tc, tags)
        elif block.tag == tags.p:
            paragraph += 1
            for line in _paragraph(block, tags).split("\n"):   # a manual line break (w:br) inside a paragraph
                lines.append(line)
                places.append(Place(paragraph=paragraph))
    return Extracted("\n".join(lines), "docx", tuple(places))
