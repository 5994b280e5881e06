"""A batch of files audited in parallel, results in input order, one at a time so memory stays flat.

Worker processes are forked after the rules and the segmentation model are loaded, so they start at once
and share those pages. Reports are judged, not settled (verdicts.settle comes after, in the caller), and cross
back as their codec dicts: the parent decodes them against its own rule objects.
"""
from __future__ import annotations

import itertools
import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Iterator
from pathlib import Path

from . import codec
from .audit import Pipeline, judge_file
from .errors import AuditorError
from .i18n import _
from .model import Report
from .settings import Options, pipeline as pipeline_for

_PIPELINE: Pipeline | None = None   # set in each worker (inherited through fork)
FILE_SECONDS = 300   # one file that takes longer is stopped (a report takes well under a second)
WINDOW = 8           # files scheduled ahead per worker
CONNECT_SECONDS = 20 # a Dask scheduler that does not answer by then is an error


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def _audit_slim(path: Path) -> dict:
    return codec.encode(judge_file(path, _PIPELINE))


def attach(data: dict | Report, pipeline: Pipeline, cache: dict) -> Report:
    """A worker's codec dict as a Report holding the rule objects it was judged with (its profile's)."""
    if isinstance(data, Report):   # an error made here, not by a worker
        return data
    profile = data.get("profile")
    if profile not in cache:
        cache[profile] = pipeline.checklist.rules_for(profile)
    return codec.decode(data, cache[profile])


def audit_batch(paths: list[Path], pipeline: Pipeline, jobs: int) -> Iterator[Report]:
    """Judged reports in input order; several processes when jobs > 1 and there is more than one file. A worker that
    dies (the out-of-memory killer) or a file that takes longer than FILE_SECONDS costs that file an error
    line, never the batch: the worker is replaced and the rest goes on."""
    if jobs <= 1 or len(paths) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        yield from (judge_file(path, pipeline) for path in paths)
        return
    from pebble import ProcessPool
    global _PIPELINE
    _PIPELINE = pipeline
    pipeline.segmenter.load()   # once, before forking: the workers share it instead of each loading spaCy
    cache: dict = {}
    pool = ProcessPool(max_workers=min(jobs, len(paths)), context=multiprocessing.get_context("fork"),
                       initializer=_quiet_worker)
    try:
        pending: deque = deque()
        todo = iter(paths)
        for path in itertools.islice(todo, jobs * WINDOW):   # a window ahead keeps the workers busy, memory flat
            pending.append((path, pool.schedule(_audit_slim, args=(path,), timeout=FILE_SECONDS)))
        while pending:
            path, future = pending.popleft()
            yield attach(worker_result(path, future), pipeline, cache)
            following = next(todo, None)
            if following is not None:
                pending.append((following, pool.schedule(_audit_slim, args=(following,), timeout=FILE_SECONDS)))
    finally:
        pool.stop()   # also on Ctrl+C / SIGTERM: workers end now, none is left printing
        pool.join()


def worker_result(path: Path | str, future, seconds: float | None = None) -> Report | dict:
    """The worker's report (its codec dict), or a Report with the E199 line of what ended it: the worker lost
    (killed, exited) or the file stopped after `seconds` (FILE_SECONDS as it is now). Shared with the
    workbench's audit workers."""
    seconds = FILE_SECONDS if seconds is None else seconds
    from concurrent.futures import TimeoutError as Timeout
    from pebble import ProcessExpired
    try:
        return future.result()
    except ProcessExpired as exc:
        reason = _("the worker auditing it was killed (signal {signal})").format(signal=-exc.exitcode) \
            if (exc.exitcode or 0) < 0 else _("the worker auditing it exited ({code})").format(code=exc.exitcode)
        return Report(path=str(path), errors=[AuditorError("E199", path, reason=reason)])
    except Timeout:
        return Report(path=str(path), errors=[AuditorError("E199", path, reason=_("stopped after {seconds} s").format(
            seconds=f"{seconds:g}"))])


def _quiet_worker() -> None:
    """Workers leave Ctrl+C and SIGTERM to the parent, which stops them; nothing of theirs reaches the screen."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _audit_remote(path: str, options: Options) -> dict:
    return codec.encode(judge_file(Path(path), pipeline_for(options)))


def audit_dask(paths: list[Path], pipeline: Pipeline, options: Options, scheduler: str,
               window: int = 512) -> Iterator[Report]:
    """The same audit on a Dask cluster: files mapped to workers a window at a time, results in input order.
    Connects at once: an address that is malformed, unreachable or not a Dask scheduler is one E301 line after
    at most CONNECT_SECONDS, never a hang."""
    import threading
    from distributed import Client
    made: dict = {}

    def connect():   # in a thread of its own: a server that accepts and never answers stalls the handshake
        try:
            made["client"] = Client(scheduler, timeout=CONNECT_SECONDS)
        except Exception as exc:   # noqa: BLE001 - ValueError, OSError, TimeoutError…: the user needs the address
            made["error"] = f"{type(exc).__name__}: {exc}".splitlines()[0][:160]
    thread = threading.Thread(target=connect, daemon=True)
    thread.start()
    thread.join(CONNECT_SECONDS + 5)
    if "client" not in made:
        reason = made.get("error", _("no answer in {seconds} s").format(seconds=CONNECT_SECONDS))
        raise AuditorError("E301", reason=_("cannot use the Dask scheduler at {address} ({reason}); check "
                                            "--scheduler and that `dask scheduler` runs there").format(
                                                address=scheduler, reason=reason))
    return _dask_results(made["client"], paths, pipeline, options, window)


def _dask_results(client, paths: list[Path], pipeline: Pipeline, options: Options, window: int) -> Iterator[Report]:
    cache: dict = {}
    with client:
        for i in range(0, len(paths), window):
            futures = client.map(_audit_remote, [str(p) for p in paths[i:i + window]], options=options, pure=False)
            for path, future in zip(paths[i:i + window], futures):
                try:
                    report = future.result(timeout=FILE_SECONDS)
                except Exception as exc:   # noqa: BLE001 - a lost worker or a timeout costs this file only
                    report = Report(path=str(path), errors=[AuditorError("E199", path, reason=f"{type(exc).__name__}: "
                                                                                         f"{exc}"[:160])])
                yield attach(report, pipeline, cache)
                future.release()
