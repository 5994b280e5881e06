"""Who may use the workbench and what a request must carry: accounts (argon2 hashes) with their roles (管理员
manages accounts and deletes, 审核员 reviews), server-side sessions (the signed cookie holds a random token, the
store its SHA-256: logout, a new password or removing the account ends them, and a copied cookie with them), a
CSRF token on every request that changes something, the login and logout pages, and the refusal to listen
beyond this computer while no account exists.

On 127.0.0.1 the workbench needs no login (`request.state.user` is None unless someone logged in); bound to
any other address it requires one, since passwords and reports then cross the office network. Every POST,
PUT, PATCH or DELETE carries the session's token in the form field `csrf_token` (`{{ csrf_input(request) }}`
in every form) or the header `X-CSRF-Token`; without it the request is refused with 403 before any route
sees it, and a request body larger than the upload limits allow is refused with 413 before it is stored.
A server on loopback sets `app.state.loopback_only`: a request naming another host (a web page that rebound
its own name to 127.0.0.1 to read the workbench, which has no login there) is refused with 400.
"""
from __future__ import annotations

import hashlib
import hmac
import ipaddress
import os
import re
import secrets
import socket
import stat
import tempfile
import time
import unicodedata
from collections import defaultdict, deque
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, quote

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from markupsafe import Markup, escape
from python_multipart.multipart import MultipartParser, parse_options_header
from sqlalchemy import delete, func, select
from starlette.concurrency import run_in_threadpool
from starlette.middleware.sessions import SessionMiddleware
from starlette.responses import HTMLResponse, RedirectResponse

from ..i18n import _
from ..shown import text as shown_text
from .activity import record
from .store import ADMIN, REVIEWER, Login, Store, User, now
from .uploads import Limits

if TYPE_CHECKING:
    from fastapi import FastAPI

SECRET_FILE = "secret.key"
COOKIE = "auditor_session"
SESSION_HOURS = 12                         # a working day; then log in again
CSRF_FIELD, CSRF_HEADER = "csrf_token", "x-csrf-token"
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
EXEMPT_PREFIXES = ("/static/",)            # assets the login page itself needs
EXEMPT_PATHS = {"/login", "/favicon.ico"}
ID_PREFIXES = {"batches", "reports"}       # /batches/{id}/…, /reports/{id}/…: the id checked before any route
MIN_PASSWORD = 10
# the most common passwords that reach the length (leaked-password lists); a longer list belongs in a file
COMMON_PASSWORDS = frozenset({"password", "12345678", "123456789", "qwerty123", "1234567890", "11111111",
                              "00000000", "abc12345", "password1", "admin123", "password123", "qwertyuiop",
                              "1q2w3e4r5t", "0123456789", "1111111111"})
MAX_NAME = 100
MAX_ID = 2**63 - 1                         # SQLite's largest integer: a larger id is no record, not an overflow
FAILURES_ALLOWED, FAILURE_WINDOW = 10, 15 * 60   # wrong passwords from one address before it must wait
FORM_SLACK = 2**20                         # multipart framing and form fields beyond the files themselves
_NAME = re.compile(r"^[^\s\x00-\x1f\x7f/\\]+$")


# --- accounts ------------------------------------------------------------------------------------------

def _hasher() -> PasswordHasher:
    return PasswordHasher()


def _check_new(name: str, password: str) -> None:
    """Refuse (ValueError, one Chinese line) a name that could pass for another on a page (control and
    direction characters such as U+202E, spaces at its ends) and a password a guesser tries first."""
    if any(unicodedata.category(c) in ("Cc", "Cf") for c in name):
        raise ValueError(_("a user name may not hold control or text-direction characters (such as U+202E)"))
    if not name or len(name) > MAX_NAME or not _NAME.match(name):
        raise ValueError(_("a user name is 1 to {n} characters without spaces or slashes").format(n=MAX_NAME))
    if not password.strip():
        raise ValueError(_("the password may not be blank or only spaces"))
    if len(password) < MIN_PASSWORD:
        raise ValueError(_("the password must have at least {n} characters").format(n=MIN_PASSWORD))
    if password.strip().lower() in COMMON_PASSWORDS:
        raise ValueError(_("the password is one of the most common passwords; choose another"))


