"""Accounts, addresses and ids of the workbench (issue 22: findings 7, 8, 10 and 16): weak passwords and names
that pass for others refused by `auditor user add`; loopback in every spelling; a bind failure said in one line
before anything says the server started; ids checked before anything is stored or looked up; X-Forwarded-For
believed only from the proxies `--forwarded-allow-ips` names."""
from __future__ import annotations

import os
import re
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

import pytest
from fastapi.testclient import TestClient

from auditor import i18n
from auditor.web import security, serve
from auditor.web.routes import records
from auditor.web.store import Store

from .conftest import AUDITOR
from .test_web_security import NAME, PASSWORD, TOKEN, new_batch, stored, workbench_app

pytestmark = pytest.mark.usefixtures("chinese")   # pages and files as people read them


@pytest.fixture
def store(tmp_path) -> Store:
    return Store(tmp_path / "data")


def user_add(data, name: str, password: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(AUDITOR), "user", "add", name, "--data", str(data), "--password-stdin"],
                          input=password + "\n", capture_output=True, text=True, timeout=60)


# --- 8: passwords and names ------------------------------------------------------------------------------------

@pytest.mark.parametrize("password, says", [
    (" " * 12, "密码不得为空或只含空格"), ("\t" * 10, "密码不得为空或只含空格"), ("", "密码不得为空或只含空格"),
    ("password", "密码至少需要 10 个字符"), ("12345678", "密码至少需要 10 个字符"),
    ("short-pw9", "密码至少需要 10 个字符"),
    ("1234567890", "该密码属于最常见的密码"), ("Password123", "该密码属于最常见的密码"),
    ("qwertyuiop", "该密码属于最常见的密码")])
def test_a_weak_password_is_refused_in_chinese(store, password, says):
    with pytest.raises(ValueError, match=says):
        security.add_user(store, "li", password)
    assert not security.has_users(store)


@pytest.mark.parametrize("name", ["admin\u202e", "\u202eadmin", "ad\u200bmin", "ad\u2066min", "ad\x85min",
                                  "ad\x7fmin", "\ufeffadmin"])
def test_a_name_with_control_or_direction_characters_is_refused(store, name):
    with pytest.raises(ValueError, match="用户名不得包含控制字符或文字方向字符"):
        security.add_user(store, name, PASSWORD)
    assert not security.has_users(store)


@pytest.mark.parametrize("name", [" 张三", "张三 ", "张三\u3000", "\u00a0张三"])
def test_a_name_with_spaces_at_its_ends_is_refused(store, name):
    with pytest.raises(ValueError, match="用户名"):
        security.add_user(store, name, PASSWORD)
    assert not security.has_users(store)


def test_user_add_refuses_weak_passwords_and_bidi_names_with_one_line_and_exit_2(tmp_path):
    data = tmp_path / "data"
    for name, password, line in [("li", " " * 10, "[E301] 密码不得为空或只含空格\n"),
                                 ("li", "12345678", "[E301] 密码至少需要 10 个字符\n"),
                                 ("li", "password123", "[E301] 该密码属于最常见的密码，请另选一个\n"),
                                 ("li\u202e", PASSWORD, "[E301] 用户名不得包含控制字符或文字方向字符（如 U+202E）\n")]:
        run = user_add(data, name, password)
        assert (run.returncode, run.stdout, run.stderr) == (2, "", line), (name, password)
    assert not security.has_users(Store(data))
    good = user_add(data, NAME, PASSWORD)
    assert good.returncode == 0, good.stderr


# --- 10: loopback in every spelling, and a bind failure in one line -------------------------------------------

@pytest.mark.parametrize("host", ["127.0.0.1", "127.1", "127.0.1.1", "0x7f.1", "::1", "[::1]",
                                  "::ffff:127.0.0.1", "[::ffff:127.0.0.1]", "0:0:0:0:0:0:0:1", "localhost",
                                  "LOCALHOST"])
def test_every_spelling_of_loopback_is_loopback(store, host):
    assert security.is_loopback(host)
    assert security.check_bind(host, store) is None


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "10.0.0.1", "10.1", "::ffff:10.0.0.1", "192.168.1.20",
                                  "office-pc", "127.0.0.1.example.com", ""])
