"""What word segmentation costs: cold start, batch throughput and memory, per segmenter; and whether the
verdicts depend on the model.

    .venv/bin/python scripts/bench_segmentation.py [--copies 100] [--runs 5]

Segmenters: the bundled distilled pkuseg model, pkuseg's full default model when it has been built
(scripts/build_model.py --full → build/zh_pkuseg_full), and the character segmenter.
- cold start: `auditor audit <one sample>` as a new process, wall time (median of --runs) and peak memory;
- batch: the five samples written --copies times each (500 files by default, ≈ 5,200 characters each); a new
  process loads the rules and the model once, then forks one or two workers (plain multiprocessing) that
  audit every other file; reports/s and characters/s over the whole wall time (process start and loading
  included) and over the auditing alone; peak memory summed over the parent and the workers (shared pages
  counted in each);
- verdicts: every rule's status on the samples and on ../shared/corpus with each segmenter, compared.
"""
from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
AUDITOR = Path(sys.executable).parent / "auditor"
SAMPLE = REPO / "reports" / "001_c7de79f2aba7557d.txt"   # the sample with a token-level candidate (述法)
FULL = REPO / "build" / "zh_pkuseg_full"
CORPUS = REPO.parent / "shared" / "corpus"


def segmenters() -> list[tuple[str, list[str]]]:
    found = [("pkuseg distilled (bundled)", ["--segmenter", "pkuseg"])]
    if (FULL / "meta.json").exists():
        found.append(("pkuseg full default", ["--segmenter", "pkuseg", "--model", str(FULL)]))
    found.append(("char", ["--segmenter", "char"]))
    return found


def _options(args: list[str]) -> tuple[str, str | None]:
    kind = args[args.index("--segmenter") + 1]
    model = args[args.index("--model") + 1] if "--model" in args else None
    return kind, model


def cold_start(args: list[str], runs: int) -> tuple[float, float]:
    """Median wall seconds and the largest peak RSS (MB) of `auditor audit SAMPLE` in a new process."""
    walls, peaks = [], []
    for _ in range(runs):
        t0 = time.perf_counter()
        proc = subprocess.Popen([str(AUDITOR), "audit", str(SAMPLE), *args], stdout=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        walls.append(time.perf_counter() - t0)
        peaks.append(usage.ru_maxrss / 1024)
        if os.waitstatus_to_exitcode(status) not in (0, 1):
            raise SystemExit(f"auditor exited {os.waitstatus_to_exitcode(status)} with {args}")
    return statistics.median(walls), max(peaks)


_MATCHER = None   # loaded once in the parent; forked workers share it


def _load(args: list[str]) -> None:
    global _MATCHER
    sys.path.insert(0, str(REPO))
    from auditor.audit import Pipeline
    from auditor.ruleset import load_rules
    from auditor.segment import get_segmenter
    _MATCHER = Pipeline(load_rules(REPO / "rules"), get_segmenter(*_options(args)))


def _worker(paths: list[str], out: mp.Queue) -> None:
    from auditor.audit import audit_file
    t0 = time.perf_counter()
    chars = segmented = 0
    for p in paths:
        report = audit_file(Path(p), _MATCHER)
        assert not report.errors, report.errors
        segmented += report.segmenter.get("sentences", 0)
        chars += len(Path(p).read_text(encoding="utf-8"))
    out.put((time.perf_counter() - t0, chars, segmented, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024))


def batch(files: list[Path], args: list[str], jobs: int) -> dict:
    """A new process loads the rules and the model, then forks `jobs` workers that audit the files."""
    ctx = mp.get_context("spawn")
    out = ctx.Queue()
    t0 = time.perf_counter()
    proc = ctx.Process(target=_batch, args=([str(p) for p in files], args, jobs, out))
    proc.start()
    result = out.get()
    proc.join()
    wall = time.perf_counter() - t0
    n, chars = len(files), result["chars"]
    return {**result, "wall": wall, "per_s": n / wall, "chars_s": chars / wall,
            "audit_per_s": n / result["audit_s"], "audit_chars_s": chars / result["audit_s"]}


def _batch(paths: list[str], args: list[str], jobs: int, report: mp.Queue) -> None:
    _load(args)
    ctx = mp.get_context("fork")
    out = ctx.Queue()
    t0 = time.perf_counter()
    procs = [ctx.Process(target=_worker, args=(paths[i::jobs], out)) for i in range(jobs)]
    for p in procs:
        p.start()
    results = [out.get() for _ in procs]
    for p in procs:
        p.join()
    audit_s = time.perf_counter() - t0
    parent = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    report.put({"audit_s": audit_s, "chars": sum(r[1] for r in results), "segmented": sum(r[2] for r in results),
                "peak_mb": parent + sum(r[3] for r in results)})


def verdicts(args: list[str], paths: list[Path]) -> dict[tuple[str, str], str]:
    _load(args)
    from auditor.audit import audit_file
    out = {}
    for p in paths:
        for f in audit_file(p, _MATCHER).findings:
            out[(p.name, f.rule.id)] = f.status.value
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--copies", type=int, default=100, help="copies of each sample in the batch (default 100)")
    ap.add_argument("--runs", type=int, default=5, help="cold starts per segmenter (default 5)")
    opts = ap.parse_args()
    samples = sorted((REPO / "reports").glob("*.txt"))
    with tempfile.TemporaryDirectory() as tmp:
        files = []
        for i in range(opts.copies):
            for s in samples:
                files.append(Path(tmp) / f"{i:04d}_{s.name}")
                files[-1].write_bytes(s.read_bytes())
        avg = sum(len(p.read_text(encoding="utf-8")) for p in samples) / len(samples)
        print(f"batch: {len(files)} reports (the {len(samples)} samples × {opts.copies}), "
              f"{avg:,.0f} characters on average; {os.cpu_count()} cores\n")
        head = (f"{'segmenter':28} {'cold start':>10} {'cold MB':>8} {'jobs':>4} {'reports/s':>9} {'chars/s':>11} "
                f"{'audit-only/s':>12} {'sentences':>9} {'peak MB':>8}")
        print(head)
        print("-" * len(head))
        for name, args in segmenters():
            wall, peak = cold_start(args, opts.runs)
            for jobs in (1, 2):
                b = batch(files, args, jobs)
                print(f"{name:28} {wall:9.2f}s {peak:8.0f} {jobs:>4} {b['per_s']:9.0f} {b['chars_s']:11,.0f} "
                      f"{b['audit_per_s']:12.0f} {b['segmented']:>9} {b['peak_mb']:8.0f}")
    print("\nreports/s and chars/s: over the whole wall time, process start and loading included; audit-only/s: "
          "after loading.\nsentences: sentences segmented by pkuseg (those around token-level candidates).")

    print("\nverdicts (every rule × file) against the bundled model:")
    corpus = sorted(CORPUS.glob("*.txt")) if CORPUS.is_dir() else []
    for label, paths in (("samples", samples), ("corpus", corpus)):
        if not paths:
            continue
        base = verdicts(["--segmenter", "pkuseg"], paths)
        for name, args in segmenters()[1:]:
            other = verdicts(args, paths)
            diff = sorted(k for k in base if base[k] != other[k])
            shown = "; ".join(f"{f[:3]} {r}: {base[(f, r)]} → {other[(f, r)]}" for f, r in diff[:5])
            print(f"  {label:8} {name:22} {len(base) - len(diff)}/{len(base)} equal" + (f"  ({shown})" if diff else ""))


if __name__ == "__main__":
    main()
