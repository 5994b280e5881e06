"""`auditor eval`: verdicts against hand labels, with every disagreement and false `met` first."""
from __future__ import annotations

import pytest

from .conftest import SHARED, run_cli

pytestmark = pytest.mark.usefixtures("english")   # these check the wording of messages, in English

LABELS = SHARED / "seeds" / "labels.tsv"


def test_the_samples_score_f1_one():
    r = run_cli("eval", str(LABELS), "reports/")
    assert r.code == 0, r.stdout + r.stderr
    micro = next(line for line in r.stdout.splitlines() if line.startswith("micro average")).split()
    assert micro[2:] == ["42", "0", "0", "7", "1.000", "1.000", "1.000"]
    assert "49 labels scored, 1 marked ? and 0 on rules that do not bind" in r.stdout and "FALSE MET" not in r.stdout


def test_disagreements_are_listed_with_evidence_false_met_first(tmp_path):
    text = LABELS.read_text(encoding="utf-8")
    flipped = text.replace("000_8983b31abeb2f5d4.txt\tlegal-advisor\tmet", "000_8983b31abeb2f5d4.txt\tlegal-advisor\tnot-met")
    flipped = flipped.replace("000_8983b31abeb2f5d4.txt\tfive-year-legal-education\tnot-met",
                              "000_8983b31abeb2f5d4.txt\tfive-year-legal-education\tmet")
    assert flipped.count("\tnot-met") == text.count("\tnot-met")
    labels = tmp_path / "labels.tsv"
    labels.write_text(flipped, encoding="utf-8")
    r = run_cli("eval", str(labels), "reports/")
    assert r.code == 1
    out = r.stdout
    assert out.index("FALSE MET") < out.index("MISSED")
    false_met = out[out.index("FALSE MET"):out.index("MISSED")]
    assert "000_8983b31abeb2f5d4.txt legal-advisor: met" in false_met and "法律顧問" in false_met
    assert "five-year-legal-education: partly met" in out[out.index("MISSED"):]
    row = next(line for line in out.splitlines() if line.startswith("legal-advisor")).split()
    assert row[1:5] == ["4", "1", "0", "0"]


def test_a_broken_labels_file_is_one_line(tmp_path):
    labels = tmp_path / "labels.tsv"
    labels.write_text("file\trule\n000.txt\txi-thought\n", encoding="utf-8")
    r = run_cli("eval", str(labels), "reports/")
    assert r.code == 2 and r.stderr.strip() == f"{labels}:1: [E214] labels file: missing column(s) expected"
