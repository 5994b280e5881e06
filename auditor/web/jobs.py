"""Background auditing: a thread of the app hands the waiting files to worker processes, a file at a time each, and
stores what comes back. A worker runs the CLI's pipeline (audit.judge_file on the stored file, under the uploaded
name), as `auditor audit -j` does (batch.py): forked once the rules and the segmentation model are loaded, so it
starts at once; stopped after FILE_SECONDS; replaced after MAX_TASKS files, or at once when a file left it holding
more than RECYCLE_MB of its own memory, so what a large file took goes back to the system. A hostile file costs that
file only: stopped or killed, it is done with the CLI's E199 line and the next file goes on. The thread settles each
Report (verdicts.settle) and stores it.

The batches take turns, a file each (by position, then batch): a large batch never holds up the one uploaded after
it. A file marked running when the server stopped is waiting again on start, so an interrupted batch resumes; a
file whose result cannot be stored (the disk is full) is waiting again too, tried after RETRY_SECONDS, then twice
as long each time up to RETRY_MAX_SECONDS: the failure is the server's, not the file's, so no error is stored as
its verdict, and the batch finishes by itself once there is room."""
from __future__ import annotations

import concurrent.futures
import dataclasses
import logging
import multiprocessing
import os
import re
import threading
import time
from pathlib import Path
from typing import NamedTuple

from sqlalchemy import select, update

from .. import codec, verdicts
from ..audit import judge_file
from ..batch import FILE_SECONDS, _quiet_worker, attach, worker_result
from ..errors import AuditorError
from ..model import Report
from ..settings import Options, pipeline as pipeline_for
from . import files as file_store
from .reports import row_values
from .store import DONE, RUNNING, WAITING, Batch, File, ReportRow, Store

log = logging.getLogger(__name__)

WORKERS_ENV = "AUDITOR_WORKERS"   # worker processes when the app does not say (1: the server has two cores)
MAX_TASKS = 20                    # files a worker process audits before it is replaced (its memory returned)
TRIM_SECONDS = 30                 # while idle, freed memory is handed back this often
RECYCLE_MB = 256                  # a worker holding more memory of its own than this is replaced once idle
RETRY_SECONDS = 60                # a result that could not be stored: the file is tried again after this…
RETRY_MAX_SECONDS = 900           # …doubling up to this
POLL_SECONDS = 0.5                # how often the thread looks up from running files (stop, new files)


class Job(NamedTuple):
    file_id: int
    batch_id: int
    digest: str
    name: str
    round: int
    profile: str


def return_memory() -> None:
    """Freed memory handed back to the system (glibc keeps it for reuse otherwise: a server that served a busy
    hour would hold its peak all night). Nothing elsewhere."""
    import ctypes
    import ctypes.util
    try:
        ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def default_workers() -> int:
    """AUDITOR_WORKERS, else 1."""
    try:
        return max(0, int(os.environ.get(WORKERS_ENV, "1")))
    except ValueError:
        return 1


def _judge(path: str, name: str, options: Options, data_dir: str | None = None, digest: str | None = None) -> dict:
    """In a worker process: one stored file judged, as its codec dict (the pipeline inherited from the app); with
    `data_dir`, its copy index (sentences, MinHash) kept too, so the copies and report pages never segment it."""
    found = codec.encode(judge_file(Path(path), pipeline_for(options), name=name))
    if data_dir and digest and not found.get("errors"):
        from .compare import index_file
        try:
            index_file(Path(data_dir), digest, name)
        except Exception:   # noqa: BLE001 - an index not written is made when a page first asks for it
            log.exception("indexing %s", name)
    return found


def _bloated() -> bool:
    """A worker process holds more than RECYCLE_MB of memory of its own (not shared with the app: what it read and
    built). Linux's /proc; elsewhere MAX_TASKS alone replaces workers."""
    for child in multiprocessing.active_children():
        try:
            rollup = Path(f"/proc/{child.pid}/smaps_rollup").read_text()
        except OSError:
            continue
        own = sum(int(kb) for kb in re.findall(r"^Private_(?:Clean|Dirty):\s+(\d+)", rollup, re.M))
        if own > RECYCLE_MB * 1024:
            return True
    return False


