"""Batch benchmark: `auditor audit` over synthetic seed-sized reports (scripts/synth.py), all rules in force,
the pkuseg segmenter. `auditor similar` has its own: scripts/bench_similar.py.

    .venv/bin/python scripts/bench_batch.py [--sizes 100 1000 10000] [--jobs 1 2]

For each size and --jobs: wall time of the whole command (start-up included), reports/s, characters/s and peak
resident memory summed over the process and its workers (sampled every 20 ms); in the same run, a plain
keyword search (OpenCC t2s + `in` for every rule phrase) over the same texts as the floor, and the ratio.
"""
from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
AUDITOR = Path(sys.executable).parent / "auditor"
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))

from synth import write_batch  # noqa: E402


def _tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants, in MB."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/status") as f:
                total += next((int(line.split()[1]) for line in f if line.startswith("VmRSS:")), 0)
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    todo += [int(c) for c in f.read().split()]
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return total / 1024


def run(cmd: list[str], stdout=subprocess.DEVNULL) -> tuple[float, float, int, resource.struct_rusage]:
    """(wall seconds, peak summed RSS MB, exit code, getrusage of the command and its workers) of a command;
    getrusage (through wait4) sees every process, however short-lived, but its ru_maxrss is the largest one's."""
    peak = 0.0
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=stdout, stderr=subprocess.DEVNULL)
    done = threading.Event()

    def sample():
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss_mb(proc.pid))
            time.sleep(0.02)
    t = threading.Thread(target=sample)
    t.start()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    done.set()
    t.join()
    return time.perf_counter() - t0, peak, proc.returncode, usage


def keyword_floor(files: list[Path]) -> float:
    """Seconds for t2s + `in` of every rule phrase over the files (the simplest possible checker)."""
    import opencc
    from auditor.ruleset import load_rules
    conv = opencc.OpenCC("t2s")
    phrases = [p if isinstance(p, str) else p.text for r in load_rules(REPO / "rules") for p in r.phrases]
    t0 = time.perf_counter()
    for f in files:
        text = conv.convert(f.read_text(encoding="utf-8"))
        sum(p in text for p in phrases)
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    ap.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        print(f"{'reports':>8} {'jobs':>4} {'wall s':>8} {'reports/s':>10} {'chars/s':>12} {'peak MB':>8} "
              f"{'keyword/s':>10} {'ratio':>6}")
        for n in args.sizes:
            folder = Path(tmp) / f"batch{n}"
            write_batch(folder, n, seed=n)
            files = sorted(folder.glob("*.txt"))
            chars = sum(len(f.read_text(encoding="utf-8")) for f in files)
            floor = n / keyword_floor(files)
            for jobs in args.jobs:
                wall, peak, code, _ = run([str(AUDITOR), "audit", str(folder), "--format", "jsonl",
                                           "--output", os.devnull, "--jobs", str(jobs), "--exit-zero"])
                assert code == 0, f"auditor exited {code}"
                print(f"{n:>8} {jobs:>4} {wall:8.1f} {n / wall:10.0f} {chars / wall:12,.0f} {peak:8.0f} "
                      f"{floor:10.0f} {floor / (n / wall):6.1f}")


if __name__ == "__main__":
    main()
