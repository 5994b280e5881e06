"""Names and text that would forge or inject output (issue 14, items 10, 12 and 14): every format stays valid
and harmless when a file name holds undecodable bytes, a newline, `|` or backticks, and the report text holds
terminal escapes, control characters or a spreadsheet formula."""
from __future__ import annotations

import copy
import csv
import dataclasses
import io
import json
import os
import re
import xml.etree.ElementTree as ET

import jsonschema
import openpyxl
import pytest

from auditor import shown
from auditor.audit import audit_paths
from auditor.errors import AuditorError
from auditor.model import Report
from auditor.render import RENDERERS
from auditor.render.markdown_format import cell, code

from .conftest import REPO, SHARED, run_cli

pytestmark = pytest.mark.usefixtures("english")   # these check the wording of messages, in English

FORMULA = '=HYPERLINK("//x.example","合法性审查")'
TEXT = ("某某区司法局2023年法治政府建设年度报告\n"
        "2023年，我局坚持以习近平法治思想为指导，现将有关情况报告如下。\n"
        "一、主要举措和成效\n"
        f"{FORMULA}重大行政决策均经合法性审查。\x1b[2J\x01聘请法律顾问2名。\n"
        "二、存在的不足\n尚无。\n三、下一步工作安排\n继续推进。\n某某区司法局\n2024年1月10日\n")
NEWLINE = "a\nb[E999] fake.txt"
UNDECODABLE = os.fsdecode(b"\xff\xfe.txt")
NAMES = [NEWLINE, UNDECODABLE, "x|y`z.txt", "=cmd.txt", "\x1b[2Jclear.txt", "rtl\u202etxt.exe.txt"]
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e]")
FORGED_WHY = "\x1b[2J屏幕\x01被清\r\n[E999] forged"
HOSTILE_BODY = "=1+1|`x`\n[E999] \x1b[31m红\x01"


@pytest.fixture(scope="module")
def hostile(matcher, tmp_path_factory):
    """The same small report under hostile names, one with hostile facts and why, and one that is unreadable."""
    folder = tmp_path_factory.mktemp("hostile")
    paths = []
    for n in NAMES:
        path = folder / n
        with open(os.fsencode(path), "w", encoding="utf-8") as fh:   # the name's own bytes, \xff\xfe included
            fh.write(TEXT)
        paths.append(path)
    reports = list(audit_paths(paths, matcher))
    forged = copy.deepcopy(reports[0])
    forged.path = "-2+3.txt"
    forged.metadata = dataclasses.replace(forged.metadata, body=HOSTILE_BODY, doc_number="@SUM(A1)")
    forged.findings[0].why = FORGED_WHY
    forged.findings[0].evidence = [e for f in forged.findings for e in f.evidence if e.quote.startswith("\x1b")]
    unreadable = Report(path=NEWLINE + ".docx", errors=[AuditorError("E102", NEWLINE + ".docx",
                                                                      reason="\x1b[2J bad\nline")])
    return reports + [forged, unreadable]


def quotes(reports):
    return [e.quote for r in reports for f in r.findings for e in f.evidence]


def test_the_inputs_are_hostile(hostile):
    assert any(q.startswith(FORMULA) for q in quotes(hostile))
    assert any(q.startswith("\x1b[2J\x01") for q in quotes(hostile))
    assert {r.path.rsplit("/", 1)[-1] for r in hostile[:len(NAMES)]} == set(NAMES)


# --- the helper --------------------------------------------------------------------------------------

def test_a_name_is_one_printable_line_of_valid_utf8():
    assert shown.name(NEWLINE) == "a\\nb[E999] fake.txt"
    assert shown.name(UNDECODABLE) == "\\xff\\xfe.txt"
    assert shown.name(b"\xff\xfe.txt") == "\\xff\\xfe.txt"
    assert shown.name("\x1b[2Jx\tb\r\x85\x7f.txt") == "\\x1b[2Jx\\tb\\r\\x85\\x7f.txt"
    assert shown.name("rtl\u202etxt.exe") == "rtl\\u202etxt.exe"
    for n in NAMES:
        out = shown.name(n)
        out.encode("utf-8")
        assert not CONTROL.search(out) and "\n" not in out
        assert shown.name(out) == out   # shown twice is shown once


def test_ordinary_names_and_text_are_unchanged():
    for s in ["reports/002_ae009fae7ef3885b.txt", r"C:\报告\2023 年度.docx", "聘請法律顧問，推動落實“一村一法律顧問”",
              "a|b`c", "=1+1", "\u3000全角空格"]:
        assert shown.name(s) == s and shown.text(s) == s


def test_text_keeps_only_what_the_format_allows():
    assert shown.text("a\nb\tc\x1b[2J\x01") == "a\\nb\\tc\\x1b[2J\\x01"
    assert shown.text("a\nb\tc\x1b[2J\x01", keep="\n\t") == "a\nb\tc\\x1b[2J\\x01"
    assert shown.tree({"k\x01": ["a\nb", ("\x1b", 3, None)]}) == {"k\\x01": ["a\nb", ["\\x1b", 3, None]]}