ROLES = (ADMIN, REVIEWER)


def role_label(role: str) -> str:
    """What a page or the command line calls a role (管理员, 审核员)."""
    return {ADMIN: _("Administrator"), REVIEWER: _("Reviewer")}.get(role, role)


def _check_role(role: str | None) -> None:
    if role is not None and role not in ROLES:
        raise ValueError(_("unknown role `{role}`: use `admin` (administrator) or `reviewer`").format(role=role))


def _admins(session) -> int:
    return session.scalar(select(func.count()).select_from(User).where(User.role == ADMIN)) or 0


def add_user(store: Store, name: str, password: str, role: str | None = None, *, by: str | None = None) -> bool:
    """Create the account, or give an existing one this new password; True when created. A new password ends
    every session of the account (a copied cookie opens nothing any more). The role: the one given, else an
    existing account keeps its own, the first account is 管理员 and later ones 审核员. Each change is one row of
    the activity log, by `by` (default: the command line). A ValueError (in Chinese) says why a name, password or
    role is not accepted, or that the last 管理员 would be lost."""
    _check_new(name, password)
    _check_role(role)
    digest = _hasher().hash(password)
    by = by or cli_actor()
    with store.session() as session:
        user = session.scalars(select(User).where(User.name == name)).first()
        if user:
            if role is not None and role != user.role:
                if user.role == ADMIN and _admins(session) <= 1:
                    raise ValueError(_("{name} is the last administrator and cannot become a reviewer; make "
                                       "another account administrator first").format(name=name))
                record(session, by, "user-role-changed", "user", user.id, _("{name}: {before} → {after}").format(
                    name=name, before=role_label(user.role), after=role_label(role)))
                user.role = role
            user.password_hash = digest
            session.execute(delete(Login).where(Login.user_id == user.id))
            record(session, by, "user-password-changed", "user", user.id, name)
            return False
        if role is None:
            role = REVIEWER if session.scalar(select(func.count()).select_from(User)) else ADMIN
        user = User(name=name, password_hash=digest, role=role)
        session.add(user)
        session.flush()
        record(session, by, "user-added", "user", user.id, _("{name} ({role})").format(name=name,
                                                                                      role=role_label(role)))
        return True


def remove_user(store: Store, name: str, *, by: str | None = None) -> None:
    """Delete the account and with it every session of it; the activity log keeps its name. A ValueError (in
    Chinese) when there is no such account or it is the last 管理员."""
    with store.session() as session:
        user = session.scalars(select(User).where(User.name == name)).first()
        if user is None:
            raise ValueError(_("no account is named {name}").format(name=name))
        if user.role == ADMIN and _admins(session) <= 1:
            raise ValueError(_("{name} is the last administrator and cannot be removed; make another account "
                               "administrator first").format(name=name))
        session.execute(delete(Login).where(Login.user_id == user.id))   # the foreign key cascades too
        session.delete(user)
        record(session, by or cli_actor(), "user-removed", "user", user.id, name)


def users(store: Store) -> list[User]:
    """Every account, in the order created."""
    with store.session() as session:
        return list(session.scalars(select(User).order_by(User.id)))


def cli_actor() -> str:
    """Who the activity log names for an act of the command line: 命令行, with the computer's user name."""
    import getpass
    try:
        return _("command line ({user})").format(user=getpass.getuser())
    except (KeyError, OSError):   # no name for this uid (a container)
        return _("command line")


_DUMMY: list[str] = []


def verify(store: Store, name: str, password: str) -> bool:
    """Whether the password is this account's. An unknown name costs the same time as a wrong password, so
    the answer's timing does not tell which names exist."""
    hasher = _hasher()
    with store.session() as session:
        user = session.scalars(select(User).where(User.name == name)).first()
        if user is None:
            if not _DUMMY:
                _DUMMY.append(hasher.hash(secrets.token_hex(16)))
            try:
                hasher.verify(_DUMMY[0], password)
            except VerificationError:
                pass
            return False
        try:
            hasher.verify(user.password_hash, password)
        except (VerificationError, InvalidHashError):
            return False
        if hasher.check_needs_rehash(user.password_hash):   # parameters raised since it was hashed
            user.password_hash = hasher.hash(password)
        return True


