"""Output formats for pipelines and for people: one result model, the same exit code in every format."""
from __future__ import annotations

import csv
import io
import pytest

from auditor.ruleset import load_rules

from .conftest import REPO, run_cli

FORMATS = ["table", "json", "markdown", "csv"]
SAMPLES = sorted(str(p.relative_to(REPO)) for p in (REPO / "reports").glob("*.txt"))


@pytest.mark.parametrize("args", [
    ["reports/"],
    ["reports/002_ae009fae7ef3885b.txt"],
    ["reports/002_ae009fae7ef3885b.txt", "--fail-on", "warning"],
    ["reports/", "--exit-zero"],
    ["reports/", "nosuchfile.txt"],
])
def test_the_exit_code_does_not_depend_on_the_format(args):
    codes = {fmt: run_cli("audit", *args, "--format", fmt).code for fmt in FORMATS}
    assert len(set(codes.values())) == 1, codes


def test_exit_zero_passes_gaps_but_not_errors():
    assert run_cli("audit", "reports/").code == 1
    assert run_cli("audit", "reports/", "--exit-zero").code == 0
    assert run_cli("audit", "reports/", "nosuchfile.txt", "--exit-zero").code == 2


def test_csv_is_the_batch_matrix():
    r = run_cli("audit", "reports/", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    rules = load_rules(REPO / "rules")
    assert [row["report"] for row in rows] == SAMPLES
    for row in rows:
        assert all(row[rule.id] for rule in rules) and int(row["met"]) + int(row["gaps"]) <= len(rules)
    by_path = {row["report"]: row for row in rows}
    assert by_path["reports/002_ae009fae7ef3885b.txt"]["legality-review"] == "missing"
    assert by_path["reports/000_8983b31abeb2f5d4.txt"]["legal-advisor"] == "met"
    assert by_path["reports/000_8983b31abeb2f5d4.txt"]["body"] == "辰溪县船溪乡人民政府"


def test_markdown_has_a_heading_per_report_and_one_line_rows():
    r = run_cli("audit", "reports/", "--format", "markdown")
    for path in SAMPLES:
        assert f"## `{path}`" in r.stdout
    assert "## Summary" in r.stdout
    for line in r.stdout.splitlines():
        if line.startswith("|"):
            assert line.rstrip().endswith("|")   # no cell continues on the next line
    assert "| legality-review" in r.stdout


def test_output_file_is_written_whole_and_inputs_are_refused(tmp_path):
    out = tmp_path / "audit.json"
    r = run_cli("audit", "reports/", "--format", "json", "--output", str(out))
    assert r.code == 1 and r.stdout == "" and out.read_text(encoding="utf-8").startswith("{")
    assert [p.name for p in tmp_path.iterdir()] == ["audit.json"]   # no temporary file left
    sample = tmp_path / "draft.txt"
    sample.write_text((REPO / SAMPLES[2]).read_text(encoding="utf-8"), encoding="utf-8")
    before = sample.read_bytes()
    refused = run_cli("audit", str(sample), "--output", str(sample))
    assert refused.code == 2 and "[E301]" in refused.stderr and sample.read_bytes() == before


def test_a_failed_write_leaves_nothing_behind(tmp_path):
    """The rename fails (the target is a folder): one line, exit 2, no temporary file, the folder untouched."""
    target = tmp_path / "audit.md"
    target.mkdir()
    (target / "keep.txt").write_text("previous", encoding="utf-8")
    r = run_cli("audit", "reports/", "--format", "markdown", "--output", str(target))
    assert r.code == 2 and "cannot write the output" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["audit.md"]
    assert (target / "keep.txt").read_text(encoding="utf-8") == "previous"
