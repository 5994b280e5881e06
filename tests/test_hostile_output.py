"""Where the output goes and what a batch survives (issue 14, items 1–5): never over an input, never a half
file, devices and FIFOs as streams, the umask's mode, a dead or stuck worker costs one file, SIGTERM is Ctrl+C."""
from __future__ import annotations

import os
import resource
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from auditor import batch
from auditor.batch import audit_batch

from .conftest import AUDITOR, REPO, REPORTS, run_cli

pytestmark = pytest.mark.usefixtures("english")   # these check the wording of messages, in English

SAMPLE = REPORTS / "002_ae009fae7ef3885b.txt"


def _folder(tmp_path: Path, n: int = 3) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(n):
        (folder / f"r{i}.txt").write_bytes(SAMPLE.read_bytes())
    return folder


# --- 1. never over an input ---------------------------------------------------------------------------------

def test_output_onto_a_report_found_in_a_folder_is_refused(tmp_path):
    folder = _folder(tmp_path)
    target = folder / "r1.txt"
    before = target.read_bytes()
    r = run_cli("audit", str(folder), "-f", "json", "-o", str(target))
    assert r.code == 2 and "[E301]" in r.stderr and "input" in r.stderr and r.stdout == ""
    assert target.read_bytes() == before


def test_output_onto_a_hard_link_of_an_input_is_refused(tmp_path):
    folder = _folder(tmp_path, 1)
    link = tmp_path / "alias.json"
    os.link(folder / "r0.txt", link)
    r = run_cli("audit", str(folder), "-f", "json", "-o", str(link))
    assert r.code == 2 and "[E301]" in r.stderr
    assert (folder / "r0.txt").read_bytes() == SAMPLE.read_bytes()


# --- 2. a write that fails leaves nothing and says so ------------------------------------------------------

def _limited(max_bytes: int):
    def limit():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)   # past the limit a write fails (EFBIG) instead of killing
        resource.setrlimit(resource.RLIMIT_FSIZE, (max_bytes, max_bytes))
    return limit


@pytest.mark.parametrize("fmt", ["json", "jsonl", "table"])
def test_a_write_that_runs_out_of_room_is_one_line_and_no_file(tmp_path, fmt):
    out = tmp_path / "out.txt"
    proc = subprocess.run([str(AUDITOR), "audit", str(SAMPLE), "-f", fmt, "-o", str(out)], cwd=REPO,
                          capture_output=True, text=True, preexec_fn=_limited(2000), timeout=120)
    assert proc.returncode == 2, proc.stderr
    assert "[E301]" in proc.stderr and "Traceback" not in proc.stderr
    assert not out.exists() and not list(tmp_path.glob(".out.txt.*"))


def test_a_full_device_is_one_line_and_exit_2():
    r = run_cli("audit", str(SAMPLE), "-f", "json", "-o", "/dev/full")
    assert r.code == 2 and "[E301]" in r.stderr and "Traceback" not in r.stderr


# --- 3. devices and FIFOs are streams; modes follow the umask or stay ---------------------------------------

def test_dev_null_stays_a_device():
    before = set(os.listdir("/dev"))
    r = run_cli("audit", str(SAMPLE), "-f", "json", "-o", "/dev/null")
    assert (r.code, r.stdout, r.stderr) == (0, "", "")   # the sample passes the default gate; nothing else said
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)   # not replaced by a regular file
    assert {n for n in set(os.listdir("/dev")) - before if n.startswith(".null")} == set()   # no temporary file


