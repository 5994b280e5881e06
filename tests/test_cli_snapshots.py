"""Command-line snapshots, as Ruff's snapshot tests record them: the arguments, the exit code, stdout and stderr
of one run together, so a change in any of them shows as one reviewed diff. Paths of the run's own temporary
folder are written <tmp>. Verdicts themselves are the goldens' (test_golden.py); these record what the command
line adds: exit codes, where each line goes, usage errors and messages.

Update after a deliberate change with: .venv/bin/python -m pytest tests/test_cli_snapshots.py --snapshot-update
"""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest

from .conftest import REPO, run_cli

ONE = "reports/002_ae009fae7ef3885b.txt"

COMMANDS = {
    "missing-input": ["audit", "nosuchfile.txt"],
    "missing-argument": ["audit"],
    "missing-argument-en": ["--lang", "en", "audit"],
    "xlsx-without-output": ["audit", ONE, "--format", "xlsx"],
    "unknown-format": ["audit", ONE, "--format", "pdf"],
    "unknown-rule": ["rules", "show", "legal-advisr"],
    "unknown-profile": ["audit", ONE, "--profile", "townshp"],
    "letter-into-a-folder": ["audit", ONE, "--format", "letter", "--output", "{tmp}/意见"],
    "letter-onto-a-file": ["audit", ONE, "--format", "letter", "--output", "{tmp}/file.txt"],
    "output-onto-an-input": ["audit", ONE, "--format", "json", "--output", ONE],
    "config-from-a-file": ["config", "--fail-on", "warning"],
}


def snapshot_text(args: list[str], code: int, stdout: str, stderr: str) -> str:
    """One run as the snapshot records it."""
    return "\n".join(["args: auditor " + " ".join(args), f"exit: {code}", "----- stdout -----", stdout.rstrip("\n"),
                      "----- stderr -----", stderr.rstrip("\n")]) + "\n"


@pytest.mark.parametrize("name", list(COMMANDS))
def test_command_line_snapshot(name, tmp_path, monkeypatch, request, snapshot):
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.delenv("AUDITOR_LANG", raising=False)
    (tmp_path / "file.txt").write_text("一个文件，不是文件夹\n", encoding="utf-8")
    cwd = REPO
    if name == "config-from-a-file":
        # a settings file of its own, in a folder whose name is as long on every machine: the table's columns
        # are as wide as the file's path
        cwd = tmp_path = Path(tempfile.mkdtemp(prefix="cfg", dir="/tmp"))
        request.addfinalizer(lambda: shutil.rmtree(cwd, ignore_errors=True))
        (cwd / ".auditor.toml").write_text('fail-on = "error"\njobs = 2\noffice = "某县司法局"\n', encoding="utf-8")
    args = [a.replace("{tmp}", str(tmp_path)) for a in COMMANDS[name]]
    r = run_cli(*args, cwd=cwd)
    shown = [a.replace(str(tmp_path), "<tmp>") for a in args]
    assert snapshot_text(shown, r.code, r.stdout, r.stderr).replace(str(tmp_path), "<tmp>") == snapshot
