"""The workbench's store under deletes, races and faults (issue 22, findings 1–4): ids never reused, stored
files and rows change together, forms carry what they were opened on, a backup is whole."""
from __future__ import annotations

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, select, text

from auditor.web.store import MIGRATIONS, Batch, File, ReportRow, Review, Store, User


def _database_at(tmp_path, revision: str):
    engine = create_engine(f"sqlite:///{tmp_path / 'auditor.sqlite3'}")
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
    return engine


def test_migrating_to_lasting_ids_keeps_every_row_and_never_reuses_a_deleted_id(tmp_path):
    engine = _database_at(tmp_path, "0004")
    with engine.begin() as c:
        c.execute(text("PRAGMA foreign_keys=ON"))
        c.execute(text("INSERT INTO users (name, password_hash, created_at) VALUES ('张三', 'x', '2025-03-01')"))
        for b in (1, 2):
            c.execute(text(f"INSERT INTO batches (id, name, profile, created_at) VALUES ({b}, '批次{b}', 'auto', "
                           "'2025-03-01')"))
            c.execute(text(f"INSERT INTO files (id, batch_id, position, hash, size, original_name, state, round) "
                           f"VALUES ({b}, {b}, 0, 'ab', 1, 'a.txt', 'done', 1)"))
            c.execute(text(f"INSERT INTO reports (id, batch_id, file_id, round, kind, counts, data, created_at) "
                           f"VALUES ({b}, {b}, {b}, 1, 'report', '{{}}', '{{}}', '2025-03-01')"))
            c.execute(text(f"INSERT INTO reviews (report_id, rule, machine_status, human_status, reason, user, "
                           f"created_at) VALUES ({b}, 'r', 'missing', 'met', '', '张三', '2025-03-01')"))
    engine.dispose()
    store = Store(tmp_path)
    with store.session() as s:
        assert s.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0008"
        assert len(s.scalars(select(ReportRow)).all()) == 2 and len(s.scalars(select(Review)).all()) == 2
        assert s.scalars(select(User)).one().role == "admin"   # could delete before: not locked out now
        tables = s.execute(text("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT IN "
                                "('alembic_version', 'sqlite_sequence')")).all()
        assert tables and all("AUTOINCREMENT" in sql for _name, sql in tables), [n for n, q in tables
                                                                              if "AUTOINCREMENT" not in q]
        s.delete(s.get(Batch, 2))
    with store.session() as s:
        assert s.scalars(select(Review)).one().report_id == 1   # the cascade took batch 2's review only
        batch = Batch(name="新批次", profile="auto")
        s.add(batch)
        s.flush()
        assert batch.id == 3   # SQLite's rowid would have given 2 again
        s.add(File(batch_id=batch.id, position=0, hash="cd", size=1, original_name="b.txt"))
        s.flush()
        assert s.scalars(select(File).where(File.batch_id == 3)).one().id == 3


# --- races driven by real concurrent requests against a running server -----------------------------------------

import re  # noqa: E402
import socket  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
from concurrent.futures import ThreadPoolExecutor  # noqa: E402
from pathlib import Path  # noqa: E402

import httpx  # noqa: E402
import pytest  # noqa: E402

from auditor.settings import Options  # noqa: E402
from auditor.web import files as file_store  # noqa: E402
from auditor.web.app import create_app  # noqa: E402
from auditor.web.store import Letter  # noqa: E402

from .conftest import REPO, REPORTS  # noqa: E402

TRIES = 50
OPTIONS = Options(rules_dir=str(REPO / "rules"))
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