# --- every format ------------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["table", "json", "jsonl", "markdown", "csv", "sarif", "junit", "html"])
def test_text_formats_are_valid_utf8_without_control_sequences(hostile, rules, fmt):
    out = RENDERERS[fmt](hostile, rules)
    out.encode("utf-8")   # strict: no lone surrogate
    assert not CONTROL.search(out), repr(CONTROL.search(out))
    assert not any(line.startswith("[E999]") for line in out.splitlines())   # no name or text forged a line


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield k
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def test_json_and_jsonl_parse_and_show_names_escaped(hostile, rules):
    doc = json.loads(RENDERERS["json"](hostile, rules))
    schema = json.loads((REPO / "auditor" / "schema" / "report-v1.json").read_text(encoding="utf-8"))
    jsonschema.validate(doc, schema)
    lines = [json.loads(line) for line in RENDERERS["jsonl"](hostile, rules).splitlines()]
    assert lines == doc["reports"]
    paths = [r["path"] for r in doc["reports"]]
    assert any(p.endswith("/\\xff\\xfe.txt") for p in paths)
    assert any(p.endswith("/a\\nb[E999] fake.txt") for p in paths)
    for s in _strings(doc):
        s.encode("utf-8")
        assert "\x1b" not in s and "\x01" not in s
    assert any(e["quote"].startswith("\\x1b[2J\\x01聘请法律顾问") for r in doc["reports"] for f in r["results"]
               for e in f["evidence"])
    error = doc["reports"][-1]["errors"][0]
    assert error["path"] == "a\\nb[E999] fake.txt.docx" and "\n" not in error["message"]
    assert [r["rule"] for r in doc["reports"][0]["results"]] == [f.rule.id for f in hostile[0].findings]


def test_sarif_is_valid_and_its_uris_keep_the_bytes(hostile, rules):
    doc = json.loads(RENDERERS["sarif"](hostile, rules))
    schema = json.loads((SHARED / "schemas" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(schema).validate(doc)
    uris = [a["location"]["uri"] for a in doc["runs"][0]["artifacts"]]
    assert all(uri.isascii() and " " not in uri for uri in uris)
    assert any(uri.endswith("/%FF%FE.txt") for uri in uris)
    assert any(uri.endswith("/a%0Ab%5BE999%5D%20fake.txt") for uri in uris)
    fingerprints = [r["partialFingerprints"]["auditorFinding/v1"] for r in doc["runs"][0]["results"]]
    assert all(re.fullmatch("[0-9a-f]{32}", f) for f in fingerprints)
    assert all(r["ruleId"] in {rule.id for rule in rules} for r in doc["runs"][0]["results"])
    assert any("\\x1b[2J\\x01聘请法律顾问" in r["message"]["text"] for r in doc["runs"][0]["results"])


def test_sarif_uri_of_a_name_with_a_colon_is_not_a_scheme():
    from auditor.render.sarif_format import _uri
    assert _uri("javascript:x.txt") == "javascript%3Ax.txt"
    assert _uri("reports/a:b.txt") == "reports/a:b.txt"


def test_junit_parses(hostile, rules):
    root = ET.fromstring(RENDERERS["junit"](hostile, rules).encode("utf-8"))
    names = {s.get("name") for s in root.iter("testsuite")}
    assert any(n.endswith("/\\xff\\xfe.txt") for n in names)
    assert any(n.endswith("/a\\nb[E999] fake.txt") for n in names)
    failures = list(root.iter("failure"))
    assert shown.text(FORGED_WHY) in {f.get("message") for f in failures}
    assert any(f.text.startswith(shown.text(FORGED_WHY) + "\n") for f in failures)
    assert {c.get("name").split(" — ")[0] for c in root.iter("testcase")} >= {"legality-review", "read"}


def test_xlsx_has_no_formula_and_the_text_reads_as_written(hostile, rules, tmp_path):
    out = tmp_path / "batch.xlsx"
    out.write_bytes(RENDERERS["xlsx"](hostile, rules))
    book = openpyxl.load_workbook(out)
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type in ("f", "e")]
    evidence = book["evidence"]
    head = [c.value for c in evidence[1]]
    quoted = [row[head.index("original words")] for row in evidence.iter_rows(min_row=2)]
    formula = [c for c in quoted if (c.value or "").startswith(FORMULA)]
    assert formula and all(c.data_type == "s" and c.quotePrefix for c in formula)   # shown as written, not run
    assert any((c.value or "").startswith("\\x1b[2J\\x01") for c in quoted)
    for sheet in book:   # the body's name first, the file further right: both shown as written, never run
        head = [c.value for c in sheet[1]]
        if "file" in head:
            files = [row[head.index("file")] for row in sheet.iter_rows(min_row=2)]
            assert {c.value for c in files if c.quotePrefix} == {"-2+3.txt"}, sheet.title
        body = next(c for c in sheet["A"] if c.value and c.value.startswith("=1+1"))
        assert body.data_type == "s" and body.quotePrefix and body.value == shown.text(HOSTILE_BODY)


def test_csv_cells_that_would_be_formulas_start_with_an_apostrophe(hostile, rules):
    out = RENDERERS["csv"](hostile, rules)
    assert out.startswith("\ufeff")   # UTF-8 with a BOM, for Excel
    rows = list(csv.reader(io.StringIO(out[1:])))
    assert all(len(row) == len(rows[0]) for row in rows)
    danger = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
    assert not [c for row in rows for c in row if c.startswith(danger)]
    file = rows[0].index("file")
    by_name = {row[file]: row for row in rows[1:]}
    assert "'-2+3.txt" in by_name
    assert by_name["'-2+3.txt"][0] == "'" + shown.text(HOSTILE_BODY)   # the rest reads as written
    assert any(n.endswith("/\\xff\\xfe.txt") for n in by_name)
    assert out.startswith('\ufeff"reporting body","administrative level",')   # text cells quoted, as OWASP advises


def test_csv_neutralizes_every_formula_start():
    from auditor.render.csv_format import neutral
    for s in ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "＝1"]:
        assert neutral(s) == "'" + s
    assert neutral("合法性审查=1") == "合法性审查=1" and neutral(3) == 3 and neutral("") == ""


