"""Path → extracted text. Detects the format by content and the encoding instead of guessing; only ever
reads the input (never writes, renames or locks it)."""
from __future__ import annotations

import codecs
from dataclasses import dataclass, field
from pathlib import Path

import charset_normalizer

from .errors import AuditorError
from .formats import Extracted, Place

MAX_FILE_MB = 50   # a report is at most a few MB even as a PDF; beyond this is not a report
TEXT_SUFFIXES = {".txt", ".text"}
FORMAT_SUFFIXES = {".docx": "docx", ".pdf": "pdf", ".html": "html", ".htm": "html", ".doc": "doc", ".wps": "wps"}
REPORT_SUFFIXES = TEXT_SUFFIXES | set(FORMAT_SUFFIXES)
LEGACY_KINDS = {"doc": "Word 97-2003 .doc", "wps": "WPS .wps"}

_BOMS = [(codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")]
# The encodings Chinese reports arrive in; limiting the detector to them keeps it fast and right.
_CANDIDATES = ["utf_8", "gb18030", "big5", "utf_16_le", "utf_16_be"]
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"   # Word 97-2003, WPS, and password-protected Office files


@dataclass(frozen=True)
class Source:
    path: str
    text: str
    encoding: str                                  # the text encoding, or the format (docx, pdf, html/utf-8)
    places: tuple[Place, ...] | None = None       # where each line stands in the file; None: line:column
    notes: dict[str, int] = field(default_factory=dict)   # what the reader dropped


# Control bytes that text files do not hold (NUL, tab, line breaks and ESC aside)
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (0, 9, 10, 11, 12, 13, 27))

def decode(data: bytes, path: str) -> tuple[str, str]:
    """Bytes → (text, encoding name). BOM first, then strict UTF-8, then the detector. read_source has
    already refused empty files (E103)."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return data.decode(name), name
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(data, cp_isolation=_CANDIDATES).best()
    if best is None or best.encoding is None:
        raise AuditorError("E104", path)
    return str(best), best.encoding


def sniff(data: bytes, suffix: str) -> str:
    """The format by content, so a mislabelled file is read for what it is; the suffix decides the rest."""
    head = data[:1024].lstrip()
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return "docx"
    if data.startswith(_OLE):
        return "ole"
    if head[:1] == b"<" and any(tag in head.lower() for tag in (b"<html", b"<!doctype html", b"<head", b"<body")):
        return "html"
    return FORMAT_SUFFIXES.get(suffix, "text")


def _extract(data: bytes, kind: str, suffix: str, path: str) -> Extracted:
    if kind == "docx":
        from .formats import docx
        return docx.extract(data, path)
    if kind == "pdf":
        from .formats import pdf
        return pdf.extract(data, path)
    if kind == "ole":
        if suffix == ".docx":   # Office writes encrypted .docx files as OLE containers
            raise AuditorError("E109", path, kind="Word .docx")
        from .formats import legacy
        return legacy.extract(data, path, LEGACY_KINDS.get(suffix.lstrip("."), LEGACY_KINDS["doc"]))
    if kind in LEGACY_KINDS:   # named .doc/.wps but not an OLE file
        raise AuditorError("E108", path, kind=LEGACY_KINDS[kind], reason="unrecognised content")
    head = data[:4096]
    if len(head) - len(head.translate(None, _CONTROL_BYTES)) > 0.05 * len(head):
        raise AuditorError("E107", path, encoding="control bytes at the start")   # an image, archive or program
    text, encoding = decode(data, path)
    unprintable = sum(text.count(ch) for ch in set(text) if not (ch.isprintable() or ch in "\n\r\t"))
    if "\x00" in text or unprintable > 0.05 * len(text):
        raise AuditorError("E107", path, encoding=encoding)
    if kind == "html":
        from .formats import html
        return html.extract(text, encoding)
    return Extracted(text, encoding)


def read_source(path: Path) -> Source:
    """Read one report file, or raise an AuditorError that names the file and the problem."""
    shown = str(path)
    suffix = path.suffix.lower()
    try:
        size = path.stat().st_size
        if size > MAX_FILE_MB * 2**20:
            raise AuditorError("E111", shown, size=size // 2**20, limit=MAX_FILE_MB)
        data = path.read_bytes()
    except FileNotFoundError:
        raise AuditorError("E101", shown) from None
    except IsADirectoryError:
        raise AuditorError("E102", shown, reason="it is a folder") from None
    except OSError as exc:
        raise AuditorError("E102", shown, reason=exc.strerror or exc.__class__.__name__) from None
    if not data:
        raise AuditorError("E103", shown)
    kind = sniff(data, suffix)
    if kind == "text" and suffix not in TEXT_SUFFIXES:
        raise AuditorError("E113", shown, suffix=suffix or "(none)")
    extracted = _extract(data, kind, suffix, shown)
    if not extracted.text.strip():
        raise AuditorError("E107", shown, encoding=extracted.kind)
    return Source(shown, extracted.text, extracted.kind, extracted.places, extracted.notes)


def find_reports(paths: list[Path]) -> tuple[list[Path], list[Path], list[AuditorError]]:
    """Expand files and folders into report files (sorted), skipped non-report files, and path errors."""
    found: list[Path] = []
    skipped: list[Path] = []
    errors: list[AuditorError] = []
    for p in paths:
        if p.is_dir():
            files = sorted(f for f in p.rglob("*") if f.is_file() and not any(
                part.startswith(".") for part in f.relative_to(p).parts))
            reports = [f for f in files if f.suffix.lower() in REPORT_SUFFIXES]
            skipped += [f for f in files if f.suffix.lower() not in REPORT_SUFFIXES]
            if not reports:
                errors.append(AuditorError("E106", str(p)))
            found += reports
        elif p.exists():
            found.append(p)   # a file named explicitly is tried; an unsupported type gets E113
        else:
            errors.append(AuditorError("E101", str(p)))
    return found, skipped, errors
