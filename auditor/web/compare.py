"""A report beside its earlier one: last year's report of the same body (a linked earlier batch, matched by body
name, or linked by hand where the name is generic) or the first round of a revised report. Which gaps were
fixed, which are still open, which are new, and which sentences were added and removed (similar.py's sentence
matching, the same as `auditor similar`)."""
from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import numpy
from sqlalchemy import select
from sqlalchemy.orm import defer

from ..shown import name as shown_name
from ..status import Status
from ..verdicts import Diff, diff
from . import files as file_store
from .store import Batch, BatchLink, File, ReportLink, ReportRow, Review
from .versioned import Kept


@dataclass
class Comparison:
    earlier: ReportRow
    how: str                                   # round | hand | body
    changes: Diff                              # rule ids fixed, still open, new, accepted (verdicts.diff)
    same: float | None = None                  # share of this report's sentences the earlier one has too
    added: list[tuple[int, str]] = field(default_factory=list)     # (line now, sentence), the first SHOWN
    removed: list[tuple[int, str]] = field(default_factory=list)   # (line then, sentence), the first SHOWN
    more_added: int = 0                        # sentences added beyond those listed
    more_removed: int = 0


SHOWN = 20   # sentences added, and removed, listed on the page; the rest counted


def earlier_report(s, row: ReportRow) -> tuple[ReportRow, str] | None:
    """The report this one follows, and how it was found: the report it revises, a link made by hand, or the
    same body's report in a linked earlier batch (the latest such batch first). Its stored Report is not read:
    the comparison needs its columns only."""
    def report(report_id: int) -> ReportRow | None:
        return s.scalars(select(ReportRow).where(ReportRow.id == report_id).options(defer(ReportRow.data))).first()

    if row.file.revises_id:
        earlier = report(row.file.revises_id)
        if earlier is not None:
            return earlier, "round"
    link = s.scalars(select(ReportLink).where(ReportLink.report_id == row.id).order_by(ReportLink.id.desc())).first()
    if link is not None and (earlier := report(link.earlier_id)) is not None:
        return earlier, "hand"
    meta = row.data.get("metadata") or {}
    if not row.body or meta.get("body_generic"):
        return None
    earlier_batches = [b for (b,) in s.execute(select(BatchLink.earlier_id).where(BatchLink.batch_id == row.batch_id)
                                               .order_by(BatchLink.earlier_id.desc()))]
    for batch_id in earlier_batches:
        found = s.scalars(select(ReportRow).where(ReportRow.batch_id == batch_id, ReportRow.body == row.body,
                                                  ReportRow.kind == "report").options(defer(ReportRow.data))
                          .order_by(ReportRow.id.desc())).first()
        if found is not None:
            return found, "body"
    return None


def statuses(s, row: ReportRow) -> dict[str, Status]:
    """The report's statuses with people's reviews in force, from its columns (the matrix's statuses and the
    newest review of each rule), without reading its stored Report."""
    machine = row.statuses if row.statuses is not None else {   # stored before the statuses column
        x["rule"]: x["status"] for x in row.data.get("results") or []}
    out = {rule: Status(x) for rule, x in machine.items()}
    for review in s.scalars(select(Review).where(Review.report_id == row.id).order_by(Review.created_at, Review.id)):
        out[review.rule] = Status(review.human_status)
    return out


CANDIDATES = 500   # reports offered for a link by hand


def candidates(s, row: ReportRow, data_dir: Path | None = None) -> list[tuple[int, str, str]]:
    """Reports a supervisor may link this one to by hand, as (report id, batch name, body or file name): those
    of the linked earlier batches, else of every other batch, newest batches first, at most CANDIDATES. With
    `data_dir`, those whose text shares a MinHash band with this one's (the copies' index; last year's report
    of the same body is among them however generic its name) come first: they are likeliest to be the one."""
    earlier = [b for (b,) in s.execute(select(BatchLink.earlier_id).where(BatchLink.batch_id == row.batch_id))]
    query = (select(ReportRow.id, Batch.name, ReportRow.body, File.original_name, File.hash)
             .join(Batch, Batch.id == ReportRow.batch_id).join(File, File.id == ReportRow.file_id)
             .where(ReportRow.kind == "report", ReportRow.id != row.id))
    query = query.where(ReportRow.batch_id.in_(earlier)) if earlier else query.where(ReportRow.batch_id != row.batch_id)
    found = s.execute(query.order_by(ReportRow.batch_id.desc(), ReportRow.id).limit(CANDIDATES)).all()
    near: set[str] = set()
    if data_dir is not None and found:
        near = _near(Path(data_dir), (row.file.hash, row.file.original_name),
                     tuple(sorted({(h, name) for _id, _batch, _body, name, h in found})))
    found = sorted(found, key=lambda x: x[4] not in near)   # stable: the near ones first, each part in order
    return [(rid, batch, body or shown_name(name)) for rid, batch, body, name, _hash in found]


