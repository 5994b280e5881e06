"""Hostile and damaged input (issue 14, items 8, 9, 12, 13): every file is built here, small. Whatever arrives, the
auditor answers at once with a verdict (the file is valid) or one line with a code (it is not): it never
hangs, never reads without limit, never shows a traceback."""
from __future__ import annotations

import codecs
import json
import os
import shutil
import threading
import time
import zipfile
from html import escape
from pathlib import Path

import pytest

from auditor import read as read_module
from auditor.audit import audit_file
from auditor.errors import AuditorError, RuleErrors
from auditor.evaluate import read_labels
from auditor.gate import load_baseline, load_waivers
from auditor.read import read_limited, read_source
from auditor.ruleset import MAX_ALIAS_NODES, MAX_SETTINGS_BYTES, load_profiles, load_rules

from .conftest import REPO, REPORTS, run_cli

pytestmark = pytest.mark.usefixtures("english")   # these check the wording of messages, in English

TEXT = (REPORTS / "002_ae009fae7ef3885b.txt").read_text(encoding="utf-8")
LINES = TEXT.split("\n")
posix_only = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs and /dev need a POSIX system")


def within(seconds: float, fn, *args):
    """fn(*args) in a thread: the test fails instead of hanging when it blocks or runs away."""
    box: dict = {}

    def run():
        try:
            box["value"] = fn(*args)
        except BaseException as exc:   # noqa: BLE001 - handed back to the test
            box["error"] = exc
    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(seconds)
    assert not worker.is_alive(), f"{getattr(fn, '__name__', fn)} still running after {seconds} s"
    if "error" in box:
        raise box["error"]
    return box["value"]


def error_of(fn, *args, seconds: float = 10) -> AuditorError:
    """The one coded error fn raises (RuleErrors must hold exactly one)."""
    with pytest.raises((AuditorError, RuleErrors)) as info:
        within(seconds, fn, *args)
    errors = info.value.errors if isinstance(info.value, RuleErrors) else [info.value]
    assert len(errors) == 1, [e.format() for e in errors]
    line = errors[0].format()
    assert "\n" not in line and "Traceback" not in line
    return errors[0]


# --- 8. reading without limit ---------------------------------------------------------------------------

@pytest.fixture
def fifo(tmp_path):
    def make(name: str) -> Path:
        path = tmp_path / name
        os.mkfifo(path)
        return path
    return make


@posix_only
@pytest.mark.parametrize("name", ["report.txt", "report.docx"])
def test_a_fifo_named_as_a_report_is_refused_without_blocking(fifo, name):
    err = error_of(read_source, fifo(name))
    assert err.code == "E115" and "named pipe" in err.message


@posix_only
def test_a_fifo_as_waivers_baseline_labels_or_rule_file_is_refused_without_blocking(fifo, tmp_path):
    assert error_of(load_waivers, fifo("waivers.yaml")).code == "E115"
    assert error_of(load_baseline, fifo("before.json")).code == "E115"
    assert error_of(read_labels, fifo("labels.tsv")).code == "E115"
    rules = tmp_path / "rules"
    (rules / "elements").mkdir(parents=True)
    shutil.copy(REPO / "rules" / "elements" / "legal-advisor.yaml", rules / "elements")
    os.mkfifo(rules / "elements" / "trap.yaml")
    with pytest.raises(RuleErrors) as info:
        within(10, load_rules, rules)
    assert [e.code for e in info.value.errors] == ["E115"]


@posix_only
@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_a_link_to_an_endless_device_is_refused_not_read(tmp_path, device):
    if not os.path.exists(device):
        pytest.skip(f"no {device}")
    report = tmp_path / "x.txt"
    report.symlink_to(device)
    err = error_of(read_source, report)
    assert err.code == "E115" and "device" in err.message
    waivers = tmp_path / "waivers.yaml"
    waivers.symlink_to(device)
    assert error_of(load_waivers, waivers).code == "E115"