def test_other_addresses_are_not_loopback(store, host):
    assert not security.is_loopback(host)
    assert security.check_bind(host, store)


@pytest.mark.parametrize("host, bound", [("127.1", "127.0.0.1"), ("::ffff:127.0.0.1", "127.0.0.1"),
                                         ("127.0.0.1", "127.0.0.1"), ("localhost", "127.0.0.1")])
def test_the_server_listens_on_the_address_the_spelling_means(host, bound):
    with serve.listening_socket(host, 0) as sock:
        assert sock.getsockname()[0] == bound


def test_a_bind_failure_is_one_line_and_nothing_says_started(store, capsys):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        code = serve.serve(store.data_dir, "::ffff:127.0.0.1", port)
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert err.startswith(f"[E301] 无法在 ::ffff:127.0.0.1 的 {port} 端口上监听：") and err.count("\n") == 1


# --- 16: ids checked before anything is stored or looked up -------------------------------------------------------

@pytest.mark.parametrize("value, number", [("1", 1), ("42", 42), (str(2**63 - 1), 2**63 - 1), ("١", 0), ("²", 0),
                                           ("1_0", 0), (" 1", 0), ("+1", 0), ("0", 0), (str(2**63), 0),
                                           ("9" * 400, 0), ("", 0), (None, 0), ("１", 0)])
def test_a_form_id_is_ascii_digits_within_sqlites_range(value, number):
    assert records.form_id(value) == number


@pytest.fixture
def loopback(store):
    return TestClient(workbench_app(store, require_login=False), raise_server_exceptions=False)


@pytest.mark.parametrize("path", ["/batches/١", "/batches/²", f"/batches/{2**63}", f"/batches/{2**63}/progress",
                                  "/batches/1_0", "/batches/%201", "/batches/0", f"/reports/{2**63}",
                                  "/reports/١", f"/reports/{2**64}/letter.docx", f"/batches/{2**63}/export.xlsx",
                                  "/reports/²/review.docx"])
def test_a_bad_id_in_the_address_is_a_chinese_404_never_a_500(loopback, path):
    page = loopback.get(path)
    assert page.status_code == 404 and "没有这个页面、批次或报告。" in page.text


def test_a_bad_id_posted_to_the_address_is_refused_before_the_route(loopback):
    token = TOKEN.search(loopback.get("/").text).group(1)
    for path in (f"/batches/{2**63}/delete", "/batches/١/reaudit", f"/reports/{2**63}/review"):
        answer = loopback.post(path, data={"csrf_token": token}, follow_redirects=False)
        assert answer.status_code == 404 and "没有这个页面、批次或报告。" in answer.text, path


@pytest.mark.parametrize("earlier", ["²", "١", str(2**63), "9" * 30])
def test_an_upload_naming_a_bad_earlier_batch_is_stored_unlinked_not_a_500(store, loopback, earlier):
    token = TOKEN.search(loopback.get("/").text).group(1)
    first = new_batch(loopback, data={"csrf_token": token})
    assert first.status_code == 303
    second = new_batch(loopback, data={"csrf_token": token, "earlier": earlier})
    assert second.status_code == 303, second.text[:300]
    from sqlalchemy import select

    from auditor.web.store import BatchLink
    with store.session() as s:
        assert list(s.scalars(select(BatchLink))) == []   # `١` is not batch 1
    assert len(stored(store)) == 2


# --- 7: proxy headers only from the proxy named -------------------------------------------------------------------

