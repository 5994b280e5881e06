"""The batch page's filters on plain rows: which rows and columns come out, in which order."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from auditor.web.batch_filter import Filters, Row, choose, matrix_rules, shown_rules

RULES = [SimpleNamespace(id="legal-advisor"), SimpleNamespace(id="annual-report"), SimpleNamespace(id="study")]


def row(rid, position, statuses, *, level=None, points=None, max_points=10.0, reviewed=()):
    return Row(id=rid, position=position, file=f"{rid}.txt", kind="report", reason=None, body=None, level=level,
               year=2024, points=points, max=max_points, statuses=statuses, reviewed=set(reviewed))


ROWS = [
    row(1, 0, {"legal-advisor": "met", "annual-report": "met"}, level="county", points=8),
    row(2, 1, {"legal-advisor": "missing", "annual-report": "met"}, level="township", points=5,
        reviewed={"legal-advisor"}),
    row(3, 2, {"legal-advisor": "met", "annual-report": "partial"}, level="county", points=9),
    row(4, 3, {"legal-advisor": "waived", "annual-report": "not-applicable"}, level="township", points=None),
    row(5, 4, {"legal-advisor": "planned"}, level="county", points=5),
]


def ids(rows):
    return [r.id for r in rows]


def test_no_filter_shows_every_row_best_score_first_unscored_last_ties_in_upload_order():
    columns, rows = choose(ROWS, RULES, Filters())
    assert columns == RULES
    assert ids(rows) == [3, 1, 2, 5, 4]


@pytest.mark.parametrize("sort, expected", [("score-asc", [2, 5, 1, 3, 4]), ("order", [1, 2, 3, 4, 5]),
                                            ("nonsense", [3, 1, 2, 5, 4])])
def test_the_order_asked_for(sort, expected):
    assert ids(choose(ROWS, RULES, Filters(sort=sort))[1]) == expected


def test_any_gap_keeps_rows_with_a_gap_in_any_column_waived_and_not_applicable_are_not_gaps():
    assert ids(choose(ROWS, RULES, Filters(gaps="any"))[1]) == [3, 2, 5]


def test_to_be_fixed_keeps_only_rows_with_a_gap_that_must_be_fixed_in_a_shown_column():
    rows = [row(1, 0, {"legal-advisor": "missing"}, points=5), row(2, 1, {"annual-report": "missing"}, points=6),
            row(3, 2, {"legal-advisor": "met"}, points=9)]
    rows[1].must = {"annual-report"}   # its rule's severity is error; row 1's gap could only be better
    assert ids(choose(rows, RULES, Filters(gaps="must"))[1]) == [2]
    assert ids(choose(rows, RULES, Filters(gaps="1"))[1]) == [2]   # the old "only gaps" link: the first tier
    assert ids(choose(rows, RULES, Filters(gaps="must", rule="legal-advisor"))[1]) == []


def test_one_rule_narrows_the_columns_and_only_gaps_then_looks_at_that_rule_alone():
    columns, rows = choose(ROWS, RULES, Filters(rule="annual-report", gaps="any"))
    assert [c.id for c in columns] == ["annual-report"]
    assert ids(rows) == [3]   # 5 has a gap elsewhere and no annual-report status at all


def test_a_rule_alone_hides_no_row():
    assert ids(choose(ROWS, RULES, Filters(rule="study", sort="order"))[1]) == [1, 2, 3, 4, 5]


def test_an_unknown_rule_shows_no_column():
    assert shown_rules(RULES, Filters(rule="no-such-rule")) == []
    assert ids(choose(ROWS, RULES, Filters(rule="no-such-rule", gaps="any"))[1]) == []


def test_level_and_unreviewed_combine():
    assert ids(choose(ROWS, RULES, Filters(level="township", sort="order"))[1]) == [2, 4]
    assert ids(choose(ROWS, RULES, Filters(unreviewed="1", sort="order"))[1]) == [1, 3, 4, 5]
    assert ids(choose(ROWS, RULES, Filters(level="township", unreviewed="1"))[1]) == [4]


def test_the_share_is_none_without_points_or_maximum():
    assert row(9, 0, {}, points=None).share is None and row(9, 0, {}, points=3, max_points=0).share is None
    assert row(9, 0, {}, points=3, max_points=4).share == 0.75


def test_the_rows_given_are_left_as_they_were():
    given = list(ROWS)
    choose(given, RULES, Filters(sort="score-asc", gaps="any"))
    assert ids(given) == [1, 2, 3, 4, 5]


def test_the_columns_are_the_rules_some_row_was_checked_against_in_the_rule_sets_order():
    rules = [RULES[2], RULES[1], RULES[0]]
    assert [r.id for r in matrix_rules(ROWS, rules)] == ["annual-report", "legal-advisor"]
    assert matrix_rules([], RULES) == []
