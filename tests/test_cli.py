"""The console script as a user runs it: exit codes 0/1/2, data on stdout, diagnostics on stderr."""
from __future__ import annotations

import json
import shutil

from auditor.ruleset import load_rules

from .conftest import DATA, REPO, REPORTS, run_cli

SAMPLE = "reports/002_ae009fae7ef3885b.txt"


def test_complete_report_passes_the_default_gate():
    r = run_cli("audit", str(DATA / "complete_report.txt"))
    assert r.code == 0, r.stdout + r.stderr
    assert r.stderr == ""
    doc = json.loads(run_cli("audit", str(DATA / "complete_report.txt"), "-f", "json").stdout)
    errors = [x for x in doc["reports"][0]["results"] if x["severity"] == "error"]
    assert len(errors) >= 5 and all(x["status"] == "met" for x in errors)


def test_error_level_gap_exits_1_and_the_table_shows_it():
    r = run_cli("audit", "reports/003_88711d32bb28d44b.txt")   # no part on the leaders' duty (severity error)
    assert r.code == 1
    assert "section-leader-duty" in r.stdout and "missing" in r.stdout and r.stderr == ""
    assert run_cli("audit", "reports/003_88711d32bb28d44b.txt", "--fail-on", "never").code == 0


def test_fail_on_sets_the_severity_floor():
    # 002 misses only legality-review, a warning: the default gate (error) passes, --fail-on warning fails
    assert run_cli("audit", SAMPLE).code == 0
    assert run_cli("audit", SAMPLE, "--fail-on", "warning").code == 1


def test_json_is_utf8_versioned_and_independent_of_the_exit_code():
    table = run_cli("audit", SAMPLE, "--fail-on", "warning")
    r = run_cli("audit", SAMPLE, "--format", "json", "--fail-on", "warning")
    assert r.code == table.code and r.stderr == ""
    doc = json.loads(r.stdout)
    assert doc["schema_version"] == 1 and doc["tool"]["name"] == "auditor"
    (report,) = doc["reports"]
    assert report["path"] == SAMPLE and report["errors"] == []
    by_rule = {x["rule"]: x for x in report["results"]}
    assert by_rule["legality-review"]["status"] == "missing"
    ev = by_rule["legal-advisor"]["evidence"][0]
    assert "法律顾问" in ev["quote"] and ev["line"] >= 1 and ev["column"] >= 1
    assert "\\u" not in r.stdout   # Chinese is written as Chinese, not escaped


def test_folder_with_an_unreadable_file_goes_on_and_exits_2(tmp_path):
    for p in sorted(REPORTS.glob("*.txt"))[:2]:
        shutil.copy(p, tmp_path / p.name)
    (tmp_path / "broken.txt").write_bytes(b"")
    (tmp_path / "draft.docx").write_bytes(b"PK\x03\x04")
    (tmp_path / "labels.tsv").write_text("x", encoding="utf-8")
    r = run_cli("audit", str(tmp_path), "--format", "json")
    assert r.code == 2
    doc = json.loads(r.stdout)
    audited = [x for x in doc["reports"] if not x["errors"]]
    failed = {x["path"].rsplit("/", 1)[-1]: x["errors"][0]["code"] for x in doc["reports"] if x["errors"]}
    assert len(audited) == 2 and failed == {"broken.txt": "E103", "draft.docx": "E108"}
    err = r.stderr.splitlines()
    assert any(line.endswith("broken.txt: [E103] the file is empty") for line in err)
    assert any("labels.tsv" in line and "skipped" in line for line in err)
    assert "Traceback" not in r.stderr


def test_missing_path_is_exit_2_with_one_line():
    r = run_cli("audit", "no/such/file.txt")
    assert r.code == 2 and r.stderr.strip().splitlines()[0] == "no/such/file.txt: [E101] no such file or folder"


def test_broken_rules_stop_before_any_report_is_read(tmp_path):
    shutil.copy(DATA / "broken_rules" / "unknown-key.yaml", tmp_path)
    r = run_cli("audit", SAMPLE, "--rules", str(tmp_path))
    assert r.code == 2 and r.stdout == ""
    assert f"{tmp_path}/unknown-key.yaml:12: [E203] unknown key 'phrase' (did you mean 'phrases'?)" in r.stderr


def test_usage_errors_exit_2():
    assert run_cli("audit").code == 2
    assert run_cli("audit", SAMPLE, "--format", "yaml").code == 2
    assert run_cli("audit", SAMPLE, "--table-format", "nonsense").code == 2


def test_rules_list_and_check():
    listed = run_cli("rules", "list")
    assert listed.code == 0 and "legality-review" in listed.stdout and "合法性审查" in listed.stdout
    checked = run_cli("rules", "check")
    assert checked.code == 0 and "examples behave as declared" in checked.stdout
    bad = run_cli("rules", "check", str(DATA / "broken_rules"))
    assert bad.code == 2 and "[E203]" in bad.stderr


def test_folder_summary_matrix_and_help():
    r = run_cli("audit", "reports/")
    assert r.code == 1 and "Summary" in r.stdout and r.stdout.count(f"/{len(load_rules(REPO / 'rules'))} met") == 5
    h = run_cli("--help")
    assert h.code == 0 and "audit" in h.stdout and "rules" in h.stdout
