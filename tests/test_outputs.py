"""Output formats for pipelines and for people: one result model, the same exit code in every format."""
from __future__ import annotations

import csv
import io
import pytest

from auditor.ruleset import load_profiles, load_rules
from auditor.status import Status

from .conftest import REPO, run_cli

SAMPLES = sorted(str(p.relative_to(REPO)) for p in (REPO / "reports").glob("*.txt"))


ONE_MET = "reports/002_ae009fae7ef3885b.txt"     # gaps below error only: passes the default gate
ONE_FAILED = "reports/003_88711d32bb28d44b.txt"  # an error-level gap


@pytest.mark.parametrize("args, expected", [
    (["reports/"], 1),
    ([ONE_MET], 0),
    ([ONE_MET, "--fail-on", "warning"], 1),
    ([ONE_FAILED, "--exit-zero"], 0),
    ([ONE_MET, "nosuchfile.txt"], 2),
], ids=["batch-gaps", "passes", "fail-on-warning", "exit-zero", "missing-input"])
def test_the_exit_code_does_not_depend_on_the_format(args, expected, tmp_path, monkeypatch, capsys):
    """Every format (the registry's list, the folder and file formats with their --output) exits with the code
    the verdicts call for, not merely with the same code as the others."""
    from typer.main import get_command

    from auditor.cli import app
    from auditor.run import Stop
    from auditor.settings import FOLDER_FORMATS, FORMATS

    def code(fmt: str) -> int:   # in this process (the rules and the model loaded once), as `auditor` runs it
        output = (["-o", str(tmp_path / fmt)] if fmt in FOLDER_FORMATS
                  else ["-o", str(tmp_path / f"out.{fmt}")] if fmt == "xlsx" else [])
        try:
            got = get_command(app).main(["audit", *args, "--format", fmt, "--jobs", "1", *output],
                                        prog_name="auditor", standalone_mode=False)
        except Stop as stop:
            got = stop.code
        return got if isinstance(got, int) else 0

    monkeypatch.chdir(REPO)
    codes = {fmt: code(fmt) for fmt in FORMATS}
    assert codes == {fmt: expected for fmt in FORMATS}
    assert run_cli("audit", *args, "--format", "json").code == expected   # and as a user runs it


def test_the_formats_are_listed_once_in_the_renderers_registry():
    """render.FORMATS is the one list; settings, the --format choices and the settings file derive from it, and
    every entry names a module that renders (or, for the folder formats, writes)."""
    from importlib import import_module

    from auditor import cli, render, settings
    assert settings.FORMATS == tuple(render.FORMATS) and set(settings.FOLDER_FORMATS) <= set(render.FORMATS)
    assert [f.value for f in cli.Format] == list(render.FORMATS)
    assert settings.KEYS["format"][1] == settings.FORMATS
    for name, module in render.FORMATS.items():
        loaded = import_module(f"auditor.render.{module}")
        assert callable(getattr(loaded, "write" if name in render.FOLDER_FORMATS else "render")), name


def test_exit_zero_passes_gaps_but_not_errors():
    assert run_cli("audit", "reports/").code == 1
    assert run_cli("audit", "reports/", "--exit-zero").code == 0
    assert run_cli("audit", "reports/", "nosuchfile.txt", "--exit-zero").code == 2


@pytest.fixture(scope="module")
def sample_reports(matcher):
    from pathlib import Path

    from auditor.audit import audit_paths
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(REPO)
        return list(audit_paths(sorted(Path("reports").glob("*.txt")), matcher))


def _csv(stdout: str) -> list[dict]:
    assert stdout.startswith("\ufeff")   # Excel on a Chinese Windows PC reads UTF-8 only with the BOM
    return list(csv.DictReader(io.StringIO(stdout[1:])))


def test_csv_is_the_batch_matrix():
    """Chinese headers for people (--lang en: English); per rule the status label under its short name and the
    status id under its rule id for machines; points, never the match confidence."""
    r = run_cli("audit", "reports/", "--format", "csv")
    rows = _csv(r.stdout)
    rules = load_rules(REPO / "rules")
    assert list(rows[0])[:4] == ["报告主体", "层级", "报告年度", "审查情况"]
    assert [row["文件"] for row in rows] == SAMPLES
    for row in rows:
        assert all(row[rule.id] for rule in rules) and int(row["满足项数"]) + int(row["问题项数"]) <= len(rules)
        assert float(row["得分"]) <= float(row["满分"])
    by_path = {row["文件"]: row for row in rows}
    assert by_path["reports/002_ae009fae7ef3885b.txt"]["legality-review"] == "missing"
    assert by_path["reports/002_ae009fae7ef3885b.txt"]["合法性审查"] == "缺失"
    assert by_path["reports/000_8983b31abeb2f5d4.txt"]["legal-advisor"] == "met"
    assert by_path["reports/000_8983b31abeb2f5d4.txt"]["报告主体"] == "辰溪县船溪乡人民政府"
    assert by_path["reports/000_8983b31abeb2f5d4.txt"]["层级"] == "乡镇（街道）"
    assert "匹配度" not in r.stdout and "score" not in r.stdout