def _near(data_dir: Path, this: tuple[str, str], others: tuple[tuple[str, str], ...]) -> frozenset[str]:
    """The hashes of `others` ((hash, name) of stored files) whose text shares a MinHash band with `this` one's;
    only the signatures are read, the others' once for all the reports offered the same ones."""
    from ..similar import bands
    mine = _signature(data_dir, *this)
    if mine is None:
        return frozenset()
    keys, owners, digests = _bands_of(data_dir, others)
    wanted = numpy.array([hash(band) for band in bands(mine)], dtype=numpy.int64)
    starts, ends = numpy.searchsorted(keys, wanted, "left"), numpy.searchsorted(keys, wanted, "right")
    return frozenset(digests[owners[k]] for start, end in zip(starts, ends) for k in range(start, end))


@lru_cache(maxsize=32)
def _bands_of(data_dir: Path, files: tuple[tuple[str, str], ...]):
    """The bands of `files`' signatures as (sorted hashes of the bands, the file each belongs to, the files'
    hashes): a batch's reports are offered to each of the next batch's, so their bands are read once, not once
    per report page, and kept as two arrays (a dict of bytes would hold 100,000 objects per batch)."""
    from ..similar import bands
    keys: list[int] = []
    owners: list[int] = []
    digests: list[str] = []
    for digest, name in files:
        if (sig := _signature(data_dir, digest, name)) is not None:
            found = [hash(band) for band in bands(sig)]
            keys += found
            owners += [len(digests)] * len(found)
            digests.append(digest)
    order = numpy.argsort(numpy.array(keys, dtype=numpy.int64), kind="stable")
    return (numpy.array(keys, dtype=numpy.int64)[order], numpy.array(owners, dtype=numpy.int32)[order],
            tuple(digests))


def _signature(data_dir: Path, digest: str, name: str):
    """The stored file's MinHash signature from its index entry (its head only), made first if missing; None
    for an unreadable or empty text."""
    from ..similar import KEPT_HEAD, kept_signature
    try:
        with _kept(data_dir, digest, name).open("rb") as f:
            found = kept_signature(f.read(KEPT_HEAD))
        if found is not None:
            return found
    except OSError:
        pass
    text = index_file(data_dir, digest, name)
    return text.signature if text is not None and len(text.hashes) else None


def _kept(data_dir: Path, digest: str, name: str) -> Path:
    return Path(data_dir) / INDEX / digest[:2] / f"{file_store.path_for(data_dir, digest, name).name}.bin"


def compare(now: dict[str, Status], then: dict[str, Status], earlier: ReportRow, how: str,
            data_dir: Path | None = None, now_file: File | None = None, then_file: File | None = None) -> Comparison:
    """Gaps fixed, still open and new (verdicts.diff of the reviewed statuses on both sides), and the sentences
    added and removed (similar.changes of the two stored files' kept sentences, see `index_file`)."""
    out = Comparison(earlier, how, diff(now, then))
    if data_dir and now_file and then_file:
        found = _changes(Path(data_dir), (now_file.hash, now_file.original_name),
                         (then_file.hash, then_file.original_name))
        if found is not None:
            out.same, out.added, out.more_added, out.removed, out.more_removed = found
    return out


INDEX = "similar"   # the data folder's index: one kept similar.Text per stored file, beside files/


