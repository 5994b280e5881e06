"""The pre-commit hook definition runs the installed auditor the way pre-commit would."""
from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

from ruamel.yaml import YAML

from .conftest import REPO


def test_pre_commit_hook_entry_runs_on_staged_files():
    (hook,) = YAML(typ="safe").load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["id"] == "auditor" and hook["language"] == "python" and hook["pass_filenames"]
    pattern = re.compile(hook["files"])
    staged = ["reports/002_ae009fae7ef3885b.txt", "README.md", "reports/003_88711d32bb28d44b.txt"]
    files = [f for f in staged if pattern.search(f)]
    assert files == [staged[0], staged[2]]
    entry = shlex.split(hook["entry"])
    exe = Path(sys.executable).parent / entry[0]
    proc = subprocess.run([str(exe), *entry[1:], *files], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1   # 003 has no part on the leaders' duty: the commit is stopped
    assert "003_88711d32bb28d44b.txt" in proc.stdout and "履职情况" in proc.stdout   # section-leader-duty, by name
    ok = subprocess.run([str(exe), *entry[1:], files[0]], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert ok.returncode == 0


def test_ci_example_uses_real_options():
    text = (REPO / "docs" / "ci.md").read_text(encoding="utf-8")
    help_text = subprocess.run([str(Path(sys.executable).parent / "auditor"), "audit", "--help"],
                               capture_output=True, text=True).stdout
    for option in set(re.findall(r"auditor audit [^\n]*", text)):
        for flag in re.findall(r"--[a-z-]+", option):
            assert flag in help_text, flag
