"""Where the output goes: stdout; a file, written beside its target and renamed over it only when everything
was written (a failed or interrupted run leaves nothing behind, and a full disk is an error, not a truncated
file); or a character device or FIFO (-o /dev/null, a pipe), written as a stream. Never over an input.
"""
from __future__ import annotations

import os
import stat
import sys
import tempfile
from pathlib import Path

from .errors import AuditorError, os_reason
from .i18n import _


class OutputError(Exception):
    """The output cannot be written; `error` is the line to show."""

    def __init__(self, error: AuditorError):
        self.error = error
        super().__init__(error.format())


def identities(paths: list[Path]) -> set[tuple[int, int]]:
    """(device, inode) of each existing path: how a file is the same file whatever it is called."""
    found = set()
    for p in paths:
        try:
            st = p.stat()
        except OSError:
            continue
        found.add((st.st_dev, st.st_ino))
    return found


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


class AtomicFile:
    """The one atomic writer: a regular file written beside `path` and renamed over it by commit(), so a failed
    or interrupted write leaves nothing behind (discard()). A new file gets the mode the umask gives, an
    existing one keeps its own. Raises OSError; the callers say it in their own words."""

    def __init__(self, path: Path, existing: os.stat_result | None = None):
        self.path = Path(path)
        if existing is None:
            try:
                existing = self.path.stat()
            except FileNotFoundError:
                pass
        self.mode = stat.S_IMODE(existing.st_mode) if existing else 0o666 & ~_umask()
        fd, self.tmp = tempfile.mkstemp(dir=self.path.resolve().parent, prefix=f".{self.path.name}.", suffix=".tmp")
        self.file = os.fdopen(fd, "wb")

    def commit(self) -> None:
        """Everything written reaches the disk (a full disk shows here at the latest), then takes the name."""
        try:
            self.file.flush()
            os.fsync(self.file.fileno())
            self.file.close()
            os.chmod(self.tmp, self.mode)
            os.replace(self.tmp, self.path)
        finally:
            self.discard()

    def discard(self) -> None:
        """Nothing of this write is left (after commit(): nothing but the file it renamed)."""
        self.file.close()
        if os.path.exists(self.tmp):
            os.unlink(self.tmp)


def write_atomically(path: Path, write) -> Path:
    """`write(binary file)` into `path` completely or not at all (AtomicFile); the path."""
    out = AtomicFile(path)
    try:
        write(out.file)
        out.commit()
    except BaseException:
        out.discard()
        raise
    return Path(path)


class Sink:
    """Opened before the audit, so a bad path fails at once; `inputs`: the identities of every input file."""

    def __init__(self, path: Path | None, inputs: set[tuple[int, int]] = frozenset()):
        self.path, self.file, self.atomic = path, None, None
        if path is None:
            return
        try:
            st = path.stat()
        except FileNotFoundError:
            st = None
        except OSError as exc:
            raise self._error(exc) from None
        if st and (st.st_dev, st.st_ino) in inputs:
            raise self._error(reason=_("it is one of the input files; inputs are never modified"))
        if st and stat.S_ISDIR(st.st_mode):
            raise self._error(reason=_("it is a folder; name a file"))
        try:
            if st and not stat.S_ISREG(st.st_mode):   # /dev/null, a FIFO: a stream, never replaced
                self.file = open(path, "wb")
                return
            self.atomic = AtomicFile(path, st)
            self.file = self.atomic.file
        except OSError as exc:
            raise self._error(exc) from None

    def __enter__(self) -> "Sink":
        return self

    def write(self, data: str | bytes) -> None:
        raw = data if isinstance(data, bytes) else data.encode("utf-8")
        try:
            if self.file is None:
                sys.stdout.flush()
                stream = getattr(sys.stdout, "buffer", None)
                stream.write(raw) if stream else sys.stdout.write(raw.decode("utf-8"))
                sys.stdout.flush()
            else:
                self.file.write(raw)   # a buffered file writes all of it or raises (ENOSPC): never a short write
        except BrokenPipeError:
            raise   # the reader went away (… | head): not an error of ours; main() ends quietly
        except OSError as exc:
            raise self._error(exc) from None

    def __exit__(self, kind, *_):
        if self.file is None:
            return
        try:
            if self.atomic is None:
                self.file.close()   # a stream: flushed here
            elif kind is None:
                self.atomic.commit()
            else:
                self.atomic.discard()
        except OSError as exc:
            if kind is None:
                raise self._error(exc) from None
        finally:
            if self.atomic is not None:
                self.atomic.discard()

    def _error(self, exc: OSError | None = None, reason: str | None = None) -> OutputError:
        return OutputError(AuditorError("E301", str(self.path),
                                        reason=_("cannot write the output: {reason}").format(
                                            reason=reason or os_reason(exc))))
