"""Extraction speed per format: the five sample reports rendered as .docx, .pdf and .html (with the test
generators), each read REPEAT times. Prints characters extracted per second and milliseconds per file, and
the whole audit per file. Run: .venv/bin/python scripts/bench_formats.py"""
from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from auditor.audit import Pipeline, audit_file  # noqa: E402
from auditor.read import read_source  # noqa: E402
from auditor.ruleset import load_rules  # noqa: E402
from tests.render import to_docx, to_html, to_pdf  # noqa: E402

REPEAT = 5


def main() -> None:
    seeds = sorted((REPO / "reports").glob("*.txt"))
    matcher = Pipeline(load_rules(REPO / "rules"))
    with tempfile.TemporaryDirectory() as tmp:
        files = {"txt": seeds}
        for fmt, render in (("docx", to_docx), ("pdf", to_pdf), ("html", to_html)):
            files[fmt] = [render(p.read_text(encoding="utf-8"), Path(tmp) / f"{p.stem}.{fmt}").path for p in seeds]
        for path in files["html"][:1]:
            read_source(path)   # first import of each library is start-up, not extraction
        read_source(files["docx"][0]), read_source(files["pdf"][0])
        print(f"{'format':6} {'chars/s':>12} {'ms/file read':>13} {'ms/file audit':>14}")
        for fmt, paths in files.items():
            chars, t0 = 0, time.perf_counter()
            for _ in range(REPEAT):
                for p in paths:
                    chars += len(read_source(p).text)
            read_s = time.perf_counter() - t0
            t0 = time.perf_counter()
            for p in paths:
                audit_file(p, matcher)
            audit_s = time.perf_counter() - t0
            n = REPEAT * len(paths)
            print(f"{fmt:6} {chars / read_s:12,.0f} {1000 * read_s / n:13.1f} {1000 * audit_s / len(paths):14.1f}")


if __name__ == "__main__":
    main()
