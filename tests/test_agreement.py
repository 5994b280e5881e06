"""Lists that live in one home and the places that must still agree with them: the metadata checks the rule
schema names and the code that runs them, and the rule schema and rules/README.md, which documents it."""
from __future__ import annotations

import re
import typing

import yaml
from pydantic import BaseModel

from auditor import checks, rule_schema
from auditor.rule_schema import Rule

from .conftest import REPO

RULES_README = (REPO / "rules" / "README.md").read_text(encoding="utf-8")


def test_every_check_the_schema_names_has_its_code_and_no_other():
    assert tuple(checks.CHECKS) == tuple(rule_schema.CHECKS)


def test_every_bundled_metadata_rule_names_a_check_that_runs(rules):
    assert {r.check for r in rules if r.kind == "metadata"} <= set(checks.CHECKS)


# --- rules/README.md against the rule schema ------------------------------------------------------------------

def _models(annotation) -> list[type[BaseModel]]:
    """The schema classes an annotation holds (inside Optional, list, Union …)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in typing.get_args(annotation) for m in _models(arg)]


def _fields(classes: list[type[BaseModel]]) -> dict:
    return {(f.alias or name): f for c in classes for name, f in c.model_fields.items()}


def _unknown_keys(value, classes: list[type[BaseModel]], path: str) -> list[str]:
    """Keys of a YAML example that no schema class at their place has."""
    if isinstance(value, list):
        return [k for item in value for k in _unknown_keys(item, classes, path + "[]")]
    if not isinstance(value, dict):
        return []
    fields = _fields(classes)
    unknown = []
    for key, item in value.items():
        if key in fields:
            unknown += _unknown_keys(item, _models(fields[key].annotation), f"{path}.{key}")
        else:
            unknown.append(f"{path}.{key}")
    return unknown


def _resolves(dotted: str) -> bool:
    """`match.scorer`, `patterns[].window`: a path through the rule schema."""
    classes: list[type[BaseModel]] = [Rule]
    for part in dotted.replace("[]", "").split("."):
        fields = _fields(classes)
        if part not in fields:
            return False
        classes = _models(fields[part].annotation)
    return True


def _example() -> dict:
    """The annotated example at the top of rules/README.md: the table of every field a rule may have."""
    return yaml.safe_load(re.search(r"```yaml\n(.*?)```", RULES_README, re.S).group(1))


def _defaults_table() -> list[str]:
    """The field paths in the first column of the README's table of defaults."""
    section = RULES_README.split("## Defaults", 1)[1]
    table = section[section.index("| field |"):].split("\n\n", 1)[0]
    rows = [line.split("|")[1] for line in table.splitlines() if line.startswith("| `")]
    return [path for cell in rows for path in re.findall(r"`([^`]+)`", cell)]


def test_every_key_the_readme_shows_is_a_field_of_the_schema():
    assert _unknown_keys(_example(), [Rule], "rule") == []
    table = _defaults_table()
    assert len(table) >= 10 and [p for p in table if not _resolves(p)] == []


def test_every_field_of_the_schema_is_in_the_readme():
    """A field of the example, else one the README documents by its key elsewhere (`check:`, `wrong_types`)."""
    shown = set(_example())
    documented = {name for name in Rule.model_fields if re.search(rf"`{name}[`:.\[ ]", RULES_README)}
    assert [name for name in Rule.model_fields if name not in shown | documented] == []


def test_the_readme_check_can_fail():
    assert _unknown_keys({"phrase": [], "match": {"scorer": "x", "min_scor": 1}}, [Rule], "rule") == \
        ["rule.phrase", "rule.match.min_scor"]
    assert _resolves("match.min_score") and _resolves("patterns[].window") and not _resolves("match.window_size")