def has_users(store: Store) -> bool:
    with store.session() as session:
        return bool(session.scalar(select(func.count()).select_from(User)))


def address(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The IP address a host string spells, in any spelling the system accepts (127.1, 0x7f.1, [::1],
    ::ffff:127.0.0.1 as its IPv4 address), or None for a name."""
    host = host.strip().strip("[]")
    try:
        found = ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        try:   # the short and numeric IPv4 forms inet_aton (and so the socket) takes
            found = ipaddress.IPv4Address(socket.inet_aton(host))
        except (OSError, ValueError):
            return None
    if isinstance(found, ipaddress.IPv6Address) and found.ipv4_mapped is not None:
        return found.ipv4_mapped
    return found


def is_loopback(host: str) -> bool:
    """Only this computer can reach the address (127.0.0.0/8, ::1 and their other spellings, localhost)."""
    if host.strip().strip("[]").rstrip(".").lower() == "localhost":
        return True
    found = address(host)
    return found is not None and found.is_loopback


def valid_id(value) -> int | None:
    """A record id as it may be stored or looked up: ASCII digits, 1 to SQLite's largest integer; else None
    (not `١`, `²`, `1_0`, ` 1` or 2**63, which int() or the database would take or choke on)."""
    if not isinstance(value, str) or not value.isascii() or not value.isdigit() or len(value) > 19:
        return None
    number = int(value)
    return number if 1 <= number <= MAX_ID else None


def check_bind(host: str, store: Store) -> str | None:
    """Why the workbench must not listen on `host` (one Chinese line), or None: any address but loopback
    needs at least one account, or anyone on the network could read and change the reviews."""
    if is_loopback(host) or has_users(store):
        return None
    return _("refusing to listen on {host}: no account exists yet, so anyone on the network could open the "
             "workbench; create one with `auditor user add NAME` (and the same --data), or listen on "
             "127.0.0.1").format(host=host)


# --- the session and its secret --------------------------------------------------------------------------

def secret_key(data_dir: Path) -> str:
    """The key that signs session cookies: kept in data_dir/secret.key (readable by its owner only), made on
    first use, so sessions outlive a restart and every data folder has its own."""
    path = Path(data_dir) / SECRET_FILE
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        if stat.S_IMODE(path.stat().st_mode) & 0o077:
            path.chmod(0o600)
        key = path.read_text(encoding="ascii").strip()
        if len(key) >= 32:
            return key
        fd = os.open(path, os.O_WRONLY | os.O_TRUNC, 0o600)   # empty or cut short: a new one
    key = secrets.token_hex(32)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(key + "\n")
    return key


LOGIN = "login"                            # the session's key for its random token; the store keeps its SHA-256
SEEN_EVERY = timedelta(minutes=1)          # seen_at written at most this often: not one write per request


@dataclass(frozen=True)
class Someone:
    """Who a live session belongs to."""
    name: str
    role: str


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def idle_since() -> datetime:
    return now() - timedelta(hours=SESSION_HOURS)


def start_session(store: Store, name: str) -> str | None:
    """A new login of the account: its random token (for the signed cookie) and a row with the token's SHA-256;
    None when the account is gone. Sessions idle too long, anyone's, are deleted on the way."""
    token = secrets.token_urlsafe(32)
    with store.session() as session:
        user_id = session.scalar(select(User.id).where(User.name == name))
        if user_id is None:
            return None
        session.execute(delete(Login).where(Login.seen_at < idle_since()))
        session.add(Login(token_hash=_digest(token), user_id=user_id))
    return token


def resolve(store: Store, token) -> Someone | None:
    """The account a cookie's token opens: its live row (not logged out, no new password since, the account not
    removed, not idle beyond SESSION_HOURS), else None. The row's seen_at follows the requests."""
    if not isinstance(token, str) or not token:
        return None
    with store.session() as session:
        found = session.execute(select(Login, User.name, User.role).join(User, Login.user_id == User.id)
                                .where(Login.token_hash == _digest(token))).first()
        if found is None:
            return None
        login, name, role = found
        if login.seen_at < idle_since():
            session.delete(login)
            return None
        if login.seen_at < now() - SEEN_EVERY:
            login.seen_at = now()
        return Someone(name, role)


def end_session(store: Store, token) -> None:
    """Logout: the row goes, so a copy of the cookie opens nothing either."""
    if isinstance(token, str) and token:
        with store.session() as session:
            session.execute(delete(Login).where(Login.token_hash == _digest(token)))


def csrf_token(request) -> str:
    """The session's CSRF token (the guard gives every session one)."""
    session = request.scope.get("session")
    if session is None:
        return ""
    if CSRF_FIELD not in session:
        session[CSRF_FIELD] = secrets.token_urlsafe(32)
    return session[CSRF_FIELD]


def csrf_input(request) -> Markup:
    """The hidden form field every form carries: `{{ csrf_input(request) }}`."""
    return Markup('<input type="hidden" name="{}" value="{}">').format(CSRF_FIELD, csrf_token(request))


JINJA_GLOBALS = {"csrf_input": csrf_input, "csrf_token": csrf_token}


# --- pages -----------------------------------------------------------------------------------------------

_PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ font-family: "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif; background: #f4f5f7;
       color: #222; margin: 0; }}
main {{ max-width: 26rem; margin: 12vh auto; background: #fff; padding: 2rem 2.2rem; border-radius: 6px;
        box-shadow: 0 1px 4px rgba(0,0,0,.12); }}
h1 {{ font-size: 1.3rem; margin: 0 0 1.2rem; }}
label {{ display: block; margin: .8rem 0 .3rem; }}
input[type=text], input[type=password] {{ width: 100%; box-sizing: border-box; padding: .5rem; font-size: 1rem; }}
button {{ margin-top: 1.2rem; padding: .5rem 1.6rem; font-size: 1rem; }}
.error {{ color: #b00020; background: #fdecee; padding: .6rem .8rem; border-radius: 4px; }}
</style></head>
<body><main>
<h1>{title}</h1>
{body}
</main></body></html>
"""


def page(title: str, body: Markup | str, status: int = 200):
    """A small page of its own (login, a refusal): it must show even where the workbench's templates fail."""
    html = _PAGE.format(title=escape(title), body=body if isinstance(body, Markup) else escape(body))
    return HTMLResponse(html, status_code=status, headers={"Cache-Control": "no-store"})


def refusal(status: int, message: str):
    """A refused request: the status and one Chinese line, with the way back."""
    body = Markup('<p class="error">{}</p><p><a href="/">{}</a></p>').format(message, _("back to the workbench"))
    return page(_("request refused"), body, status)


def _login_page(request, *, error: str = "", name: str = "", next_url: str = "/", status: int = 200):
    body = Markup(
        '<form method="post" action="/login">{csrf}'
        '<input type="hidden" name="next" value="{next}">'
        '{error}'
        '<label for="name">{name_label}</label>'
        '<input type="text" id="name" name="name" value="{name}" autocomplete="username" autofocus required>'
        '<label for="password">{password_label}</label>'
        '<input type="password" id="password" name="password" autocomplete="current-password" required>'
        '<button type="submit">{submit}</button></form>').format(
        csrf=csrf_input(request), next=next_url,
        error=Markup('<p class="error">{}</p>').format(error) if error else "",
        name_label=_("user name"), name=shown_text(name), password_label=_("password"), submit=_("log in"))
    return page(_("log in to the review workbench"), body, status)


def _safe_next(url: str | None) -> str:
    """Where to go after logging in: a path on this site only (never //host or a full address)."""
    if not url or not url.startswith("/") or url.startswith("//") or url.startswith("/\\") or "\n" in url:
        return "/"
    return url


class _Failures:
    """Wrong passwords per client address in the last window, so guessing is slow."""

    def __init__(self):
        self.times: dict[str, deque] = defaultdict(deque)

    def blocked(self, client: str) -> bool:
        times = self.times[client]
        while times and times[0] < time.monotonic() - FAILURE_WINDOW:
            times.popleft()
        return len(times) >= FAILURES_ALLOWED

    def add(self, client: str) -> None:
        self.times[client].append(time.monotonic())


# --- the guard -------------------------------------------------------------------------------------------

class Guard:
    """ASGI middleware inside the session middleware: the user in request.state, a CSRF token in every
    session, the login required where it must be, and every state-changing request checked for its token and
    its size before the application reads it."""

    def __init__(self, app, *, require_login: bool, state, store: Store):
        self.app = app
        self.require_login = require_login
        self.state = state   # the application's: limits (uploads.Limits), loopback_only (set by `auditor serve`)
        self.store = store

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        session = scope["session"]
        if CSRF_FIELD not in session:
            session[CSRF_FIELD] = secrets.token_urlsafe(32)
        user = await self._asker(scope, session)
        send = _with_headers(send, https=scope.get("scheme") == "https")
        turned_away = self._turned_away(scope, user)
        if turned_away is not None:
            return await turned_away(scope, receive, send)
        if scope["method"] not in UNSAFE_METHODS:
            return await self.app(scope, receive, send)
        await self._checked(scope, receive, send, session[CSRF_FIELD])

    async def _asker(self, scope, session) -> str | None:
        """The name of the logged-in asker, else None; request.state also gets the role and whether the asker
        may do what only a 管理员 may (where no login is required, the local user may)."""
        session.pop("user", None)   # a name kept in the cookie by an earlier version opens nothing
        token = session.get(LOGIN)
        someone = await run_in_threadpool(resolve, self.store, token) if token else None
        if token and someone is None:   # logged out, a new password, removed or idle: the token goes
            session.pop(LOGIN, None)
        role = someone.role if someone else None
        scope.setdefault("state", {}).update(user=someone.name if someone else None, role=role,
                                             admin=not self.require_login or role == ADMIN)
        return someone.name if someone else None

    def _turned_away(self, scope, user):
        """The answer to a request that may not reach the application at all (another host's name on a
        loopback-only server, no login where one is required), else None."""
        if getattr(self.state, "loopback_only", False) and not is_loopback(_hostname(scope)):
            return refusal(400, _("this workbench serves this computer only: open it at 127.0.0.1 (the "
                                  "request named {host})").format(host=_hostname(scope)))
        path = scope["path"]
        exempt = path in EXEMPT_PATHS or path.startswith(EXEMPT_PREFIXES)
        if self.require_login and not user and not exempt:
            target = path + ("?" + scope["query_string"].decode("latin-1") if scope.get("query_string") else "")
            return RedirectResponse("/login?next=" + quote(target, safe="/"), status_code=303)
        parts = path.split("/")
        if len(parts) > 2 and parts[1] in ID_PREFIXES and valid_id(parts[2]) is None:
            return self._no_such_record(scope)
        return None

    def _no_such_record(self, scope):
        """The workbench's own not-found page for an id no record can have (`١`, `²`, 2**63): answered here,
        so no route reads it as 1 or hands the database a number it cannot hold."""
        workbench = getattr(self.state, "workbench", None)
        if workbench is None:
            return refusal(404, _("no such page: the address names no record (a record number is 1 or more, "
                                  "in ASCII digits)"))
        from starlette.requests import Request

        from .words import words
        w = words()
        return workbench.page(Request(scope), "error.html", 404, title=w["not_found"], detail=w["not_found_text"])

    async def _checked(self, scope, receive, send, expected: str):
        """A state-changing request: refused when its body is too large or carries no valid CSRF token (in
        the X-CSRF-Token header or the form), else passed on with its body replayed from a spool."""
        limit = self._body_limit()
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            return await self._too_large(scope, receive, send, limit)
        given = headers.get(CSRF_HEADER)
        reader = _TokenReader(headers.get("content-type", "")) if given is None else None
        with tempfile.SpooledTemporaryFile(max_size=8 * 2**20) as spool:
            spooled = await _spool(receive, spool, limit, reader)
            if spooled == "disconnect":
                return
            if spooled == "too large":
                return await self._too_large(scope, receive, send, limit)
            if reader:
                given = reader.token()
            if not given or not hmac.compare_digest(given.encode(), expected.encode()):
                return await refusal(403, _("the form carries no valid security token (CSRF); it may be from "
                                            "another site or an expired page: go back, reload the page and try "
                                            "again"))(scope, receive, send)
            spool.seek(0)
            await self.app(scope, _replay(spool, receive), send)

    def limits(self) -> Limits:
        return getattr(self.state, "limits", None) or Limits()

    def _body_limit(self) -> int:
        return self.limits().max_total_mb * 2**20 + FORM_SLACK

    async def _too_large(self, scope, receive, send, limit):
        response = refusal(413, _("the upload is larger than {limit} MB in all; send it as several batches").format(
            limit=self.limits().max_total_mb))
        response.headers["Connection"] = "close"
        await response(scope, receive, send)


async def _spool(receive, spool, limit: int, reader: _TokenReader | None) -> str:
    """The request body into the spool (and past the token reader): "done", "too large" as soon as it passes
    the limit, or "disconnect" when the client went away."""
    size, more = 0, True
    while more:
        message = await receive()
        if message["type"] == "http.disconnect":
            return "disconnect"
        chunk = message.get("body", b"")
        more = message.get("more_body", False)
        size += len(chunk)
        if size > limit:
            return "too large"
        spool.write(chunk)
        if reader:
            reader.feed(chunk)
    return "done"


def _hostname(scope) -> str:
    """The host a request names in its Host header, without the port."""
    host = next((v.decode("latin-1") for k, v in scope["headers"] if k.lower() == b"host"), "")
    if host.startswith("["):
        return host[1:].split("]", 1)[0]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def _with_headers(send, https: bool = False):
    """Every response says: no framing by other sites, no type sniffing, no address leaked to other sites; over
    HTTPS (directly or through the proxy named), that the browser must come back over HTTPS only (HSTS)."""
    wanted = [(b"x-frame-options", b"DENY"), (b"x-content-type-options", b"nosniff"),
              (b"referrer-policy", b"same-origin")]
    if https:
        wanted.append((b"strict-transport-security", b"max-age=31536000"))

    async def wrapped(message):
        if message["type"] == "http.response.start":
            headers = list(message.get("headers", []))
            present = {k.lower() for k, _v in headers}
            for key, value in wanted:
                if key not in present:
                    headers.append((key, value))
            message = {**message, "headers": headers}
        await send(message)
    return wrapped


def _replay(spool, receive):
    """The request body again, from the spool, in pieces; then the client's own messages (a disconnect)."""
    done = False

    async def replayed():
        nonlocal done
        if done:
            return await receive()
        chunk = spool.read(2**20)
        if len(chunk) < 2**20:
            done = True
        return {"type": "http.request", "body": chunk, "more_body": not done}
    return replayed


class _TokenReader:
    """The csrf_token field of a form body, read while it streams by (url-encoded or multipart) without
    keeping the rest."""

    def __init__(self, content_type: str):
        kind, options = parse_options_header(content_type)
        self.kind = kind
        self.body = bytearray()
        self.found: list[bytes] = []
        self.parser = None
        if kind == b"multipart/form-data" and options.get(b"boundary"):
            self.part: dict = {}
            callbacks = {"on_part_begin": self._begin, "on_header_field": self._field,
                         "on_header_value": self._value, "on_header_end": self._header_end,
                         "on_part_data": self._data, "on_part_end": self._end}
            self.parser = MultipartParser(options[b"boundary"], callbacks)
        self.failed = False

    def feed(self, chunk: bytes) -> None:
        if self.failed or self.found:   # the token is all it wants: what follows is the route's to read
            return
        if self.parser is not None:
            try:
                self.parser.write(chunk)
            except Exception:   # noqa: BLE001 - a malformed body carries no token; the route will say more
                self.failed = True
        elif self.kind == b"application/x-www-form-urlencoded" and len(self.body) < 2**20:
            self.body += chunk

    def token(self) -> str | None:
        if self.parser is None:
            values = parse_qs(bytes(self.body).decode("latin-1")).get(CSRF_FIELD)
            return values[0] if values else None
        # found before anything failed (a part header over the parser's 4 KB, such as a very long file name):
        # the token stands, and the route's own parser says what is wrong with the rest
        return self.found[0].decode("latin-1") if self.found else None

    # multipart callbacks
    def _begin(self):
        self.part = {"field": b"", "value": b"", "name": None, "data": bytearray()}

    def _field(self, data, start, end):
        self.part["field"] += data[start:end]

    def _value(self, data, start, end):
        self.part["value"] += data[start:end]

    def _header_end(self):
        if self.part["field"].lower() == b"content-disposition":
            self.part["name"] = parse_options_header(self.part["value"])[1].get(b"name")
        self.part["field"], self.part["value"] = b"", b""

    def _data(self, data, start, end):
        if self.part.get("name") == CSRF_FIELD.encode() and len(self.part["data"]) < 256:
            self.part["data"] += data[start:end]

    def _end(self):
        if self.part.get("name") == CSRF_FIELD.encode():
            self.found.append(bytes(self.part["data"]))


# --- installing it ---------------------------------------------------------------------------------------

def install(app: FastAPI, store: Store, *, require_login: bool, https: bool) -> None:
    """Sessions, the guard and the login and logout routes on `app`; csrf_input and csrf_token as template
    globals of app.state.templates where the app keeps its templates there."""
    failures = _Failures()
    # added innermost first: the session is read before the guard runs
    app.add_middleware(Guard, require_login=require_login, state=app.state, store=store)
    app.add_middleware(SessionMiddleware, secret_key=secret_key(store.data_dir), session_cookie=COOKIE,
                       max_age=SESSION_HOURS * 3600, same_site="lax", https_only=https)
    templates = getattr(app.state, "templates", None)
    if templates is not None:
        templates.env.globals.update(JINJA_GLOBALS)

    async def login_form(request):
        if request.state.user:
            return RedirectResponse(_safe_next(request.query_params.get("next")), status_code=303)
        return _login_page(request, next_url=_safe_next(request.query_params.get("next")))

    async def login(request):
        form = await request.form()
        name, password = str(form.get("name", "")).strip(), str(form.get("password", ""))
        next_url = _safe_next(str(form.get("next", "")))
        client = request.client.host if request.client else ""
        if failures.blocked(client):
            return _login_page(request, error=_("too many wrong passwords from this computer; wait a quarter of an "
                                                "hour and try again"), name=name, next_url=next_url, status=429)
        if not name or not password or not verify(store, name, password):
            failures.add(client)
            return _login_page(request, error=_("wrong user name or password"), name=name, next_url=next_url,
                               status=401)
        login_token = await run_in_threadpool(start_session, store, name)
        if login_token is None:   # removed between the check and now
            return _login_page(request, error=_("wrong user name or password"), name=name, next_url=next_url,
                               status=401)
        end_session(store, request.session.get(LOGIN))   # a login over another one ends that one
        request.session.clear()   # a fresh session and token: nothing from before the login carries over
        request.session.update({LOGIN: login_token, CSRF_FIELD: secrets.token_urlsafe(32)})
        return RedirectResponse(next_url, status_code=303)

    async def logout_form(request):
        body = Markup('<form method="post" action="/logout">{}<button type="submit">{}</button></form>').format(
            csrf_input(request), _("log out"))
        return page(_("log out"), body)

    async def logout(request):
        await run_in_threadpool(end_session, store, request.session.get(LOGIN))
        request.session.clear()
        return RedirectResponse("/login" if require_login else "/", status_code=303)

    app.add_route("/login", login_form, methods=["GET"], include_in_schema=False)
    app.add_route("/login", login, methods=["POST"], include_in_schema=False)
    app.add_route("/logout", logout_form, methods=["GET"], include_in_schema=False)
    app.add_route("/logout", logout, methods=["POST"], include_in_schema=False)
