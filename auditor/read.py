"""Path → raw text. Detects the encoding instead of guessing; never writes to the input."""
from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

import charset_normalizer

from .errors import AuditorError

TEXT_SUFFIXES = {".txt"}
# Report formats we recognise but cannot read yet: they get a clear error instead of being skipped.
PENDING_SUFFIXES = {".docx": "Word", ".doc": "Word 97-2003", ".wps": "WPS", ".pdf": "PDF",
                    ".html": "HTML", ".htm": "HTML"}
REPORT_SUFFIXES = TEXT_SUFFIXES | set(PENDING_SUFFIXES)

_BOMS = [(codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")]
# The encodings Chinese reports arrive in; limiting the detector to them keeps it fast and right.
_CANDIDATES = ["utf_8", "gb18030", "big5", "utf_16_le", "utf_16_be"]


@dataclass(frozen=True)
class Source:
    path: str
    text: str
    encoding: str


def decode(data: bytes, path: str) -> tuple[str, str]:
    """Bytes → (text, encoding name). BOM first, then strict UTF-8, then the detector."""
    if not data:
        raise AuditorError("E103", path)
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


def read_source(path: Path) -> Source:
    """Read one report file as text, or raise an AuditorError that names the file and the problem."""
    shown = str(path)
    suffix = path.suffix.lower()
    if suffix in PENDING_SUFFIXES:
        raise AuditorError("E105", shown, kind=PENDING_SUFFIXES[suffix])
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise AuditorError("E101", shown) from None
    except OSError as exc:
        raise AuditorError("E102", shown, reason=exc.strerror or exc.__class__.__name__) from None
    text, encoding = decode(data, shown)
    if "\x00" in text or not text.strip():
        raise AuditorError("E107", shown, encoding=encoding)
    return Source(shown, text, encoding)


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
            found.append(p)   # a file named explicitly is read whatever its suffix
        else:
            errors.append(AuditorError("E101", str(p)))
    return found, skipped, errors
