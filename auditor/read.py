"""Path → extracted text. Detects the format by content and the encoding instead of guessing; only ever
reads the input (never writes, renames or locks it), and never more of it than the size limit."""
from __future__ import annotations

import codecs
import os
import re
import stat
import threading
from dataclasses import dataclass, field
from pathlib import Path

from .errors import AuditorError, os_reason
from .formats import Extracted, Place
from .i18n import N_, _

MAX_FILE_MB = 50   # a report is at most a few MB even as a PDF; beyond this is not a report
# What one report's text amounts to: a long one is ~100,000 characters in a few thousand lines. The text read from
# a file beyond these is not a report (E117): auditing it would cost ~5 s per million characters and memory with
# it (a 1.4 MB .docx held 58 million characters: 209 s and 6.6 GB before this guard).
MAX_TEXT_CHARS = 2_000_000
MAX_LINES = 100_000
TEXT_SUFFIXES = {".txt", ".text"}
FORMAT_SUFFIXES = {".docx": "docx", ".pdf": "pdf", ".html": "html", ".htm": "html", ".doc": "doc", ".wps": "wps"}
REPORT_SUFFIXES = TEXT_SUFFIXES | set(FORMAT_SUFFIXES)
LEGACY_KINDS = {"doc": "Word 97-2003 .doc", "wps": "WPS .wps"}
# What --format letter and --format review write beside the reports (<stem>.整改意见.docx, <stem>.审核批注.docx):
# the auditor's own output, never audited as a report when the folder is audited again.
OUTPUT_ENDINGS = {".整改意见.docx": "letter", ".审核批注.docx": "review"}

# (BOM, the encoding name shown, the codec for the bytes after it); UTF-32 first: its LE BOM starts like UTF-16's
_BOMS = [(codecs.BOM_UTF32_LE, "utf-32", "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32", "utf-32-be"),
         (codecs.BOM_UTF8, "utf-8-sig", "utf-8"), (codecs.BOM_UTF16_LE, "utf-16", "utf-16-le"),
         (codecs.BOM_UTF16_BE, "utf-16", "utf-16-be")]
# The encodings Chinese reports arrive in; limiting the detector to them keeps it fast and right.
_CANDIDATES = ["utf_8", "gb18030", "big5", "utf_16_le", "utf_16_be"]
_LEGACY = ["utf_8", "gb18030", "big5"]   # byte encodings a damaged file is tried in
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"   # Word 97-2003, WPS, and password-protected Office files
MOSTLY_DAMAGED = 0.5     # more undecodable than this (share of the bytes): not a text at all (E104)
PLAUSIBLE = 0.9          # share of ordinary characters (CJK, ASCII, punctuation) a UTF-16 reading must reach
BINARY_SHARE = 0.05      # control bytes or unprintable characters beyond this share: a binary file (E107)
# Characters a report does not consist of: anything outside ASCII, Latin-1, general and CJK punctuation, kana,
# CJK ideographs and full-width forms. A wrong reading of the bytes (UTF-16 of the wrong byte order, UTF-8
# behind a UTF-16 BOM) is mostly such characters.
_UNUSUAL = re.compile("[^\t\n\r\x20-\x7e\u00a0-\u00ff\u2000-\u206f\u2100-\u27bf\u3000-\u30ff\u3400-\u4dbf"
                      "\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]")


@dataclass(frozen=True)
class Source:
    path: str
    text: str
    encoding: str                                  # the text encoding, or the format (docx, pdf, html/utf-8)
    places: tuple[Place, ...] | None = None       # where each line stands in the file; None: line:column
    notes: dict[str, int] = field(default_factory=dict)   # what the reader dropped or could not decode
    damaged: tuple[int, ...] = ()                 # offsets in text of characters that could not be decoded


# --- reading bytes -------------------------------------------------------------------------------------

