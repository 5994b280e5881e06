"""Documentation generated from the rule files is current, and the README keeps its two set-up commands."""
from __future__ import annotations

from auditor.render.rule_docs import DOCS, markdown, page, with_index
from auditor.ruleset import load_profiles

from .conftest import REPO, run_cli


def test_readme_rule_index_is_current(rules):
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert with_index(readme, rules) == readme, "README rule index is stale: run `make docs`"
    assert markdown(rules) in readme


def test_every_rule_page_is_current_and_none_is_stale(rules):
    profiles = load_profiles(rules, REPO / "rules")
    folder = REPO / DOCS
    assert {p.stem for p in folder.glob("*.md")} == {r.id for r in rules}, "run `make docs`"
    for rule in rules:
        text = (folder / f"{rule.id}.md").read_text(encoding="utf-8")
        assert text == page(rule, profiles), f"docs/rules/{rule.id}.md is stale: run `make docs`"
        for part in ("## 检查什么", "## 为什么", "## 示例", "## 适用范围", "## 如何整改"):
            assert part in text
        assert rule.fix in text and rule.legal_basis[0] in text and next(t for k, _, t, _ in rule.examples.cases() if k == "not_met").splitlines()[0] in text


def test_rules_show_prints_the_page_and_suggests_on_a_typo(rules):
    r = run_cli("rules", "show", "digital-rule-of-law")
    assert r.code == 0 and "2021年度起" in r.stdout and "画像 `township`（乡镇（街道））：提示" in r.stdout
    concept = run_cli("rules", "show", "leaders-study-law").stdout
    assert "主体（本机关领导机构或领导干部） + 行为（学习｜培训、讲座） + 对象（法律或法治理论）" in concept
    assert r.stdout.strip() == (REPO / DOCS / "digital-rule-of-law.md").read_text(encoding="utf-8").strip()
    typo = run_cli("rules", "show", "major-decision")
    assert typo.code == 2 and "是否指 major-decision-procedure" in typo.stderr


def test_readme_has_exactly_two_setup_commands():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = readme.split("## Set-up", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    assert [ln.split("#")[0].strip() for ln in block.strip().splitlines()] == ["make setup", "make test"]


def test_readme_says_what_the_tests_need_beyond_setup():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    setup = readme.split("## Set-up", 1)[1].split("\n## ", 1)[0]
    assert "`../shared` beside the checkout" in setup and "root" in setup and "apt" in setup
    for package in ("chromium", "chromium-driver", "libreoffice-writer-nogui", "libreoffice-calc-nogui",
                    "fonts-noto-cjk"):
        assert f"`{package}`" in setup, package


def test_the_tests_and_the_makefile_name_the_same_system_packages():
    from . import conftest
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    listed = makefile.split("SYSTEM_PACKAGES :=", 1)[1].split("\n", 1)[0].split()
    needed = {package for kind in conftest.SYSTEM for package, _present in conftest.SYSTEM[kind]()}
    assert needed == set(listed)


def test_missing_system_packages_skip_for_a_user_and_fail_for_root():
    from .conftest import system_verdict
    assert system_verdict("browser", (), root=False) is None and system_verdict("office", (), root=True) is None
    kind, why = system_verdict("browser", ("chromium", "chromium-driver"), root=False)
    assert kind == "skip" and "\n" not in why and "chromium chromium-driver" in why and "make test" in why
    kind, why = system_verdict("office", ("libreoffice-calc-nogui",), root=True)
    assert kind == "fail" and "make test" in why and "apt-get install libreoffice-calc-nogui" in why


def test_tests_that_read_shared_are_found():
    """Without ../shared exactly the tests reading it are skipped: found through names, fixtures and helpers."""
    import ast

    from .conftest import _derived_from_shared, _names
    source = '''
from .conftest import SHARED
LABELS = SHARED / "labels.tsv"
ROWS = [1] if LABELS.exists() else []
def _rows():
    return ROWS
@pytest.fixture
def corpus(tmp_path):
    return _rows()
@pytest.fixture
def later(corpus):
    return corpus
def test_plain():
    assert 1
'''
    import tempfile
    from pathlib import Path
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "test_x.py"
        path.write_text(source, encoding="utf-8")
        derived = _derived_from_shared(str(path))
    assert {"SHARED", "LABELS", "ROWS", "_rows", "corpus", "later"} <= derived and "test_plain" not in derived
    assert _names(ast.parse("def f():\n    from .conftest import SHARED\n")) >= {"SHARED"}
