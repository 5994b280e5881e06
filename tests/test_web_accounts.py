"""Accounts, addresses and ids of the workbench (issue 22: findings 7, 8, 10 and 16): weak passwords and names
that pass for others refused by `auditor user add`; loopback in every spelling; a bind failure said in one line
before anything says the server started; ids checked before anything is stored or looked up; X-Forwarded-For
believed only from the proxies `--forwarded-allow-ips` names."""
from __future__ import annotations

import os
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


@pytest.fixture(autouse=True)
def chinese(monkeypatch):
    monkeypatch.setattr(i18n, "_language", "zh")


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
