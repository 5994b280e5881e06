"""Background auditing: one worker thread takes the waiting files of every batch in order, audits each with
the CLI's pipeline (audit.judge_file on the stored file, under the uploaded name, then verdicts.settle) and stores the Report.
A file marked running when the server stopped is waiting again on start, so an interrupted batch resumes."""
from __future__ import annotations

import dataclasses
import logging
import threading

from sqlalchemy import select, update

from .. import verdicts
from ..audit import judge_file
from ..settings import Options, pipeline as pipeline_for
from . import files as file_store
from .reports import row_values
from .store import DONE, RUNNING, WAITING, Batch, File, ReportRow, Store

log = logging.getLogger(__name__)


class Auditor:
    """The worker thread of one app. `wake()` after adding files; `stop()` on shutdown."""

    def __init__(self, store: Store, options: Options):
        self.store = store
        self.options = options
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self.idle = threading.Event()

    def pipeline(self, profile: str = "auto"):
        """The pipeline for a batch's profile (built once per profile and process)."""
        return pipeline_for(dataclasses.replace(self.options, profile=profile or "auto"))

    def start(self) -> None:
        with self.store.session() as s:   # interrupted by a stop: audited again from the start
            s.execute(update(File).where(File.state == RUNNING).values(state=WAITING))
        self._thread = threading.Thread(target=self._run, name="auditor-jobs", daemon=True)
        self._thread.start()
        self.wake()

    def wake(self) -> None:
        self.idle.clear()
        self._wake.set()

    def stop(self, timeout: float = 30) -> None:
        self._stopping.set()
        self._wake.set()
        if self._thread:
            self._thread.join(timeout)

    def wait_idle(self, timeout: float = 120) -> bool:
        """True once no file waits (tests, and the benchmark)."""
        return self.idle.wait(timeout)

    def _run(self) -> None:
        while not self._stopping.is_set():
            job = self._next()
            if job is None:
                self.idle.set()
                self._wake.wait(5)
                self._wake.clear()
                continue
            try:
                self._audit(*job)
            except Exception:   # noqa: BLE001 - a store failure must not end the worker: the file is retried
                log.exception("auditing file %s", job[0])
                self._stopping.wait(1)

    def _next(self):
        """The next waiting file, claimed: only the worker whose update finds it still waiting audits it (two
        server processes on one data folder never audit a file twice)."""
        while True:
            with self.store.session() as s:
                f = s.scalars(select(File).where(File.state == WAITING).order_by(File.batch_id, File.position)
                              .limit(1)).first()
                if f is None:
                    return None
                claimed = s.execute(update(File).where(File.id == f.id, File.state == WAITING)
                                    .values(state=RUNNING)).rowcount
                if claimed:
                    profile = s.get(Batch, f.batch_id).profile
                    return f.id, f.batch_id, f.hash, f.original_name, f.round, profile

    def _audit(self, file_id: int, batch_id: int, digest: str, name: str, round_: int, profile: str) -> None:
        pipeline = self.pipeline(profile)
        report = judge_file(file_store.path_for(self.store.data_dir, digest, name), pipeline, name=name)
        values = row_values(verdicts.settle(report, pipeline))
        with self.store.session() as s:
            f = s.get(File, file_id)
            if f is None or f.state != RUNNING:   # the batch was deleted meanwhile
                return
            row = s.scalars(select(ReportRow).where(ReportRow.file_id == file_id)).first()
            if row is None:
                s.add(ReportRow(batch_id=batch_id, file_id=file_id, round=round_, **values))
            else:   # audited again (new rules): the same row, so the people's reviews stay attached to it
                for key, value in values.items():
                    setattr(row, key, value)
            f.state = DONE

