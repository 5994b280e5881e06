"""A batch of files audited in parallel, results in input order, one at a time so memory stays flat.

Worker processes are forked after the rules and the segmentation model are loaded, so they start at once
and share those pages. A report crosses back without its rule objects (only their ids), and the parent puts
them back: a report is small, the rules are not.
"""
from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator
from pathlib import Path

from .audit import Pipeline, audit_file, audit_paths
from .model import Report
from .settings import Options, pipeline as pipeline_for

_PIPELINE: Pipeline | None = None   # set in each worker (inherited through fork)


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def _slim(report: Report) -> Report:
    for f in report.findings:
        f.rule = f.rule.id
    return report


def _audit_slim(path: Path) -> Report:
    return _slim(audit_file(path, _PIPELINE))


def attach(report: Report, pipeline: Pipeline, cache: dict) -> Report:
    """Rule ids back to the rule objects the report was audited with (its profile's)."""
    if report.profile not in cache:
        cache[report.profile] = pipeline.checklist.rules_for(report.profile)
    rules = cache[report.profile]
    for f in report.findings:
        if isinstance(f.rule, str):
            f.rule = rules[f.rule]
    return report


def audit_batch(paths: list[Path], pipeline: Pipeline, jobs: int) -> Iterator[Report]:
    """Reports in input order; several processes when jobs > 1 and there is more than one file."""
    if jobs <= 1 or len(paths) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        yield from audit_paths(paths, pipeline)
        return
    global _PIPELINE
    _PIPELINE = pipeline
    chunk = max(1, min(16, len(paths) // (jobs * 8)))
    cache: dict = {}
    with multiprocessing.get_context("fork").Pool(min(jobs, len(paths))) as pool:
        for report in pool.imap(_audit_slim, paths, chunksize=chunk):
            yield attach(report, pipeline, cache)


def _audit_remote(path: str, options: Options) -> Report:
    return _slim(audit_file(Path(path), pipeline_for(options)))


def audit_dask(paths: list[Path], pipeline: Pipeline, options: Options, scheduler: str,
               window: int = 512) -> Iterator[Report]:
    """The same audit on a Dask cluster: files mapped to workers a window at a time, results in input order."""
    from distributed import Client
    cache: dict = {}
    with Client(scheduler) as client:
        for i in range(0, len(paths), window):
            futures = client.map(_audit_remote, [str(p) for p in paths[i:i + window]], options=options, pure=False)
            for future in futures:
                yield attach(future.result(), pipeline, cache)
                future.release()
