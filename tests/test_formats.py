"""The same report as .txt, .docx, .pdf and .html (and with each kind of noise) gets the same verdicts,
and the evidence points where a person would look in that format."""
from __future__ import annotations

import re

import pytest

from auditor.audit import audit_file, audit_source
from auditor.normalize import normalize_phrase
from auditor.read import Source, read_source

from .conftest import REPORTS
from .render import NOISE, to_docx, to_html, to_pdf

SEEDS = sorted(REPORTS.glob("*.txt"))
RENDERERS = {"docx": to_docx, "pdf": to_pdf, "html": to_html}


def statuses(report) -> dict[str, str]:
    assert not report.errors, [e.format() for e in report.errors]
    return {f.rule.id: f.status.value for f in report.findings}


@pytest.fixture(scope="module")
def plain(matcher):
    return {p.name: statuses(audit_source(Source(p.name, p.read_text(encoding="utf-8"), "utf-8"), matcher))
            for p in SEEDS}


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """Every seed in every format, rendered once for the module."""
    out = {}
    folder = tmp_path_factory.mktemp("formats")
    for p in SEEDS:
        for fmt, render in RENDERERS.items():
            out[p.name, fmt] = render(p.read_text(encoding="utf-8"), folder / f"{p.stem}.{fmt}")
    return out


@pytest.mark.parametrize("fmt", RENDERERS)
@pytest.mark.parametrize("seed", [p.name for p in SEEDS])
def test_format_does_not_change_the_verdicts(matcher, plain, rendered, seed, fmt):
    report = audit_file(rendered[seed, fmt].path, matcher)
    assert report.encoding.startswith(fmt)
    assert statuses(report) == plain[seed]


@pytest.mark.parametrize("noise", NOISE)
@pytest.mark.parametrize("seed", [p.name for p in SEEDS])
def test_noise_does_not_change_the_verdicts(matcher, plain, seed, noise):
    noisy = NOISE[noise]((REPORTS / seed).read_text(encoding="utf-8"))
    report = audit_source(Source(seed, noisy, "utf-8"), matcher)
    assert statuses(report) == plain[seed]


def _bare(quote: str) -> str:
    return re.sub(r"\s|…", "", quote)


def _evidence(report):
    return [e for f in report.findings for e in f.evidence if e.how not in ("heading", "opener")]


def test_docx_evidence_names_the_paragraph_or_table_cell(matcher, tmp_path):
    text = (REPORTS / "004_20709ed33c242e8f.txt").read_text(encoding="utf-8")
    lines = text.split("\n")
    in_table = range(20, 30)   # part of the report laid out as a table
    doc = to_docx(text, tmp_path / "r.docx", table_lines=in_table)
    report = audit_file(doc.path, matcher)
    evidence = _evidence(report)
    assert evidence
    cells = 0
    for e in evidence:
        if "table" in e.place:
            key = ("table", e.place["table"], e.place["row"], e.place["cell"])
            assert e.where == f"table {key[1]} row {key[2]} cell {key[3]}"
            cells += 1
        else:
            key = ("para", e.place["paragraph"])
            assert e.where == f"para {key[1]}"
        drawn = _bare(doc.lines[key])
        assert _bare(e.quote)[:6] in drawn or drawn in _bare(e.quote), (e.where, e.quote)
    assert cells, "no evidence came from the table: move in_table over a line with a rule phrase"
    assert any(_bare(lines[i]) for i in in_table)


def test_pdf_evidence_names_page_and_line(matcher, rendered):
    for seed in SEEDS:
        doc = rendered[seed.name, "pdf"]
        report = audit_file(doc.path, matcher)
        for e in _evidence(report):
            assert e.where == f"page {e.place['page']} line {e.place['line']}"
            lines = read_source(doc.path).text.split("\n")
            drawn = lines[e.line - 1]
            # the line named is a line drawn on that page, and the matched phrase starts on it
            assert drawn.strip() in [x.strip() for x in doc.lines[e.place["page"]]]
            assert e.phrase[0] in normalize_phrase(drawn)
            assert e.how != "exact" or e.phrase in normalize_phrase(drawn + "".join(lines[e.line:e.line + 3]))
            assert "法治政府建设年度报告" not in e.quote and "—" not in e.quote   # page furniture is not quoted


def test_html_evidence_is_a_line_of_the_article_without_page_furniture(matcher, rendered):
    for seed in SEEDS:
        page = rendered[seed.name, "html"]
        source = read_source(page.path)
        for furniture in ("当前位置", "京ICP备", "京公网安备", "分享到", "某某区人民政府办公室"):   # the template's
            assert furniture not in source.text
        report = audit_file(page.path, matcher)
        assert report.quality["web page furniture dropped (chars)"] > 0
        lines = source.text.split("\n")
        for e in _evidence(report):
            assert e.where == f"{e.line}:{e.column}"
            assert _bare(lines[e.line - 1][e.column - 1:])[:4] in _bare(e.quote)


def test_html_in_gbk_is_read_too(matcher, tmp_path, plain):
    seed = SEEDS[2]
    page = to_html(seed.read_text(encoding="utf-8"), tmp_path / "gbk.htm", encoding="gb18030")
    assert statuses(audit_file(page.path, matcher)) == plain[seed.name]


def test_input_quality_says_what_was_done(matcher):
    report = audit_file(REPORTS / "001_c7de79f2aba7557d.txt", matcher)
    q = report.quality
    assert q["script converted (chars)"] > 1000 and q["pinyin glosses removed"] > 1000
    assert q["garbled runs repaired"] >= 5 and q["garbled runs left"] >= 1
    assert report.damaged_lines and all(1 <= n <= 56 for n in report.damaged_lines)