def test_csv_in_english(monkeypatch, rules, sample_reports):
    import auditor.i18n
    from auditor.render import RENDERERS
    monkeypatch.setattr(auditor.i18n, "_language", "en")
    rows = _csv(RENDERERS["csv"](sample_reports, rules))
    assert list(rows[0])[:4] == ["reporting body", "administrative level", "report year", "audit result"]
    assert {row["legality-review"] for row in rows} <= {s.value for s in Status}
    assert rows[0]["administrative level"] == "township (street office)"


def test_markdown_has_a_heading_per_report_and_one_line_rows():
    r = run_cli("audit", "reports/", "--format", "markdown")
    for path in SAMPLES:
        assert f"## `{path}`" in r.stdout
    assert "## 汇总" in r.stdout
    for line in r.stdout.splitlines():
        if line.startswith("|"):
            assert line.rstrip().endswith("|")   # no cell continues on the next line
    assert "合法性审查" in r.stdout


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
    assert r.code == 2 and "[E301] 无法写入输出" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["audit.md"]
    assert (target / "keep.txt").read_text(encoding="utf-8") == "previous"


# --- SARIF -----------------------------------------------------------------------------------------

import json  # noqa: E402

import jsonschema  # noqa: E402

from .conftest import SHARED  # noqa: E402
from .render import to_docx  # noqa: E402

SARIF_SCHEMA = SHARED / "schemas" / "sarif-schema-2.1.0.json"


def sarif(*args):
    r = run_cli("audit", *args, "--format", "sarif")
    doc = json.loads(r.stdout)
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))   # the official SARIF 2.1.0 schema (draft-04)
    jsonschema.Draft4Validator(schema).validate(doc)
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
    rules = load_rules(REPO / "rules")
    severity = {r.id: r.severity for r in rules}
    lowered = load_profiles(rules, REPO / "rules")["township"].overrides   # the sample is a township's report
    severity |= {rid: o["severity"] for rid, o in lowered.items() if "severity" in o}
    mapping = {"error": "error", "warning": "warning", "info": "note"}
    for res in results:
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


def test_sarif_and_junit_read_chinese_and_keep_their_ids(monkeypatch, rules, sample_reports):
    """A person reads the SARIF message and the JUnit failure in Chinese (status, why, fix); machines keep the
    ruleIds, status ids and test names; --lang en reads English."""
    import auditor.i18n
    from auditor.render import RENDERERS
    ids = {rule.id for rule in rules}
    for lang, fix, missing in [("zh", "整改建议：", "缺失："), ("en", "How to fix: ", "missing: ")]:
        monkeypatch.setattr(auditor.i18n, "_language", lang)
        run = json.loads(RENDERERS["sarif"](sample_reports, rules))["runs"][0]
        results = run["results"]
        assert {res["ruleId"] for res in results} <= ids
        assert {res["properties"]["status"] for res in results} <= {s.value for s in Status}
        assert all(fix in res["message"]["text"] for res in results if Status(res["properties"]["status"]).is_gap)
        assert any(res["message"]["text"].startswith(missing) for res in results)
        assert all(d["help"]["text"].startswith(fix) for d in run["tool"]["driver"]["rules"])
        xml = JUnitXml.fromstring(RENDERERS["junit"](sample_reports, rules).split("\n", 1)[1])
        cases = [case for suite in xml for case in suite]
        assert all(case.name.split(" — ")[0] in ids for case in cases)
        failures = [x for case in cases for x in case.result if isinstance(x, Failure)]
        assert failures and all(fix in f.text for f in failures)
        assert all(f.type.split(":")[1] in {s.value for s in Status} for f in failures)
    monkeypatch.setattr(auditor.i18n, "_language", "zh")
    run = json.loads(RENDERERS["sarif"](sample_reports, rules))["runs"][0]
    assert all(d["shortDescription"]["text"] == next(r.title for r in rules if r.id == d["id"])
               for d in run["tool"]["driver"]["rules"])


# --- spreadsheet -----------------------------------------------------------------------------------

import openpyxl  # noqa: E402


SHEETS = ["汇总", "问题清单", "对照表", "原文依据"]


def _sheet(book, title):
    rows = list(book[title].iter_rows(values_only=True))
    return list(rows[0]), [dict(zip(rows[0], row)) for row in rows[1:]]


