"""The gap table and the batch matrix fit the terminal, in Chinese by default: no line wider than the width (a
Chinese character counts two columns), gaps before what is met, every gap's fix under --detail, no English
status word in Chinese and no Chinese one in English, and the match confidence kept out."""
from __future__ import annotations

import re

import os
from pathlib import Path

import pytest

import auditor.i18n
from auditor.audit import audit_paths
from auditor.render import RENDERERS
from auditor.render.table import columns, cut, wrap
from auditor.status import STATUSES, Status

from .conftest import REPO, run_cli

WIDTHS = [80, 120]
SAMPLE = "reports/002_ae009fae7ef3885b.txt"


@pytest.fixture(scope="module")
def sample_reports(matcher):
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(REPO)
        return list(audit_paths(sorted(Path("reports").glob("*.txt")), matcher))


def _table(reports, rules, width, **options):
    return RENDERERS["table"](reports, rules, table_format=options.pop("table_format", "grid"), width=width,
                              **options)


def _too_wide(out: str, width: int) -> list[str]:
    return [line for line in out.splitlines() if columns(line) > width]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("detail", [False, True])
@pytest.mark.parametrize("table_format", ["grid", "github", "simple"])
def test_no_line_is_wider_than_the_terminal(sample_reports, rules, width, detail, table_format):
    out = _table(sample_reports, rules, width, detail=detail, table_format=table_format)
    assert _too_wide(out, width) == []
    assert "汇总" in out   # the matrix too


@pytest.mark.parametrize("width", WIDTHS)
def test_one_report_at_a_time_fits(sample_reports, rules, width):
    for report in sample_reports:
        assert _too_wide(_table([report], rules, width), width) == []


@pytest.mark.parametrize("width", WIDTHS)
def test_the_width_comes_from_columns_when_the_caller_gives_none(sample_reports, rules, width, monkeypatch):
    monkeypatch.setenv("COLUMNS", str(width))
    out = RENDERERS["table"](sample_reports, rules, table_format="grid")
    assert _too_wide(out, width) == [] and max(columns(line) for line in out.splitlines()) > width - 10


@pytest.mark.parametrize("width", WIDTHS)
def test_the_command_line_fits_columns(width):
    env = {**os.environ, "COLUMNS": str(width)}
    env.pop("AUDITOR_LANG", None)
    import subprocess

    from .conftest import AUDITOR
    proc = subprocess.run([str(AUDITOR), "audit", "reports/"], cwd=REPO, capture_output=True, text=True,
                          encoding="utf-8", env=env, timeout=120)
    assert proc.returncode in (0, 1), proc.stderr
    assert _too_wide(proc.stdout, width) == []


def test_gaps_come_before_what_is_met_one_line_per_rule(sample_reports, rules):
    report = next(r for r in sample_reports if r.path.endswith("002_ae009fae7ef3885b.txt"))
    out = _table([report], rules, 80)
    rows = [line for line in out.splitlines() if line.startswith("| ") and not line.startswith("| 审查要素")]
    assert len(rows) == len(report.findings)   # one line per rule, nothing wrapped
    labels = [next(label for label in (s.label for s in Status) if f"| {label} " in row) for row in rows]
    gap_rows = [i for i, label in enumerate(labels) if label in {s.label for s in Status if s.is_gap}]
    met_rows = [i for i, label in enumerate(labels) if label == Status.MET.label]
    assert gap_rows and met_rows and max(gap_rows) < min(met_rows)
    assert labels[0] == Status.MISSING.label


def test_every_gap_shows_its_fix_and_legal_basis_under_detail(sample_reports, rules):
    for width in WIDTHS:
        for report in sample_reports:
            out = _table([report], rules, width, detail=True)
            flat = "".join(line.strip() for line in out.splitlines())
            for f in report.findings:
                if f.status.is_gap:
                    assert f.rule.fix in flat, (report.path, f.rule.id)
                    assert all(basis in flat for basis in f.rule.legal_basis), (report.path, f.rule.id)
            without = _table([report], rules, width)
            assert "--detail" in without and not any(f.rule.fix in without for f in report.findings)


