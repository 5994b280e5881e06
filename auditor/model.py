"""The results every stage shares: a report's outline, its findings and their evidence, its rating. No I/O
and no loading here; the rules these results speak of are rule_schema's.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .rule_schema import SEVERITY_RANK
from .status import Status  # noqa: F401  (re-exported: the status of a Finding)

if TYPE_CHECKING:
    from .rule_schema import Rule, Scheme


# --- results -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Heading:
    level: int            # 1 一、  2 （一）  3 1.  4 （1）  5 一是 (run-in, scoped to its paragraph)
    marker: str           # normalized marker text, e.g. "一、"; "" for an unnumbered heading line
    title: str            # normalized title without the marker
    start: int            # normalized offsets of the whole heading (marker + title)
    end: int


@dataclass(frozen=True)
class Sentence:
    start: int            # normalized offsets
    end: int
    path: tuple[int, ...] # indexes into Outline.headings, outermost first


@dataclass
class Outline:
    headings: list[Heading]
    sentences: list[Sentence]
    contents: list[tuple[int, int]] = field(default_factory=list)   # table-of-contents lines: not the report's parts
    bare: frozenset = frozenset()   # headings (indexes) with no text under them: 二、…情况 / （详见县委报告）
    statements: frozenset = frozenset()   # numbered items that are a sentence of text: (六)全年调解纠纷96件。


# What a sentence is, by the part of the report it stands in.
PREAMBLE, SIGNATURE, CONTENTS = "preamble", "signature", "contents"
NOT_TEXT = {SIGNATURE, CONTENTS}   # parts whose words report nothing (a signature, a table of contents)
DONE_PARTS = {PREAMBLE, "measures", "leader-duty", "other"}


@dataclass(frozen=True)
class Evidence:
    quote: str            # the ORIGINAL characters around the hit
    line: int             # 1-based, in the original text, counted in characters
    column: int
    section: str          # innermost heading, original characters ("" in the preamble)
    path: tuple[str, ...]
    phrase: str           # the rule phrase that matched (normalized)
    how: str              # exact | ocr | fuzzy | heading | opener | related | near-miss
    score: float
    part: str = ""        # the kind of part the sentence stands in (measures, next-year, …)
    context: str = ""     # done | planned | shortcoming: how the sentence speaks of it
    concrete: bool = False  # carries facts (counts, dates, named documents), not a slogan only
    where: str = ""       # where a person looks: 12:5 (.txt/.html), para 12, table 1 row 2 cell 3, page 3 line 5
    place: dict = field(default_factory=dict)   # the same, as numbers (paragraph/table/row/cell/page/line)
    repaired: bool = False  # the quoted text was garbled and repaired: read the original with care
    roles: dict = field(default_factory=dict)   # a concept's hit: role (who, act, object) → the words that filled it
    span: tuple[int, ...] = ()   # the quote's [start, end) in the original text as read: no stage searches for it

    def found_in(self, text: str, offset: int = 0) -> tuple[int, int] | None:
        """The span shifted by `offset` into `text` (a paragraph of it), when the quote stands there: a file
        changed since, or furniture cut from the quote, leave the caller to look for it."""
        if len(self.span) != 2:
            return None
        start, end = self.span[0] - offset, self.span[1] - offset
        if 0 <= start < end <= len(text) and _collapsed(text[start:end]) == _collapsed(self.quote):
            return start, end
        return None


def _collapsed(text: str) -> str:
    return " ".join(text.strip("…").split())


MUST_FIX, COULD_IMPROVE = "must-fix", "could-improve"


@dataclass
class Finding:
    rule: Rule
    status: Status
    score: float
    evidence: list[Evidence] = field(default_factory=list)
    why: str | None = None
    note: str | None = None   # said even when met, e.g. that the report year is unknown
    baseline: str | None = None   # with --baseline: new | unchanged (a gap) — only new gaps fail the gate
    points: float | None = None   # points this finding keeps under the report's scoring scheme (None: not rated,
                                  # or taken out of the total: not applicable, waived)

    @property
    def tier(self) -> str | None:
        """A gap is MUST_FIX (必须整改) when its rule's severity, after the profile, is error: a statutory part,
        a core element, a form error; every other gap is COULD_IMPROVE (建议完善); no gap, no tier."""
        if not self.status.is_gap:
            return None
        return MUST_FIX if self.rule.severity == "error" else COULD_IMPROVE


@dataclass(frozen=True)
class Part:
    """A heading of the report as a supervisor sees it: where it is and what kind of part it opens."""
    level: int
    title: str            # original characters
    line: int
    part: str             # measures, leader-duty, … or "" when the heading does not name a part


@dataclass(frozen=True)
class Rating:
    """A report's score under a scoring scheme (rules/scoring/<id>.yaml): 得分 `points` of 满分 `max`."""
    points: float
    max: float
    scheme: str           # the scheme id

    @property
    def share(self) -> float:
        """points / max, 0 when nothing counted (what a ranking sorts by)."""
        return self.points / self.max if self.max else 0.0


@dataclass
class Report:
    path: str
    encoding: str | None = None
    findings: list[Finding] = field(default_factory=list)
    outline: list[Part] = field(default_factory=list)
    metadata: object = None    # metadata.Metadata
    errors: list = field(default_factory=list)   # AuditorError
    quality: dict[str, int] = field(default_factory=dict)   # what was done to the input text, and how much
    damaged_lines: list[int] = field(default_factory=list)  # where garbled text could not be recovered
    segmenter: dict = field(default_factory=dict)   # the word segmenter and model used; sentences segmented
    wrong_type: str | None = None   # the kind of document it is instead (政府信息公开工作年度报告 …)
    profile: str | None = None      # the profile the rules were applied with (township, department, …)
    fixed: list[str] = field(default_factory=list)   # with --baseline: rules that were gaps then and are met now
    rating: Rating | None = None    # the score under the profile's scheme (None: not audited, or wrong type)
    scheme: Scheme | None = field(default=None, repr=False)   # the scheme it is rated with (scoring.rate)

    def gaps(self, fail_on: str) -> list[Finding]:
        """Findings that fail a gate at `fail_on` severity ('never' fails nothing)."""
        if fail_on not in SEVERITY_RANK:
            return []
        floor = SEVERITY_RANK[fail_on]
        return [f for f in self.findings if f.status.is_gap and SEVERITY_RANK[f.rule.severity] >= floor
                and f.baseline != "unchanged"]
