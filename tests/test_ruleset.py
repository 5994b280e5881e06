"""Broken rule files fail loading with their expected code and line (declared in each file's first line)."""
from __future__ import annotations

import re
import shutil

import pytest

from auditor.audit import check_examples
from auditor.errors import RuleErrors
from auditor.ruleset import NOT_RULES, load_rule_file, load_rules

from .conftest import DATA, REPO

pytestmark = pytest.mark.usefixtures("english")   # these check the wording of messages, in English

BROKEN = sorted((DATA / "broken_rules").glob("*.yaml"))


def _expectation(path):
    m = re.match(r"# expect: (E\d{3}) (\d+) (.+)", path.read_text(encoding="utf-8").splitlines()[0])
    return m.group(1), int(m.group(2)), m.group(3)


@pytest.mark.parametrize("path", BROKEN, ids=[p.stem for p in BROKEN])
def test_broken_rule_file_reports_code_and_line(path, tmp_path):
    code, line, text = _expectation(path)
    shutil.copy(path, tmp_path / path.name)
    try:
        rules = load_rules(tmp_path)
    except RuleErrors as exc:
        errors = exc.errors
    else:
        _, errors = check_examples(rules)   # E209: loads fine, but an example misbehaves
    lines = [e.format() for e in errors]
    expected_prefix = f"{tmp_path / path.name}:{line}: [{code}]"
    assert any(s.startswith(expected_prefix) and text in s for s in lines), lines


def test_duplicate_ids_across_files_are_reported():
    with pytest.raises(RuleErrors) as info:
        load_rules(DATA / "duplicate_rules")
    (err,) = info.value.errors
    assert err.code == "E206" and "same-id" in err.message and err.line == 1


def test_empty_rules_folder_is_an_error(tmp_path):
    with pytest.raises(RuleErrors) as info:
        load_rules(tmp_path)
    assert info.value.errors[0].code == "E210"


def test_bundled_rules_load_and_all_examples_pass():
    rules = load_rules(REPO / "rules")
    count, errors = check_examples(rules)
    assert errors == [] and count >= 2 * len(rules)


def test_rule_id_is_the_file_stem():
    for path in (REPO / "rules").rglob("*.yaml"):
        if not set(NOT_RULES) & set(path.parts):
            assert load_rule_file(path).id == path.stem