def test_xlsx_sheets_read_back_and_print(tmp_path):
    out = tmp_path / "batch.xlsx"
    r = run_cli("audit", "reports/", "--format", "xlsx", "--output", str(out))
    assert r.code == run_cli("audit", "reports/").code and r.stdout == ""
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == SHEETS
    doc = json.loads(run_cli("audit", "reports/", "--format", "json").stdout)
    rules = {rule.id: rule for rule in load_rules(REPO / "rules")}

    head, summary = _sheet(book, "汇总")   # one row per report, the body's name first, a count per status
    assert head[:3] == ["报告主体", "层级", "报告年度"] and {"得分", "满分", "缺失", "满足", "文件"} <= set(head)
    assert [row["文件"] for row in summary] == SAMPLES
    for row, rep in zip(summary, doc["reports"]):
        assert row["缺失"] == sum(res["status"] == "missing" for res in rep["results"])
        assert row["满足"] == sum(res["status"] == "met" for res in rep["results"])

    head, gaps = _sheet(book, "问题清单")   # one row per gap, gaps first, the fix and a column for the reviewer
    assert head[0] == "报告主体" and {"整改建议", "法律依据", "整改等级", "审核备注", "规则编号"} <= set(head)
    expected = [(rep["path"], res["rule"]) for rep in doc["reports"] for res in rep["results"]
                if Status(res["status"]).is_gap]
    assert sorted((row["文件"], row["规则编号"]) for row in gaps) == sorted(expected)
    assert all(row["整改建议"] == rules[row["规则编号"]].fix and row["审核备注"] is None for row in gaps)
    from auditor.labels import GAPS_FIRST
    order = {s.label: i for i, s in enumerate(GAPS_FIRST)}
    for path in SAMPLES:
        ranks = [order[row["状态"]] for row in gaps if row["文件"] == path]
        assert ranks == sorted(ranks)

    head, matrix = _sheet(book, "对照表")   # the CSV's matrix, labels only
    rows = _csv(run_cli("audit", "reports/", "--format", "csv").stdout)
    assert [row["合法性审查"] for row in matrix] == [row["合法性审查"] for row in rows]
    assert "legality-review" not in head

    head, evidence = _sheet(book, "原文依据")
    quotes = {e["quote"] for rep in doc["reports"] for res in rep["results"] for e in res["evidence"]}
    assert quotes == {row["原文"] for row in evidence if row["原文"]}

    for sheet in book:   # ready to read and to print
        assert sheet.freeze_panes == "B2" and sheet.auto_filter.ref
        assert sheet.page_setup.orientation == "landscape" and int(sheet.page_setup.paperSize) == 9
        assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToWidth == 1
        assert sheet.print_title_rows == "$1:$1"
        assert all(4 <= sheet.column_dimensions[c].width <= 64 for c in "ABCDE")
        assert not any(isinstance(v, str) and ("匹配度" in v or v == "score")
                       for row in sheet.iter_rows(values_only=True) for v in row)
    fills = {c.value: c.fill.fgColor.rgb for c in book["问题清单"]["C"][1:]}
    assert fills["缺失"].endswith(Status.MISSING.colour)
    assert run_cli("audit", "reports/", "--format", "xlsx").code == 2   # a spreadsheet needs --output


def test_xlsx_in_english(monkeypatch, rules, sample_reports, tmp_path):
    import auditor.i18n
    from auditor.render import RENDERERS
    monkeypatch.setattr(auditor.i18n, "_language", "en")
    out = tmp_path / "batch.xlsx"
    out.write_bytes(RENDERERS["xlsx"](sample_reports, rules))
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["summary", "gap list", "matrix", "evidence"]
    head, gaps = _sheet(book, "gap list")
    assert {"how to fix", "tier", "reviewer's notes"} <= set(head)
    assert {row["status"] for row in gaps} <= {"missing", "partly met", "planned only", "listed as a shortcoming"}


def test_jsonl_with_only_missing_inputs_and_an_unwritable_output_are_one_line_each(tmp_path):
    r = run_cli("audit", "nosuchfile.txt", "--format", "jsonl")
    assert r.code == 2 and json.loads(r.stdout)["errors"][0]["code"] == "E101" and "Traceback" not in r.stderr
    bad = tmp_path / "missing-folder" / "out.jsonl"
    r = run_cli("audit", "reports/002_ae009fae7ef3885b.txt", "--format", "jsonl", "--output", str(bad))
    assert r.code == 2 and r.stderr.strip() == f"{bad}: [E301] 无法写入输出：文件或文件夹不存在"


@pytest.mark.office
def test_xlsx_prints_on_few_pages_with_wrapped_text(rules, sample_reports, tmp_path):
    """Printed by LibreOffice: landscape pages, the five samples on at most 25 of them (63 before), and long
    text wrapped in full rather than cut at the cell's edge (the end of every fix is on the page)."""
    import shutil
    import subprocess

    import pypdfium2

    from auditor.render import RENDERERS
    soffice = shutil.which("soffice")
    book = tmp_path / "batch.xlsx"
    book.write_bytes(RENDERERS["xlsx"](sample_reports, rules))
    subprocess.run([soffice, "--headless", f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(book)],
                   check=True, capture_output=True, timeout=240)
    pdf = pypdfium2.PdfDocument(str(tmp_path / "batch.pdf"))
    assert 4 <= len(pdf) <= 25
    assert all(page.get_size()[0] > page.get_size()[1] for page in pdf)
    printed = "".join("".join(page.get_textpage().get_text_range().split()) for page in pdf)
    fixes = {f.rule.fix for r in sample_reports for f in r.findings if f.status.is_gap}
    assert all("".join(fix.split())[-8:] in printed for fix in fixes)
    assert f"第1页，共{len(pdf)}页" in printed
