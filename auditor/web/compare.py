"""A report beside its earlier one: last year's report of the same body (a linked earlier batch, matched by body
name, or linked by hand where the name is generic) or the first round of a revised report. Which gaps were
fixed, which are still open, which are new, and how much of this text repeats the earlier one (similar.py's
sentence matching, the same as `auditor similar`)."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import defer, selectinload

from ..status import Status
from ..verdicts import Diff, diff
from .store import BatchLink, File, ReportLink, ReportRow


@dataclass
class Comparison:
    earlier: ReportRow
    how: str                                   # round | hand | body
    changes: Diff                              # rule ids fixed, still open, new, accepted (verdicts.diff)
    share: float | None = None                 # share of the shorter report's sentences the other repeats
    passages: list[tuple[int, int, str, str]] = field(default_factory=list)   # (line now, line then, quotes)


def earlier_report(s, row: ReportRow) -> tuple[ReportRow, str] | None:
    """The report this one follows, and how it was found: the report it revises, a link made by hand, or the
    same body's report in a linked earlier batch (the latest such batch first)."""
    if row.file.revises_id:
        earlier = s.get(ReportRow, row.file.revises_id)
        if earlier is not None:
            return earlier, "round"
    link = s.scalars(select(ReportLink).where(ReportLink.report_id == row.id).order_by(ReportLink.id.desc())).first()
    if link is not None and s.get(ReportRow, link.earlier_id) is not None:
        return s.get(ReportRow, link.earlier_id), "hand"
    meta = row.data.get("metadata") or {}
    if not row.body or meta.get("body_generic"):
        return None
    earlier_batches = [b for (b,) in s.execute(select(BatchLink.earlier_id).where(BatchLink.batch_id == row.batch_id)
                                               .order_by(BatchLink.earlier_id.desc()))]
    for batch_id in earlier_batches:
        found = s.scalars(select(ReportRow).where(ReportRow.batch_id == batch_id, ReportRow.body == row.body,
                                                  ReportRow.kind == "report").order_by(ReportRow.id.desc())).first()
        if found is not None:
            return found, "body"
    return None


CANDIDATES = 500   # reports offered for a link by hand, newest batches first


def candidates(s, row: ReportRow) -> list[ReportRow]:
    """Reports a supervisor may link this one to by hand: those of the linked earlier batches, else of every
    other batch."""
    earlier = [b for (b,) in s.execute(select(BatchLink.earlier_id).where(BatchLink.batch_id == row.batch_id))]
    query = select(ReportRow).where(ReportRow.kind == "report", ReportRow.id != row.id)
    query = query.where(ReportRow.batch_id.in_(earlier)) if earlier else query.where(ReportRow.batch_id != row.batch_id)
    query = query.options(defer(ReportRow.data), selectinload(ReportRow.file))   # a name to show, not the report
    return list(s.scalars(query.order_by(ReportRow.batch_id.desc(), ReportRow.id).limit(CANDIDATES)).all())


def compare(now: dict[str, Status], then: dict[str, Status], earlier: ReportRow, how: str,
            now_path: Path | None, then_path: Path | None) -> Comparison:
    """Gaps fixed, still open and new (verdicts.diff of the reviewed statuses on both sides), and the text
    both share."""
    out = Comparison(earlier, how, diff(now, then))
    if now_path and then_path:
        shared = _shared(str(now_path), str(then_path))
        if shared is not None:
            out.share, out.passages = shared
    return out


@lru_cache(maxsize=2048)
def _text(path: str):
    from ..similar import load_text
    return load_text(Path(path))


@lru_cache(maxsize=256)
def _shared(now: str, then: str):
    """(share of the shorter text's sentences the other repeats, the first three shared passages), or None."""
    from ..errors import AuditorError
    from ..similar import _matches, _pair
    try:
        a, b = _text(now), _text(then)
    except AuditorError:
        return None
    shorter, longer = (a, b) if len(a.sentences) <= len(b.sentences) else (b, a)
    pair = _pair(a, b, shorter, _matches(shorter, longer), 3)
    return pair.share, pair.passages


def copies(entries: list[tuple[str, object]], own: set[str]):
    """Copied reports among `entries` ((stored path, what to show for it)) that involve one of `own` (the
    batch's paths; the others are its linked earlier batches'): similar.find_copies' groups and pairs, each
    path replaced by what to show."""
    from ..errors import AuditorError
    from ..similar import find_copies
    texts, shown = [], {}
    for path, label in entries:
        try:
            texts.append(_text(path))
        except AuditorError:
            continue
        shown[path] = label
    clusters, pairs = find_copies(texts)
    groups = [(shown[c.representative], [(shown[m], share) for m, share in c.members], c.passages)
              for c in clusters if c.representative in own or any(m in own for m, _ in c.members)]
    twos = [(shown[p.a], shown[p.b], p.share, p.passages) for p in pairs if p.a in own or p.b in own]
    return groups, twos


def superseded(s, batch_id: int) -> set[int]:
    """Reports of the batch a later round replaces (their revision is audited): the matrix shows the latest."""
    rows = s.execute(select(File.revises_id).where(File.batch_id == batch_id, File.revises_id.is_not(None),
                                                   File.state == "done")).all()
    return {r for (r,) in rows}
