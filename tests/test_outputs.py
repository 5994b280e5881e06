"""Output formats for pipelines and for people: one result model, the same exit code in every format."""
from __future__ import annotations

import csv
import io
import pytest

from auditor.ruleset import load_rules

from .conftest import REPO, run_cli

FORMATS = ["table", "json", "jsonl", "markdown", "csv", "sarif", "junit"]
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


# --- SARIF -----------------------------------------------------------------------------------------

import json  # noqa: E402

import jsonschema  # noqa: E402

from .conftest import SHARED  # noqa: E402
from .render import to_docx  # noqa: E402

SARIF_SCHEMA = json.loads((SHARED / "schemas" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))


def sarif(*args):
    r = run_cli("audit", *args, "--format", "sarif")
    doc = json.loads(r.stdout)
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(doc)   # the official SARIF 2.1.0 schema (draft-04)
    return r, doc


def test_sarif_declares_every_rule_and_points_into_the_original_text():
    r, doc = sarif("reports/")
    (run,) = doc["runs"]
    rules = load_rules(REPO / "rules")
    declared = run["tool"]["driver"]["rules"]
    assert [d["id"] for d in declared] == [rule.id for rule in rules]   # fired or not
    assert all(d["help"]["text"] and "法律依据" in d["help"]["text"] for d in declared)
    assert run["columnKind"] == "unicodeCodePoints" and r.code == 1
    anchored = 0
    for res in run["results"]:
        assert declared[res["ruleIndex"]]["id"] == res["ruleId"]
        loc = res["locations"][0]["physicalLocation"]
        region = loc["region"]
        path = REPO / loc["artifactLocation"]["uri"]
        if "snippet" in region:   # evidence: the original characters are where the region says
            line = path.read_text(encoding="utf-8").splitlines()[region["startLine"] - 1]
            assert line[region["startColumn"] - 1:][:2] in region["snippet"]["text"]
            anchored += 1
        else:                     # a missing element: the start of the file
            assert (region["startLine"], region["startColumn"]) == (1, 1)
    assert anchored > 0
    again = sarif("reports/")[1]["runs"][0]["results"]
    assert [x["partialFingerprints"] for x in again] == [x["partialFingerprints"] for x in run["results"]]
    assert len({x["partialFingerprints"]["auditorFinding/v1"] for x in again}) > len(declared) // 2


def test_sarif_levels_follow_severity_and_word_files_get_logical_locations(tmp_path):
    text = (REPO / "reports" / "004_20709ed33c242e8f.txt").read_text(encoding="utf-8")
    docx = to_docx(text, tmp_path / "004.docx").path
    _, doc = sarif(str(docx))
    results = doc["runs"][0]["results"]
    with_evidence = [res for res in results if "logicalLocations" in res["locations"][0]]
    assert with_evidence and all("region" not in res["locations"][0]["physicalLocation"] for res in with_evidence)
    assert all(res["locations"][0]["logicalLocations"][0]["name"].startswith(("para ", "table "))
               for res in with_evidence)
    severity = {r.id: r.severity for r in load_rules(REPO / "rules")}
    mapping = {"error": "error", "warning": "warning", "info": "note"}
    for res in results:
        if res["ruleId"] not in ("normative-documents", "digital-rule-of-law"):   # township profile lowers these
            assert res["level"] == mapping[severity[res["ruleId"]]]


def test_input_errors_become_tool_notifications():
    r, doc = sarif("reports/002_ae009fae7ef3885b.txt", "nosuchfile.txt")
    inv = doc["runs"][0]["invocations"][0]
    assert r.code == 2 and not inv["executionSuccessful"]
    assert [n["descriptor"]["id"] for n in inv["toolExecutionNotifications"]] == ["E101"]


# --- JUnit -----------------------------------------------------------------------------------------

from junitparser import Error, Failure, JUnitXml, Skipped  # noqa: E402


def test_junit_has_one_case_per_report_and_rule_and_reads_back(tmp_path):
    out = tmp_path / "audit.xml"
    r = run_cli("audit", "reports/", "nosuchfile.txt", "--format", "junit", "--output", str(out))
    assert r.code == 2
    xml = JUnitXml.fromfile(str(out))
    doc = json.loads(run_cli("audit", "reports/", "--format", "json").stdout)
    suites = {s.name: s for s in xml}
    names = set()
    for rep in doc["reports"]:
        cases = list(suites[rep["path"]])
        assert len(cases) == len(rep["results"])
        for case, res in zip(cases, rep["results"]):
            names.add((case.classname, case.name))
            kinds = {type(x) for x in case.result}
            if res["status"] == "not-applicable":
                assert kinds == {Skipped}
            elif res["status"] == "met":
                assert case.is_passed
            else:
                assert kinds == {Failure} and res["rule"] in case.name
                (fail,) = case.result
                assert fail.message == res["why"] and all(e["quote"] in fail.text for e in res["evidence"])
    assert len(names) == sum(len(rep["results"]) for rep in doc["reports"])   # unique case names
    (missing,) = [s for s in xml if s.name == "nosuchfile.txt"]
    assert [type(x) for case in missing for x in case.result] == [Error]


# --- spreadsheet -----------------------------------------------------------------------------------

import openpyxl  # noqa: E402


def test_xlsx_matrix_and_evidence_read_back(tmp_path):
    out = tmp_path / "batch.xlsx"
    r = run_cli("audit", "reports/", "--format", "xlsx", "--output", str(out))
    assert r.code == run_cli("audit", "reports/").code and r.stdout == ""
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["matrix", "evidence"]
    def same(v):   # a spreadsheet keeps numbers as numbers: compare 100 and "100.0" as one value
        try:
            return float(v)
        except (TypeError, ValueError):
            return "" if v is None else str(v)
    sheet_rows = [[same(v) for v in row] for row in book["matrix"].iter_rows(values_only=True)]
    csv_rows = list(csv.reader(io.StringIO(run_cli("audit", "reports/", "--format", "csv").stdout)))
    assert sheet_rows == [[same(v) for v in row] for row in csv_rows]   # the same matrix as the CSV
    evidence = list(book["evidence"].iter_rows(values_only=True))
    head, body = evidence[0], evidence[1:]
    doc = json.loads(run_cli("audit", "reports/", "--format", "json").stdout)
    quotes = {e["quote"] for rep in doc["reports"] for res in rep["results"] for e in res["evidence"]}
    assert quotes == {row[head.index("quote (原文)")] for row in body if row[head.index("quote (原文)")]}
    assert run_cli("audit", "reports/", "--format", "xlsx").code == 2   # a spreadsheet needs --output


def test_jsonl_with_only_missing_inputs_and_an_unwritable_output_are_one_line_each(tmp_path):
    r = run_cli("audit", "nosuchfile.txt", "--format", "jsonl")
    assert r.code == 2 and json.loads(r.stdout)["errors"][0]["code"] == "E101" and "Traceback" not in r.stderr
    bad = tmp_path / "missing-folder" / "out.jsonl"
    r = run_cli("audit", "reports/002_ae009fae7ef3885b.txt", "--format", "jsonl", "--output", str(bad))
    assert r.code == 2 and r.stderr.strip() == f"{bad}: [E301] cannot write the output: No such file or directory"
