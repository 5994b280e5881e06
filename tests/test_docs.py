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
