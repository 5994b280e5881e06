"""Verdicts on a file of labelled sentences (rule, expected met|not-met, sentence, why), each audited alone with
every rule as written: per-rule precision/recall and every disagreement. A quick check of how rules generalize
to wording written without looking at them.

    .venv/bin/python scripts/eval_sentences.py SENTENCES.tsv
"""
from __future__ import annotations

import csv
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from auditor.audit import audit_source  # noqa: E402
from auditor.read import Source  # noqa: E402
from auditor.settings import Options  # noqa: E402


def main(path: str) -> None:
    pipeline = Options(profile="none").build()
    cells: dict[str, Counter] = {}
    wrong = []
    for row in csv.DictReader(open(path, encoding="utf-8"), delimiter="\t"):
        report = audit_source(Source("s.txt", row["sentence"], "utf-8"), pipeline)
        f = next((f for f in report.findings if f.rule.id == row["rule"]), report.findings[0])   # or wrong type
        got, want = f.status.value == "met", row["expected"] == "met"
        cell = {(True, True): "TP", (True, False): "FP", (False, True): "FN", (False, False): "TN"}[(got, want)]
        cells.setdefault(row["rule"], Counter())[cell] += 1
        if cell in ("FP", "FN"):
            ev = f.evidence[0].quote if f.evidence else ""
            wrong.append(f"{cell} {row['rule']}: {f.status.value} ← {row['sentence']}  [{row['why']}] {f.why or ev}")
    total = sum(cells.values(), Counter())
    for rule, c in sorted(cells.items()) + [("micro", total)]:
        p = c["TP"] / (c["TP"] + c["FP"]) if c["TP"] + c["FP"] else 1
        r = c["TP"] / (c["TP"] + c["FN"]) if c["TP"] + c["FN"] else 1
        print(f"{rule:28} TP {c['TP']:3} FP {c['FP']:3} FN {c['FN']:3} TN {c['TN']:3}  P {p:.3f} R {r:.3f} "
              f"F1 {2 * p * r / (p + r) if p + r else 0:.3f}")
    print("\n".join(sorted(wrong)))


if __name__ == "__main__":
    main(sys.argv[1])
