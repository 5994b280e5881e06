"""The workbench's security and uploads, through HTTP as a browser (or an attacker) sends them: accounts and
login, the session cookie, CSRF on every state-changing request, the refusal to listen beyond loopback
without accounts, and what an upload may hold (zip slip, bombs, links, nested archives, limits).

Each refusal is checked with the response a person gets: its status code and its Chinese line."""
from __future__ import annotations

import io
import re
import stat
import zipfile

import pytest
from fastapi.testclient import TestClient

from auditor.web import security
from auditor.web.store import Store
from auditor.web.uploads import Limits, accept, member_name

from .conftest import REPORTS, run_cli

pytestmark = pytest.mark.usefixtures("chinese")   # pages and files as people read them

NAME, PASSWORD = "张科长", "correct-horse-battery"
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
MB = 2**20


@pytest.fixture(autouse=True)
def quick_hashes(monkeypatch, request):
    """argon2id with its smallest cost where a test is not about the hash itself: the same code, less waiting."""
    if "argon2" not in request.node.name:
        from argon2 import PasswordHasher
        monkeypatch.setattr(security, "_hasher", lambda: PasswordHasher(time_cost=1, memory_cost=1024,
                                                                         parallelism=1))


@pytest.fixture
def store(tmp_path) -> Store:
    return Store(tmp_path / "data")


def workbench_app(store: Store, *, require_login: bool = True, https: bool = False, limits: Limits | None = None):
    """The workbench as `auditor serve` builds it (auditor.web.app.create_app) on the store's data folder; its
    audit worker is not started (no lifespan): these tests are about what reaches a route, not the audit."""
    from auditor.web.app import create_app
    return create_app(store.data_dir, require_login=require_login, https=https, limits=limits)


REPORT = next(p for p in sorted(REPORTS.iterdir()) if p.suffix == ".txt").read_bytes()


def new_batch(client: TestClient, method: str = "post", data: dict | None = None, headers: dict | None = None,
              report: bytes = REPORT):
    """The workbench's first state-changing form: a new batch with one report uploaded."""
    files = {"files": ("报告.txt", report)}
    return client.request(method.upper(), "/batches", data={"name": "2024年度", **(data or {})}, files=files,
                          headers=headers, follow_redirects=False)


def stored(store: Store) -> list[tuple[str, int]]:
    """(batch name, size) of every file the workbench took in."""
    from sqlalchemy import select

    from auditor.web.store import Batch, File
    with store.session() as s:
        return [(b, n) for b, n in s.execute(select(Batch.name, File.size).join(File, File.batch_id == Batch.id))]


def who(response) -> str:
    """The user the page names in its header."""
    return re.search(r'<span class="who">([^<·]*)', response.text).group(1).strip()


def token(client: TestClient, path: str = "/login") -> str:
    return TOKEN.search(client.get(path).text).group(1)


def log_in(client: TestClient, name: str = NAME, password: str = PASSWORD, **extra):
    return client.post("/login", data={"name": name, "password": password, "csrf_token": token(client), **extra},
                       follow_redirects=False)


def refusal_line(response) -> str:
    """The one Chinese line of a refusal page."""
    return re.search(r'<p class="error">(.*?)</p>', response.text, re.S).group(1)


@pytest.fixture
def account(store):
    assert security.add_user(store, NAME, PASSWORD) is True
    return store


@pytest.fixture
def client(account):
    return TestClient(workbench_app(account))


# --- accounts and the bind check ----------------------------------------------------------------------------

def test_passwords_are_kept_as_argon2_hashes_and_checked(account):
    from sqlalchemy import select

    from auditor.web.store import User
    with account.session() as s:
        digest = s.scalars(select(User.password_hash).where(User.name == NAME)).one()
    assert digest.startswith("$argon2id$v=19$m=65536,t=3,p=4$") and PASSWORD not in digest
    assert security.verify(account, NAME, PASSWORD)
    assert not security.verify(account, NAME, PASSWORD + "x")
    assert not security.verify(account, "nobody", PASSWORD)
    assert security.add_user(account, NAME, "a-new-password") is False   # the same account, a new password
    assert security.verify(account, NAME, "a-new-password") and not security.verify(account, NAME, PASSWORD)