def _cells(line: str) -> int:
    """Cells in a Markdown table row: pipes not escaped by a backslash (an escaped backslash does not count)."""
    return len(re.findall(r"(?<!\\)(?:\\\\)*\|", line)) - 1


def test_markdown_tables_keep_their_columns_and_headings_their_names(hostile, rules):
    out = RENDERERS["markdown"](hostile, rules)
    tables, current = [], []
    for line in out.splitlines():
        if line.startswith("|"):
            current.append(line)
        elif current:
            tables.append(current)
            current = []
    assert tables
    for rows in tables:
        assert len({_cells(row) for row in rows}) == 1, rows[0]
    headings = [line for line in out.splitlines() if line.startswith("## ")]
    assert headings == [f"## {code(shown.name(r.path))}" for r in hostile] + ["## Summary"]
    assert any(h.startswith("## ``/") and h.endswith("/x|y`z.txt``") for h in headings)


def test_markdown_cell_and_code_span():
    assert cell("a|b`c\\d<e[f") == "a\\|b\\`c\\\\d\\<e\\[f"
    assert cell("a\\|b") == "a\\\\\\|b"   # a backslash cannot un-escape the pipe after it
    assert code("a`b") == "``a`b``" and code("`a") == "`` `a ``" and code("ab") == "`ab`"


def test_terminal_table_has_no_escape_sequence(hostile, rules):
    out = RENDERERS["table"](hostile, rules, table_format="grid")
    assert "\x1b" not in out and "\x01" not in out
    assert "\\x1b[2J" in out and "a\\nb[E999] fake.txt" in out


def test_html_renders_names_with_undecodable_bytes(hostile, rules):
    out = RENDERERS["html"](hostile, rules)
    out.encode("utf-8")
    assert "\\xff\\xfe.txt" in out and "\x1b" not in out


# --- the command line --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def hostile_folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cli")
    for n in [UNDECODABLE, "ctl\x01\x1b[2J.txt"]:
        with open(os.fsencode(folder / n), "w", encoding="utf-8") as fh:
            fh.write(TEXT)
    with open(os.fsencode(folder / NEWLINE), "w", encoding="utf-8"):
        pass   # empty: an E103 line on stderr that names it
    return folder


@pytest.mark.parametrize("fmt", ["sarif", "junit", "xlsx", "json"])
def test_the_command_line_writes_valid_output_for_hostile_names(hostile_folder, tmp_path, fmt):
    out = tmp_path / f"out.{fmt}"
    r = run_cli("audit", str(hostile_folder), "-f", fmt, "-o", str(out))
    assert r.code == 2 and "Traceback" not in r.stderr   # 2: the empty file
    if fmt == "xlsx":
        assert openpyxl.load_workbook(out).sheetnames == ["summary", "gap list", "matrix", "evidence"]
    elif fmt == "junit":
        ET.parse(out)
    else:
        json.loads(out.read_bytes().decode("utf-8"))


def test_a_newline_in_a_name_cannot_forge_a_line_on_stderr(hostile_folder):
    r = run_cli("audit", str(hostile_folder), "-f", "json")
    assert not [line for line in r.stderr.splitlines() if line.startswith("[E999]")]
    assert "a\\nb[E999] fake.txt: [E103]" in r.stderr