def _megabytes(size: int) -> str:
    return f"{size / 2**20:.1f}".removesuffix(".0") if size < 10 * 2**20 else str(size // 2**20)


def read_limited(path: str | Path, limit: int) -> bytes:
    """The bytes of a regular file of at most `limit` bytes, or an AuditorError naming the file: E101 (no
    such file), E102 (unreadable, a folder), E115 (a FIFO, device or socket: these may block or never end),
    E111 (larger than the limit). Never reads more than limit + 1 bytes, whatever the file claims to be, and
    never blocks: the file is opened non-blocking and checked on the opened descriptor."""
    shown = str(path)
    try:
        info = os.stat(path)   # first without opening it: opening a device can have effects of its own
        _check_regular(info.st_mode, shown)
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
                     | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise AuditorError("E101", shown) from None
    except IsADirectoryError:
        raise AuditorError("E102", shown, reason=_("it is a folder")) from None
    except OSError as exc:
        raise AuditorError("E102", shown, reason=os_reason(exc)) from None
    try:
        info = os.fstat(fd)   # what was opened, in case the path changed since the first look
        _check_regular(info.st_mode, shown)
        if info.st_size > limit:
            raise AuditorError("E111", shown, size=_megabytes(info.st_size), limit=_megabytes(limit))
        chunks, total = [], 0
        while total <= limit:
            chunk = os.read(fd, min(2**20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    except BlockingIOError:   # a regular file never blocks; a file system that says otherwise is unreadable
        raise AuditorError("E102", shown, reason=_("the read would block")) from None
    except OSError as exc:
        raise AuditorError("E102", shown, reason=os_reason(exc)) from None
    finally:
        os.close(fd)
    if total > limit:   # it grew while being read, or its size was not told
        raise AuditorError("E111", shown, size=_("more than {size}").format(size=_megabytes(limit)), limit=_megabytes(limit))
    return b"".join(chunks)


def _check_regular(mode: int, shown: str) -> None:
    if stat.S_ISDIR(mode):
        raise AuditorError("E102", shown, reason=_("it is a folder"))
    if not stat.S_ISREG(mode):
        kind = (N_("a named pipe (FIFO)") if stat.S_ISFIFO(mode) else N_("a socket") if stat.S_ISSOCK(mode)
                else N_("a device") if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else N_("not a regular file"))
        raise AuditorError("E115", shown, kind=_(kind))


def decode_settings(data: bytes, path: str | Path) -> str:
    """A settings file's bytes (rules, profiles, waivers, baseline, labels) → text: UTF-8, or UTF-16/32 with
    a BOM or (UTF-16) recognised by its zero bytes, as Excel and Notepad save "Unicode text"; E116 otherwise.
    Strict: a settings file with damaged bytes is refused rather than read differently from what was meant."""
    for bom, _size, codec in _BOMS:
        if data.startswith(bom):
            body = data[len(bom):]
            break
    else:
        body, codec = data, (_utf16_order(data) or "utf-8")
    try:
        return body.decode(codec)
    except UnicodeDecodeError as exc:
        line = body[:exc.start].count(b"\n" if codec == "utf-8" else "\n".encode(codec)) + 1
        raise AuditorError("E116", path, line, reason=_("{reason} at byte {offset}").format(
                           reason=exc.reason, offset=exc.start + len(data) - len(body)),
                           encoding=codec.upper()) from None


def _utf16_order(data: bytes) -> str | None:
    """utf-16-le or utf-16-be when BOM-less bytes read as ordinary text in that byte order (zero bytes are
    the sign: the high byte of every ASCII character), else None."""
    if b"\x00" not in data[:65536]:
        return None
    sample = data[:65536 - 65536 % 2]
    best = max(("utf-16-le", "utf-16-be"), key=lambda c: _ordinary(sample.decode(c, "replace")))
    return best if _ordinary(sample.decode(best, "replace")) >= PLAUSIBLE else None


def _ordinary(text: str) -> float:
    """The share of characters a Chinese report is made of (1.0 for empty text)."""
    return 1 - len(_UNUSUAL.findall(text)) / len(text) if text else 1.0


# --- decoding report text ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    damaged: tuple[int, ...] = ()   # offsets in text of undecodable bytes (shown as U+FFFD)
    notes: dict[str, int] = field(default_factory=dict)


_sink = threading.local()


def _record(exc: UnicodeDecodeError):
    _sink.bad += exc.end - exc.start
    return "\ufffd", exc.end


codecs.register_error("auditor-record", _record)


def _lenient(data: bytes, codec: str, name: str) -> Decoded:
    """Decode with every undecodable byte run replaced by U+FFFD; the notes count the bytes lost."""
    _sink.bad = 0
    text = data.decode(codec, "auditor-record")
    bad = _sink.bad
    if not bad:
        return Decoded(text, name)
    damaged = tuple(m.start() for m in re.finditer("\ufffd", text))
    return Decoded(text, name, damaged, {"undecodable bytes replaced": bad})


def _strict(data: bytes) -> Decoded | None:
    """A clean reading of BOM-less bytes: UTF-16 told by its zero bytes, strict UTF-8, then the detector."""
    order = _utf16_order(data)
    if order:
        return _lenient(data, order, order.replace("-", "_"))   # a cut or a lone surrogate is damage, noted
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    import charset_normalizer
    best = charset_normalizer.from_bytes(data.replace(b"\x00", b""), cp_isolation=_CANDIDATES).best()
    if best is None or best.encoding is None:
        return None
    try:   # the detector samples a large file; the whole of it must decode
        return Decoded(data.decode(best.encoding), best.encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _damaged(data: bytes) -> Decoded | None:
    """A file with some undecodable bytes (a flipped byte, cut mid-character): the encoding in which the
    fewest bytes are lost, provided the detector agrees it is that encoding once they are dropped, and
    most of the file decodes."""
    import charset_normalizer
    best = None
    for codec in _LEGACY:
        _sink.bad = 0
        kept = _kept_bytes(data, codec)
        if _sink.bad > MOSTLY_DAMAGED * len(data) or (best and _sink.bad >= best[0]):
            continue
        match = charset_normalizer.from_bytes(kept.replace(b"\x00", b""), cp_isolation=_LEGACY).best()
        said = match and ("utf_8" if match.encoding == "ascii" else match.encoding)
        if said == codec:
            best = (_sink.bad, codec)
    return _lenient(data, best[1], best[1].replace("utf_8", "utf-8")) if best else None


def _kept_bytes(data: bytes, codec: str) -> bytes:
    """The bytes that decode in `codec` (the decoder resynchronises after each bad run)."""
    return data.decode(codec, "auditor-record").replace("\ufffd", "").encode(codec, "ignore")


def decode_text(data: bytes, path: str) -> Decoded:
    """Bytes of a text report → Decoded. A BOM, UTF-16 told by its zero bytes, strict UTF-8, the detector;
    then, for a damaged file, the encoding that loses the fewest bytes, with the damage replaced and noted.
    A BOM the content contradicts is noted and overruled. E104 when no encoding reads most of it."""
    for bom, name, codec in _BOMS:
        if not data.startswith(bom):
            continue
        body = data[len(bom):]
        try:
            text = body.decode(codec)
            if codec == "utf-8" or _ordinary(text) >= PLAUSIBLE:
                return Decoded(text, name)
        except UnicodeDecodeError:
            pass
        other = _strict(body)
        if other and not other.damaged and other.encoding.replace("_", "-").lower() not in (codec, name):
            return Decoded(other.text, other.encoding, (), {**other.notes, "byte-order mark contradicts the content": 1})
        lenient = _lenient(body, codec, name)
        if sum(lenient.notes.values()) <= MOSTLY_DAMAGED * len(body) and _ordinary(lenient.text) >= PLAUSIBLE:
            return lenient
        decoded = other or _damaged(body)
        if decoded is None:
            raise AuditorError("E104", path)
        return Decoded(decoded.text, decoded.encoding, decoded.damaged,
                       {**decoded.notes, "byte-order mark contradicts the content": 1})
    decoded = _strict(data) or _damaged(data)
    if decoded is None:
        raise AuditorError("E104", path)
    return decoded


def decode(data: bytes, path: str) -> tuple[str, str]:
    """Bytes → (text, encoding name); see decode_text."""
    decoded = decode_text(data, path)
    return decoded.text, decoded.encoding


# --- formats -------------------------------------------------------------------------------------------

def sniff(data: bytes, suffix: str) -> str:
    """The format by content, so a mislabelled file is read for what it is; the suffix decides the rest."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return "docx"
    if data.startswith(_OLE):
        return "ole"
    head = data[:2048]
    for bom, _size, _codec in _BOMS:
        head = head.removeprefix(bom)
    head = head.replace(b"\x00", b"").lstrip()   # UTF-16 markup reads as markup without its zero bytes
    if head[:1] == b"<" and any(tag in head[:1024].lower() for tag in (b"<html", b"<!doctype html", b"<head", b"<body")):
        return "html"
    return FORMAT_SUFFIXES.get(suffix, "text")


# Control bytes that text files do not hold (NUL, tab, line breaks and ESC aside)
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (0, 9, 10, 11, 12, 13, 27))


def _text(data: bytes, path: str) -> Decoded:
    """A text (or web page) file's bytes → Decoded, or E107 for a binary file, E104 for an unknown encoding.
    A few NUL bytes are damage, replaced and noted; many are a binary file."""
    head = data[:4096]
    unicode = any(data.startswith(bom) for bom, _, _ in _BOMS) or _utf16_order(data)
    if not unicode and len(head) - len(head.translate(None, _CONTROL_BYTES)) > BINARY_SHARE * len(head):
        raise AuditorError("E107", path, encoding="control bytes at the start")   # an image, archive or program
    decoded = decode_text(data, path)
    text = decoded.text
    # white space is text: pages align their fields with ideographic spaces (索引号：…　　　　公开方式：…)
    unprintable = sum(text.count(ch) for ch in set(text) if not (ch.isprintable() or ch.isspace()))
    if unprintable > BINARY_SHARE * len(text):
        raise AuditorError("E107", path, encoding=decoded.encoding)
    if "\x00" not in text:
        return decoded
    nuls = tuple(m.start() for m in re.finditer("\x00", text))
    return Decoded(text.replace("\x00", "\ufffd"), decoded.encoding, tuple(sorted(decoded.damaged + nuls)),
                   {**decoded.notes, "NUL bytes replaced": len(nuls)})


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
        raise AuditorError("E108", path, kind=LEGACY_KINDS[kind], reason=_("unrecognised content"))
    decoded = _text(data, path)
    if kind == "html":
        from .formats import html
        page = html.extract(decoded.text, decoded.encoding)   # the damage is in the page, not the article's lines
        return Extracted(page.text, page.kind, page.places, {**decoded.notes, **page.notes})
    return Extracted(decoded.text, decoded.encoding, None, decoded.notes, decoded.damaged)


def read_source(path: Path) -> Source:
    """Read one report file, or raise an AuditorError that names the file and the problem."""
    shown = str(path)
    data = read_limited(path, MAX_FILE_MB * 2**20)
    if not data:
        raise AuditorError("E103", shown)
    suffix = path.suffix.lower()
    kind = sniff(data, suffix)
    if kind == "text" and suffix not in TEXT_SUFFIXES:
        raise AuditorError("E113", shown, suffix=suffix or "(none)")
    extracted = _extract(data, kind, suffix, shown)
    _check_amount(extracted.text, shown)
    if not extracted.text.strip():
        raise AuditorError("E107", shown, encoding=extracted.kind)
    return Source(shown, extracted.text, extracted.kind, extracted.places, extracted.notes, extracted.damaged)


def _check_amount(text: str, shown: str) -> None:
    """E117 when the text read is more than any report holds (MAX_TEXT_CHARS, MAX_LINES)."""
    lines = text.count("\n") + 1
    if len(text) > MAX_TEXT_CHARS:
        amount, limit = _("{n} characters").format(n=f"{len(text):,}"), _("{n} characters").format(
            n=f"{MAX_TEXT_CHARS:,}")
    elif lines > MAX_LINES:
        amount, limit = _("{n} lines").format(n=f"{lines:,}"), _("{n} lines").format(n=f"{MAX_LINES:,}")
    else:
        return
    raise AuditorError("E117", shown, amount=amount, limit=limit)


@dataclass(frozen=True)
class Skipped:
    """An entry of a folder that is not audited, and why (every one is said, never dropped silently)."""
    path: Path
    why: str


def find_reports(paths: list[Path]) -> tuple[list[Path], list[Skipped], list[AuditorError]]:
    """Expand files and folders into report files (sorted), the entries skipped and why, and path errors (a
    name that does not exist, a folder that cannot be read or holds no report)."""
    found: list[Path] = []
    skipped: list[Skipped] = []
    errors: list[AuditorError] = []
    for p in paths:
        if p.is_dir():
            reports = _walk(p, skipped, errors)
            if not reports and not any(e.path == str(p) for e in errors):
                errors.append(AuditorError("E106", str(p)))
            found += reports
        elif p.exists() or p.is_symlink():
            found.append(p)   # a file named explicitly is tried; the reader says what is wrong with it
        else:
            errors.append(AuditorError("E101", str(p)))
    return found, skipped, errors


def _walk(folder: Path, skipped: list[Skipped], errors: list[AuditorError]) -> list[Path]:
    """The report files under a folder, sorted; links to folders are not followed (no loops)."""
    def unreadable(exc: OSError):
        errors.append(AuditorError("E102", exc.filename or str(folder),
                                   reason=_("cannot read the folder: {reason}").format(reason=os_reason(exc))))
    reports = []
    for root, dirs, names in os.walk(folder, onerror=unreadable):
        base = Path(root)
        for d in sorted(dirs):
            entry = base / d
            if d.startswith("."):
                skipped.append(Skipped(entry, _("a hidden folder")))
            elif entry.is_symlink():
                skipped.append(Skipped(entry, _("a link to a folder (not followed)")))
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not (base / d).is_symlink())
        for n in sorted(names):
            entry = base / n
            why = _not_a_report(entry)
            (skipped.append(Skipped(entry, why)) if why else reports.append(entry))
    return sorted(reports)


def _not_a_report(entry: Path) -> str | None:
    if entry.name.startswith("."):
        return _("a hidden file")
    try:
        st = entry.stat()
    except OSError:
        return _("a broken link") if entry.is_symlink() else _("cannot be read")
    if not stat.S_ISREG(st.st_mode):
        return _("not a regular file (a named pipe, socket or device)")
    if entry.suffix.lower() not in REPORT_SUFFIXES:
        return _("not a report file type ({suffix})").format(suffix=entry.suffix or _("no suffix"))
    if entry.name.lower().endswith(tuple(OUTPUT_ENDINGS)):
        return _("written by the auditor (a rectification letter or a reviewed copy), not a report")
    return None
