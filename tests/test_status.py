"""The status vocabulary lives in auditor/status.py; the schema, the renderers and the README agree with it."""
from __future__ import annotations

import json

from auditor.render import table, xlsx_format
from auditor.render.rule_docs import statuses
from auditor.status import STATUSES, Status

from .conftest import REPO


def test_every_status_has_one_entry_with_a_label_and_a_distinct_mark():
    assert set(STATUSES) == set(Status)
    assert all(info.label and info.meaning for info in STATUSES.values())
    assert len({info.mark for info in STATUSES.values()}) == len(STATUSES)


def test_only_met_not_applicable_and_waived_are_not_gaps():
    assert {s for s in Status if not s.is_gap} == {Status.MET, Status.NOT_APPLICABLE, Status.WAIVED}


def test_the_json_schema_lists_exactly_the_statuses():
    schema = json.loads((REPO / "auditor" / "schema" / "report-v1.json").read_text(encoding="utf-8"))
    assert schema["$defs"]["status"]["enum"] == [s.value for s in Status]


def test_renderers_read_the_table():
    assert table.MARKS == {s: STATUSES[s].mark for s in Status}
    assert xlsx_format.FILLS == {s.value: STATUSES[s].colour for s in Status if STATUSES[s].colour}


def test_the_readme_status_table_is_generated_from_it():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert statuses() in readme, "README status table is stale: run `make docs`"


def test_the_display_order_holds_every_status_once_gaps_first():
    from auditor import labels
    from auditor.status import GAPS_FIRST
    assert labels.GAPS_FIRST is GAPS_FIRST
    assert sorted(GAPS_FIRST) == sorted(Status) and len(set(GAPS_FIRST)) == len(Status)
    assert len({STATUSES[s].rank for s in Status}) == len(Status)   # no two statuses tie
    gaps = [s.is_gap for s in GAPS_FIRST]
    assert gaps == sorted(gaps, reverse=True), GAPS_FIRST


def test_the_workbench_offers_the_statuses_a_reviewer_may_set():
    """The workbench's review form offers the table's list itself, not one of its own."""
    from auditor.status import REVIEWABLE
    from auditor.web.routes import reports
    assert reports.REVIEWABLE is REVIEWABLE
    assert Status.WRONG_TYPE not in REVIEWABLE and Status.MET in REVIEWABLE and Status.WAIVED in REVIEWABLE


def test_every_status_that_is_rated_has_its_share_in_a_scheme():
    """A scheme says what share of a rule's points each status keeps; taken out of the total: not applicable and
    waived; a document of another kind is not rated at all."""
    from auditor.rule_schema import Keeps
    from auditor.scoring import OUT_OF_TOTAL
    rated = {s.value for s in Status if s not in OUT_OF_TOTAL and s is not Status.WRONG_TYPE}
    assert set(Keeps.model_fields) == rated


def test_a_statuses_label_is_in_the_catalogue():
    from auditor.i18n import catalogue
    zh = catalogue("zh_CN")
    assert all(zh.gettext(info.label) != info.label for info in STATUSES.values())
