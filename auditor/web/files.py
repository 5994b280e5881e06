"""The file store: uploaded bytes kept under data_dir/files by their SHA-256, never under the uploaded name
(a name can hold anything; two offices may send the same name). The suffix of a report type is kept, since the
reader tells .txt from .docx by it where the content does not."""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

from ..read import REPORT_SUFFIXES


def suffix(name: str) -> str:
    """The uploaded name's suffix when it is one the reader knows, else none."""
    s = Path(name).suffix.lower()
    return s if s in REPORT_SUFFIXES else ""


def path_for(data_dir: Path, digest: str, name: str) -> Path:
    return Path(data_dir) / "files" / digest[:2] / f"{digest}{suffix(name)}"


def save(data_dir: Path, name: str, data: bytes) -> tuple[str, int]:
    """Store the bytes (once per content and suffix); their hash and size."""
    digest = hashlib.sha256(data).hexdigest()
    target = path_for(data_dir, digest, name)
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.{os.getpid()}.part")
        partial.write_bytes(data)
        os.replace(partial, target)   # whole or absent: two uploads of the same file never see half of it
    return digest, len(data)
