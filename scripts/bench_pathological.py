"""Time to audit generated pathological inputs at 1, 2, 4 and 8 times a base size, in-process with the bundled
rules: every stage must grow linearly (a doubling of the input about doubles the time), so a file of 1 MB
audits in seconds whatever it holds.

    .venv/bin/python scripts/bench_pathological.py [--base-kb 64] [--only NAME]
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from auditor.audit import audit_source  # noqa: E402
from auditor.read import Source  # noqa: E402
from auditor.settings import Options  # noqa: E402

SAMPLE = (REPO / "reports" / "002_ae009fae7ef3885b.txt").read_text(encoding="utf-8")


def _repeat(unit: str, chars: int) -> str:
    return unit * max(1, chars // len(unit))


GENERATORS = {
    "blank lines": lambda n: _repeat("\n", n),
    "mojibake-like runs": lambda n: _repeat("鎮(zhèn)堅(jiān)持(chí)é法治", n),
    "latin and CJK without breaks": lambda n: _repeat("abc法治def政府", n),
    "one phrase repeated": lambda n: _repeat("法律顾问，", n),
    "述法 repeated": lambda n: _repeat("述法", n),
    "units repeated": lambda n: _repeat("市县区镇乡街道", n),
    "CRLF lines": lambda n: _repeat("推进法治政府建设。\r\n", n),
    "one-character lines": lambda n: _repeat("法\n", n),
    "letter-spaced text": lambda n: _repeat("法 治 政 府 建 设 ", n),
    "headings only": lambda n: _repeat("一、主要举措和成效\n", n),
    "one-line report": lambda n: _repeat(SAMPLE.replace("\n", ""), n),
    "report repeated": lambda n: _repeat(SAMPLE, n),
    "commas only": lambda n: _repeat("依法行政，", n),
    "concept words in one sentence": lambda n: _repeat("方案征求意见、集体讨论决定、专家论证、风险评估，党组学习法治，", n),
    "dates and signatures": lambda n: _repeat("某某镇人民政府\n2024年3月1日\n", n),
    "rule headings repeated": lambda n: _repeat("（一）推进政务公开\n全年公开信息12条。\n", n),
    "separators in one line": lambda n: _repeat("政务公开 > 法治建设 ", n),
}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--base-kb", type=int, default=64, help="size of the 1× input in KB of characters")
    ap.add_argument("--only", help="one generator by name")
    args = ap.parse_args()
    pipeline = Options().build()
    pipeline.segmenter.load()
    audit_source(Source("warm.txt", SAMPLE, "utf-8"), pipeline)
    print(f"{'input':30} " + " ".join(f"{f'{m}× s':>8}" for m in (1, 2, 4, 8)) + "   8×/1×")
    for name, make in GENERATORS.items():
        if args.only and args.only != name:
            continue
        times = []
        for mult in (1, 2, 4, 8):
            text = make(args.base_kb * 1024 * mult // 3)   # ~3 bytes a character in UTF-8
            t0 = time.perf_counter()
            audit_source(Source(f"{name}.txt", text, "utf-8"), pipeline)
            times.append(time.perf_counter() - t0)
        print(f"{name:30} " + " ".join(f"{t:8.2f}" for t in times) + f"   {times[-1] / max(times[0], 1e-6):5.1f}")


if __name__ == "__main__":
    main()
