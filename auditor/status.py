"""The status vocabulary in one table: the stable id machines read, the Chinese label people read, the mark
of the matrix, the colour of spreadsheets and pages, whether the status is a gap, where it stands when findings
are read gaps first, and whether a reviewer may set it in the workbench.

Renderers, the JSON schema and the docs all read this table; a test fails when one of them disagrees.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from .i18n import N_, _


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
        """What a person reads, in the language in force (满足, 部分满足, … by default)."""
        return _(STATUSES[self].label)

    @property
    def mark(self) -> str:
        return STATUSES[self].mark

    @property
    def colour(self) -> str:
        return STATUSES[self].colour


@dataclass(frozen=True)
class StatusInfo:
    label: str     # what a supervisor reads: an English message id, shown translated (Status.label)
    mark: str      # one character in the batch matrix
    colour: str    # RGB hex fill in spreadsheets; "" for none
    gap: bool      # fails a gate (at the rule's severity)
    meaning: str   # one line for the docs
    rank: int = 0  # where findings of this status stand when a supervisor reads them, gaps first (GAPS_FIRST)
    reviewable: bool = True   # a reviewer may set it in the workbench (not a fact about the document's kind)


STATUSES: dict[Status, StatusInfo] = {
    Status.MET: StatusInfo(N_("met"), "✓", "C6EFCE", False,
                           "reported as done: the rule's wording (a phrase, or a clause pattern's parts) in the "
                           "preamble, the measures or leader-duty part, or an unsectioned body (for a required part: "
                           "its heading, or a sentence that opens it)", rank=5),
    Status.PARTIAL: StatusInfo(N_("partly met"), "~", "FFEB9C", True,
                               "only related wording, some of several components, a near miss, wording of another "
                               "era, or the element only named (a meeting's topic list, a law's title in a study "
                               "list) or done by others (督促各部门…); the why says which", rank=2),
    Status.PLANNED: StatusInfo(N_("planned only"), "→", "FFEB9C", True,
                               "found only in the next-year part, after future wording (下一步, 将进一步, 拟 …) or as "
                               "an arrangement (对…作出安排部署, 谋划)", rank=3),
    Status.SHORTCOMING: StatusInfo(N_("listed as a shortcoming"), "!", "FFEB9C", True,
                                   "found only in the shortcomings part, or with a negation in its clause (尚未, 有待 …)",
                                   rank=4),
    Status.MISSING: StatusInfo(N_("missing"), "✗", "FFC7CE", True, "nothing was found", rank=1),
    Status.NOT_APPLICABLE: StatusInfo(N_("not applicable"), "-", "", False,
                                      "the rule does not bind this report (its years or levels, the profile's groups; "
                                      "a deadline with no date)", rank=7),
    Status.WAIVED: StatusInfo(N_("waived"), "w", "", False, "a gap accepted in the --waivers file", rank=6),
    Status.WRONG_TYPE: StatusInfo(N_("not this kind of report"), "≠", "FFC7CE", True,
                                  "not a 法治政府建设年度报告 at all (a 政府信息公开工作年度报告, a 政府工作报告, a "
                                  "notice or plan, a 政策解读 page, a 普法 summary): not audited, one stderr line, "
                                  "fails the default gate", rank=0, reviewable=False),
}

# the order a supervisor reads findings in: the gaps (worst first), then the met, the waived, the not applicable
GAPS_FIRST = tuple(sorted(STATUSES, key=lambda status: STATUSES[status].rank))
# what a reviewer may set a verdict to in the workbench
REVIEWABLE = tuple(status for status in Status if STATUSES[status].reviewable)
