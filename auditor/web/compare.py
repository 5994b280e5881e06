"""A report beside its earlier one: last year's report of the same body (a linked earlier batch, matched by body
name, or linked by hand where the name is generic) or the first round of a revised report. Which gaps were
fixed, which are still open, which are new, and how much of this text repeats the earlier one (similar.py's
sentence matching, the same as `auditor similar`)."""
from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import defer

from ..shown import name as shown_name
from ..status import Status
from ..verdicts import Diff, diff
from . import files as file_store
from .store import Batch, BatchLink, File, ReportLink, ReportRow, Review


@dataclass
class Comparison:
    earlier: ReportRow
    how: str                                   # round | hand | body
    changes: Diff                              # rule ids fixed, still open, new, accepted (verdicts.diff)
    share: float | None = None                 # share of the shorter report's sentences the other repeats
    passages: list[tuple[int, int, str, str]] = field(default_factory=list)   # (line now, line then, quotes)


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


@lru_cache(maxsize=64)
def _near(data_dir: Path, this: tuple[str, str], others: tuple[tuple[str, str], ...]) -> frozenset[str]:
    """The hashes of `others` ((hash, name) of stored files) whose text shares a MinHash band with `this` one's;
    only the signatures are read."""
    from ..similar import bands
    mine = _signature(data_dir, *this)
    if mine is None:
        return frozenset()
    own = set(bands(mine))
    return frozenset(h for h, name in others if (sig := _signature(data_dir, h, name)) is not None
                     and not own.isdisjoint(bands(sig)))


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
    """Gaps fixed, still open and new (verdicts.diff of the reviewed statuses on both sides), and the text
    both share (the two stored files' kept sentences, see `index_file`)."""
    out = Comparison(earlier, how, diff(now, then))
    if data_dir and now_file and then_file:
        shared = _shared(Path(data_dir), (now_file.hash, now_file.original_name),
                         (then_file.hash, then_file.original_name))
        if shared is not None:
            out.share, out.passages = shared
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
def _shared(data_dir: Path, now: tuple[str, str], then: tuple[str, str]):
    """(share of the shorter text's sentences the other repeats, the first three shared passages), or None."""
    from ..similar import _matches, _pair
    a, b = index_file(data_dir, *now), index_file(data_dir, *then)
    if a is None or b is None:
        return None
    shorter, longer = (a, b) if len(a.sentences) <= len(b.sentences) else (b, a)
    pair = _pair(a, b, shorter, _matches(shorter, longer), 3)
    return pair.share, pair.passages


def copies(data_dir: Path, entries: list[tuple[str, str, object]], own: set[str]):
    """Copied reports among `entries` ((stored file's hash, its uploaded name, what to show for it)) that involve
    one of `own` (the batch's hashes; the others are its linked earlier batches'): similar.find_copies' groups
    and pairs, each report replaced by what to show. Read from the index (`index_file`), never the files."""
    shown: dict[str, object] = {}
    files = []
    for digest, name, label in entries:
        path = str(file_store.path_for(data_dir, digest, name))
        if path not in shown:
            shown[path] = label
            files.append((digest, name))
    mine = {str(file_store.path_for(data_dir, d, n)) for d, n, _ in entries if d in own}
    clusters, pairs = _copies_once(Path(data_dir), tuple(sorted(files)))
    groups = [(shown[c.representative], [(shown[m], share) for m, share in c.members], c.passages)
              for c in clusters if c.representative in mine or any(m in mine for m, _ in c.members)]
    twos = [(shown[p.a], shown[p.b], p.share, p.passages) for p in pairs if p.a in mine or p.b in mine]
    return groups, twos


_finding: dict[tuple, threading.Lock] = {}   # the files whose copies a request is finding now
_finding_guard = threading.Lock()


def _copies_once(data_dir: Path, files: tuple[tuple[str, str], ...]):
    """`_copies`, found by one request at a time for the same files (the others wait for its answer, then read
    it from the cache); requests for other batches do not wait."""
    with _finding_guard:
        lock = _finding.setdefault((data_dir, files), threading.Lock())
    try:
        with lock:
            return _copies(data_dir, files)
    finally:
        with _finding_guard:
            _finding.pop((data_dir, files), None)


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