def test_at_most_the_limit_plus_one_byte_is_read_whatever_stat_says(tmp_path, monkeypatch):
    path = tmp_path / "grows.txt"
    path.write_bytes(b"x" * 10_000)
    real_fstat, real_read = os.fstat, os.read
    taken = []

    def fstat_says_empty(fd):   # /proc files and growing files: st_size is 0 or stale
        info = list(real_fstat(fd))
        info[6] = 0
        return os.stat_result(info)

    def counting_read(fd, n):
        data = real_read(fd, n)
        taken.append(len(data))
        return data
    monkeypatch.setattr(read_module.os, "fstat", fstat_says_empty)
    monkeypatch.setattr(read_module.os, "read", counting_read)
    err = error_of(read_limited, path, 1000)
    assert err.code == "E111" and sum(taken) == 1001
    assert read_limited(path, 10_000) == b"x" * 10_000


def test_an_oversized_report_or_settings_file_is_refused_before_reading(tmp_path):
    for name, fn in [("waivers.yaml", load_waivers), ("before.json", load_baseline), ("labels.tsv", read_labels)]:
        path = tmp_path / name
        path.write_bytes(b"")
        os.truncate(path, 2**31)   # sparse: 2 GB that occupy no disk
        start = time.monotonic()
        assert error_of(fn, path).code == "E111"
        assert time.monotonic() - start < 2
    big = tmp_path / "waivers-big.yaml"
    big.write_bytes(b"waivers:\n" + b"  - {path: a, rule: b, reason: abcdef}\n" * (MAX_SETTINGS_BYTES // 38 + 1))
    assert error_of(load_waivers, big).code == "E111"


def test_a_folder_or_a_missing_file_is_named(tmp_path):
    assert error_of(read_source, tmp_path).code == "E102"
    assert error_of(read_source, tmp_path / "nope.txt").code == "E101"
    assert error_of(load_waivers, tmp_path / "nope.yaml").code == "E101"


# --- 9. encodings and damage ----------------------------------------------------------------------------

def _write(tmp_path, data: bytes, name: str = "r.txt") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("encode", [
    lambda t: t.encode("utf-16"),                                   # LE with BOM (Notepad's "Unicode")
    lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be"),
    lambda t: t.encode("utf-16-le"),                                # no BOM: told by its zero bytes
    lambda t: t.encode("utf-16-be"),
    lambda t: t.encode("utf-32"),
    lambda t: t.replace("\n", "\r\n").encode("utf-16"),             # Windows line ends
], ids=["utf16le-bom", "utf16be-bom", "utf16le", "utf16be", "utf32-bom", "utf16-crlf"])
def test_utf16_and_utf32_reports_are_read(tmp_path, encode):
    source = read_source(_write(tmp_path, encode(TEXT)))
    assert source.text.replace("\r\n", "\n") == TEXT and not source.damaged and not source.notes


def test_a_utf16_web_page_is_read_as_a_web_page(tmp_path):
    page = "<html><head><title>t</title></head><body>" + "".join(f"<p>{escape(x)}</p>" for x in LINES) + "</body></html>"
    source = read_source(_write(tmp_path, page.encode("utf-16"), "r.html"))
    assert source.encoding == "html/utf-16" and LINES[0] in source.text


def test_a_bom_the_content_contradicts_is_overruled_and_noted(tmp_path):
    source = read_source(_write(tmp_path, codecs.BOM_UTF8 + TEXT.encode("gbk")))
    assert source.text == TEXT and source.encoding == "gb18030"
    assert source.notes == {"byte-order mark contradicts the content": 1}
    source = read_source(_write(tmp_path, codecs.BOM_UTF16_LE + TEXT.encode("utf-8") + b"\n"))
    assert source.text.rstrip("\n") == TEXT and source.notes["byte-order mark contradicts the content"] == 1


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


@pytest.mark.parametrize("encoding", ["utf-8", "gbk", "big5"])
def test_one_flipped_byte_is_replaced_and_its_line_noted(tmp_path, encoding):
    text = TEXT if encoding != "big5" else "法治政府建設工作情況。\n聘請法律顧問，推動落實一村一法律顧問。\n" * 40
    data = bytearray(text.encode(encoding))
    line = 7
    at = len("\n".join(text.split("\n")[:line - 1]).encode(encoding)) + 4   # inside line 7, on a character
    while data[at] < 0x80:
        at += 1
    data[at] = 0xFF   # a lead byte no encoding here allows
    source = read_source(_write(tmp_path, bytes(data)))
    assert source.encoding.replace("_", "-") in (encoding, "gb18030" if encoding == "gbk" else encoding)
    assert source.notes["undecodable bytes replaced"] >= 1
    assert {_line_of(source.text, p) for p in source.damaged} == {line}
    assert sum(a != b for a, b in zip(source.text.split("\n"), text.split("\n"))) == 1


@pytest.mark.parametrize("encoding", ["utf-8", "gbk", "utf-16-le", "utf-16"])
def test_a_file_cut_mid_character_is_read_up_to_the_cut(tmp_path, encoding):
    k = TEXT.index("依法行政")   # cut after the first byte of 依
    data = TEXT[:k].encode(encoding) + TEXT[k].encode("utf-16-le" if encoding == "utf-16" else encoding)[:1]
    source = read_source(_write(tmp_path, data))
    assert source.text == TEXT[:k] + "\ufffd" and source.notes == {"undecodable bytes replaced": 1}
    assert source.damaged == (k,)


def test_a_few_nul_bytes_are_damage_not_a_binary_file(tmp_path):
    data = bytearray(TEXT.encode("utf-8"))
    where = TEXT.index(LINES[3])   # between two characters of line 4
    at = len(TEXT[:where + 2].encode("utf-8"))
    data[at:at] = b"\x00\x00"
    source = read_source(_write(tmp_path, bytes(data)))
    assert source.notes == {"NUL bytes replaced": 2} and "\x00" not in source.text
    assert {_line_of(source.text, p) for p in source.damaged} == {4}


def test_damage_reaches_the_report_as_input_notes(tmp_path, matcher):
    data = bytearray(TEXT.encode("utf-8"))
    data[len(data) // 3] = 0xFF
    report = audit_file(_write(tmp_path, bytes(data)), matcher)
    assert not report.errors and report.findings
    assert report.quality["undecodable bytes replaced"] >= 1


def test_damaged_lines_reach_the_report(tmp_path, matcher):
    data = bytearray(TEXT.encode("utf-8"))
    at = len(TEXT[:TEXT.index(LINES[5]) + 3].encode("utf-8"))   # a character of line 6
    data[at] = 0xFF
    report = audit_file(_write(tmp_path, bytes(data)), matcher)
    assert 6 in report.damaged_lines


@pytest.mark.parametrize("data,codes", [
    (bytes(range(128, 256)) * 64, {"E104", "E107"}),                 # high bytes: most of it undecodable
    (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40, {"E107"}),       # a picture
    (b"\x00" * 4096, {"E107"}),                                      # zeros: NULs are only damage when few
    (codecs.BOM_UTF16_LE + bytes(range(256)) * 40, {"E104", "E107"}),  # a BOM on junk
], ids=["high-bytes", "png", "zeros", "bom-junk"])
def test_what_is_mostly_undecodable_is_still_refused(tmp_path, data, codes):
    assert error_of(read_source, _write(tmp_path, data)).code in codes


# --- 12. deep and odd structure in valid files, and invalid ones --------------------------------------

_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _docx(path: Path, body: str) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", f'<?xml version="1.0" encoding="UTF-8"?><w:document {_W}><w:body>'
                                        f"{body}</w:body></w:document>")
    return path


def _p(text: str) -> str:
    return f'<w:p><w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'


def test_a_docx_with_a_long_vertical_merge_is_read_at_once(tmp_path):
    merged = ('<w:tr><w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr>' + _p("合并单元格") + "</w:tc><w:tc>"
              + _p("第一行") + "</w:tc></w:tr>"
              + ("<w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc><w:tc>" + _p("续行") + "</w:tc></w:tr>") * 3000)
    path = _docx(tmp_path / "merged.docx", "".join(map(_p, LINES)) + f"<w:tbl>{merged}</w:tbl>")
    source = within(10, read_source, path)
    assert source.text.count("合并单元格") == 1 and source.text.count("续行") == 3000   # the merge's text once
    assert source.places[source.text.split("\n").index("续行")].label() == "table 1 row 2 cell 2"


def test_a_docx_with_200_nested_tables_is_read(tmp_path):
    depth = 200
    body = ("<w:tbl><w:tr><w:tc>" * depth + "".join(map(_p, LINES)) + "</w:tc></w:tr></w:tbl>" * depth
            + _p("表后段落"))
    source = within(10, read_source, _docx(tmp_path / "nested.docx", body))
    assert source.text.split("\n") == LINES + ["表后段落"]
    assert source.places[0].label() == "table 1 row 1 cell 1" and source.places[-1].label() == "para 1"


def test_a_docx_with_a_20_mb_paragraph_is_read_and_then_refused_as_more_than_a_report(tmp_path, monkeypatch):
    body = "".join(map(_p, LINES)) + _p("法" * (7 * 2**20))   # 21 MB of UTF-8 in one text node
    path = _docx(tmp_path / "long.docx", body)
    assert error_of(read_source, path).code == "E117"   # no report holds 7 million characters
    monkeypatch.setattr(read_module, "MAX_TEXT_CHARS", 8 * 2**20)   # the parser itself takes it (huge-tree mode)
    source = within(30, read_source, path)
    assert source.text.startswith(TEXT) and len(source.text) > 7 * 2**20


def test_a_docx_nested_beyond_any_parser_is_one_coded_line(tmp_path):
    body = "<w:tbl><w:tr><w:tc>" * 1000 + _p("x") + "</w:tc></w:tr></w:tbl>" * 1000
    err = error_of(read_source, _docx(tmp_path / "abyss.docx", body))
    assert err.code == "E108"


@pytest.mark.parametrize("depth", [300, 3000])
def test_a_deep_but_valid_web_page_is_read(tmp_path, depth):
    page = ("<html><head><title>报告</title></head><body><nav><a href='/'>首页</a></nav>" + "<div>" * depth
            + "".join(f"<p>{escape(x)}</p>" for x in LINES) + "</div>" * depth + "</body></html>")
    source = within(20, read_source, _write(tmp_path, page.encode("utf-8"), "deep.html"))
    assert LINES[0] in source.text and LINES[-1] in source.text
    assert any("flattened" in note for note in source.notes)


def _nested_yaml(levels: int) -> str:
    return "waivers:\n" + "".join("  " * i + f"- k{i}:\n" for i in range(1, levels))


@pytest.mark.parametrize("text", [
    "waivers: " + "[" * 5000 + "]" * 5000,
    _nested_yaml(400),
    "waivers:\n  - {path: x, rule: y, reason: " + "{a: " * 3000 + "b" + "}" * 3000 + "}\n",
], ids=["flow", "block", "mixed"])
def test_deeply_nested_yaml_is_one_coded_line(tmp_path, text):
    path = tmp_path / "waivers.yaml"
    path.write_text(text, encoding="utf-8")
    err = error_of(load_waivers, path, seconds=5)
    assert err.code == "E201" and "nested deeper than" in err.message


def test_deeply_nested_rule_and_profile_files_are_one_coded_line_each(tmp_path):
    rules = tmp_path / "rules"
    (rules / "profiles").mkdir(parents=True)
    (rules / "elements").mkdir()
    shutil.copy(REPO / "rules" / "elements" / "legal-advisor.yaml", rules / "elements")
    (rules / "elements" / "deep.yaml").write_text("id: deep\nphrases: " + "[" * 3000 + "]" * 3000, encoding="utf-8")
    (rules / "profiles" / "deep.yaml").write_text("id: deep\noverrides: " + "{a: " * 3000 + "}" * 3000,
                                                  encoding="utf-8")
    with pytest.raises(RuleErrors) as info:
        within(10, load_rules, rules)
    assert [(Path(e.path).name, e.code) for e in info.value.errors] == [("deep.yaml", "E201")]
    with pytest.raises(RuleErrors) as info:
        within(10, load_profiles, [], rules)
    assert [(Path(e.path).name, e.code) for e in info.value.errors] == [("deep.yaml", "E201")]


def test_deeply_nested_baseline_json_is_one_coded_line(tmp_path):
    path = tmp_path / "before.json"
    path.write_text('{"reports": ' + "[" * 100_000 + "]" * 100_000 + "}", encoding="utf-8")
    err = error_of(load_baseline, path)
    assert err.code == "E213" and "nested too deeply" in err.message


def test_an_impossible_expiry_date_is_one_coded_line_with_its_place(tmp_path):
    path = tmp_path / "waivers.yaml"
    path.write_text("waivers:\n  - path: reports/*\n    rule: title\n    reason: 旧文件已撤回\n    expires: 2024-02-30\n",
                    encoding="utf-8")
    err = error_of(load_waivers, path)
    assert err.format() == (f"{path}:5: [E201] not valid YAML: invalid date '2024-02-30' "
                            f"(day is out of range for month)")


def test_a_utf16_labels_file_is_read(tmp_path):
    rows = "file\trule\texpected\tnote\n000.txt\tlegal-advisor\tmet\t聘请法律顾问\n"
    for encode in (lambda t: t.encode("utf-16"), lambda t: t.encode("utf-16-le"), lambda t: t.encode("utf-8-sig")):
        path = tmp_path / "labels.tsv"
        path.write_bytes(encode(rows.replace("\n", "\r\n")))
        (label,) = read_labels(path)
        assert (label.file, label.rule, label.expected, label.note, label.line) == \
            ("000.txt", "legal-advisor", "met", "聘请法律顾问", 2)
    path.write_bytes(rows.encode("gbk"))
    err = error_of(read_labels, path)
    assert err.code == "E116" and err.line == 2


def test_a_labels_file_with_an_oversized_field_is_one_coded_line(tmp_path):
    path = tmp_path / "labels.tsv"
    path.write_text("file\trule\texpected\n000.txt\tlegal-advisor\t\"" + "x" * 200_000 + "\n", encoding="utf-8")
    assert error_of(read_labels, path).code == "E214"


# --- 13. YAML bombs ------------------------------------------------------------------------------------

LAUGHS = ('lol: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
          + "".join(f"l{i}: &{b} [{', '.join(['*' + a] * 9)}]\n" for i, (a, b) in enumerate(zip("abcdefgh", "bcdefghi")))
          + "{key}: *i\n")


@pytest.mark.parametrize("where,key", [("waivers.yaml", "waivers"), ("elements/bomb.yaml", "phrases"),
                                       ("profiles/bomb.yaml", "overrides")])
def test_a_billion_laughs_is_refused_at_once(tmp_path, where, key):
    assert len(LAUGHS.format(key=key).encode()) < 450
    path = tmp_path / where
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(LAUGHS.format(key=key), encoding="utf-8")
    if where == "waivers.yaml":
        err = error_of(load_waivers, path, seconds=5)
    else:
        shutil.copytree(REPO / "rules" / "elements", tmp_path / "elements", dirs_exist_ok=True)
        loader = (lambda: load_profiles([], tmp_path)) if "profiles" in where else (lambda: load_rules(tmp_path))
        with pytest.raises(RuleErrors) as info:
            within(5, loader)
        (err,) = [e for e in info.value.errors if e.path == str(path)]
    assert err.code == "E201" and "aliases expand to" in err.message and err.line == 2


def test_an_alias_to_its_own_anchor_is_refused(tmp_path):
    path = tmp_path / "waivers.yaml"
    path.write_text("waivers: &w [*w]\n", encoding="utf-8")
    assert error_of(load_waivers, path, seconds=5).code == "E201"


def test_a_few_aliases_are_still_fine(tmp_path):
    path = tmp_path / "waivers.yaml"
    path.write_text("common: &why 指引未要求乡镇写其他情况\nwaivers:\n"
                    + "".join(f"  - {{path: 'reports/{i}.txt', rule: section-other, reason: *why}}\n" for i in range(50)),
                    encoding="utf-8")
    waivers = load_waivers(path)
    assert len(waivers) == 50 and waivers[0][0].reason == "指引未要求乡镇写其他情况"
    assert MAX_ALIAS_NODES >= 50


# --- the command line: one line with a code, exit 2 -------------------------------------------------------

@posix_only
def test_the_cli_answers_hostile_settings_and_reports_with_one_line_each(tmp_path):
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text(LAUGHS.format(key="waivers"), encoding="utf-8")
    r = run_cli("audit", "reports/003_88711d32bb28d44b.txt", "--waivers", str(waivers))
    assert r.code == 2 and r.stdout == "" and "Traceback" not in r.stderr
    assert r.stderr.strip().startswith(f"{waivers}:2: [E201]") and len(r.stderr.strip().splitlines()) == 1
    os.mkfifo(tmp_path / "pipe.txt")
    shutil.copy(REPORTS / "003_88711d32bb28d44b.txt", tmp_path / "good.txt")
    start = time.monotonic()
    r = run_cli("audit", str(tmp_path / "pipe.txt"), str(tmp_path / "good.txt"), "-f", "json")
    assert r.code == 2 and time.monotonic() - start < 60 and "Traceback" not in r.stderr
    assert any(line.startswith(f"{tmp_path / 'pipe.txt'}: [E115]") for line in r.stderr.splitlines())
    assert json.loads(r.stdout)["reports"][1]["results"]   # the good report was still audited