class Server:
    """The workbench under uvicorn in a thread of this process, on a free loopback port."""

    def __init__(self, data_dir: Path):
        import uvicorn
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.data_dir = data_dir
        self.app = create_app(data_dir, options=OPTIONS)
        self.server = uvicorn.Server(uvicorn.Config(self.app, host="127.0.0.1", port=self.port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 60
        while not self.server.started:
            assert time.monotonic() < deadline, "the workbench did not start"
            time.sleep(0.05)

    def client(self) -> "Person":
        return Person(f"http://127.0.0.1:{self.port}")

    def stop(self):
        self.server.should_exit = True
        self.thread.join(30)


class Person:
    """One browser: its own cookie jar and CSRF token."""

    def __init__(self, base: str):
        self.http = httpx.Client(base_url=base, timeout=60)
        self.token = TOKEN.search(self.http.get("/").text).group(1)

    def upload(self, name: str, files: list[tuple[str, bytes]]) -> int:
        response = self.http.post("/batches", data={"name": name, "profile": "auto", "csrf_token": self.token},
                                  files=[("files", (n, d, "application/octet-stream")) for n, d in files])
        assert response.status_code == 303, response.text[:300]
        return int(response.headers["location"].rsplit("/", 1)[1])

    def post(self, url: str, **data) -> httpx.Response:
        return self.http.post(url, data={**data, "csrf_token": self.token})

    def wait(self, batch_id: int, seconds: float = 120) -> None:
        deadline = time.monotonic() + seconds
        while not self.http.get(f"/batches/{batch_id}/progress").json()["complete"]:
            assert time.monotonic() < deadline, f"batch {batch_id} not audited"
            time.sleep(0.1)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    running = Server(tmp_path_factory.mktemp("races"))
    yield running
    running.stop()


def _report_of(store: Store, batch_id: int) -> int:
    with store.session() as s:
        return s.scalars(select(ReportRow.id).where(ReportRow.batch_id == batch_id)).first()


def _both(first, second):
    """Two requests sent at the same moment; their answers."""
    with ThreadPoolExecutor(2) as pool:
        a, b = pool.submit(first), pool.submit(second)
        return a.result(), b.result()


def test_a_delete_racing_an_upload_of_the_same_bytes_never_loses_the_upload_s_file(server):
    """Finding 1: batch A deleted while batch B uploads the same bytes; B's file must stay stored."""
    alice, bob = server.client(), server.client()
    store = server.app.state.store
    for i in range(TRIES):
        data = f"2024年度法治政府建设情况报告\n第{i}次\n".encode() * 50
        first = alice.upload(f"A{i}", [("报告.txt", data)])
        deleted, second = _both(lambda: alice.post(f"/batches/{first}/delete"),
                                lambda: bob.upload(f"B{i}", [("报告.txt", data)]))
        assert deleted.status_code == 303
        with store.session() as s:
            kept = s.scalars(select(File).where(File.batch_id == second)).one()
            assert file_store.path_for(store.data_dir, kept.hash, kept.original_name).is_file(), f"try {i}"


def test_a_form_opened_on_a_deleted_report_is_refused_never_applied_to_another(server):
    """Finding 2: the review form of a report whose batch someone deleted, submitted after a new upload."""
    alice, bob = server.client(), server.client()
    store = server.app.state.store
    sample = sorted(REPORTS.glob("*.txt"))[0].read_bytes()
    for i in range(TRIES):
        opened_batch = alice.upload(f"旧{i}", [(f"{i}.txt", sample + f"\n{i}\n".encode())])
        alice.wait(opened_batch)
        opened = _report_of(store, opened_batch)
        page = alice.http.get(f"/reports/{opened}").text
        rule = re.search(r'name="rule" value="([a-z0-9-]+)"', page).group(1)
        _gone, fresh = _both(lambda: bob.post(f"/batches/{opened_batch}/delete"),
                             lambda: bob.upload(f"新{i}", [(f"{i}.txt", sample + f"\n新{i}\n".encode())]))
        bob.wait(fresh)
        stale = alice.post(f"/reports/{opened}/review", rule=rule, status="met", reason="已写明", seen="0")
        assert stale.status_code == 410 and "这份报告已不存在" in stale.text
        with store.session() as s:
            assert not s.scalars(select(Review).where(Review.report_id == _report_of(store, fresh))).all()
            assert _report_of(store, fresh) != opened


def test_two_people_saving_at_once_one_is_saved_the_other_shown_both_texts(server):
    """Finding 3: 整改意见 and a rule's review saved by two people at the same moment on one report."""
    alice, bob = server.client(), server.client()
    store = server.app.state.store
    batch_id = alice.upload("同时保存", [("同时.txt", sorted(REPORTS.glob("*.txt"))[1].read_bytes())])
    alice.wait(batch_id)
    report = _report_of(store, batch_id)
    rule = re.search(r'name="rule" value="([a-z0-9-]+)"', alice.http.get(f"/reports/{report}").text).group(1)
    for i in range(TRIES):
        with store.session() as s:
            letter = s.scalars(select(Letter.id).where(Letter.report_id == report).order_by(Letter.id.desc())).first()
            review = s.scalars(select(Review.id).where(Review.report_id == report, Review.rule == rule)
                               .order_by(Review.id.desc())).first()
        a, b = _both(lambda: alice.post(f"/reports/{report}/letter", text=f"甲的意见{i}", seen=str(letter or 0)),
                     lambda: bob.post(f"/reports/{report}/letter", text=f"乙的意见{i}", seen=str(letter or 0)))
        assert sorted([a.status_code, b.status_code]) == [200, 409] or sorted(
            [a.status_code, b.status_code]) == [303, 409], (a.status_code, b.status_code)
        loser = a if a.status_code == 409 else b
        with store.session() as s:
            newest = s.scalars(select(Letter).where(Letter.report_id == report).order_by(Letter.id.desc())).first()
        assert newest.text in (f"甲的意见{i}", f"乙的意见{i}") and newest.text in loser.text   # theirs shown
        mine = f"乙的意见{i}" if newest.text.startswith("甲") else f"甲的意见{i}"
        assert mine in loser.text   # and what the loser typed, to save again
        a, b = _both(lambda: alice.post(f"/reports/{report}/review", rule=rule, status="met", reason=f"甲{i}",
                                        seen=str(review or 0)),
                     lambda: bob.post(f"/reports/{report}/review", rule=rule, status="missing", reason=f"乙{i}",
                                      seen=str(review or 0)))
        assert sorted([a.status_code, b.status_code]) == [303, 409], (a.status_code, b.status_code)


def test_a_backup_during_deletes_is_complete_or_says_it_is_not(server, tmp_path, capsys):
    """Finding 4: a backup taken while batches of 100 files are deleted lists no file it lacks."""
    from auditor.web.serve import _listed_files, backup
    alice = server.client()
    store = server.app.state.store
    for i in range(TRIES):
        with store.writing() as s:   # a batch of 100 stored files, written as an upload writes them
            batch = Batch(name=f"备份{i}", profile="auto")
            s.add(batch)
            s.flush()
            for k in range(100):
                data = f"备份测试 {i} {k}\n".encode()
                digest, size = file_store.save(store.data_dir, "a.txt", data)
                s.add(File(batch_id=batch.id, position=k, hash=digest, size=size, original_name="a.txt",
                           state="done"))
            batch_id = batch.id
        dest = tmp_path / f"copy{i}"
        deleting = threading.Thread(target=alice.post, args=(f"/batches/{batch_id}/delete",))
        deleting.start()
        code = backup(store.data_dir, dest)
        deleting.join()
        listed = _listed_files(dest / "auditor.sqlite3")
        assert code == 0, capsys.readouterr().err
        assert all((dest / name).is_file() for name in listed), f"try {i}"


def test_while_an_upload_is_unpacked_other_pages_are_answered(server, monkeypatch):
    """Finding 12: unpacking runs off the event loop; a progress poll does not wait for it."""
    from auditor.web.routes import batches
    unpacking, release = threading.Event(), threading.Event()
    real = batches.accept

    def slow_accept(*args, **kwargs):
        unpacking.set()
        assert release.wait(60)
        return real(*args, **kwargs)
    monkeypatch.setattr(batches, "accept", slow_accept)
    alice, bob = server.client(), server.client()
    with ThreadPoolExecutor(1) as pool:
        upload = pool.submit(alice.upload, "大批次", [("报告.txt", "法治政府建设\n".encode() * 20)])
        assert unpacking.wait(30)
        answered = bob.http.get("/", timeout=10)   # the old code blocked here until the unpacking ended
        assert answered.status_code == 200 and not upload.done()
        release.set()
        assert upload.result() > 0


def test_a_full_disk_keeps_nothing_half_stored_and_says_so(server, monkeypatch):
    """Finding 14: the disk fills during an upload: one Chinese page, no batch, no orphaned bytes."""
    import errno
    alice = server.client()
    store = server.app.state.store
    real_save, calls = file_store.save, []

    def filling(data_dir, name, data):
        calls.append(name)
        if len(calls) > 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_save(data_dir, name, data)
    monkeypatch.setattr(file_store, "save", filling)
    with store.session() as s:
        batches_before = len(s.scalars(select(Batch)).all())
    files = [(f"满{k}.txt", f"磁盘已满测试 {k} {time.time()}\n".encode()) for k in range(4)]
    response = alice.http.post("/batches", data={"name": "磁盘满", "csrf_token": alice.token},
                               files=[("files", (n, d, "text/plain")) for n, d in files])
    assert response.status_code == 507 and "磁盘已满" in response.text and "Traceback" not in response.text
    with store.session() as s:
        assert len(s.scalars(select(Batch)).all()) == batches_before
    import hashlib
    for name, data in files:
        assert not file_store.path_for(store.data_dir, hashlib.sha256(data).hexdigest(), name).exists()


def test_a_start_sweeps_orphaned_bytes_and_stale_partial_writes(tmp_path):
    """Finding 14: bytes no row refers to and `.part` files a stopped server left are gone after a start."""
    import os
    from fastapi.testclient import TestClient
    store = Store(tmp_path)
    with store.writing() as s:
        batch = Batch(name="留下", profile="auto")
        s.add(batch)
        s.flush()
        kept_digest, size = file_store.save(tmp_path, "留下.txt", "留下的报告\n".encode())
        s.add(File(batch_id=batch.id, position=0, hash=kept_digest, size=size, original_name="留下.txt",
                   state="done"))
    orphan_digest, _size = file_store.save(tmp_path, "孤儿.txt", "无人引用\n".encode())
    orphan = file_store.path_for(tmp_path, orphan_digest, "孤儿.txt")
    stale = orphan.with_name(".x.txt.123.part")
    stale.write_bytes(b"half")
    os.utime(stale, (time.time() - 3600, time.time() - 3600))
    with TestClient(create_app(tmp_path, options=OPTIONS)):
        pass
    assert not orphan.exists() and not stale.exists()
    assert file_store.path_for(tmp_path, kept_digest, "留下.txt").is_file()
