"""`auditor serve` and `auditor backup`: the workbench under uvicorn, and a consistent copy of its data folder."""
from __future__ import annotations

import dataclasses
import os
import shutil
import sqlite3
import sys
from pathlib import Path

from ..i18n import _


def serve(data: Path, host: str = "127.0.0.1", port: int = 8000, certfile: Path | None = None,
          keyfile: Path | None = None, max_upload_mb: int | None = None, max_files: int | None = None,
          options=None, office: str | None = None) -> int:
    """Run the workbench until Ctrl+C; 2 (one line on stderr) when it must not start: a non-loopback address
    without accounts, or only one of the certificate and its key."""
    import uvicorn

    from . import security
    from .app import create_app
    from .store import Store
    from .uploads import Limits
    if (certfile is None) != (keyfile is None):
        print(_("give both --certfile and --keyfile, or neither"), file=sys.stderr)
        return 2
    reason = security.check_bind(host, Store(data))
    if reason:
        print(reason, file=sys.stderr)
        return 2
    limits = Limits()
    if max_files:
        limits = dataclasses.replace(limits, max_files=max_files)
    if max_upload_mb:
        limits = dataclasses.replace(limits, max_total_mb=max_upload_mb,
                                     max_file_mb=min(limits.max_file_mb, max_upload_mb))
    https = certfile is not None
    app = create_app(data, require_login=not security.is_loopback(host), https=https, limits=limits,
                     options=options, office=office)
    # on loopback no login is asked: a page elsewhere that rebinds its own name to 127.0.0.1 must not reach it
    app.state.loopback_only = security.is_loopback(host)
    shown_host = f"[{host}]" if ":" in host else host
    print(_("The review workbench runs at {url} (data in {folder}); press Ctrl+C to stop.").format(
        url=f"{'https' if https else 'http'}://{shown_host}:{port}/", folder=data), flush=True)
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", access_log=False,
                            ssl_certfile=str(certfile) if certfile else None,
                            ssl_keyfile=str(keyfile) if keyfile else None)
    uvicorn.Server(config).run()
    return 0


def backup(data: Path, dest: Path) -> int:
    """A consistent copy of the data folder in `dest` (new or empty): the database through SQLite's backup API
    (a snapshot even while the workbench writes), then the file store and the session key."""
    source_db = data / "auditor.sqlite3"
    if not source_db.is_file():
        print(_("no workbench data in {folder}").format(folder=data), file=sys.stderr)
        return 2
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        print(_("{folder} exists and is not empty; name a new folder").format(folder=dest), file=sys.stderr)
        return 2
    dest.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(source_db)
    dst = sqlite3.connect(dest / "auditor.sqlite3")
    try:
        with dst:
            src.backup(dst)
    finally:
        dst.close()
        src.close()
    files = 0
    if (data / "files").is_dir():   # stored by content hash, never changed: copied after the snapshot
        shutil.copytree(data / "files", dest / "files", ignore=shutil.ignore_patterns(".*.part"))
        files = sum(1 for p in (dest / "files").rglob("*") if p.is_file())
    key = data / "secret.key"
    if key.is_file():
        shutil.copy2(key, dest / "secret.key")
        os.chmod(dest / "secret.key", 0o600)
    print(_("backup written to {folder}: the database and {n} stored file(s)").format(folder=dest, n=files))
    return 0
