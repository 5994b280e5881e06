"""What a supervisor uploads, made safe before anything stores or reads it: files and .zip archives in, report
files with safe base names out, and every entry refused said with its reason.

A .zip is opened in memory and never written out under its members' names, and still every member is checked
as if it were: a path leaving the archive (zip slip), a link, an encrypted member, a nested archive, an entry
that would expand beyond the size limits or far beyond its compressed size (a zip bomb) is refused and named.
Member names written by Chinese Windows (GBK bytes without the UTF-8 flag) are decoded as GBK, not as the
code page 437 the zip format assumes. Inside an archive only report files are taken, as `auditor audit` takes
them from a folder; a file uploaded by itself is always kept, and the reader says what is wrong with it.
"""
from __future__ import annotations

import io
import re
import stat
import struct
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Iterable

from .. import shown
from ..errors import AuditorError
from ..i18n import _
from ..read import MAX_TEXT_CHARS, REPORT_SUFFIXES, TEXT_SUFFIXES

MB = 2**20
ARCHIVE_SUFFIXES = {".zip", ".rar", ".7z", ".tar", ".gz", ".tgz", ".bz2", ".xz", ".zst", ".cab", ".arj", ".lzh"}
SYSTEM_FOLDERS = {"__MACOSX"}          # resource forks macOS adds to every archive it writes: not the sender's files
SYSTEM_FILES = {"thumbs.db", "desktop.ini", ".ds_store"}
MAX_NAME = 200                          # characters of a name kept (file systems stop at 255 bytes)
UNICODE_PATH_EXTRA = 0x7075             # Info-ZIP's UTF-8 copy of a member's name
BOMB_FLOOR = 64 * 2**10                 # members above this are held to max_zip_ratio (500 × 1 MB of repeats passed at 1 MB)
MAX_FIELDS = 1000                       # plain fields of one form (the earlier-batch ticks are the many)
MAX_FIELD_KB = 1024                     # one plain field (a letter, a reason)


@dataclass(frozen=True)
class Limits:
    """How much one upload may hold. Sizes in MB; max_zip_ratio bounds a member's expanded size against its
    compressed size (reports compress 3 to 10 times; a bomb, thousands of times); max_zip_depth is how many
    archive levels are opened (1: a .zip, not a .zip inside it). max_text_mb: a .txt file larger cannot hold a
    report's text in any encoding (read.MAX_TEXT_CHARS at 4 bytes each); max_members: entries an archive may list
    before it is refused whole, unread; max_refused: refused entries listed one by one, the rest counted in one line,
    so what is stored and shown never grows with an attack."""
    max_files: int = 500
    max_file_mb: int = 50
    max_total_mb: int = 1000
    max_zip_ratio: int = 100
    max_zip_depth: int = 1
    max_text_mb: int = -(-MAX_TEXT_CHARS * 4 // 2**20)
    max_members: int = 10_000
    max_refused: int = 200


@dataclass
class Accepted:
    """The report files taken (safe base name, bytes) and the entries refused (name as uploaded, reason): the first
    `shown` of them, and one closing line counting the others."""
    files: list[tuple[str, bytes]] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)
    shown: int = 200
    unlisted: int = 0

    def refuse(self, name: str, why: str) -> None:
        if len(self.refused) < self.shown:
            self.refused.append((name, why))
        else:
            self.unlisted += 1

    def close(self) -> "Accepted":
        if self.unlisted:
            self.refused.append(("…", _("…and {n} more not accepted (only the first {shown} are listed)").format(
                n=self.unlisted, shown=self.shown)))
            self.unlisted = 0
        return self