def test_markdown_carries_the_fix_of_every_gap_and_no_match_confidence(sample_reports, rules):
    out = RENDERERS["markdown"](sample_reports, rules)
    for report in sample_reports:
        for f in report.findings:
            if f.status.is_gap:
                assert f.rule.fix.replace("|", "\\|") in out
    assert "整改建议" in out and "匹配度" not in out and "score" not in out
    assert "## 汇总" in out and all(rule.short in out for rule in rules)


ENGLISH_STATUS = [info.label for info in STATUSES.values()]
CHINESE = ["满足", "缺失", "部分满足", "汇总", "审查要素", "状态", "乡镇（街道）", "输入处理", "整改"]


@pytest.mark.parametrize("fmt", ["table", "markdown"])
def test_chinese_by_default(sample_reports, rules, fmt):
    out = RENDERERS[fmt](sample_reports, rules, width=120, detail=True)
    for word in ["met", "missing", "partly met", "planned only", "not applicable", "profile", "input:", "score",
                 "township", "line 5", "Summary", "rule", "status", "fix"]:
        assert word not in out, word
    for word in ["满足", "缺失", "部分满足", "汇总", "乡镇（街道）", "审查要素"]:
        assert word in out, word
    if fmt == "table":
        assert re.search(r"第\d+行第\d+列", out) and "输入处理" in out and "得分" in out and "整改：" in out


@pytest.mark.parametrize("fmt", ["table", "markdown"])
def test_english_with_the_english_language(sample_reports, rules, fmt, monkeypatch):
    monkeypatch.setattr(auditor.i18n, "_language", "en")
    out = RENDERERS[fmt](sample_reports, rules, width=120, detail=True)
    for word in ["met", "missing", "partly met", "Summary", "township (street office)", "rule", "status"]:
        assert word in out, word
    for word in ["部分满足", "汇总", "审查要素", "状态", "输入处理", "整改：", "层级", "| 缺失"]:
        assert word not in out, word   # (rule titles and the whys written at audit time are the rules' Chinese)
    if fmt == "table":
        assert re.search(r"line \d+ column \d+", out) and "fix: " in out


def test_wrap_and_cut_count_display_columns():
    assert columns("合法性审查") == 10 and columns("abc") == 3
    assert cut("合法性审查", 10) == "合法性审查" and cut("合法性审查", 9) == "合法性审…" and cut("合法性审查", 8) == "合法性…"
    lines = wrap("写明本年度制发的行政规范性文件件数，及其合法性审核情况。", 20, "  ")
    assert all(columns(line) <= 20 for line in lines) and all(line.startswith("  ") for line in lines[1:])
    assert not any(line.strip().startswith(("，", "。")) for line in lines)   # no line opens with a closing mark
    assert wrap("标记：✓ 满足  ✗ 缺失  ~ 部分满足", 16, "  ") == ["标记：✓ 满足", "  ✗ 缺失", "  ~ 部分满足"]


def test_the_matrix_names_bodies_and_rules_and_folds_to_fit(sample_reports, rules):
    for width in WIDTHS:
        out = _table(sample_reports, rules, width)
        matrix = out.split("汇总", 1)[1]
        assert "辰溪县船溪乡人民政府" in matrix and "reports/" not in matrix
        assert all(rule.short in matrix for rule in rules)
        assert "标记：" in matrix and _too_wide(matrix, width) == []
    wide = RENDERERS["markdown"](sample_reports, rules)   # no width: one row per report, a column per rule
    row = next(line for line in wide.split("## 汇总", 1)[1].splitlines() if "辰溪县船溪乡人民政府" in line)
    assert row.count("|") == 4 + len(rules) + 1 + 1   # body, level, year, score; the rules; met


def test_the_cli_table_is_chinese_and_fits():
    r = run_cli("audit", SAMPLE)
    assert "缺失" in r.stdout and "合法性审查" in r.stdout and "missing" not in r.stdout
