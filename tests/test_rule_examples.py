"""Every example of every rule behaves as declared (the same check as `auditor rules check`)."""
from __future__ import annotations

import pytest

from auditor.audit import example_ok, example_status
from auditor.model import Status
from auditor.ruleset import load_rules

from .conftest import REPO

CASES = [(rule, kind, i, text, expected)
         for rule in load_rules(REPO / "rules")
         for kind, i, text, expected in rule.examples.cases()]


@pytest.mark.parametrize("rule,kind,i,text,expected", CASES,
                         ids=[f"{r.id}-{k.replace('_', '-')}-{i}" for r, k, i, _, _ in CASES])
def test_rule_example(rule, kind, i, text, expected):
    status = example_status(rule, text)
    assert example_ok(status, expected), f"{text!r} should be {expected or 'not met'} for {rule.id}, got {status.value}"


def test_an_example_that_declares_a_status_must_get_that_status():
    assert example_ok(Status.PARTIAL, "partial") and not example_ok(Status.MISSING, "partial")
    assert example_ok(Status.MISSING, None) and not example_ok(Status.MET, None)


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