def test_a_character_device_gets_the_whole_output(tmp_path):
    """What /dev/null swallows, a terminal shows: a pseudo-terminal (a character device like /dev/null) is
    written as a stream, and what arrives is the whole JSON, the same as on stdout."""
    import json
    import pty
    import select
    import tty
    master, slave = pty.openpty()
    tty.setraw(slave)   # bytes as written: no \r added before each \n
    device = os.ttyname(slave)
    assert stat.S_ISCHR(os.stat(device).st_mode)
    got = bytearray()
    proc = subprocess.Popen([str(AUDITOR), "audit", str(SAMPLE), "-f", "json", "-o", device], cwd=REPO,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        while True:   # read as it comes: a full pty buffer would block the writer
            ready, _, _ = select.select([master], [], [], 0.2)
            if ready:
                got += os.read(master, 1 << 16)
            elif proc.poll() is not None:
                break
        out, err = proc.communicate(timeout=120)
    finally:
        os.close(master)
        os.close(slave)
    assert (proc.returncode, out, err) == (0, b"", b"")
    written = json.loads(got.decode("utf-8"))
    expected = json.loads(run_cli("audit", str(SAMPLE), "-f", "json").stdout)
    assert [r["path"] for r in written["reports"]] == [r["path"] for r in expected["reports"]] == [str(SAMPLE)]
    assert [x["status"] for x in written["reports"][0]["results"]] == \
        [x["status"] for x in expected["reports"][0]["results"]]


def test_a_fifo_is_written_as_a_stream(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    r = run_cli("audit", str(SAMPLE), "-f", "json", "-o", str(fifo))
    reader.join(timeout=60)
    assert r.code in (0, 1) and stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert b'"reports"' in got[0]


def test_a_new_file_gets_the_umask_mode_and_an_existing_one_keeps_its_own(tmp_path):
    new, old = tmp_path / "new.json", tmp_path / "old.json"
    old.write_text("{}")
    os.chmod(old, 0o640)
    for out in (new, old):
        proc = subprocess.run([str(AUDITOR), "audit", str(SAMPLE), "-f", "json", "-o", str(out)], cwd=REPO,
                              capture_output=True, preexec_fn=lambda: os.umask(0o022), timeout=120)
        assert proc.returncode in (0, 1)
    assert stat.S_IMODE(new.stat().st_mode) == 0o644
    assert stat.S_IMODE(old.stat().st_mode) == 0o640 and old.read_text() != "{}"


@pytest.mark.parametrize("fmt", ["letter", "review"])
def test_word_documents_get_the_umask_mode_too(tmp_path, fmt):
    """Letters and reviewed copies go through the same atomic writer as -o FILE: 0644 under umask 022, not the
    0600 of a bare temporary file; an existing one keeps its own mode; no temporary file is left."""
    folder = tmp_path / "out"

    def run():
        proc = subprocess.run([str(AUDITOR), "audit", str(SAMPLE), "-f", fmt, "-o", str(folder)], cwd=REPO,
                              capture_output=True, preexec_fn=lambda: os.umask(0o022), timeout=120)
        assert proc.returncode in (0, 1), proc.stderr

    run()
    (written,) = folder.iterdir()
    assert written.suffix == ".docx" and stat.S_IMODE(written.stat().st_mode) == 0o644
    os.chmod(written, 0o640)
    run()
    assert [p.name for p in folder.iterdir()] == [written.name]   # written over, nothing left beside it
    assert stat.S_IMODE(written.stat().st_mode) == 0o640


# --- 4. a dead or stuck worker costs one file, not the batch -----------------------------------------------

_REAL = batch._audit_slim


def _dying(path):   # module level: the pool pickles it by name
    if path.name == "r1.txt":
        os.kill(os.getpid(), signal.SIGKILL)   # as the out-of-memory killer would
    return _REAL(path)


def _stuck(path):
    if path.name == "r0.txt":
        time.sleep(60)
    return _REAL(path)


def test_a_killed_worker_costs_its_file_and_the_batch_goes_on(tmp_path, matcher, monkeypatch):
    folder = _folder(tmp_path, 4)
    monkeypatch.setattr(batch, "_audit_slim", _dying)
    reports = list(audit_batch(sorted(folder.glob("*.txt")), matcher, jobs=2))
    assert [Path(r.path).name for r in reports] == ["r0.txt", "r1.txt", "r2.txt", "r3.txt"]
    assert [bool(r.errors) for r in reports] == [False, True, False, False]
    assert "killed" in reports[1].errors[0].message


def test_a_stuck_file_is_stopped_and_the_batch_goes_on(tmp_path, matcher, monkeypatch):
    folder = _folder(tmp_path, 3)
    monkeypatch.setattr(batch, "_audit_slim", _stuck)
    monkeypatch.setattr(batch, "FILE_SECONDS", 2)
    started = time.monotonic()
    reports = list(audit_batch(sorted(folder.glob("*.txt")), matcher, jobs=2))
    assert time.monotonic() - started < 30
    assert [bool(r.errors) for r in reports] == [True, False, False] and "2 s" in reports[0].errors[0].message


# --- 5. SIGTERM ends a batch as Ctrl+C does -----------------------------------------------------------------

@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_mid_batch_leaves_nothing_behind(tmp_path, sig):
    folder = _folder(tmp_path, 1500)   # long enough that the signal comes mid-batch
    out = tmp_path / "out.json"
    # a disposition of "ignored" would be inherited from the test process; the user's shell has the default
    proc = subprocess.Popen([str(AUDITOR), "audit", str(folder), "-f", "json", "-o", str(out), "-j", "2"],
                            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(sig, signal.SIG_DFL))
    started, children = time.monotonic(), []
    while len(children) < 2 and proc.poll() is None and time.monotonic() - started < 60:
        time.sleep(0.1)   # the workers exist once the audit has begun
        children = subprocess.run(["pgrep", "-P", str(proc.pid)], capture_output=True, text=True).stdout.split()
    time.sleep(0.5)
    assert proc.poll() is None, f"the batch ended before the signal ({time.monotonic() - started:.1f} s)"
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "Traceback" not in err and "BrokenPipe" not in err
    assert not out.exists() and not list(tmp_path.glob(".out.json.*"))
    time.sleep(0.5)
    alive = [pid for pid in children if Path(f"/proc/{pid}").exists()]
    assert alive == [], "workers outlived the run"


# --- 12. a Dask scheduler that is malformed, absent or not Dask: one line, never a hang -----------------------

@pytest.mark.parametrize("address", ["nonsense://x", "tcp://127.0.0.1:1", "silent"])
def test_a_bad_dask_scheduler_is_one_error_not_a_hang(address, matcher, monkeypatch):
    import socket
    from auditor.batch import audit_dask
    from auditor.errors import AuditorError
    from auditor.settings import Options
    monkeypatch.setattr(batch, "CONNECT_SECONDS", 3)
    if address == "silent":   # accepts the connection and never answers, as a web server on that port might
        server = socket.socket()
        server.bind(("127.0.0.1", 0))
        server.listen()
        address = f"tcp://127.0.0.1:{server.getsockname()[1]}"
    started = time.monotonic()
    with pytest.raises(AuditorError) as caught:
        audit_dask([SAMPLE], matcher, Options(), address)
    assert caught.value.code == "E301" and address in caught.value.message
    assert time.monotonic() - started < 30
