"""The console script as a user runs it: exit codes 0/1/2, data on stdout, diagnostics on stderr, in Chinese by
default and in English with --lang en."""
from __future__ import annotations

import json
import shutil

import pytest

from .conftest import DATA, REPORTS, run_cli

SAMPLE = "reports/002_ae009fae7ef3885b.txt"


def test_complete_report_passes_the_default_gate():
    r = run_cli("audit", str(DATA / "complete_report.txt"))
    assert r.code == 0, r.stdout + r.stderr
    assert r.stderr == ""
    doc = json.loads(run_cli("audit", str(DATA / "complete_report.txt"), "-f", "json").stdout)
    errors = [x for x in doc["reports"][0]["results"] if x["severity"] == "error"]
    assert len(errors) >= 5 and all(x["status"] == "met" for x in errors)


def test_error_level_gap_exits_1_and_the_table_shows_it_in_chinese():
    r = run_cli("audit", "reports/003_88711d32bb28d44b.txt")   # no part on the leaders' duty (severity error)
    assert r.code == 1
    assert "缺失" in r.stdout and r.stderr == ""
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
    assert doc["schema_version"] >= 1 and doc["tool"]["name"] == "auditor"
    (report,) = doc["reports"]
    assert report["path"] == SAMPLE and report["errors"] == []
    by_rule = {x["rule"]: x for x in report["results"]}
    assert by_rule["legality-review"]["status"] == "missing"   # identifiers stay English in every language
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
    assert any(line.startswith(f"{tmp_path}/broken.txt: [E103]") for line in err)
    assert any("labels.tsv：已跳过：" in line for line in err)
    assert any(line.startswith("共 4 个文件，已审核 2 个") for line in err)   # the summary (and a ranking)
    assert err[-1] == "4 个输入中有 2 个无法审核（E103 ×1, E108 ×1）；其余已审核。"
    assert "Traceback" not in r.stderr


def test_missing_path_is_exit_2_with_one_line():
    r = run_cli("audit", "no/such/file.txt")
    assert r.code == 2
    assert r.stderr.splitlines()[0].startswith("no/such/file.txt: [E101]")


def test_broken_rules_stop_before_any_report_is_read(tmp_path):
    shutil.copy(DATA / "broken_rules" / "unknown-key.yaml", tmp_path)
    r = run_cli("audit", SAMPLE, "--rules", str(tmp_path))
    assert r.code == 2 and r.stdout == ""
    assert any(line.startswith(f"{tmp_path}/unknown-key.yaml:12: [E203] ") and "'phrases'" in line
               for line in r.stderr.splitlines())


def test_usage_errors_exit_2_in_chinese():
    missing = run_cli("audit")
    assert missing.code == 2 and missing.stdout == ""
    assert missing.stderr.splitlines() == ["用法：auditor audit [OPTIONS] {PATH}...",
                                           "运行 'auditor audit --help' 查看帮助。", "", "错误：缺少参数 'PATH'。"]
    wrong = run_cli("audit", SAMPLE, "--format", "yaml")
    assert wrong.code == 2 and wrong.stdout == ""
    assert wrong.stderr.splitlines()[-1].startswith("错误：'--format' / '-f' 的值无效：'yaml' 不在可选值")
    table = run_cli("audit", SAMPLE, "--table-format", "nonsense")
    assert table.code == 2 and "错误：--table-format 的值无效：未知的表格样式 'nonsense'" in table.stderr
    jobs = run_cli("audit", SAMPLE, "--jobs", "-1")
    assert jobs.code == 2 and jobs.stderr.splitlines()[-1] == "错误：'--jobs' / '-j' 的值无效：应不小于 0"
    option = run_cli("audit", SAMPLE, "--jbos", "2")
    assert option.code == 2 and "错误：没有选项 --jbos；是否指 --jobs？" in option.stderr
    for args, said in ((("audit", SAMPLE, "--format"), "错误：选项 '--format' 需要一个值。"),
                       (("rules", "show", "legal-advisor", "extra"), "错误：多余的参数（extra）"),
                       (("similar", SAMPLE, "--threshold", "half"), "错误：'--threshold' 的值无效：应为数字")):
        r = run_cli(*args)
        assert r.code == 2 and r.stdout == "" and r.stderr.splitlines()[-1] == said


def test_usage_errors_in_english():
    r = run_cli("--lang", "en", "audit")
    assert r.code == 2 and r.stdout == ""
    assert r.stderr.splitlines() == ["Usage: auditor audit [OPTIONS] {PATH}...",
                                     "Try 'auditor audit --help' for help.", "", "Error: Missing argument 'PATH'."]
    assert run_cli("--lang", "fr", "audit", SAMPLE).code == 2


