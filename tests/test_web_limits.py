"""What one hostile upload may cost the workbench (issue 22: 11, 13, 14, 16): a file's audit runs in a worker process
and ends as one error line when it reads more text than any report, runs past its time or loses its worker, and the
next file goes on; a result that cannot be stored leaves the file waiting, never running; an upload's size, its
refused list and the framework's own refusals stay bounded and Chinese. Limits are lowered by parameter, not met
by building hundreds of megabytes."""
from __future__ import annotations

import errno
import io
import os
import re
import signal
import time
import zipfile

import pytest
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient
from sqlalchemy import select

from auditor import read
from auditor.errors import CATALOGUE
from auditor.settings import Options
from auditor.web import jobs
from auditor.web.app import create_app
from auditor.web.jobs import Auditor
from auditor.web.store import DONE, RUNNING, WAITING, File, ReportRow, Store
from auditor.web.uploads import MB, Limits, accept, read_form

from .conftest import REPO, REPORTS

OPTIONS = Options(rules_dir=str(REPO / "rules"))
SAMPLE = sorted(REPORTS.glob("*.txt"))[0]
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _docx(paragraphs: int) -> bytes:
    """A .docx of many real paragraphs (the shape of finding 11, at a size a test can afford)."""
    line = "<w:p><w:r><w:t>本县聘请法律顾问，推进严格规范公正文明执法，落实行政执法三项制度。</w:t></w:r></w:p>"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/content-types"/>')
        z.writestr("word/document.xml", f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W}"><w:body>'
                   + line * paragraphs + "</w:body></w:document>")
    return buffer.getvalue()


def _token(client: TestClient) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get("/").text).group(1)


def _upload(client: TestClient, files: list[tuple[str, bytes]]) -> int:
    response = client.post("/batches", data={"name": "限额", "profile": "auto", "csrf_token": _token(client)},
                           files=[("files", (n, data, "application/octet-stream")) for n, data in files],
                           follow_redirects=False)
    assert response.status_code == 303, response.text
    return int(response.headers["location"].rsplit("/", 1)[1])


