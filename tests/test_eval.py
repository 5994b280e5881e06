"""`auditor eval`: verdicts against hand labels, with every disagreement and false `met` first."""
from __future__ import annotations

import pytest

from .conftest import SHARED, run_cli

pytestmark = pytest.mark.usefixtures("english")   # these check the wording of messages, in English

LABELS = SHARED / "seeds" / "labels.tsv"


def test_the_samples_score_f1_one():
    r = run_cli("eval", str(LABELS), "reports/")
    micro = next(line for line in r.stdout.splitlines() if line.startswith("micro average")).split()
    # one label disagrees with the labelling guide, which wins (tests/data/guide-over-labels.tsv): the sample
    # names 谁执法谁普法, the plan's machinery, so the guide says met where the label says not
    assert r.code == 1 and micro[2:] == ["42", "1", "0", "6", "0.977", "1.000", "0.988"], r.stdout
    assert "49 labels scored, 1 marked ? and 0 on rules that do not bind" in r.stdout
    false_met = r.stdout[r.stdout.index("FALSE MET"):]
    assert false_met.count("\n  ") == 1 and "004_20709ed33c242e8f.txt five-year-legal-education" in false_met


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
    assert "five-year-legal-education: planned" in out[out.index("MISSED"):]   # 谁执法谁普法 only in its plans
    row = next(line for line in out.splitlines() if line.startswith("legal-advisor")).split()
    assert row[1:5] == ["4", "1", "0", "0"]


def test_a_broken_labels_file_is_one_line(tmp_path):
    labels = tmp_path / "labels.tsv"
    labels.write_text("file\trule\n000.txt\txi-thought\n", encoding="utf-8")
    r = run_cli("eval", str(labels), "reports/")
    assert r.code == 2 and r.stderr.strip() == f"{labels}:1: [E214] labels file: missing column(s) expected"
