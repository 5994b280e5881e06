"""The status vocabulary in one table: the stable id machines read, the Chinese label people read, the mark
of the matrix, the colour of spreadsheets and pages, and whether the status is a gap.

Renderers, the JSON schema and the docs all read this table; a test fails when one of them disagrees.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Status(str, Enum):
    MET = "met"
    PARTIAL = "partial"
    PLANNED = "planned"
    SHORTCOMING = "shortcoming"
    MISSING = "missing"
    NOT_APPLICABLE = "not-applicable"
    WAIVED = "waived"
    WRONG_TYPE = "wrong-document-type"   # not this kind of report at all: the other rules are not run

    @property
    def is_gap(self) -> bool:
        """Only `met` satisfies a rule; not-applicable and waived never fail a gate."""
        return STATUSES[self].gap

    @property
    def label(self) -> str:
        return STATUSES[self].label

    @property
    def mark(self) -> str:
        return STATUSES[self].mark

    @property
    def colour(self) -> str:
        return STATUSES[self].colour


@dataclass(frozen=True)
class StatusInfo:
    label: str     # what a supervisor reads
    mark: str      # one character in the batch matrix
    colour: str    # RGB hex fill in spreadsheets; "" for none
    gap: bool      # fails a gate (at the rule's severity)
    meaning: str   # one line for the docs


STATUSES: dict[Status, StatusInfo] = {
    Status.MET: StatusInfo("满足", "✓", "C6EFCE", False, "the report states the element as done in the year reported"),
    Status.PARTIAL: StatusInfo("部分满足", "~", "FFEB9C", True,
                               "only related wording, some of several components, a near miss, outdated wording, "
                               "or the element named without being done (a meeting topic, a law studied, "
                               "other bodies urged)"),
    Status.PLANNED: StatusInfo("仅有计划", "→", "FFEB9C", True,
                               "only in the next-year part, future wording or an arrangement (安排部署)"),
    Status.SHORTCOMING: StatusInfo("列为不足", "!", "FFEB9C", True,
                                   "only in the shortcomings part or a negated statement"),
    Status.MISSING: StatusInfo("缺失", "✗", "FFC7CE", True, "nothing found"),
    Status.NOT_APPLICABLE: StatusInfo("不适用", "-", "", False,
                                      "the rule does not bind this report (level, year or profile)"),
    Status.WAIVED: StatusInfo("已豁免", "w", "", False, "a gap accepted in the waivers file"),
    Status.WRONG_TYPE: StatusInfo("文件类型不符", "≠", "FFC7CE", True,
                                  "not a 法治政府建设年度报告 at all: the other rules are not run"),
}
