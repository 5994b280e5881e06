"""`auditor similar` benchmark: near-copies of one template (scripts/synth.py write_copies, as townships fill in
one template) and the 10,000-report synthetic batch with planted copies (write_batch, seed 7).

    .venv/bin/python scripts/bench_similar.py [--copies 300 1000 3000] [--batch 10000] [--planted 25] [--jobs 0]

Each run is the real command, `auditor similar DIR --json`, start-up included: wall time, CPU time of the
command and its workers (getrusage through wait4; on a busy machine the fairer figure), peak memory of the
largest process (getrusage: the parent, which holds every report) and of the process with its workers summed
(sampled every 20 ms). Then what it found: the copies must be one group, the planted copies pairs.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_batch import AUDITOR, run  # noqa: E402
from synth import write_batch, write_copies  # noqa: E402


def similar(folder: Path, jobs: int) -> tuple[str, dict]:
    """The figures of one run (wall s, CPU s, peak MB of the largest process, peak MB summed) and its output."""
    out = folder.with_suffix(".json")
    with open(out, "w") as f:
        wall, tree, code, usage = run([str(AUDITOR), "similar", str(folder), "--json", "--jobs", str(jobs)], f)
    assert code in (0, 1), f"auditor similar exited {code}"
    figures = f"{wall:7.1f} {usage.ru_utime + usage.ru_stime:6.1f} {usage.ru_maxrss / 1024:8.0f} {tree:10.0f}"
    return figures, json.loads(out.read_text(encoding="utf-8"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--copies", type=int, nargs="*", default=[300, 1000, 3000])
    ap.add_argument("--batch", type=int, default=10000, help="reports in the varied batch (0: skip)")
    ap.add_argument("--planted", type=int, default=25)
    ap.add_argument("--jobs", type=int, default=0, help="--jobs of the command (0: one per core)")
    args = ap.parse_args()
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the start")
    print(f"{'input':<32} {'wall s':>7} {'CPU s':>6} {'peak MB':>8} {'summed MB':>10}  found")
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.copies:
            folder = Path(tmp) / f"copies{n}"
            write_copies(folder, n)
            figures, out = similar(folder, args.jobs)
            print(f"{f'{n:,} near-copies of one template':<32} {figures}  "
                  f"groups of {[c['size'] for c in out['clusters']]}, {len(out['pairs'])} pairs")
        if args.batch:
            folder = Path(tmp) / "batch"
            planted = {tuple(sorted(p)) for p in write_batch(folder, args.batch, planted=args.planted, seed=7)}
            figures, out = similar(folder, args.jobs)
            found = {tuple(sorted((Path(p["a"]).name, Path(p["b"]).name))) for p in out["pairs"]}
            print(f"{f'{args.batch:,} varied reports':<32} {figures}  "
                  f"{len(found & planted)}/{len(planted)} planted pairs, {len(found - planted)} false pairs, "
                  f"{len(out['clusters'])} groups")


if __name__ == "__main__":
    main()
