"""Which rows and columns the batch page shows: its query parameters (only gaps, one rule, one level, only
unreviewed, the order) applied to the batch's rows. Pure: no store, no request, so it is tested on plain rows."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol, Sequence, TypeVar

from ..status import Status


@dataclass
class Row:
    """One line of the batch page: a report's facts and its statuses with people's reviews in force."""
    id: int
    position: int
    file: str
    kind: str
    reason: str | None
    body: str | None
    level: str | None
    year: int | None
    points: float | None
    max: float | None
    round: int = 1
    statuses: dict[str, str] = field(default_factory=dict)
    reviewed: set[str] = field(default_factory=set)
    must: set[str] = field(default_factory=set)   # the rules whose gap must be fixed (severity error, its profile)
    state: str | None = None                      # where it stands in the season (store.REPORT_STATES)
    assignee: str | None = None

    @property
    def share(self) -> float | None:
        return self.points / self.max if self.points is not None and self.max else None


@dataclass(frozen=True)
class Filters:
    """The batch page's query parameters as given; an empty string means "not filtered by this"."""
    gaps: str = ""        # must: a gap that must be fixed (需整改); any: any gap; "": every report
    rule: str = ""
    level: str = ""
    unreviewed: str = ""
    sort: str = "score-desc"   # score-desc, score-asc or order (the upload order); anything else: score-desc


class _Rule(Protocol):
    id: str


R = TypeVar("R", bound=_Rule)


def matrix_rules(rows: Sequence[Row], rules: Sequence[R]) -> list[R]:
    """The rules some row was checked against, in the rule set's order: the matrix's possible columns."""
    present = {rule for r in rows for rule in r.statuses}
    return [r for r in rules if r.id in present]


def shown_rules(rules: Sequence[R], filters: Filters) -> list[R]:
    """The matrix's columns: the one rule asked for, else all of them."""
    return [r for r in rules if r.id == filters.rule] if filters.rule else list(rules)


def _kept(row: Row, columns: Sequence[_Rule], filters: Filters) -> bool:
    if filters.gaps == "any":
        if not any(Status(row.statuses[x.id]).is_gap for x in columns if x.id in row.statuses):
            return False
    elif filters.gaps and not any(x.id in row.must for x in columns):   # "must", and the old "1"
        return False
    if filters.level and row.level != filters.level:
        return False
    return not (filters.unreviewed and row.reviewed)


def _order(row: Row, sort: str):
    if sort == "order":
        return row.position
    share = row.share
    if sort == "score-asc":
        return (share is None, share or 0, row.position)
    return (share is None, -(share or 0), row.position)   # unscored rows last, ties in upload order


def choose(rows: Sequence[Row], rules: Sequence[R], filters: Filters) -> tuple[list[R], list[Row]]:
    """The columns shown and the rows shown, in order: "需整改" keeps a row with a gap that must be fixed in a
    shown column, "any gap" a row with any gap there, a level keeps that level's rows, "unreviewed" keeps rows
    nobody reviewed."""
    columns = shown_rules(rules, filters)
    chosen = [r for r in rows if _kept(r, columns, filters)]
    chosen.sort(key=lambda r: _order(r, filters.sort))
    return columns, chosen