def test_proxy_headers_are_believed_only_from_the_proxies_named():
    assert serve.proxy_settings(None)["proxy_headers"] is False
    assert serve.proxy_settings("  ")["proxy_headers"] is False
    assert serve.proxy_settings("10.0.0.5") == {"proxy_headers": True, "forwarded_allow_ips": "10.0.0.5"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _running(args, port):
    env = {**os.environ, "FORWARDED_ALLOW_IPS": "*"}   # not even the environment makes uvicorn believe them
    proc = subprocess.Popen([str(AUDITOR), "serve", "--port", str(port), *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=2)
            return proc
        except (urllib.error.URLError, ConnectionError):
            if proc.poll() is not None:
                raise AssertionError(proc.stderr.read())
            time.sleep(0.3)
    proc.kill()
    raise AssertionError("the workbench did not start")


def _guesses(port: int, tries: int) -> list[int]:
    """Wrong passwords from this computer, each naming another address in X-Forwarded-For."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    page = opener.open(f"http://127.0.0.1:{port}/login", timeout=10).read().decode()
    token = TOKEN.search(page).group(1)
    statuses = []
    for i in range(tries):
        body = urllib.parse.urlencode({"name": NAME, "password": f"wrong-{i}", "csrf_token": token}).encode()
        request = urllib.request.Request(f"http://127.0.0.1:{port}/login", data=body,
                                         headers={"X-Forwarded-For": f"203.0.113.{i + 1}"})
        try:
            statuses.append(opener.open(request, timeout=10).status)
        except urllib.error.HTTPError as exc:
            statuses.append(exc.code)
    return statuses


def test_a_forged_forwarded_for_from_loopback_does_not_escape_the_login_limit(tmp_path):
    data = tmp_path / "data"
    assert user_add(data, NAME, PASSWORD).returncode == 0
    port = _free_port()
    proc = _running(["--data", str(data)], port)
    try:
        statuses = _guesses(port, security.FAILURES_ALLOWED + 1)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    assert statuses == [401] * security.FAILURES_ALLOWED + [429]


def test_forwarded_for_is_believed_from_the_proxy_named(tmp_path):
    data = tmp_path / "data"
    assert user_add(data, NAME, PASSWORD).returncode == 0
    port = _free_port()
    proc = _running(["--data", str(data), "--forwarded-allow-ips", "127.0.0.1"], port)
    try:
        statuses = _guesses(port, security.FAILURES_ALLOWED + 1)   # each from another client behind the proxy
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    assert statuses == [401] * (security.FAILURES_ALLOWED + 1)


# --- 5 and 6: roles, the activity log, sessions kept by the server -----------------------------------------------

REVIEWER_NAME = "王审核"


@pytest.fixture
def quick(monkeypatch):
    """argon2id at its smallest cost for accounts made in this process (the command runs with its own)."""
    from argon2 import PasswordHasher
    monkeypatch.setattr(security, "_hasher", lambda: PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture
def office(store, quick):
    """An office's accounts: the first (管理员) and a second (审核员 by default)."""
    assert security.add_user(store, NAME, PASSWORD) is True
    assert security.add_user(store, REVIEWER_NAME, PASSWORD) is True
    return store


def client_of(store, name: str = NAME) -> TestClient:
    from .test_web_security import log_in
    client = TestClient(workbench_app(store), raise_server_exceptions=False)
    assert log_in(client, name=name).status_code == 303
    return client


def copy_of(client: TestClient) -> TestClient:
    """Another browser holding a copy of the client's session cookie (as someone who copied it would)."""
    other = TestClient(client.app, raise_server_exceptions=False)
    other.cookies.set(security.COOKIE, client.cookies[security.COOKIE])
    return other


def logged_in_as(client: TestClient) -> str | None:
    page = client.get("/", follow_redirects=False)
    if page.status_code == 303:
        assert page.headers["location"].startswith("/login")
        return None
    from .test_web_security import who
    return who(page)


def sessions(store) -> list:
    from sqlalchemy import select

    from auditor.web.store import Login
    with store.session() as s:
        return list(s.scalars(select(Login)))


def acts(store) -> list[tuple[str, str, str, str]]:
    """(user, action, target, detail) of the activity log, oldest first."""
    from sqlalchemy import select

    from auditor.web.store import Activity
    with store.session() as s:
        return [(a.user, a.action, a.target, a.detail) for a in s.scalars(select(Activity).order_by(Activity.id))]


def table_cells(page) -> list[list[str]]:
    """The cells of every row of a page's table, as the HTML holds them."""
    return [[c.strip() for c in re.split(r"</td>\s*<td>", row)]
            for row in re.findall(r"<tr><td>(.*?)</td></tr>", page.text, re.S)]


def idle(store, how_long) -> None:
    """Every session last seen `how_long` ago."""
    from auditor.web.store import Login, now
    with store.session() as s:
        for row in s.query(Login):
            row.seen_at = now() - how_long


def user_cli(data, *args: str, password: str | None = None) -> subprocess.CompletedProcess:
    extra = ["--password-stdin"] if password is not None else []
    return subprocess.run([str(AUDITOR), "user", *args, "--data", str(data), *extra],
                          input=None if password is None else password + "\n", capture_output=True, text=True,
                          timeout=60)


def test_the_cookie_holds_a_random_token_whose_sha256_alone_the_store_keeps(office):
    import base64
    import hashlib
    import json
    client = client_of(office)
    payload = client.cookies[security.COOKIE].split(".", 1)[0]
    held = json.loads(base64.b64decode(payload + "=" * (-len(payload) % 4)))
    assert set(held) == {"csrf_token", security.LOGIN} and NAME not in json.dumps(held, ensure_ascii=False)
    [row] = sessions(office)
    assert row.token_hash == hashlib.sha256(held[security.LOGIN].encode()).hexdigest()
    assert held[security.LOGIN] not in row.token_hash


def test_a_copied_cookie_stops_working_after_logout(office):
    from .test_web_security import token
    client = client_of(office)
    copied = copy_of(client)
    assert logged_in_as(copied) == NAME   # the copy works while the session lives
    out = client.post("/logout", data={"csrf_token": token(client, "/")}, follow_redirects=False)
    assert out.status_code == 303
    assert logged_in_as(copied) is None and logged_in_as(client) is None
    assert sessions(office) == []


def test_a_new_password_from_user_add_ends_every_session_of_the_account(office):
    mine, theirs = client_of(office), client_of(office, REVIEWER_NAME)
    copied = copy_of(mine)
    run = user_cli(office.data_dir, "add", NAME, password="another-long-password")
    assert run.returncode == 0, run.stderr
    assert logged_in_as(mine) is None and logged_in_as(copied) is None
    assert logged_in_as(theirs) == REVIEWER_NAME   # another account's session stays
    from .test_web_security import log_in
    fresh = TestClient(workbench_app(office))
    assert log_in(fresh, password=PASSWORD).status_code == 401
    assert log_in(fresh, password="another-long-password").status_code == 303
    assert security.users(office)[0].role == "admin"   # the role kept
    assert acts(office)[-1][1:] == ("user-password-changed", "user", NAME)
    assert acts(office)[-1][0].startswith("命令行")


def test_removing_an_account_ends_its_sessions(office):
    theirs = client_of(office, REVIEWER_NAME)
    copied = copy_of(theirs)
    assert len(sessions(office)) == 1
    run = user_cli(office.data_dir, "remove", REVIEWER_NAME)
    assert (run.returncode, run.stderr) == (0, ""), run.stderr
    assert run.stdout == f"已从 {office.data_dir} 中删除账户 {REVIEWER_NAME}\n"
    assert logged_in_as(theirs) is None and logged_in_as(copied) is None
    assert sessions(office) == [] and [u.name for u in security.users(office)] == [NAME]
    assert acts(office)[-1][1:] == ("user-removed", "user", REVIEWER_NAME)


def test_removing_an_account_cascades_to_its_sessions_in_the_database(office):
    """The foreign key's cascade alone (no code deleting the rows) ends the sessions of a removed account."""
    from sqlalchemy import delete

    from auditor.web.store import User
    client_of(office, REVIEWER_NAME)
    with office.session() as s:
        s.execute(delete(User).where(User.name == REVIEWER_NAME))
    assert sessions(office) == []


def test_a_session_idle_beyond_the_working_day_has_expired(office):
    from datetime import timedelta

    client = client_of(office)
    assert logged_in_as(client) == NAME
    idle(office, timedelta(hours=security.SESSION_HOURS, minutes=1))
    assert logged_in_as(client) is None
    assert sessions(office) == []


def test_a_used_session_stays_alive_and_its_seen_at_follows(office):
    from datetime import timedelta

    client = client_of(office)
    idle(office, timedelta(hours=security.SESSION_HOURS - 1))   # most of a working day: alive, and seen now
    assert logged_in_as(client) == NAME
    [row] = sessions(office)
    from auditor.web.store import now
    assert now() - row.seen_at < timedelta(minutes=1)


def test_the_first_account_is_admin_and_later_ones_reviewers(store, quick):
    assert security.add_user(store, "first-admin", PASSWORD) is True
    assert security.add_user(store, "second", PASSWORD) is True
    assert security.add_user(store, "third", PASSWORD, "admin") is True
    assert [(u.name, u.role) for u in security.users(store)] == [
        ("first-admin", "admin"), ("second", "reviewer"), ("third", "admin")]
    assert security.add_user(store, "second", "a-new-password-1") is False   # a new password keeps the role
    assert security.add_user(store, "third", "a-new-password-2", "reviewer") is False
    assert [u.role for u in security.users(store)] == ["admin", "reviewer", "reviewer"]
    assert [a[1:] for a in acts(store)] == [
        ("user-added", "user", "first-admin（管理员）"), ("user-added", "user", "second（审核员）"),
        ("user-added", "user", "third（管理员）"), ("user-password-changed", "user", "second"),
        ("user-role-changed", "user", "third：管理员 → 审核员"), ("user-password-changed", "user", "third")]


def test_the_last_admin_cannot_become_a_reviewer_nor_an_unknown_role_be_given(office):
    with pytest.raises(ValueError, match=f"^{NAME} 是最后一位管理员，不能改为审核员；请先将另一个账户设为管理员$"):
        security.add_user(office, NAME, "a-new-password-3", "reviewer")
    with pytest.raises(ValueError, match="^未知角色 `boss`：请使用 `admin`（管理员）或 `reviewer`（审核员）$"):
        security.add_user(office, "li", PASSWORD, "boss")
    assert security.verify(office, NAME, PASSWORD)   # nothing changed
    assert [(u.name, u.role) for u in security.users(office)] == [(NAME, "admin"), (REVIEWER_NAME, "reviewer")]


def test_user_remove_refuses_the_last_admin_and_an_unknown_name_in_one_line(tmp_path):
    data = tmp_path / "data"
    assert user_cli(data, "add", NAME, password=PASSWORD).returncode == 0
    last = user_cli(data, "remove", NAME)
    assert (last.returncode, last.stdout) == (2, "")
    assert last.stderr == f"[E301] {NAME} 是最后一位管理员，不能删除；请先将另一个账户设为管理员\n"
    unknown = user_cli(data, "remove", "nobody")
    assert (unknown.returncode, unknown.stdout, unknown.stderr) == (2, "", "[E301] 没有名为 nobody 的账户\n")
    assert [u.name for u in security.users(Store(data))] == [NAME]


def test_user_add_with_a_role_and_user_list(tmp_path):
    data = tmp_path / "data"
    assert user_cli(data, "list").stdout == "尚无账户；请用 `auditor user add 用户名` 创建\n"
    assert user_cli(data, "add", NAME, password=PASSWORD).returncode == 0
    assert user_cli(data, "add", "li", password=PASSWORD).returncode == 0
    promoted = user_cli(data, "add", "li", "--role", "admin", password="another-long-password")
    assert promoted.returncode == 0, promoted.stderr
    assert promoted.stdout.splitlines()[1] == "li 的角色：管理员"
    assert user_cli(data, "add", "zhao", password=PASSWORD).returncode == 0
    bad = user_cli(data, "add", "qian", "--role", "boss", password=PASSWORD)
    assert (bad.returncode, bad.stdout) == (2, "") and "未知角色 `boss`" in bad.stderr
    listed = user_cli(data, "list")
    assert listed.returncode == 0 and listed.stderr == ""
    lines = listed.stdout.splitlines()
    assert lines[0].split() == ["用户名", "角色", "创建时间"]
    rows = [line.split() for line in lines[2:]]
    assert [row[:2] for row in rows] == [[NAME, "管理员"], ["li", "管理员"], ["zhao", "审核员"]]
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d", row[2]) for row in rows)
    now_removable = user_cli(data, "remove", NAME)   # li is 管理员 too now
    assert now_removable.returncode == 0, now_removable.stderr


# --- what a 审核员 may not do --------------------------------------------------------------------------------

ONLY_ADMIN = "只有管理员可以执行此操作（删除批次、查看活动记录和账户）；请联系管理员"


@pytest.mark.parametrize("path", ["/activity", "/users"])
def test_a_reviewer_is_refused_the_admin_pages_in_chinese(office, path):
    reviewer = client_of(office, REVIEWER_NAME)
    page = reviewer.get(path)
    assert page.status_code == 403 and ONLY_ADMIN in page.text
    home = reviewer.get("/")
    assert 'href="/activity"' not in home.text and 'href="/users"' not in home.text


def test_require_admin_refuses_a_reviewer_and_lets_an_admin_and_the_local_user_through(office):
    from fastapi import Depends

    from auditor.web.routes.context import require_admin

    def tiny(app):
        @app.post("/only-admins", dependencies=[Depends(require_admin)])
        def only_admins():
            return {"done": True}
        return app

    from .test_web_security import token
    reviewer = client_of(office, REVIEWER_NAME)
    tiny(reviewer.app)
    refused = reviewer.post("/only-admins", data={"csrf_token": token(reviewer, "/")})
    assert refused.status_code == 403 and ONLY_ADMIN in refused.text
    admin = client_of(office)
    tiny(admin.app)
    assert admin.post("/only-admins", data={"csrf_token": token(admin, "/")}).json() == {"done": True}
    local = TestClient(tiny(workbench_app(office, require_login=False)))   # 127.0.0.1, no login required
    assert local.post("/only-admins", data={"csrf_token": token(local, "/")}).json() == {"done": True}


def test_a_reviewer_cannot_delete_a_batch(office):
    from .test_web_security import token
    reviewer = client_of(office, REVIEWER_NAME)
    made = new_batch(reviewer, data={"csrf_token": token(reviewer, "/")})
    assert made.status_code == 303, made.text[:300]
    batch = made.headers["location"]
    refused = reviewer.post(batch + "/delete", data={"csrf_token": token(reviewer, "/")}, follow_redirects=False)
    assert refused.status_code == 403 and ONLY_ADMIN in refused.text
    assert len(stored(office)) == 1
    assert "/delete" not in reviewer.get(batch).text   # no button that could only be refused
    admin = client_of(office)
    assert "/delete" in admin.get(batch).text
    deleted = admin.post(batch + "/delete", data={"csrf_token": token(admin, "/")}, follow_redirects=False)
    assert deleted.status_code == 303 and stored(office) == []


def test_an_admin_reads_the_activity_log_in_chinese(office):
    from auditor.web import activity
    with office.session() as s:
        activity.record(s, REVIEWER_NAME, "batch-created", "batch", 7, "2024年度")
    assert user_cli(office.data_dir, "remove", REVIEWER_NAME).returncode == 0
    admin = client_of(office)
    home = admin.get("/")
    assert 'href="/activity">活动记录</a>' in home.text and 'href="/users">账户</a>' in home.text
    page = admin.get("/activity")
    assert page.status_code == 200
    cells = table_cells(page)
    assert len(cells) == 4 and "共 4 条记录，按时间倒序显示最新的 4 条" in page.text
    newest, batch_row = cells[0], cells[1]
    assert newest[1].startswith("命令行") and newest[2:] == ["删除账户", "账户", REVIEWER_NAME]
    assert batch_row[1:3] == [REVIEWER_NAME, "新建批次"] and batch_row[4] == "2024年度"
    assert batch_row[3] == '<a href="/batches/7">批次 7</a>'
    assert [c[2] for c in cells[2:]] == ["新增账户", "新增账户"]


def test_every_act_the_log_may_hold_has_its_chinese_words():
    from auditor.web.activity import ACTIONS
    from auditor.web.routes.admin import ACTION_WORDS
    assert set(ACTION_WORDS) == set(ACTIONS)
    assert all(re.search(r"[\u4e00-\u9fff]", i18n._(ACTION_WORDS[a])) for a in ACTIONS)


def test_the_accounts_page_lists_names_roles_and_open_sessions(office):
    admin = client_of(office)
    page = admin.get("/users")
    assert page.status_code == 200
    cells = table_cells(page)
    assert [c[:2] + [c[3]] for c in cells] == [[NAME, "管理员", "1"], [REVIEWER_NAME, "审核员", "0"]]


def test_the_local_user_acts_as_admin_on_loopback_without_accounts(store):
    local = TestClient(workbench_app(store, require_login=False))
    home = local.get("/")
    assert 'href="/activity"' in home.text
    assert local.get("/activity").status_code == 200 and local.get("/users").status_code == 200