def test_rules_list_and_check():
    listed = run_cli("rules", "list")
    assert listed.code == 0 and "legality-review" in listed.stdout and "合法性审查" in listed.stdout
    assert "严重程度" in listed.stdout.splitlines()[0]
    checked = run_cli("rules", "check")
    assert checked.code == 0 and "个示例结果与声明相符" in checked.stdout and checked.stderr == ""
    bad = run_cli("rules", "check", str(DATA / "broken_rules"))
    assert bad.code == 2 and "[E203]" in bad.stderr and bad.stdout == ""
    unknown = run_cli("rules", "show", "legal-advisr")
    assert unknown.code == 2 and unknown.stderr.strip().endswith("没有规则 'legal-advisr'；是否指 legal-advisor？")


def test_folder_summary_on_stderr_and_help_in_chinese():
    r = run_cli("audit", "reports/")
    assert r.code == 1 and r.stdout.count("满足 ") >= 5
    err = r.stderr.splitlines()
    assert err[0] == "共 5 个文件，已审核 5 个" and err[1].startswith("各规则存在差距的报告数：")
    ranked = err.index("按得分排名（5 份报告）：")   # best first, by body name, each line within the width
    assert err[ranked + 1].lstrip().startswith("1. ") and "大涌镇" in err[ranked + 1]
    h = run_cli("--help")
    assert h.code == 0 and h.stderr == ""
    assert h.stdout.startswith("用法：auditor") and "命令" in h.stdout and "审核报告" in h.stdout
    assert "显示本帮助并退出。" in h.stdout and "--lang" in h.stdout
    bare = run_cli()   # no command: the help on stderr, exit 2, as click does
    assert bare.code == 2 and bare.stdout == "" and bare.stderr.startswith("用法：auditor") and "错误" not in bare.stderr
    en = run_cli("--lang", "en", "audit", "--help")
    assert en.code == 0 and en.stdout.startswith("Usage: auditor audit") and "Show this message and exit." in en.stdout
    assert "Output format" in en.stdout and "审核" not in en.stdout


def test_english_summary_and_progress_words(tmp_path):
    r = run_cli("--lang", "en", "audit", "reports/", "-f", "json")
    assert r.code == 1 and json.loads(r.stdout)["reports"]
    lines = r.stderr.splitlines()
    assert lines[0] == "audited 5 of 5 file(s)" and lines[1].startswith("gaps per rule (reports): ")
    assert "ranking by score (5 report(s)):" in lines and "大涌镇" in r.stderr   # ranked by body name


def test_letter_and_review_need_an_output_folder(tmp_path):
    for fmt in ("letter", "review"):
        r = run_cli("audit", SAMPLE, "--format", fmt)
        assert r.code == 2 and r.stdout == ""
        assert r.stderr.strip() == f"[E301] --format {fmt} 为每份报告写一份文档：请用 --output 指定文件夹"
    file = tmp_path / "a.txt"
    file.write_text("x", encoding="utf-8")
    r = run_cli("audit", SAMPLE, "--format", "letter", "--output", str(file))
    assert r.code == 2 and r.stderr.strip() == (f"[E301] --output {file} 不是文件夹；--format letter 将每份报告的文档"
                                                f"写入一个文件夹")


def test_letter_writes_one_document_per_report_and_says_each(tmp_path):
    out = tmp_path / "意见" / "2023"   # created, parents too
    r = run_cli("audit", SAMPLE, "reports/003_88711d32bb28d44b.txt", "--format", "letter", "--output", str(out))
    assert r.code == 1 and r.stdout == ""
    written = sorted(out.iterdir())
    assert len(written) == 2 and all(p.suffix == ".docx" for p in written)
    said = [line for line in r.stderr.splitlines() if line.startswith("已写入 ")]
    assert sorted(said) == [f"已写入 {p}" for p in written]


def _widest(text: str) -> int:
    from wcwidth import wcswidth
    return max(wcswidth(line) for line in text.splitlines())



@pytest.mark.parametrize("columns", [80, 120])
@pytest.mark.parametrize("command", [["rules", "list"], ["rules", "profiles"], ["doctor"]], ids=" ".join)
def test_the_listings_fit_the_terminal(monkeypatch, command, columns):
    """Every line within $COLUMNS display columns (a Chinese character is two), nothing cut away: each rule's
    id, title and legal basis are still there, and doctor speaks Chinese about its model."""
    monkeypatch.setenv("COLUMNS", str(columns))
    r = run_cli(*command)
    assert r.code == 0 and r.stderr == "", r.stderr
    assert _widest(r.stdout) <= columns, r.stdout
    flat = "".join(r.stdout.split())
    if command == ["rules", "list"]:
        from auditor.ruleset import load_rules

        from .conftest import REPO
        for rule in load_rules(REPO / "rules"):   # (wrapped cells interleave: their first words are whole)
            assert rule.id in r.stdout
            assert all("".join(text.split())[:6] in flat for text in (rule.title, rule.legal_basis[0]))
    if command == ["doctor"]:
        assert "模型：zh_pkuseg_reports" in r.stdout and "distilled" not in r.stdout