def _rows(store: Store, batch_id: int, seconds: float = 60) -> dict[str, tuple[str, str | None]]:
    """name → (kind, reason) once every file of the batch is done."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with store.session() as s:
            states = [f.state for f in s.scalars(select(File).where(File.batch_id == batch_id))]
            if states and set(states) == {DONE}:
                return {r.file.original_name: (r.kind, r.reason)
                        for r in s.scalars(select(ReportRow).where(ReportRow.batch_id == batch_id))}
        time.sleep(0.1)
    raise AssertionError(f"batch {batch_id} not done in {seconds} s: {states}")


def _app(tmp_path, **worker):
    """The workbench with its audit worker as the test sets it (lowered time per file)."""
    app = create_app(tmp_path, options=OPTIONS)
    bench = app.state.workbench
    bench.worker = app.state.worker = Auditor(bench.store, OPTIONS, **worker)
    return app


# --- the reader's budget: one report's text ----------------------------------------------------------------

def test_more_text_than_any_report_is_one_E117_line_in_the_cli_reader(tmp_path, monkeypatch):
    monkeypatch.setattr(read, "MAX_TEXT_CHARS", 10_000)
    path = tmp_path / "汇编.docx"
    path.write_bytes(_docx(400))   # 400 paragraphs of 33 characters
    with pytest.raises(read.AuditorError) as info:
        read.read_source(path)
    assert info.value.code == "E117"
    assert info.value.format() == (f"{path}: [E117] 文件中的文字达 13,599 个字符，超出任何一份报告的篇幅（上限 10,000 个"
                                   "字符）；请单独审核报告本身，而不是汇编材料或程序生成的文件")
    monkeypatch.setattr(read, "MAX_TEXT_CHARS", 10**6)
    monkeypatch.setattr(read, "MAX_LINES", 300)
    with pytest.raises(read.AuditorError) as info:
        read.read_source(path)
    assert "400 行" in info.value.message and "上限 300 行" in info.value.message
    assert read.read_source(REPORTS / SAMPLE.name).text   # a real report is far inside both


def test_every_input_error_code_is_documented_in_the_readme():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert [c for c in CATALOGUE if c.startswith("E1") and f"| {c} |" not in readme] == []


# --- the workers: a hostile file costs that file only ------------------------------------------------------

def test_a_hostile_docx_gets_its_line_and_the_worker_goes_on(tmp_path, monkeypatch):
    monkeypatch.setattr(read, "MAX_TEXT_CHARS", 20_000)   # before the workers fork: they inherit it
    with TestClient(_app(tmp_path, seconds=60)) as client:
        batch_id = _upload(client, [("汇编.docx", _docx(2000)), (SAMPLE.name, SAMPLE.read_bytes())])
        rows = _rows(client.app.state.workbench.store, batch_id)
    kind, reason = rows["汇编.docx"]
    assert kind == "unreadable" and reason.startswith("[E117] 文件中的文字达 67,999 个字符"), reason
    assert rows[SAMPLE.name][0] == "report"


def _hostile_judge(real):
    """judge_file as the workers run it, except for two files: one that never ends, one that kills its worker."""
    def judge(path, pipeline, name=None):
        if name == "慢.txt":
            time.sleep(120)
        if name == "崩溃.txt":
            os.kill(os.getpid(), signal.SIGKILL)
        return real(path, pipeline, name=name)
    return judge


def test_a_file_past_its_time_or_losing_its_worker_is_done_with_the_clis_E199_line(tmp_path, monkeypatch):
    monkeypatch.setattr(jobs, "judge_file", _hostile_judge(jobs.judge_file))
    started = time.monotonic()
    with TestClient(_app(tmp_path, seconds=3)) as client:
        batch_id = _upload(client, [("慢.txt", b"x"), ("崩溃.txt", b"x"), (SAMPLE.name, SAMPLE.read_bytes())])
        rows = _rows(client.app.state.workbench.store, batch_id)
    assert time.monotonic() - started < 40
    assert rows["慢.txt"] == ("unreadable", "[E199] 审核此文件时发生内部错误（超过 3 秒，已停止）；其余文件已继续审核；"
                                            "请连同该文件报告此问题")
    assert rows["崩溃.txt"][0] == "unreadable" and "审核它的工作进程被终止（信号 9）" in rows["崩溃.txt"][1]
    assert rows[SAMPLE.name][0] == "report"


def test_a_result_that_cannot_be_stored_leaves_the_file_waiting_then_done(tmp_path, monkeypatch):
    monkeypatch.setattr(jobs, "RETRY_SECONDS", 0.2)
    full = {"disk": True, "tries": 0}
    real_store = Auditor._store

    def store(self, job, values):
        if full["disk"]:
            full["tries"] += 1
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_store(self, job, values)
    monkeypatch.setattr(Auditor, "_store", store)
    with TestClient(_app(tmp_path, seconds=60)) as client:
        store_ = client.app.state.workbench.store
        batch_id = _upload(client, [(SAMPLE.name, SAMPLE.read_bytes())])
        deadline = time.monotonic() + 60
        while full["tries"] < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert full["tries"] >= 2   # tried again after the delay
        with store_.session() as s:
            state = s.scalars(select(File.state).where(File.batch_id == batch_id)).one()
        assert state in (WAITING, RUNNING)   # running only while being audited again
        deadline = time.monotonic() + 10
        while state != WAITING and time.monotonic() < deadline:   # between two tries it waits, never left running
            with store_.session() as s:
                state = s.scalars(select(File.state).where(File.batch_id == batch_id)).one()
        assert state == WAITING
        full["disk"] = False
        rows = _rows(store_, batch_id)
    assert rows[SAMPLE.name][0] == "report"


# --- uploads: bounded by what reports are ------------------------------------------------------------------

def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buffer.getvalue()


def test_many_members_of_repeated_text_are_refused_as_bombs_below_a_megabyte():
    """Finding 13: 500 members just under 1 MB of repeats each (1.7 MB zipped) were all taken."""
    filler = "本县法治政府建设。".encode() * (900 * 1024 // 27)
    accepted = accept([("reports.zip", _zip({f"{i:03}.txt": filler for i in range(20)}))], Limits())
    assert accepted.files == [] and len(accepted.refused) == 20
    assert "可能是压缩炸弹" in accepted.refused[0][1]
    real = SAMPLE.read_bytes()   # a real report compresses a few times, never a hundred
    assert [n for n, _ in accept([("ok.zip", _zip({"a.txt": real * 8}))], Limits()).files] == ["a.txt"]


def test_a_text_file_larger_than_any_reports_text_is_refused():
    limits = Limits(max_text_mb=1)
    accepted = accept([("大.txt", b"x" * (2 * MB)), ("大.pdf", b"%PDF" * (MB // 2))], limits)
    assert [n for n, _ in accepted.files] == ["大.pdf"]
    assert accepted.refused == [("大.txt", "2 MB 的文本文件超出任何一份报告的篇幅（文本文件上限 1 MB）；请只上传报告本身")]
    assert Limits().max_text_mb == 8   # 2,000,000 characters at 4 bytes each


def test_the_refused_list_keeps_its_first_entries_and_counts_the_rest():
    accepted = accept([("junk.zip", _zip({f"{i}.exe": b"MZ" for i in range(1000)}))], Limits(max_refused=200))
    assert len(accepted.refused) == 201
    assert accepted.refused[-1] == ("…", "……及另外 800 个未接收的文件（仅列出前 200 个）")
    assert accepted.refused[0] == ("junk.zip/0.exe", "不是报告文件类型（.exe）")


def test_an_archive_listing_more_entries_than_a_batch_is_refused_unread():
    accepted = accept([("many.zip", _zip({f"{i}.txt": b"x" for i in range(60)}))], Limits(max_members=50))
    assert accepted.files == []
    assert accepted.refused == [("many.zip", "压缩包中列有 60 个条目，超过 50 个；一批报告远没有这么多")]


# --- the framework's refusals, in Chinese ------------------------------------------------------------------

@pytest.fixture
def form_client():
    app = FastAPI()

    @app.post("/form")
    async def form(request: Request):
        got = await read_form(request, Limits(max_files=3))
        return {"files": len(got.getlist("files"))}
    return TestClient(app)


def test_too_many_files_in_one_form_is_refused_in_chinese(form_client):
    files = [("files", (f"{i}.txt", b"x", "text/plain")) for i in range(5)]
    response = form_client.post("/form", files=files)
    assert response.status_code == 413
    assert response.json()["detail"] == "一次上传超过 3 个文件；其余文件请作为另一批上传"
    assert form_client.post("/form", files=files[:3]).json() == {"files": 3}


def test_a_field_too_large_or_a_broken_form_is_refused_in_chinese(form_client):
    big = form_client.post("/form", files={"note": (None, "长" * MB)})
    assert big.status_code == 413 and big.json()["detail"] == "表单中有一项内容超过 1024 KB；请删减后重新提交"
    long_name = form_client.post("/form", files=[("files", ("报" * 2000 + ".txt", b"x", "text/plain"))])
    nameless = form_client.post("/form", content=b"--b\r\nContent-Type: text/plain\r\n\r\nx\r\n--b--\r\n",
                                headers={"content-type": "multipart/form-data; boundary=b"})
    for response in (long_name, nameless):   # a name over 4 KB: python-multipart's header limit
        assert response.status_code == 400
        assert response.json()["detail"] == "无法读取所提交的表单（内容损坏或不完整）；请返回，刷新页面后重新提交"


def test_the_parsers_english_never_reaches_a_page_whichever_route_reads_the_form(tmp_path):
    """Finding 16: a route reading its form with request.form() (the batch links, the review, the letter) answers
    the parser's refusals in Chinese too."""
    client = TestClient(create_app(tmp_path, options=Options(rules_dir=str(REPO / "rules"))))
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/").text).group(1)
    fields = [("csrf_token", token)] + [(f"f{i}", "x") for i in range(1100)]
    body = "&".join(f"{k}={v}" for k, v in fields)
    for url in ("/batches/1/links", "/reports/1/review", "/reports/1/letter"):
        answer = client.post(url, content=body, headers={"content-type": "application/x-www-form-urlencoded"})
        assert answer.status_code == 413, (url, answer.status_code)
        assert "表单" in answer.text and "Too many" not in answer.text


def test_a_file_name_over_4_kb_is_not_taken_for_a_forged_form(tmp_path):
    """Finding 16: a part header longer than the multipart parser's 4 KB after the token: never the CSRF
    refusal; the upload is read (its name shortened) or refused in Chinese."""
    client = TestClient(create_app(tmp_path, options=Options(rules_dir=str(REPO / "rules"))))
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/").text).group(1)
    answer = client.post("/batches", data={"csrf_token": token, "name": "长文件名"},
                         files=[("files", ("长" * 2000 + ".txt", REPORTS.joinpath(
                             sorted(p.name for p in REPORTS.glob("*.txt"))[0]).read_bytes(), "text/plain"))],
                         follow_redirects=False)
    assert answer.status_code in (303, 400, 413), answer.status_code   # the old answer: 403, 安全令牌 (CSRF)
    assert "CSRF" not in answer.text.upper()
