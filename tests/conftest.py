"""Shared fixtures: the bundled rules, one matcher, paths, and a real run of the console script.

Also what a test needs beyond the checkout, and what happens where it is missing (README, Set-up):
- ../shared beside the checkout (the labelled corpus, hand labels, the SARIF schema): without it, the tests
  that read it are skipped with one reason, the others run.
- Debian's browser and office packages (Makefile's SYSTEM_PACKAGES): `make test` installs them as root. Tests
  marked `browser` (Chromium and chromium-driver) or `office` (LibreOffice Writer and Calc), and the tests that
  use CHROMIUM, are skipped with one line when a piece is missing and the user is not root, who cannot install
  it; as root (CI) a missing piece fails them, as nothing there may skip that `make test` can run.
"""
from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pytest

from auditor.ruleset import load_rules
from auditor.settings import Options

REPO = Path(__file__).resolve().parents[1]
REPORTS = REPO / "reports"
DATA = Path(__file__).resolve().parent / "data"
SHARED = REPO.parent / "shared"
AUDITOR = Path(sys.executable).parent / "auditor"

NO_SHARED = (f"{SHARED} is not beside the checkout (the labelled corpus, hand labels and SARIF schema live "
             "there): the tests that read it are skipped")
# what each kind of system test needs: (Debian package, present?) — the checks of Makefile's SYSTEM stamp
SYSTEM = {
    "browser": lambda: [("chromium", bool(shutil.which("chromium"))),
                        ("chromium-driver", os.access("/usr/bin/chromedriver", os.X_OK)),
                        ("fonts-noto-cjk", _cjk_font())],
    "office": lambda: [("libreoffice-writer-nogui", bool(shutil.which("soffice"))),
                       ("libreoffice-calc-nogui", Path("/usr/lib/libreoffice/program/libsclo.so").exists()),
                       ("fonts-noto-cjk", _cjk_font())],
}


@lru_cache(maxsize=1)
def _cjk_font() -> bool:
    try:
        found = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return False
    return bool(found.strip())


@lru_cache(maxsize=None)
def missing(kind: str) -> tuple[str, ...]:
    """The Debian packages a `browser` or `office` test needs that this machine lacks."""
    return tuple(package for package, present in SYSTEM[kind]() if not present)


def system_verdict(kind: str, lacking: tuple[str, ...], root: bool) -> tuple[str, str] | None:
    """("skip" | "fail", the one line why) for a `kind` test where `lacking` packages are missing; None: run."""
    if not lacking:
        return None
    packages = " ".join(lacking)
    if root:
        return "fail", (f"{kind} test: {packages} not installed; run `make test`, which installs them as root "
                        f"(apt-get install {packages})")
    return "skip", (f"{kind} tests skipped: {packages} not installed and not root (as root, `make test` "
                    "installs them)")


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: drives or prints with Debian's Chromium (chromium, chromium-driver)")
    config.addinivalue_line("markers", "office: opens files with LibreOffice (libreoffice-writer-nogui, -calc-nogui)")


def pytest_report_header(config):
    lines = [] if SHARED.is_dir() else [NO_SHARED]
    for kind in SYSTEM:
        verdict = system_verdict(kind, missing(kind), os.geteuid() == 0)
        if verdict:
            lines.append(verdict[1])
    return lines


def _system_kinds(item) -> set[str]:
    kinds = {m.name for m in item.iter_markers() if m.name in SYSTEM}
    if "CHROMIUM" in _names(getattr(item, "function", None)):
        kinds.add("browser")
    return kinds


def pytest_runtest_setup(item):
    for kind in sorted(_system_kinds(item)):
        verdict = system_verdict(kind, missing(kind), os.geteuid() == 0)
        if verdict:
            (pytest.fail if verdict[0] == "fail" else pytest.skip)(verdict[1])


# --- tests that read ../shared ------------------------------------------------------------------------------

def _names(node) -> set[str]:
    """Every name a function (its decorators included) or an AST node mentions, imported names too."""
    if node is None:
        return set()
    if not isinstance(node, ast.AST):
        node = _definition(node)
        if node is None:
            return set()
    found = set()
    for sub in ast.walk(node):
        if isinstance(sub, ast.Name):
            found.add(sub.id)
        elif isinstance(sub, ast.alias):
            found.add(sub.asname or sub.name)
        elif isinstance(sub, ast.arg):   # a fixture's own fixtures
            found.add(sub.arg)
    return found


@lru_cache(maxsize=None)
def _module_tree(path: str) -> ast.Module:
    return ast.parse(Path(path).read_text(encoding="utf-8"))


def _definition(function) -> ast.AST | None:
    code = getattr(getattr(function, "__wrapped__", function), "__code__", None)
    return _definition_of(code) if code is not None and code.co_filename.endswith(".py") else None


@lru_cache(maxsize=None)
def _definition_of(code) -> ast.AST | None:
    for node in ast.walk(_module_tree(code.co_filename)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == code.co_name \
                and (node.decorator_list[0].lineno if node.decorator_list else node.lineno) <= code.co_firstlineno \
                <= node.lineno:
            return node
    return None


@lru_cache(maxsize=None)
def _derived_from_shared(path: str) -> frozenset[str]:
    """The module-level names of a test module that hold or read something under ../shared: SHARED itself,
    what is assigned from it, and the functions and fixtures that use either."""
    derived = {"SHARED"}
    body = _module_tree(path).body
    while True:
        before = len(derived)
        for node in body:
            if isinstance(node, (ast.Assign, ast.AnnAssign)) and _names(node.value) & derived:
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                derived |= {n for t in targets for n in _names(t)}
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and _names(node) & derived:
                derived.add(node.name)
        if len(derived) == before:
            return frozenset(derived)


def reads_shared(item) -> bool:
    """Whether a test (its body, its parameters, or a fixture or helper of its module) reads ../shared."""
    function = getattr(item, "function", None)
    module = getattr(item, "module", None)
    if function is None or module is None or not getattr(module, "__file__", None):
        return False
    derived = _derived_from_shared(module.__file__)
    return bool((_names(function) | set(item.fixturenames)) & derived)


def pytest_collection_modifyitems(config, items):
    if SHARED.is_dir():
        return
    skip = pytest.mark.skip(reason=NO_SHARED)
    for item in items:
        if reads_shared(item):
            item.add_marker(skip, append=False)


@pytest.fixture(scope="module")
def chinese():
    """What people read by default (Chinese), for a module whose pages and files are read in Chinese, whatever
    language an earlier test left in this process. Use: pytestmark = pytest.mark.usefixtures("chinese")."""
    from auditor.i18n import language, set_language
    before = language()
    set_language("zh")
    yield
    set_language(before)


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
