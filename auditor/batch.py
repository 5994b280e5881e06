"""A batch of files audited in parallel, results in input order, one at a time so memory stays flat.

Worker processes are forked after the rules and the segmentation model are loaded, so they start at once
and share those pages. A report crosses back without its rule objects (only their ids), and the parent puts
them back: a report is small, the rules are not.
"""
from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
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


@dataclass(frozen=True)
class Options:
    """What a remote worker needs to build the same matcher: plain values, not loaded objects."""
    rules_dir: str | None
    profile: str            # auto | none | a profile id
    model: str | None
    segmenter: str


@lru_cache(maxsize=4)
def _worker_matcher(options: Options) -> Matcher:
    """Built once per worker process (a Dask worker audits many files)."""
    from .ruleset import choose_profile, load_profiles, load_rules
    from .segment import get_segmenter
    rules_dir = Path(options.rules_dir) if options.rules_dir else None
    rules = load_rules(rules_dir)
    fixed, choices = choose_profile(load_profiles(rules, rules_dir), options.profile)
    return Matcher(rules, get_segmenter(options.segmenter, options.model), fixed, choices)


def _audit_remote(path: str, options: Options) -> Report:
    report = audit_file(Path(path), _worker_matcher(options))
    for f in report.findings:
        f.rule = f.rule.id
    return report


def audit_dask(paths: list[Path], matcher: Matcher, options: Options, scheduler: str,
               window: int = 512) -> Iterator[Report]:
    """The same audit on a Dask cluster: files mapped to workers a window at a time, results in input order."""
    from distributed import Client
    cache: dict = {}
    with Client(scheduler) as client:
        for i in range(0, len(paths), window):
            futures = client.map(_audit_remote, [str(p) for p in paths[i:i + window]], options=options, pure=False)
            for future in futures:
                yield attach(future.result(), matcher, cache)
                future.release()