def index_file(data_dir: Path, digest: str, name: str):
    """The stored file's sentences, shingles and MinHash signature (similar.load_text), kept in the data folder's
    similar/ the first time they are asked for, so that pages read them instead of reading and segmenting the
    report again; None when the file cannot be read. Its path is the stored file's."""
    from ..errors import AuditorError
    from ..similar import dump, load_kept, load_text
    source = file_store.path_for(data_dir, digest, name)
    kept = _kept(data_dir, digest, name)
    try:
        found = load_kept(kept, str(source))
        if found is not None:
            return found
    except OSError:
        pass
    try:
        text = load_text(source)
    except AuditorError:
        return None
    try:   # written whole or not at all: two requests may write it at once
        kept.parent.mkdir(parents=True, exist_ok=True)
        part = kept.with_name(f".{kept.name}.{os.getpid()}.{threading.get_ident()}.part")
        part.write_bytes(dump(text))
        os.replace(part, kept)
    except OSError:
        pass   # a read-only or full disk: the text is made again next time
    return text


@lru_cache(maxsize=256)
def _changes(data_dir: Path, now: tuple[str, str], then: tuple[str, str]):
    """similar.changes of the two stored files' kept texts, as (share the same, the first SHOWN sentences added,
    how many more, the first SHOWN removed, how many more); None when one cannot be read."""
    from ..similar import changes
    a, b = index_file(data_dir, *now), index_file(data_dir, *then)
    if a is None or b is None:
        return None
    found = changes(a, b)
    return (found.same, found.added[:SHOWN], max(len(found.added) - SHOWN, 0),
            found.removed[:SHOWN], max(len(found.removed) - SHOWN, 0))


class Side(NamedTuple):
    """One report as the copies page shows it: which batch and round it is, and its link."""
    id: int
    batch: str
    round: int
    body: str | None
    file: str


def copies(data_dir: Path, entries: tuple[tuple[str, str, Side], ...], own: frozenset[str]):
    """Copied reports among `entries` ((stored file's hash, its uploaded name, the report)) that involve one of
    `own` (the batch's hashes; the others are its linked earlier batches'): similar.find_copies' groups and
    pairs, each file shown as its report (the batch's own first); the same bytes handed in as two reports (last
    year's report again) are a pair of their own, each side in its batch. Read from the index (`index_file`),
    never the files; made once for the same entries (a batch's version) and kept."""
    return _pages.get((Path(data_dir), entries, own), lambda: _copies_page(Path(data_dir), entries, own))


_pages = Kept(32)


def _copies_page(data_dir: Path, entries, own):
    sides: dict[str, list[Side]] = {}   # stored file → the reports it is, the batch's own first, newest first
    files: dict[str, tuple[str, str]] = {}
    for digest, name, side in sorted(entries, key=lambda e: (e[0] not in own, -e[2].id)):
        path = str(file_store.path_for(data_dir, digest, name))
        files.setdefault(path, (digest, name))
        sides.setdefault(path, []).append(side)
    mine = {path for path, (digest, _name) in files.items() if digest in own}
    clusters, pairs = _copies(data_dir, tuple(sorted(files.values())))   # one request at a time: `_pages`
    shown = {path: found[0] for path, found in sides.items()}
    groups = [(shown[c.representative], [(shown[m], share) for m, share in c.members], c.passages)
              for c in clusters if c.representative in mine or any(m in mine for m, _ in c.members)]
    twos = []
    for path in sorted(mine):   # the same bytes as two reports: each with the batch's own
        first, *again = sides[path]
        if again:
            text = index_file(data_dir, *files[path])
            passages = [(line, line, quote, quote) for _m, line, quote in (text.sentences[:3] if text else [])]
            twos += [(first, other, 1.0, passages) for other in again]
    twos += [(shown[p.a], shown[p.b], p.share, p.passages) for p in pairs if p.a in mine or p.b in mine]
    return groups, twos


@lru_cache(maxsize=64)
def _copies(data_dir: Path, files: tuple[tuple[str, str], ...]):
    """similar.find_copies of these stored files (hash, name), by path; the same files give the same answer."""
    from ..similar import find_copies
    texts = [t for d, n in files if (t := index_file(data_dir, d, n)) is not None]
    return find_copies(texts)


def superseded(s, batch_id: int) -> set[int]:
    """Reports of the batch a later round replaces (their revision is audited): the matrix shows the latest."""
    rows = s.execute(select(File.revises_id).where(File.batch_id == batch_id, File.revises_id.is_not(None),
                                                   File.state == "done")).all()
    return {r for (r,) in rows}
