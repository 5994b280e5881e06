"""Shared fixtures: the bundled rules, one matcher, paths, and a real run of the console script."""
from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from auditor.ruleset import load_rules
from auditor.settings import Options

REPO = Path(__file__).resolve().parents[1]
REPORTS = REPO / "reports"
DATA = Path(__file__).resolve().parent / "data"
SHARED = REPO.parent / "shared"
AUDITOR = Path(sys.executable).parent / "auditor"


@pytest.fixture
def english(monkeypatch):
    """Messages in English (as --lang en), for tests that check a message's wording: in this process and in
    the commands it runs. What people read by default (Chinese) is checked by tests/test_chinese.py."""
    from auditor import i18n
    monkeypatch.setattr(i18n, "_language", "en")
    monkeypatch.setenv(i18n.ENV, "en")


@pytest.fixture(scope="session")
def rules():
    return load_rules(REPO / "rules")


@pytest.fixture(scope="session")
def matcher(rules):
    """As the command line audits: each report with the profile for its level."""
    return Options(rules_dir=str(REPO / "rules")).build()


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str


def run_cli(*args: str, cwd: Path = REPO) -> Run:
    """Run the installed `auditor` script as a user would; stdout and stderr kept apart."""
    proc = subprocess.run([str(AUDITOR), *args], cwd=cwd, capture_output=True, text=True,
                          encoding="utf-8", timeout=120)
    return Run(proc.returncode, proc.stdout, proc.stderr)
