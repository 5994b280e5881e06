"""What a page computed from a batch, kept until the batch changes: a cheap version of the batches (counts and
newest ids of their files, reports, reviews and states, and the sum of the reports' scores) read from the
database on every request, so the answer is right in every process and after every write, by any process."""
from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Callable, Hashable, TypeVar

from sqlalchemy import func, select

from .store import DONE, Activity, File, ReportRow, ReportState, Review

T = TypeVar("T")


def version(s, batch_ids: list[int]) -> tuple:
    """What changes whenever anything a batch page shows of these batches changes: files added, audited or
    waiting again; reports stored or audited again (their scores, and the act that asked for the audit again);
    reviews and states added."""
    ids = sorted(set(batch_ids))
    files = s.execute(select(func.count(File.id), func.count(File.id).filter(File.state == DONE), func.max(File.id))
                      .where(File.batch_id.in_(ids))).one()
    # a report audited again keeps its row: its scores tell (its statuses would cost reading every row's record
    # whole; the rules, and so what they find, change only with a new process, whose answers start empty)
    reports = s.execute(select(func.count(ReportRow.id), func.max(ReportRow.id), func.total(ReportRow.points),
                               func.total(ReportRow.max_points)).where(ReportRow.batch_id.in_(ids))).one()
    in_batches = select(ReportRow.id).where(ReportRow.batch_id.in_(ids)).scalar_subquery()
    reviews = s.execute(select(func.count(Review.id), func.max(Review.id))
                        .where(Review.report_id.in_(in_batches))).one()
    states = s.scalar(select(func.max(ReportState.id)).where(ReportState.report_id.in_(in_batches)))
    # an audit again may change statuses and no score: the act that started it (the activity log) tells
    acts = s.scalar(select(func.max(Activity.id)).where(Activity.target == "batch", Activity.target_id.in_(ids)))
    return (tuple(ids), tuple(files), tuple(reports), tuple(reviews), states, acts)


class Kept:
    """The last `size` answers, by key (which holds the version it was computed for); one request computes a
    missing answer while the others asking for the same key wait for it, then read it."""

    def __init__(self, size: int):
        self.size = size
        self._answers: OrderedDict[Hashable, object] = OrderedDict()
        self._guard = threading.Lock()
        self._making: dict[Hashable, threading.Lock] = {}

    def get(self, key: Hashable, make: Callable[[], T]) -> T:
        with self._guard:
            if key in self._answers:
                self._answers.move_to_end(key)
                return self._answers[key]
            lock = self._making.setdefault(key, threading.Lock())
        with lock:
            with self._guard:
                if key in self._answers:
                    return self._answers[key]
            try:
                answer = make()
            except BaseException:
                with self._guard:
                    self._making.pop(key, None)
                raise
            with self._guard:
                self._answers[key] = answer
                self._making.pop(key, None)
                while len(self._answers) > self.size:
                    self._answers.popitem(last=False)
            return answer

    def clear(self) -> None:
        with self._guard:
            self._answers.clear()