def _mb(n: int) -> str:
    """Megabytes as the CLI's E111 shows them (its text says MB)."""
    return f"{n / MB:.1f}".removesuffix(".0") if n < 10 * MB else str(n // MB)


def _size(n: int) -> str:
    """A size with its unit: 3.2 MB, 12 KB."""
    if n < MB:
        return f"{max(n, 1) / 1024:.0f} KB"
    return (f"{n / MB:.1f}".removesuffix(".0") if n < 10 * MB else str(n // MB)) + " MB"


def _coded(code: str, **fields) -> str:
    """A reason carrying the CLI's own error code and text."""
    error = AuditorError(code, **fields)
    return f"[{error.code}] {error.message}"


def safe_name(name: str) -> str:
    """The last part of an uploaded name (either slash), normalized, printable and not hidden."""
    base = name.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]
    base = shown.text(unicodedata.normalize("NFC", base)).strip().lstrip(".").strip()
    if len(base) > MAX_NAME:
        suffix = PurePosixPath(base).suffix[:16]
        base = base[:MAX_NAME - len(suffix)] + suffix
    return base or _("unnamed")


class _Budget:
    """What is left of the upload's limits while files are taken."""

    def __init__(self, limits: Limits):
        self.limits = limits
        self.files = 0
        self.bytes = 0
        self.names: set[str] = set()

    def refusal(self, size: int, name: str = "") -> str | None:
        limits = self.limits
        if size > limits.max_file_mb * MB:
            return _coded("E111", size=_mb(size), limit=_mb(limits.max_file_mb * MB))
        if size > limits.max_text_mb * MB and PurePosixPath(name.replace("\\", "/")).suffix.lower() in TEXT_SUFFIXES:
            return _too_much_text(size, limits)
        if self.files >= limits.max_files:
            return _("more than {limit} files in one upload; send the rest as another batch").format(
                limit=limits.max_files)
        if self.bytes + size > limits.max_total_mb * MB:
            return _("the upload would exceed {limit} MB in all; send the rest as another batch").format(
                limit=limits.max_total_mb)
        return None

    def take(self, accepted: Accepted, name: str, data: bytes, folder: str = "") -> None:
        """The file taken under its safe name; a zip member keeps the folder it was in (东溪镇/报告.txt), since an
        office's folder may be all that says whose report it is."""
        self.files += 1
        self.bytes += len(data)
        base = safe_name(name)
        where = safe_name(folder) if folder.strip() else ""
        accepted.files.append((self.unique(f"{where}/{base}" if where else base), data))

    def unique(self, name: str) -> str:
        """Two members called 报告.docx in different folders stay two files with two names."""
        stem, suffix = (name[:-len(PurePosixPath(name).suffix)], PurePosixPath(name).suffix) \
            if PurePosixPath(name).suffix else (name, "")
        candidate, n = name, 1
        while candidate.lower() in self.names:
            n += 1
            candidate = f"{stem} ({n}){suffix}"
        self.names.add(candidate.lower())
        return candidate


def accept(items: Iterable[tuple[str, bytes]], limits: Limits) -> Accepted:
    """The files of one upload, .zip archives opened (as deep as the limits allow), each entry taken or
    refused with a Chinese reason (with the CLI's error code where one applies)."""
    accepted = Accepted(shown=limits.max_refused)
    budget = _Budget(limits)
    for name, data in items:
        shown_name = shown.text(name)
        suffix = PurePosixPath(name.replace("\\", "/")).suffix.lower()
        if suffix == ".zip" and limits.max_zip_depth >= 1:
            _open_zip(shown_name, data, 1, budget, accepted)
            continue
        if suffix in ARCHIVE_SUFFIXES:
            accepted.refuse(shown_name, _("an archive other than .zip; unpack it, or pack it again as .zip"))
            continue
        why = budget.refusal(len(data), name)
        if why:
            accepted.refuse(shown_name, why)
        else:
            budget.take(accepted, name, data)
    return accepted.close()


def _too_much_text(size: int, limits: Limits) -> str:
    return _("a text file of {size} holds more than any report (at most {limit} MB for a text file); upload the "
             "report on its own").format(size=_size(size), limit=limits.max_text_mb)


async def read_form(request, limits: Limits):
    """The request's form, read within the limits (files: max_files; MAX_FIELDS plain fields of at most
    MAX_FIELD_KB each), or an HTTPException with one Chinese line: 413 for a form over a limit, 400 for one the
    parser cannot read. Starlette's own refusals are English sentences; none reaches a person."""
    from fastapi import HTTPException
    from starlette.exceptions import HTTPException as FrameworkRefusal
    from starlette.formparsers import MultiPartException
    try:
        return await request.form(max_files=limits.max_files, max_fields=MAX_FIELDS,
                                  max_part_size=MAX_FIELD_KB * 2**10)
    except (FrameworkRefusal, MultiPartException) as exc:
        status, said = form_refusal(str(getattr(exc, "detail", None) or getattr(exc, "message", "")),
                                    max_files=limits.max_files)
        raise HTTPException(status, said) from None


def form_refusal(said: str, max_files: int | None = None) -> tuple[int, str]:
    """A refusal of the form parser (Starlette's English sentence, whichever route read the form) as the status
    and one Chinese line to show instead."""
    if said.startswith("Too many files"):
        found = re.search(r"\d+", said)
        limit = max_files or (found.group() if found else "")
        return 413, _("more than {limit} files in one upload; send the rest as another batch").format(limit=limit)
    if said.startswith("Too many fields"):
        return 413, _("the form has more than {limit} fields; it was not sent by the workbench's pages").format(
            limit=MAX_FIELDS)
    if said.startswith(("Field exceeded", "Part exceeded")):
        return 413, _("a field of the form holds more than {limit} KB; shorten it and send it again").format(
            limit=MAX_FIELD_KB)
    return 400, _("the form could not be read (damaged or cut off); go back, reload the page and send it again")


FRAMEWORK_FORM_WORDS = ("Too many files", "Too many fields", "Field exceeded", "Part exceeded", "Missing boundary",
                        "Did not find boundary", "Missing field name", "Missing form-data", "Invalid", "Unexpected")


async def received(form, field_name: str) -> list[tuple[str, bytes]]:
    """The files a form's field carries, as (name as uploaded, bytes), for `accept`; plain text values skipped."""
    return [(u.filename or "", await u.read()) for u in form.getlist(field_name) if hasattr(u, "read")]


def member_name(info: zipfile.ZipInfo) -> str:
    """A member's name as its writer meant it: UTF-8 when flagged or given in Info-ZIP's Unicode path field,
    else the raw bytes as UTF-8 if they are, else GB18030 (Chinese Windows), else code page 437."""
    if info.flag_bits & 0x800:
        return info.filename
    unicode_path = _unicode_path_extra(info)
    if unicode_path:
        return unicode_path
    try:
        raw = info.filename.encode("cp437")
    except UnicodeEncodeError:
        return info.filename
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return info.filename


def _unicode_path_extra(info: zipfile.ZipInfo) -> str | None:
    extra, i = info.extra, 0
    while i + 4 <= len(extra):
        tag, size = struct.unpack_from("<HH", extra, i)
        body = extra[i + 4:i + 4 + size]
        if tag == UNICODE_PATH_EXTRA and len(body) >= 5 and body[0] == 1:
            try:
                raw = info.filename.encode("cp437")
            except UnicodeEncodeError:
                raw = info.filename.encode("utf-8")
            if struct.unpack_from("<I", body, 1)[0] == zlib.crc32(raw):   # stale when the name was changed
                try:
                    return body[5:].decode("utf-8")
                except UnicodeDecodeError:
                    return None
        i += 4 + size
    return None


def _unsafe_path(path: str) -> bool:
    """A member path that would leave the folder it is unpacked into: absolute, a drive, or a .. part."""
    path = path.replace("\\", "/")
    return path.startswith("/") or (len(path) > 1 and path[1] == ":") or ".." in path.split("/")


def _is_link(info: zipfile.ZipInfo) -> bool:
    return info.create_system == 3 and stat.S_ISLNK(info.external_attr >> 16)


def _open_zip(name: str, data: bytes, depth: int, budget: _Budget, accepted: Accepted) -> None:
    limits = budget.limits
    listed = _listed(data)
    if listed > limits.max_members:   # said before the directory is parsed: a million entries cost gigabytes
        accepted.refuse(name, _("the archive lists {n} entries, more than {limit}; a batch of reports holds far "
                                "fewer").format(n=listed, limit=limits.max_members))
        return
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
        accepted.refuse(name, _coded("E108", kind="ZIP", reason=shown.text(str(exc))))
        return
    over = 0   # report files past the count limit: said once, not once each
    for info in infos:
        path = member_name(info)
        shown_path = f"{name}/{shown.text(path)}"
        parts = [p for p in path.replace("\\", "/").split("/") if p not in ("", ".")]
        if info.is_dir() or not parts:
            continue
        if any(p in SYSTEM_FOLDERS for p in parts) or parts[-1].startswith("._"):
            continue   # macOS metadata, not a file the sender chose
        why = _member_refusal(info, path, parts, depth, limits)
        if why is None and PurePosixPath(parts[-1]).suffix.lower() == ".zip":   # depth allows it
            member = _read_member(archive, info, limits, budget)
            if isinstance(member, str):
                accepted.refuse(shown_path, member)
            else:
                _open_zip(shown_path, member, depth + 1, budget, accepted)
            continue
        if why is None and budget.files >= limits.max_files:
            over += 1
            continue
        why = why or budget.refusal(info.file_size, parts[-1])
        if why:
            accepted.refuse(shown_path, why)
            continue
        member = _read_member(archive, info, limits, budget)
        if isinstance(member, str):
            accepted.refuse(shown_path, member)
            continue
        why = budget.refusal(len(member), parts[-1])
        (accepted.refuse(shown_path, why) if why else
         budget.take(accepted, parts[-1], member, parts[-2] if len(parts) > 1 else ""))
    if over:
        accepted.refuse(name, _("{n} more report files not taken: more than {limit} files in one upload; send the "
                                "rest as another batch").format(n=over, limit=limits.max_files))


def _member_refusal(info: zipfile.ZipInfo, path: str, parts: list[str], depth: int, limits: Limits) -> str | None:
    """Why a member is not taken, judged from the archive's directory before a byte of it is expanded."""
    suffix = PurePosixPath(parts[-1]).suffix.lower()
    if _unsafe_path(path):
        return _("the path leaves the archive's folder (zip slip); refused")
    if _is_link(info):
        return _("a link, not a file; links in archives are not followed")
    if info.flag_bits & 0x1:
        return _coded("E109", kind="ZIP")
    if suffix in ARCHIVE_SUFFIXES and (suffix != ".zip" or depth >= limits.max_zip_depth):
        return _("an archive inside the archive; archives are opened one level deep: unpack it and upload its "
                 "files")
    if suffix == ".zip":
        return None
    if any(p.startswith(".") for p in parts) or parts[-1].lower() in SYSTEM_FILES:
        return _("a hidden file")
    if suffix not in REPORT_SUFFIXES:
        return _("not a report file type ({suffix})").format(suffix=suffix or _("no suffix"))
    if info.compress_size and info.file_size > limits.max_zip_ratio * info.compress_size and info.file_size > BOMB_FLOOR:
        return _bomb(info.file_size, info.compress_size, limits)
    return None


def _listed(data: bytes) -> int:
    """How many entries the archive's end record says its directory holds (Zip64 too); 0 when it has none."""
    try:
        end = zipfile._EndRecData(io.BytesIO(data))   # noqa: SLF001 - the record ZipFile reads, before its directory
    except (zipfile.BadZipFile, OSError, struct.error, ValueError):
        return 0
    return end[zipfile._ECD_ENTRIES_TOTAL] if end else 0   # noqa: SLF001


def _bomb(size: int, packed: int, limits: Limits) -> str:
    return _("would expand to {size} from {packed}, more than {ratio} times; refused as a possible zip "
             "bomb").format(size=_size(size), packed=_size(packed), ratio=limits.max_zip_ratio)


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: Limits, budget: _Budget) -> bytes | str:
    """The member's bytes, expanded in pieces and stopped as soon as they pass a limit, whatever the archive's
    directory claims; or why it was refused."""
    file_cap, total_cap = limits.max_file_mb * MB, limits.max_total_mb * MB - budget.bytes
    chunks, total = [], 0
    try:
        with archive.open(info) as fh:
            while True:
                chunk = fh.read(MB)
                if not chunk:
                    break
                total += len(chunk)
                if total > file_cap:   # the directory understated it
                    return _coded("E111", size=_("more than {size}").format(size=_mb(file_cap)), limit=_mb(file_cap))
                if total > total_cap:
                    return budget.refusal(total)
                if info.compress_size and total > limits.max_zip_ratio * info.compress_size and total > BOMB_FLOOR:
                    return _bomb(total, info.compress_size, limits)
                chunks.append(chunk)
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError, ValueError, OSError, EOFError,
            zlib.error) as exc:
        return _coded("E108", kind="ZIP", reason=shown.text(str(exc)))
    return b"".join(chunks)
