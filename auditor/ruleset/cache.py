"""Validated rules kept between runs: parsing YAML is most of a cold start. Keyed by the bytes of every file
read and of the code that reads them, so a changed file (or auditor) simply misses the cache."""
from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from pathlib import Path

import platformdirs

from ..errors import AuditorError
from ..read import read_limited
from .yaml_files import MAX_SETTINGS_BYTES

CACHE_ENV = "AUDITOR_CACHE"   # a folder for validated rules, or "off"



# the code that turns the files into objects: a change to it is a change to what the cache holds
_CODE = [Path(__file__).parent.parent / "rule_schema.py", Path(__file__).parent.parent / "scoring.py",
         *sorted(Path(__file__).parent.glob("*.py"))]


def fingerprint(directory: Path, files: list[Path], salt: bytes = b"rules") -> str | None:
    """A hash of the rule files and of the code that turns them into Rule objects; None when unreadable."""
    digest = hashlib.sha256(salt + b"\0" + str(directory).encode())
    try:
        for source in _CODE:
            digest.update(source.read_bytes())
        for f in files:
            digest.update(str(f).encode() + b"\0" + read_limited(f, MAX_SETTINGS_BYTES))
    except (OSError, AuditorError):
        return None   # the careful path reports what is wrong
    return digest.hexdigest()


def cache_dir() -> Path | None:
    chosen = os.environ.get(CACHE_ENV)
    if chosen == "off":
        return None
    if chosen:
        return Path(chosen)
    return Path(platformdirs.user_cache_dir("auditor")) / "rules"


def cached(key: str | None, build):
    """What `build` returns, from the cache when `key` is there; stored after a successful build."""
    folder = cache_dir()
    if key is None or folder is None:
        return build()
    try:
        return pickle.loads((folder / f"{key}.pickle").read_bytes())
    except Exception:   # noqa: BLE001 - missing, stale or damaged: read the files instead
        pass
    value = build()
    data, tmp = pickle.dumps(value), None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, folder / f"{key}.pickle")
    except OSError:   # a read-only home or a full disk: no cache, the next run parses again
        if tmp:
            Path(tmp).unlink(missing_ok=True)
    return value
