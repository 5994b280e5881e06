"""Word 97-2003 .doc and WPS .wps: converted to .docx by LibreOffice when it is installed (in a temporary
folder: the input is only read), otherwise a clear error that says how to get a readable file."""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import AuditorError
from . import Extracted, docx

CONVERT_TIMEOUT_S = 120


def extract(data: bytes, path: str, kind: str) -> Extracted:
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if not office:
        raise AuditorError("E105", path, kind=kind)
    with tempfile.TemporaryDirectory(prefix="auditor-") as tmp:
        src = Path(tmp) / ("input" + Path(path).suffix.lower())
        src.write_bytes(data)
        try:
            subprocess.run([office, "--headless", f"-env:UserInstallation=file://{tmp}/profile",
                            "--convert-to", "docx", "--outdir", tmp, str(src)],
                           capture_output=True, timeout=CONVERT_TIMEOUT_S, check=True)
            converted = (Path(tmp) / "input.docx").read_bytes()
        except (subprocess.SubprocessError, OSError) as exc:
            raise AuditorError("E114", path, reason=type(exc).__name__) from None
    result = docx.extract(converted, path)
    return Extracted(result.text, f"{kind} via LibreOffice", result.places, result.notes)
