"""The file store: uploaded bytes kept under data_dir/files by their SHA-256, never under the uploaded name
(a name can hold anything; two offices may send the same name). The suffix of a report type is kept, since the
reader tells .txt from .docx by it where the content does not.

Bytes and rows change together: bytes are written before their rows, written again (when missing) inside the
transaction that adds the rows, and removed only by `collect`, inside a transaction holding the write lock,
when no row refers to them. So a delete racing an upload of the same bytes never leaves a row without its file."""
from __future__ import annotations

import hashlib
import os
import secrets
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..read import REPORT_SUFFIXES

PART_MINUTES = 10   # a partial write older than this belongs to no living upload


def suffix(name: str) -> str:
    """The uploaded name's suffix when it is one the reader knows, else none."""
    s = Path(name).suffix.lower()
    return s if s in REPORT_SUFFIXES else ""


def path_for(data_dir: Path, digest: str, name: str) -> Path:
    return Path(data_dir) / "files" / digest[:2] / f"{digest}{suffix(name)}"


def save(data_dir: Path, name: str, data: bytes) -> tuple[str, int]:
    """Store the bytes (once per content and suffix); their hash and size. An OSError (disk full) leaves no
    partial file behind."""
    digest = hashlib.sha256(data).hexdigest()
    target = path_for(data_dir, digest, name)
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        # its own partial file: two uploads of the same bytes at once (threads of one process) never share one
        partial = target.with_name(f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}.part")
        try:
            partial.write_bytes(data)
            os.replace(partial, target)   # whole or absent: two uploads of the same file never see half of it
        except OSError:
            partial.unlink(missing_ok=True)
            raise
    return digest, len(data)


@contextmanager
def stored(store, files: list[tuple[str, bytes]]) -> Iterator[tuple[Session, list[tuple[str, str, int]]]]:
    """Files kept with the rows that refer to them: the bytes written first (the long part, without the lock),
    then a session holding the write lock, in which bytes a delete removed meanwhile are written again; yields
    the session and each file's (name, hash, size) for its rows. On an OSError (a full disk) the bytes no row
    refers to go again."""
    try:
        for name, data in files:
            save(store.data_dir, name, data)
        with store.writing() as session:
            session.connection()   # BEGIN IMMEDIATE now: the bytes are checked again under the lock, not before
            yield session, [(name, *save(store.data_dir, name, data)) for name, data in files]
    except OSError:
        with store.writing() as session:
            collect(session, store.data_dir, [(hashlib.sha256(data).hexdigest(), name) for name, data in files])
        raise


def collect(session: Session, data_dir: Path, stored: Iterable[tuple[str, str]]) -> int:
    """Remove the stored bytes among `stored` ((hash, name) pairs) that no file row refers to; how many. Call
    inside Store.writing(): no upload can add a row for them between the count and the removal."""
    from .store import File
    removed = 0
    for digest, name in set(stored):
        path = path_for(data_dir, digest, name)
        wanted = {suffix(n) for (n,) in session.execute(select(File.original_name).where(File.hash == digest))}
        if suffix(name) not in wanted and path.exists():
            path.unlink()
            removed += 1
    return removed


def sweep(store) -> tuple[int, int]:
    """At start: stored bytes no row refers to (an upload cut off, a delete interrupted) and partial writes
    left by a stopped server removed; (files, partials) removed."""
    from .store import File
    root = Path(store.data_dir) / "files"
    if not root.is_dir():
        return 0, 0
    partials = 0
    old = time.time() - PART_MINUTES * 60
    for part in root.rglob(".*.part"):
        try:
            if part.stat().st_mtime < old:
                part.unlink()
                partials += 1
        except OSError:
            pass
    with store.writing() as s:
        kept = {path_for(store.data_dir, h, n).name for h, n in s.execute(select(File.hash, File.original_name))}
        orphans = [p for p in root.glob("??/*") if not p.name.startswith(".") and p.name not in kept]
        for p in orphans:
            p.unlink(missing_ok=True)
    return len(orphans), partials
