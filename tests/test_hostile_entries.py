"""Odd and unreadable entries (issue 14, item 11): every entry skipped is said, an unreadable folder is an
error, an unreadable file is E102 and the batch goes on. Tests run as root, which reads everything: the
permission cases run the auditor without the capabilities that let root ignore file modes (setpriv), so a
mode of 000 binds it as it binds any user."""
from __future__ import annotations

import os
import subprocess

import pytest

from .conftest import AUDITOR, REPO, REPORTS, run_cli

pytestmark = pytest.mark.usefixtures("english")   # these check the wording of messages, in English

SAMPLE = REPORTS / "002_ae009fae7ef3885b.txt"
UNPRIVILEGED = ["setpriv", "--bounding-set=-dac_override,-dac_read_search"]


def as_nobody(*args: str, cwd) -> subprocess.CompletedProcess:
    return subprocess.run([*UNPRIVILEGED, str(AUDITOR), *args], cwd=cwd, capture_output=True, text=True,
                          timeout=180)


@pytest.fixture
def world(tmp_path):
    """A folder everyone may enter, with a readable report, an unreadable one and an unreadable subfolder."""
    os.chmod(tmp_path, 0o755)
    folder = tmp_path / "in"
    folder.mkdir(mode=0o755)
    (folder / "good.txt").write_bytes(SAMPLE.read_bytes())
    secret = folder / "secret.txt"
    secret.write_bytes(SAMPLE.read_bytes())
    os.chmod(secret, 0o000)
    locked = folder / "locked"
    locked.mkdir()
    (locked / "inner.txt").write_bytes(SAMPLE.read_bytes())
    os.chmod(locked, 0o000)
    os.chmod(folder, 0o755)
    yield folder
    os.chmod(locked, 0o755)


@pytest.mark.skipif(os.geteuid() != 0, reason="as a user, file modes bind already; this test drops root's bypass")
def test_unreadable_entries_are_errors_and_the_batch_goes_on(world):
    r = as_nobody("audit", str(world), "-f", "json", cwd=REPO)
    assert r.returncode == 2, r.stderr
    assert "Traceback" not in r.stderr and "Usage" not in r.stderr
    lines = r.stderr.splitlines()
    assert any("secret.txt" in ln and "[E102]" in ln for ln in lines)
    assert any("locked" in ln and "[E102]" in ln and "folder" in ln for ln in lines)
    import json
    reports = json.loads(r.stdout)["reports"]
    assert any(rep["path"].endswith("good.txt") and not rep["errors"] for rep in reports)


@pytest.mark.skipif(os.geteuid() != 0, reason="as a user, file modes bind already; this test drops root's bypass")
def test_an_unreadable_file_named_on_the_command_line_is_e102_not_a_usage_error(world):
    r = as_nobody("audit", str(world / "secret.txt"), str(world / "good.txt"), "-f", "json", cwd=REPO)
    assert r.returncode == 2 and "[E102]" in r.stderr and "Usage" not in r.stderr
    assert '"good.txt"' in r.stdout or "good.txt" in r.stdout


def test_fifos_links_and_dot_files_in_a_folder_are_each_said(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_bytes(SAMPLE.read_bytes())
    os.mkfifo(folder / "pipe.txt")
    (folder / "gone.txt").symlink_to(tmp_path / "missing.txt")
    (folder / "zero.txt").symlink_to("/dev/zero")
    (folder / ".draft.txt").write_bytes(SAMPLE.read_bytes())
    (folder / "loop").symlink_to(folder)
    r = run_cli("audit", str(folder), "-f", "json")
    assert r.code in (0, 1), r.stderr
    said = r.stderr
    for name, why in [("pipe.txt", "not a regular file"), ("gone.txt", "broken link"),
                      ("zero.txt", "not a regular file"), (".draft.txt", "hidden"), ("loop", "not followed")]:
        assert any(name in ln and why in ln for ln in said.splitlines()), (name, said)
