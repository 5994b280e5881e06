"""`auditor serve` and `auditor backup`: the workbench under uvicorn, and a consistent copy of its data folder."""
from __future__ import annotations

import dataclasses
import os
import shutil
import socket
import sqlite3
import sys
from pathlib import Path

from ..i18n import _


def serve(data: Path, host: str = "127.0.0.1", port: int = 8000, certfile: Path | None = None,
          keyfile: Path | None = None, max_upload_mb: int | None = None, max_files: int | None = None,
          options=None, office: str | None = None, forwarded_allow_ips: str | None = None) -> int:
    """Run the workbench until Ctrl+C; 2 (one line on stderr) when it must not start: a non-loopback address
    without accounts, only one of the certificate and its key, or an address it cannot listen on (said before
    anything says it started). `forwarded_allow_ips`: the proxies whose X-Forwarded-For is believed (none by
    default, not even this computer: any local program could name any address and escape the login limit)."""
    import uvicorn

    from . import security
    from .app import create_app
    from .store import Store
    from .uploads import Limits
    if (certfile is None) != (keyfile is None):
        print(_("give both --certfile and --keyfile, or neither"), file=sys.stderr)
        return 2
    # behind a proxy people reach the workbench from elsewhere even when it listens on 127.0.0.1: accounts
    proxied = bool((forwarded_allow_ips or "").strip())
    local = security.is_loopback(host) and not proxied
    store = Store(data)
    reason = security.check_bind(host, store)
    if proxied and not security.has_users(store):
        reason = _("refusing to serve behind a proxy (--forwarded-allow-ips): no account exists yet, so anyone "
                   "reaching the proxy could open the workbench; create one with `auditor user add NAME` (and the "
                   "same --data)")
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
    app = create_app(data, require_login=not local, https=https, limits=limits, options=options, office=office)
    # on loopback no login is asked: a page elsewhere that rebinds its own name to 127.0.0.1 must not reach it
    app.state.loopback_only = local
    try:
        sock = listening_socket(host, port)
    except OSError as exc:
        from ..errors import AuditorError, os_reason
        print(AuditorError("E301", reason=_("cannot listen on {host} port {port}: {reason}").format(
            host=host, port=port, reason=os_reason(exc))).format(), file=sys.stderr)
        return 2
    if not local and not https and not proxied:
        print(_("warning: accounts over plain HTTP: passwords and sessions cross the network readable; give "
                "--certfile and --keyfile, or serve behind an HTTPS proxy (--forwarded-allow-ips)"), file=sys.stderr)
    shown_host = f"[{host}]" if ":" in host else host
    print(_("The review workbench runs at {url} (data in {folder}); press Ctrl+C to stop.").format(
        url=f"{'https' if https else 'http'}://{shown_host}:{port}/", folder=data), flush=True)
    config = uvicorn.Config(app, log_level="warning", access_log=False,
                            ssl_certfile=str(certfile) if certfile else None,
                            ssl_keyfile=str(keyfile) if keyfile else None, **proxy_settings(forwarded_allow_ips))
    _few_arenas()
    import gc
    gc.collect()
    gc.freeze()   # the rules, model and templates loaded at start are never garbage: not scanned again per request
    with sock:
        uvicorn.Server(config).run(sockets=[sock])
    return 0


def _few_arenas() -> None:
    """glibc's malloc keeps an arena per thread that served a request and rarely gives it back: two arenas keep a
    server that served a busy hour near its resting size (the benchmark's 272 MB after idle was mostly this)."""
    import ctypes
    import ctypes.util
    try:
        ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").mallopt(-8, 2)   # M_ARENA_MAX
    except (OSError, AttributeError):
        pass


def proxy_settings(forwarded_allow_ips: str | None) -> dict:
    """uvicorn's proxy settings: X-Forwarded-For and -Proto read only from the proxies named (uvicorn would
    otherwise believe them from 127.0.0.1, or from FORWARDED_ALLOW_IPS in the environment)."""
    allowed = (forwarded_allow_ips or "").strip()
    return {"proxy_headers": bool(allowed), "forwarded_allow_ips": allowed or "127.0.0.1"}


def listening_socket(host: str, port: int) -> socket.socket:
    """A socket bound and listening on host:port, the address read as `security.address` reads it (127.1 is
    127.0.0.1, ::ffff:127.0.0.1 its IPv4 address); an OSError when it cannot be had."""
    from .security import address
    found = address(host)
    name = str(found) if found is not None else host.strip().strip("[]")
    family = socket.AF_INET6 if ":" in name else socket.AF_INET   # as uvicorn binds: a name as IPv4
    family, kind, proto, _canon, where = socket.getaddrinfo(name, port, family, socket.SOCK_STREAM,
                                                            flags=socket.AI_PASSIVE)[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(where)
        sock.listen(2048)
        sock.set_inheritable(True)
    except OSError:
        sock.close()
        raise
    return sock


BACKUP_TRIES = 5


def backup(data: Path, dest: Path) -> int:
    """A consistent copy of the data folder in `dest` (new or empty): a snapshot of the database through SQLite's
    backup API (whole even while the workbench writes), every file that snapshot lists copied and checked against
    its SHA-256 name, and the session key. A file deleted between the snapshot and its copy means a newer
    snapshot is taken (up to BACKUP_TRIES); a backup that still lacks a file says so and exits 1, never calls
    itself complete. The activity log is in the database, so it is kept too."""
    source_db = data / "auditor.sqlite3"
    if not source_db.is_file():
        print(_("no workbench data in {folder}").format(folder=data), file=sys.stderr)
        return 2
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        print(_("{folder} exists and is not empty; name a new folder").format(folder=dest), file=sys.stderr)
        return 2
    dest.mkdir(parents=True, exist_ok=True)
    missing: list[str] = []
    for _try in range(BACKUP_TRIES):
        _snapshot(source_db, dest / "auditor.sqlite3")
        listed = _listed_files(dest / "auditor.sqlite3")
        missing = [name for name in listed if not _copy_checked(data, dest, name)]
        if not missing:
            break
    key = data / "secret.key"
    if key.is_file():
        shutil.copy2(key, dest / "secret.key")
        os.chmod(dest / "secret.key", 0o600)
    if missing:
        print(_("the backup in {folder} is NOT complete: {n} file(s) the database lists are missing from "
                "the data folder or damaged (first: {name})").format(folder=dest, n=len(missing), name=missing[0]),
              file=sys.stderr)
        return 1
    print(_("backup written to {folder}: the database and {n} stored file(s)").format(folder=dest, n=len(listed)))
    return 0


def _snapshot(source_db: Path, target: Path) -> None:
    src = sqlite3.connect(source_db)
    dst = sqlite3.connect(target)
    try:
        with dst:
            src.backup(dst)
    finally:
        dst.close()
        src.close()


def _listed_files(db: Path) -> set[str]:
    """The stored files' relative paths (files/ab/abcd….docx) the database refers to."""
    from .files import path_for
    connection = sqlite3.connect(db)
    try:
        rows = connection.execute("SELECT hash, original_name FROM files").fetchall()
    finally:
        connection.close()
    return {str(path_for(Path(), digest, name)) for digest, name in rows}


def _copy_checked(data: Path, dest: Path, relative: str) -> bool:
    """The stored file copied (once) and its bytes checked against the hash it is named by; False when it is
    not in the data folder."""
    import hashlib
    target = dest / relative
    if target.is_file():
        return True
    source = data / relative
    try:
        payload = source.read_bytes()
    except FileNotFoundError:
        return False
    if hashlib.sha256(payload).hexdigest() != Path(relative).name.split(".")[0]:
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(payload)
    return True
