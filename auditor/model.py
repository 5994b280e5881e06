"""The project's own small types, shared by every stage. No I/O here.

The text, its sentences and tokens live in a spaCy Doc; these types point into it by character offsets.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Literal, Union

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator


class Status(str, Enum):
    MET = "met"
    PARTIAL = "partial"
    PLANNED = "planned"
    SHORTCOMING = "shortcoming"
    MISSING = "missing"
    NOT_APPLICABLE = "not-applicable"
    WAIVED = "waived"

    @property
    def is_gap(self) -> bool:
        """Only `met` satisfies a rule; not-applicable and waived never fail a gate."""
        return self not in (Status.MET, Status.NOT_APPLICABLE, Status.WAIVED)


SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}


# --- rules (validated from YAML; unknown keys are errors) ---------------------------------------

class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PhraseSpec(_Strict):
    """A phrase that counts only with one of its context words nearby (e.g. 法制审核 of a 规范性文件)."""
    text: str = Field(min_length=1)
    near: list[str] = Field(min_length=1)
    window: int | None = Field(default=None, ge=1)


class MatchSettings(_Strict):
    scorer: Literal["partial_ratio", "ratio"] = "partial_ratio"
    min_score: float = Field(default=90, ge=50, le=100)
    min_length: int = Field(default=6, ge=2)       # shorter phrases are matched exactly only
    context_window: int = Field(default=15, ge=1)  # characters either side searched for `near` words
    opener_window: int = Field(default=40, ge=1)   # an opener must start within this many characters of a sentence


class Examples(_Strict):
    met: list[str] = Field(min_length=1)
    not_met: list[str] = Field(min_length=1)


class Rule(_Strict):
    id: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    title: str
    kind: Literal["element", "section"]
    severity: Literal["error", "warning", "info"]
    message: str
    rationale: str
    legal_basis: list[str] = Field(min_length=1)
    phrases: list[Union[str, PhraseSpec]] = Field(min_length=1)
    related: list[str] = []
    openers: list[str] = []
    match: MatchSettings = MatchSettings()
    exclude: list[str] = []
    examples: Examples
    @field_validator("openers")
    @classmethod
    def _openers_need_a_section(cls, value, info):
        if value and info.data.get("kind") == "element":
            raise ValueError("only section rules have openers; an element rule reads every sentence already")
        return value

    # where the rule came from, set by the loader (not a YAML key): file path and line of each example
    _path: str = PrivateAttr(default="")
    _example_lines: dict = PrivateAttr(default_factory=dict)


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


@dataclass(frozen=True)
class Evidence:
    quote: str            # the ORIGINAL characters around the hit
    line: int             # 1-based, in the original text, counted in characters
    column: int
    section: str          # innermost heading, original characters ("" in the preamble)
    path: tuple[str, ...]
    phrase: str           # the rule phrase that matched (normalized)
    how: str              # exact | fuzzy | heading | opener | related
    score: float


@dataclass
class Finding:
    rule: Rule
    status: Status
    score: float
    evidence: list[Evidence] = field(default_factory=list)
    why: str | None = None


@dataclass
class Report:
    path: str
    encoding: str | None = None
    findings: list[Finding] = field(default_factory=list)
    errors: list = field(default_factory=list)   # AuditorError

    def gaps(self, fail_on: str) -> list[Finding]:
        """Findings that fail a gate at `fail_on` severity ('never' fails nothing)."""
        if fail_on not in SEVERITY_RANK:
            return []
        floor = SEVERITY_RANK[fail_on]
        return [f for f in self.findings if f.status.is_gap and SEVERITY_RANK[f.rule.severity] >= floor]
