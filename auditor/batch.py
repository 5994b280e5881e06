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

from .audit import audit_file, audit_paths
from .match import Matcher
from .model import Report

_MATCHER: Matcher | None = None   # set in each worker (inherited through fork)


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def _audit_slim(path: Path) -> Report:
    report = audit_file(path, _MATCHER)
    for f in report.findings:
        f.rule = f.rule.id
    return report


def attach(report: Report, matcher: Matcher, cache: dict) -> Report:
    """Rule ids back to the rule objects the report was audited with (its profile's)."""
    if report.profile not in cache:
        cache[report.profile] = matcher.with_profile(report.profile).rules_by_id()
    rules = cache[report.profile]
    for f in report.findings:
        if isinstance(f.rule, str):
            f.rule = rules[f.rule]
    return report


def audit_batch(paths: list[Path], matcher: Matcher, jobs: int) -> Iterator[Report]:
    """Reports in input order; several processes when jobs > 1 and there is more than one file."""
    if jobs <= 1 or len(paths) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        yield from audit_paths(paths, matcher)
        return
    global _MATCHER
    _MATCHER = matcher
    chunk = max(1, min(16, len(paths) // (jobs * 8)))
    cache: dict = {}
    with multiprocessing.get_context("fork").Pool(min(jobs, len(paths))) as pool:
        for report in pool.imap(_audit_slim, paths, chunksize=chunk):
            yield attach(report, matcher, cache)