@pytest.mark.parametrize("name, password, says", [("张 三", "long-enough", "用户名"), ("", "long-enough", "用户名"),
                                                  ("a/b", "long-enough", "用户名"), ("张三", "short", "至少需要 10 个字符")])
def test_a_bad_name_or_short_password_is_refused_in_chinese(store, name, password, says):
    with pytest.raises(ValueError, match=says):
        security.add_user(store, name, password)
    assert not security.has_users(store)


def test_no_listening_beyond_loopback_while_no_account_exists(store):
    reason = security.check_bind("0.0.0.0", store)
    assert reason.startswith("拒绝在 0.0.0.0 上启动：尚未创建任何账户") and "auditor user add" in reason
    assert "\n" not in reason
    assert security.check_bind("192.168.1.20", store) and security.check_bind("::", store)
    assert security.check_bind("office-pc", store)   # a name may resolve to anything: accounts needed
    for host in ("127.0.0.1", "127.0.1.1", "::1", "[::1]", "localhost"):
        assert security.check_bind(host, store) is None, host
    security.add_user(store, NAME, PASSWORD)
    assert security.check_bind("0.0.0.0", store) is None


def test_user_add_command_creates_an_account_the_server_accepts(tmp_path):
    import subprocess

    from .conftest import AUDITOR
    data = tmp_path / "data"
    run = subprocess.run([str(AUDITOR), "user", "add", NAME, "--data", str(data), "--password-stdin"],
                         input=PASSWORD + "\n", capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == f"已在 {data} 中创建账户 {NAME}" and run.stderr == ""
    assert security.verify(Store(data), NAME, PASSWORD)
    short = subprocess.run([str(AUDITOR), "user", "add", "li", "--data", str(data), "--password-stdin"],
                           input="short\n", capture_output=True, text=True, timeout=60)
    assert (short.returncode, short.stdout, short.stderr) == (2, "", "[E301] 密码至少需要 10 个字符\n")
    no_terminal = run_cli("user", "add", "li", "--data", str(data))   # stdin is not a terminal here
    assert no_terminal.code == 2 and "--password-stdin" in no_terminal.stderr


def test_the_session_key_is_kept_private_and_stable(tmp_path):
    key = security.secret_key(tmp_path)
    path = tmp_path / security.SECRET_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and len(key) >= 32
    assert security.secret_key(tmp_path) == key
    path.chmod(0o644)
    assert security.secret_key(tmp_path) == key and stat.S_IMODE(path.stat().st_mode) == 0o600
    other = tmp_path / "other"
    other.mkdir()
    assert security.secret_key(other) != key


# --- login, session, logout ---------------------------------------------------------------------------------

def test_pages_need_a_login_beyond_loopback(client):
    response = client.get("/batches/3?only=gaps", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/batches/3%3Fonly%3Dgaps"
    page = client.get("/login")
    assert page.status_code == 200 and "登录审核工作台" in page.text and 'name="csrf_token"' in page.text
    posted = new_batch(client)   # nothing reaches a route
    assert posted.status_code == 303 and posted.headers["location"].startswith("/login")
    assert stored(client.app.state.store) == []


def test_a_wrong_password_gets_401_and_no_session(client):
    response = log_in(client, password="wrong-password")
    assert response.status_code == 401 and refusal_line(response) == "用户名或密码错误"
    unknown = log_in(client, name="nobody")
    assert unknown.status_code == 401 and refusal_line(unknown) == "用户名或密码错误"
    assert client.get("/", follow_redirects=False).status_code == 303


def test_login_then_pages_know_the_user(client):
    response = log_in(client, next="/batches/1")
    assert response.status_code == 303 and response.headers["location"] == "/batches/1"
    assert who(client.get("/")) == NAME


def test_a_failed_login_shows_the_typed_name_escaped(client):
    response = log_in(client, name="张\u202e三\x01", password="wrong-password")
    assert "\u202e" not in response.text and "\x01" not in response.text and "\\u202e" in response.text


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/", "/\\evil.example"])
def test_after_login_only_a_path_on_this_site(client, target):
    assert log_in(client, next=target).headers["location"] == "/"


def test_a_login_form_without_its_token_is_refused(client):
    response = client.post("/login", data={"name": NAME, "password": PASSWORD}, follow_redirects=False)
    assert response.status_code == 403
    assert refusal_line(response) == ("请求缺少有效的安全令牌（CSRF），可能来自其他网站或已过期的页面：请返回、刷新页面后"
                                      "重试")
    assert client.get("/", follow_redirects=False).status_code == 303


def test_logging_in_starts_a_fresh_session_with_a_new_token(client):
    before = token(client)
    log_in(client)
    after = token(client, "/")
    assert after != before
    assert new_batch(client, data={"csrf_token": before}).status_code == 403


def test_a_loopback_server_refuses_requests_naming_another_host(store):
    """DNS rebinding: evil.example resolved to 127.0.0.1 would let its page read a workbench without login."""
    app = workbench_app(store, require_login=False)
    app.state.loopback_only = True   # as `auditor serve` on 127.0.0.1 sets it
    for base in ("http://127.0.0.1:8000", "http://localhost:8000", "http://[::1]:8000"):
        assert TestClient(app, base_url=base).get("/").status_code == 200, base
    response = TestClient(app, base_url="http://evil.example:8000").get("/")
    assert response.status_code == 400
    assert refusal_line(response) == "本工作台只为本机服务：请在 127.0.0.1 上打开（请求中的地址是 evil.example）"


def test_guessing_is_slowed_after_ten_wrong_passwords(client):
    for _ in range(security.FAILURES_ALLOWED):
        assert log_in(client, password="guess-guess").status_code == 401
    blocked = log_in(client)   # even the right password waits
    assert blocked.status_code == 429 and refusal_line(blocked) == "本机密码输错次数过多，请等待一刻钟后再试"


def test_the_session_cookie_is_signed_httponly_and_lax(client):
    log_in(client)
    cookie = client.cookies[security.COOKIE]
    client.cookies.clear()
    header = log_in(client).headers["set-cookie"]
    assert "httponly" in header.lower() and "samesite=lax" in header.lower() and "secure" not in header.lower()
    client.cookies.clear()
    payload, rest = cookie.split(".", 1)
    client.cookies.set(security.COOKIE, payload[:-2] + ("AA" if payload[-2:] != "AA" else "BB") + "." + rest)
    assert client.get("/", follow_redirects=False).status_code == 303   # a forged cookie is no session


def test_the_session_cookie_is_secure_over_https(account):
    client = TestClient(workbench_app(account, https=True), base_url="https://testserver")
    header = log_in(client).headers["set-cookie"]
    assert "; secure" in header.lower()
    assert client.get("/login").headers["strict-transport-security"] == "max-age=31536000"   # finding 10
    plain = TestClient(workbench_app(account))
    assert "strict-transport-security" not in plain.get("/login").headers


def test_logout_ends_the_session(client):
    log_in(client)
    assert client.get("/logout").status_code == 200
    assert client.post("/logout", data={}, follow_redirects=False).status_code == 403   # also needs the token
    out = client.post("/logout", data={"csrf_token": token(client, "/")}, follow_redirects=False)
    assert out.status_code == 303 and out.headers["location"] == "/login"
    assert client.get("/", follow_redirects=False).status_code == 303


def test_every_response_refuses_framing_and_sniffing(client):
    headers = client.get("/login").headers
    assert headers["x-frame-options"] == "DENY" and headers["x-content-type-options"] == "nosniff"


# --- CSRF ---------------------------------------------------------------------------------------------------

@pytest.fixture
def logged_in(client):
    log_in(client)
    return client


def test_a_form_with_its_token_goes_through(logged_in):
    tok = token(logged_in, "/")
    made = new_batch(logged_in, data={"csrf_token": tok})
    assert made.status_code == 303 and re.fullmatch(r"/batches/\d+", made.headers["location"])
    assert new_batch(logged_in, headers={"X-CSRF-Token": tok}).status_code == 303
    big = REPORT * (300_000 // len(REPORT) + 1)
    assert new_batch(logged_in, data={"csrf_token": tok}, report=big).status_code == 303
    # the body checked on its way is passed on whole: the workbench stored every byte of each upload
    assert stored(logged_in.app.state.store) == [("2024年度", len(REPORT))] * 2 + [("2024年度", len(big))]


@pytest.mark.parametrize("how", ["missing", "wrong", "empty", "another session's", "multipart without"])
def test_a_state_changing_request_without_the_sessions_token_is_refused(logged_in, account, how):
    other = TestClient(workbench_app(account))
    log_in(other)
    given = {"missing": None, "wrong": "x" * 43, "empty": "", "another session's": token(other, "/"),
             "multipart without": None}[how]
    data = {} if given is None else {"csrf_token": given}
    for method in ("post", "put", "patch", "delete"):
        if method == "delete":
            response = logged_in.request("DELETE", "/batches/1", headers={"X-CSRF-Token": given or ""})
        elif how == "multipart without":
            response = new_batch(logged_in, method)
        else:   # a urlencoded form, no upload
            response = logged_in.request(method.upper(), "/batches", data={"name": "2024年度", **data},
                                         follow_redirects=False)
        assert response.status_code == 403, (method, response.text)
        assert "安全令牌（CSRF）" in refusal_line(response)
    assert stored(account) == []


def test_a_loopback_server_without_accounts_needs_no_login_but_still_its_token(store):
    client = TestClient(workbench_app(store, require_login=False))
    page = client.get("/")
    assert page.status_code == 200 and who(page) == "本机用户" and 'href="/logout"' not in page.text
    assert new_batch(client).status_code == 403
    assert new_batch(client, data={"csrf_token": token(client, "/")}).status_code == 303
    assert stored(store) == [("2024年度", len(REPORT))]


def test_a_body_beyond_the_upload_limit_is_refused_before_the_route(account):
    client = TestClient(workbench_app(account, limits=Limits(max_total_mb=1)))
    log_in(client)
    response = new_batch(client, data={"csrf_token": token(client, "/")}, report=b"0" * (3 * MB))
    assert response.status_code == 413
    assert refusal_line(response) == "上传内容总量超过 1 MB，已拒绝；请分成几批上传"

    def chunks():   # no Content-Length: counted as it streams
        for _ in range(3):
            yield b"0" * MB
    streamed = client.post("/batches", content=chunks(), headers={"X-CSRF-Token": token(client, "/"),
                                                                   "Content-Type": "application/octet-stream"})
    assert streamed.status_code == 413
    assert stored(account) == []


# --- uploads ------------------------------------------------------------------------------------------------

def make_zip(members: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def reasons(accepted) -> dict[str, str]:
    return dict(accepted.refused)


def test_a_zip_is_opened_into_safe_names_each_keeping_its_folder(tmp_path):
    data = make_zip({"乡镇/甲镇.txt": "法治政府".encode(), "乡镇/乙镇/报告.txt": b"a", "其他/报告.txt": b"b",
                     "乡镇/": b"", "__MACOSX/乡镇/._甲镇.txt": b"x", "乡镇/.hidden.txt": b"x", "乡镇/图片.jpg": b"x",
                     "乡镇/Thumbs.db": b"x"})
    accepted = accept([("批次.zip", data)], Limits())
    # the folder a member was in may be all that says whose report it is (one folder per office)
    assert accepted.files == [("乡镇/甲镇.txt", "法治政府".encode()), ("乙镇/报告.txt", b"a"), ("其他/报告.txt", b"b")]
    assert reasons(accepted) == {"批次.zip/乡镇/.hidden.txt": "隐藏文件", "批次.zip/乡镇/图片.jpg": "不是报告文件类型（.jpg）",
                                 "批次.zip/乡镇/Thumbs.db": "隐藏文件"}
    assert list(tmp_path.iterdir()) == []   # nothing written anywhere


class _RawName(zipfile.ZipInfo):
    """A member whose name is written as the raw bytes Chinese Windows writes (GBK, no UTF-8 flag)."""

    def _encodeFilenameFlags(self):
        return self.filename.encode("cp437"), self.flag_bits


def test_gbk_member_names_from_chinese_windows_are_read_right():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(_RawName("2024年/某某镇法治政府建设报告.txt".encode("gbk").decode("cp437")), b"x")
        archive.writestr(_RawName("2024年/甲镇.txt".encode("utf-8").decode("cp437")), b"y")   # UTF-8, unflagged
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as archive:
        gbk, utf8 = archive.infolist()
        assert not gbk.flag_bits & 0x800 and member_name(gbk) == "2024年/某某镇法治政府建设报告.txt"
        assert not utf8.flag_bits & 0x800 and member_name(utf8) == "2024年/甲镇.txt"
    assert accept([("a.zip", buffer.getvalue())], Limits()).files == [("2024年/某某镇法治政府建设报告.txt", b"x"),
                                                                       ("2024年/甲镇.txt", b"y")]


@pytest.mark.parametrize("path", ["../evil.txt", "a/../../evil.txt", "/etc/cron.d/evil.txt", "..\\..\\evil.txt",
                                  "C:/Windows/evil.txt"])
def test_zip_slip_paths_are_refused(path):
    accepted = accept([("slip.zip", make_zip({path: b"x", "ok.txt": b"y"}))], Limits())
    assert accepted.files == [("ok.txt", b"y")]
    [(name, reason)] = accepted.refused
    assert reason == "路径指向压缩包目录之外（zip slip），已拒绝"


def test_links_in_a_zip_are_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        link = zipfile.ZipInfo("report.txt")
        link.create_system = 3
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(link, "/etc/passwd")
    accepted = accept([("links.zip", buffer.getvalue())], Limits())
    assert accepted.files == [] and reasons(accepted) == {"links.zip/report.txt": "是链接而非文件；不跟随压缩包中的链接"}


def test_nested_archives_are_not_opened_unless_allowed():
    inner = make_zip({"b.txt": b"inner"})
    data = make_zip({"a.txt": b"outer", "inner.zip": inner, "more.rar": b"Rar!", "deeper.7z": b"7z"})
    accepted = accept([("outer.zip", data)], Limits())
    assert accepted.files == [("a.txt", b"outer")]
    nested = "压缩包中套有压缩包；只解开一层：请解压后上传其中的文件"
    assert reasons(accepted) == {"outer.zip/inner.zip": nested, "outer.zip/more.rar": nested,
                                 "outer.zip/deeper.7z": nested}
    deeper = accept([("outer.zip", data)], Limits(max_zip_depth=2))
    assert deeper.files == [("a.txt", b"outer"), ("b.txt", b"inner")]
    assert accept([("x.rar", b"Rar!")], Limits()).refused == [("x.rar", "不是 .zip 压缩包；请解压后上传，或重新打包为 .zip")]


def test_a_zip_bomb_is_refused_without_expanding_it():
    bomb = make_zip({"bomb.txt": b"\0" * (20 * MB), "ok.txt": b"fine"})
    assert len(bomb) < 100_000
    accepted = accept([("bomb.zip", bomb)], Limits())
    assert accepted.files == [("ok.txt", b"fine")]
    reason = reasons(accepted)["bomb.zip/bomb.txt"]
    assert reason.startswith("将从 20 KB 解压为 20 MB，超过 100 倍，可能是压缩炸弹，已拒绝"), reason


def test_a_member_whose_directory_lies_about_its_size_is_stopped_while_expanding(monkeypatch):
    """The directory says 10 bytes: the member is refused, never taken cut short or expanded past a limit."""
    data = make_zip({"liar.txt": b"\0" * (3 * MB)}, zipfile.ZIP_STORED)
    original = zipfile.ZipFile._RealGetContents

    def understated(self):
        original(self)
        self.filelist[0].file_size = 10
    monkeypatch.setattr(zipfile.ZipFile, "_RealGetContents", understated)
    accepted = accept([("liar.zip", data)], Limits(max_file_mb=1))
    assert accepted.files == []
    assert reasons(accepted)["liar.zip/liar.txt"].startswith("[E108] "), accepted.refused


def test_encrypted_members_and_damaged_archives_get_the_clis_codes():
    plain = make_zip({"secret.txt": b"x"})
    patched = bytearray(plain)   # the encryption flag set in the local and the central header
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = patched.find(signature)
        patched[at + offset] |= 1
    accepted = accept([("locked.zip", bytes(patched)), ("broken.zip", b"PK\x03\x04 not really")], Limits())
    assert accepted.files == []
    found = reasons(accepted)
    assert found["locked.zip/secret.txt"].startswith("[E109] ")
    assert found["broken.zip"].startswith("[E108] ")


def test_size_and_count_limits():
    limits = Limits(max_files=2, max_file_mb=1, max_total_mb=2)
    big = accept([("big.docx", b"x" * (3 * MB))], limits)
    assert big.files == [] and big.refused == [("big.docx", "[E111] 文件过大（3 MB，上限 1 MB）")]
    many = accept([(f"{i}.txt", b"x") for i in range(4)], limits)
    assert [n for n, _ in many.files] == ["0.txt", "1.txt"]
    assert dict(many.refused)["3.txt"] == "一次上传超过 2 个文件；其余文件请作为另一批上传"
    in_zip = accept([("many.zip", make_zip({f"{i}.txt": b"x" for i in range(5)}))], limits)
    assert len(in_zip.files) == 2
    assert in_zip.refused == [("many.zip", "另有 3 个报告文件未接收：一次上传超过 2 个文件；其余文件请作为另一批上传")]
    total = accept([(f"{i}.txt", b"x" * (MB - 10)) for i in range(2)] + [("late.txt", b"x" * 100)],
                   Limits(max_total_mb=2))
    assert dict(total.refused)["late.txt"] == "上传总量将超过 2 MB；其余文件请作为另一批上传"


def test_a_file_uploaded_by_itself_is_kept_for_the_reader_to_judge():
    """As `auditor audit` tries a file named explicitly: the reader, not the upload, says what is wrong."""
    accepted = accept([("C:\\Users\\张\\说明.pdf", b"%PDF"), ("noext", b"x"), (".bashrc", b"x")], Limits())
    assert [n for n, _ in accepted.files] == ["说明.pdf", "noext", "bashrc"]


# --- the workbench itself, served beyond loopback -----------------------------------------------------------

@pytest.fixture
def workbench(tmp_path):
    """The real app as `auditor serve --host 0.0.0.0` builds it (its audit worker not started: no lifespan)."""
    from auditor.web.app import create_app
    app = create_app(tmp_path / "data", require_login=True, limits=Limits(max_total_mb=2))
    security.add_user(app.state.store, NAME, PASSWORD)
    return TestClient(app)


def test_the_workbench_refuses_what_an_account_protected_server_must(workbench):
    assert workbench.get("/", follow_redirects=False).headers["location"] == "/login?next=/"
    assert workbench.get("/static/app.css").status_code == 200   # the login page's assets need no login
    wrong = log_in(workbench, password="wrong-password")
    assert (wrong.status_code, refusal_line(wrong)) == (401, "用户名或密码错误")
    assert log_in(workbench).status_code == 303
    home = workbench.get("/")
    assert home.status_code == 200 and NAME in home.text
    tok = TOKEN.search(home.text).group(1)   # the new-batch form carries it

    report = (REPORTS / sorted(p.name for p in REPORTS.iterdir() if p.suffix == ".txt")[0]).read_bytes()
    no_token = workbench.post("/batches", data={"name": "2024年度"}, files={"files": ("a.txt", report)})
    assert no_token.status_code == 403 and "安全令牌（CSRF）" in refusal_line(no_token)

    hostile = make_zip({"../../etc/evil.txt": b"x", "bomb.txt": b"\0" * (20 * MB),
                        "inner.zip": make_zip({"b.txt": b"b"})})
    refused = workbench.post("/batches", data={"name": "2024年度", "csrf_token": tok},
                             files={"files": ("hostile.zip", hostile)})
    assert refused.status_code == 400
    assert "路径指向压缩包目录之外（zip slip），已拒绝" in refused.text
    assert "可能是压缩炸弹，已拒绝" in refused.text
    assert "压缩包中套有压缩包；只解开一层：请解压后上传其中的文件" in refused.text
    assert "hostile.zip/../../etc/evil.txt" in refused.text

    oversized = workbench.post("/batches", data={"name": "2024年度", "csrf_token": tok},
                               files={"files": ("big.txt", b"x" * (4 * MB))})
    assert (oversized.status_code, refusal_line(oversized)) == (413, "上传内容总量超过 2 MB，已拒绝；请分成几批上传")

    assert workbench.post("/logout", data={"csrf_token": tok}, follow_redirects=False).status_code == 303
    assert workbench.get("/", follow_redirects=False).status_code == 303
