from __future__ import annotations

from auditor.render.rule_index import markdown, with_index

from .conftest import REPO


def test_readme_rule_index_is_current(rules):
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert with_index(readme, rules) == readme, "README rule index is stale: run `make docs`"
    assert markdown(rules) in readme


def test_readme_has_exactly_two_setup_commands():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = readme.split("## Set-up", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    assert [ln.split("#")[0].strip() for ln in block.strip().splitlines()] == ["make setup", "make test"]
