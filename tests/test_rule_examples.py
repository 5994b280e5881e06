"""Every example of every rule behaves as declared (the same check as `auditor rules check`)."""
from __future__ import annotations

import pytest

from auditor.audit import example_status
from auditor.model import Status
from auditor.ruleset import load_rules

from .conftest import REPO

CASES = [(rule, kind, i, text)
         for rule in load_rules(REPO / "rules")
         for kind in ("met", "not_met")
         for i, text in enumerate(getattr(rule.examples, kind))]


@pytest.mark.parametrize("rule,kind,i,text", CASES, ids=[f"{r.id}-{k.replace('_', '-')}-{i}" for r, k, i, _ in CASES])
def test_rule_example(rule, kind, i, text):
    status = example_status(rule, text)
    if kind == "met":
        assert status is Status.MET, f"{text!r} should meet {rule.id}, got {status.value}"
    else:
        assert status is not Status.MET, f"{text!r} should not meet {rule.id}"


def test_every_rule_has_a_traditional_met_example_and_a_near_miss():
    import opencc
    t2s = opencc.OpenCC("t2s")
    for rule in load_rules(REPO / "rules"):
        assert any(t2s.convert(t) != t for t in rule.examples.met), \
            f"{rule.id} needs a met example in traditional script"
        assert rule.examples.not_met, rule.id


def test_the_ten_foundation_rules_exist():
    ids = {r.id for r in load_rules(REPO / "rules")}
    assert {"xi-thought", "first-responsible-person", "five-year-legal-education", "legal-advisor",
            "legality-review", "section-measures", "section-leader-duty", "section-shortcomings",
            "section-next-year", "section-other"} <= ids
