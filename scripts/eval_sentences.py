"""Verdicts on a file of labelled sentences (rule, expected met|not-met, sentence, why), each audited alone with
every rule as written: per-rule precision/recall and every disagreement. A quick check of how rules generalize
to wording written without looking at them (tests/data/sentences-blind-*.tsv were written blind by helpers).

    .venv/bin/python scripts/eval_sentences.py tests/data/sentences-blind-2.tsv
"""
from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from auditor.evaluate import evaluate_sentences, scores  # noqa: E402
from auditor.settings import Options  # noqa: E402


def main(path: str) -> None:
    cells, wrong = evaluate_sentences(Path(path), Options(profile="none").build())
    for rule, c in sorted(cells.items()) + [("micro", sum(cells.values(), Counter()))]:
        p, r, f1 = scores(c)
        print(f"{rule:28} TP {c['TP']:3} FP {c['FP']:3} FN {c['FN']:3} TN {c['TN']:3}  P {p:.3f} R {r:.3f} F1 {f1:.3f}")
    print("\n".join(wrong))


if __name__ == "__main__":
    main(sys.argv[1])