class Auditor:
    """The audit workers of one app. `wake()` after adding files; `stop()` on shutdown. `workers`: processes
    (None: AUDITOR_WORKERS, else 1; 0: in the app's own thread, no isolation); `seconds`: the time one file may
    take; `max_tasks`: files per worker process before it is replaced."""

    def __init__(self, store: Store, options: Options, workers: int | None = None, seconds: float = FILE_SECONDS,
                 max_tasks: int = MAX_TASKS):
        self.store = store
        self.options = options
        self.workers = default_workers() if workers is None else max(0, workers)
        self.seconds = seconds
        self.max_tasks = max_tasks
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._pool = None
        self._rules: dict = {}                      # (batch profile, report profile) → its rules, for decoding
        self._retry: dict[int, tuple[float, int]] = {}   # file id → (not before, failures) after a store failure
        self._unreleased: set[int] = set()          # files to mark waiting again once the store lets us
        self.idle = threading.Event()
        self._trimmed = 0.0

    def pipeline(self, profile: str = "auto"):
        """The pipeline for a batch's profile (built once per profile and process)."""
        return pipeline_for(self._options(profile))

    def _options(self, profile: str) -> Options:
        return dataclasses.replace(self.options, profile=profile or "auto")

    def start(self) -> None:
        with self.store.session() as s:   # interrupted by a stop: audited again from the start
            s.execute(update(File).where(File.state == RUNNING).values(state=WAITING))
        self._thread = threading.Thread(target=self._run, name="auditor-jobs", daemon=True)
        self._thread.start()
        self.wake()

    def wake(self) -> None:
        with self._lock:
            self.idle.clear()
            self._wake.set()

    def stop(self, timeout: float = 30) -> None:
        self._stopping.set()
        self._wake.set()
        if self._thread:
            self._thread.join(timeout)

    def wait_idle(self, timeout: float = 120) -> bool:
        """True once no file waits or runs (tests, and the benchmark)."""
        return self.idle.wait(timeout)

    # --- the thread ------------------------------------------------------------------------------------

    def _run(self) -> None:
        running: dict = {}   # future → Job
        try:
            while not self._stopping.is_set():
                try:
                    self._release()
                    self._wake.clear()   # before looking: a wake() from now on is seen below
                    self._fill(running)
                except Exception:   # noqa: BLE001 - a store failure must not end the worker: looked at again
                    log.exception("choosing the next file")
                    self._stopping.wait(1)
                if not running:
                    with self._lock:
                        if not self._wake.is_set():
                            self.idle.set()
                    if time.monotonic() - self._trimmed > TRIM_SECONDS:   # what busy pages held goes back
                        return_memory()
                        self._trimmed = time.monotonic()
                    self._wake.wait(self._pause())
                    continue
                done, _pending = concurrent.futures.wait(list(running), timeout=POLL_SECONDS,
                                                         return_when=concurrent.futures.FIRST_COMPLETED)
                for future in done:
                    self._finish(running.pop(future), future)
                if not running and self._pool is not None and _bloated():
                    self._close_pool()   # a fresh fork for the next file: the memory goes back now
        finally:
            if self._pool is not None:   # workers end now; files they held are running, waiting again on start
                self._pool.stop()
                self._pool.join(10)

    def _pause(self) -> float:
        """How long to sleep with nothing to do: until the next retry is due, at most 5 s. Retries long past (a
        deleted file's) are forgotten."""
        now = time.monotonic()
        for file_id in [i for i, (at, _n) in self._retry.items() if at < now - 2 * RETRY_MAX_SECONDS]:
            del self._retry[file_id]
        due = min((at for at, _n in self._retry.values() if at > now), default=None)
        return 5 if due is None else min(5, max(0.1, due - now))

    def _fill(self, running: dict) -> None:
        while len(running) < max(1, self.workers):
            job = self._next()
            if job is None:
                return
            try:
                running[self._schedule(job)] = job
            except Exception:   # noqa: BLE001 - no worker could be made (out of memory): the file waits
                log.exception("starting a worker for file %s", job.file_id)
                self._close_pool()
                self._defer(job)
                return

    def _next(self) -> Job | None:
        """The next waiting file, claimed: only the worker whose update finds it still waiting audits it (two
        server processes on one data folder never audit a file twice). The batches take turns, a file each."""
        now = time.monotonic()
        held = [i for i, (at, _n) in self._retry.items() if at > now]
        while True:
            with self.store.session() as s:
                query = select(File).where(File.state == WAITING)
                if held:
                    query = query.where(File.id.not_in(held))
                f = s.scalars(query.order_by(File.position, File.batch_id).limit(1)).first()
                if f is None:
                    return None
                claimed = s.execute(update(File).where(File.id == f.id, File.state == WAITING)
                                    .values(state=RUNNING)).rowcount
                if claimed:
                    profile = s.get(Batch, f.batch_id).profile
                    return Job(f.id, f.batch_id, f.hash, f.original_name, f.round, profile)

    def _schedule(self, job: Job) -> concurrent.futures.Future:
        self.pipeline(job.profile)   # built here first: the workers forked from now on inherit it
        path = str(file_store.path_for(self.store.data_dir, job.digest, job.name))
        args = (path, job.name, self._options(job.profile), str(self.store.data_dir), job.digest)
        if self.workers == 0 or "fork" not in multiprocessing.get_all_start_methods():
            future: concurrent.futures.Future = concurrent.futures.Future()
            future.set_result(_judge(*args))
            return future
        return self._workers().schedule(_judge, args=args, timeout=self.seconds)

    def _workers(self):
        if self._pool is None:
            from pebble import ProcessPool
            self.pipeline("auto").segmenter.load()   # once, before forking: the workers share its pages
            self._pool = ProcessPool(max_workers=self.workers, max_tasks=self.max_tasks,
                                     context=multiprocessing.get_context("fork"), initializer=_quiet_worker)
        return self._pool

    def _close_pool(self) -> None:
        if self._pool is not None:
            self._pool.stop()
            self._pool.join(10)
            self._pool = None

    def _finish(self, job: Job, future) -> None:
        """The file's Report settled and stored, and the file done; waiting again when the store fails."""
        pipeline = self.pipeline(job.profile)
        try:
            found = worker_result(job.name, future, self.seconds)
            report = attach(found, pipeline, self._rules.setdefault(job.profile, {}))
        except Exception as exc:   # noqa: BLE001 - whatever the worker sent back costs this file only
            report = Report(path=job.name, errors=[AuditorError("E199", job.name,
                                                                reason=f"{type(exc).__name__}: {exc}"[:160])])
        values = row_values(verdicts.settle(report, pipeline))
        try:
            self._store(job, values)
        except Exception:   # noqa: BLE001 - disk full, database locked: not the file's fault
            log.exception("storing the report of file %s", job.file_id)
            self._defer(job)
        else:
            self._retry.pop(job.file_id, None)

    def _store(self, job: Job, values: dict) -> None:
        with self.store.session() as s:
            f = s.get(File, job.file_id)
            if f is None or f.state != RUNNING:   # the batch was deleted meanwhile
                return
            row = s.scalars(select(ReportRow).where(ReportRow.file_id == job.file_id)).first()
            if row is None:
                s.add(ReportRow(batch_id=job.batch_id, file_id=job.file_id, round=job.round, **values))
            else:   # audited again (new rules): the same row, so the people's reviews stay attached to it
                for key, value in values.items():
                    setattr(row, key, value)
            f.state = DONE

    def _defer(self, job: Job) -> None:
        """The file waiting again, not taken before its retry is due."""
        _at, failures = self._retry.get(job.file_id, (0.0, 0))
        delay = min(RETRY_SECONDS * 2 ** failures, RETRY_MAX_SECONDS)
        self._retry[job.file_id] = (time.monotonic() + delay, failures + 1)
        self._unreleased.add(job.file_id)
        self._release()

    def _release(self) -> None:
        """Files left running by a failed store marked waiting again (retried each turn until the store lets us)."""
        if not self._unreleased:
            return
        try:
            with self.store.session() as s:
                s.execute(update(File).where(File.id.in_(self._unreleased), File.state == RUNNING)
                          .values(state=WAITING))
        except Exception:   # noqa: BLE001 - still full: the next turn tries again; a restart does it too
            log.warning("files %s stay running until the store can be written", sorted(self._unreleased))
            return
        self._unreleased.clear()
