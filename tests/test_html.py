"""The printable report: escaped, A4, an overview page for a batch, one report per page run, gaps first with
their fix, room for the reviewer, and readable (numbered pages) when Chromium prints it."""
from __future__ import annotations

import shutil
import subprocess

import pytest

from auditor.audit import audit_source
from auditor.normalize import normalize
from auditor.read import Source, read_source
from auditor.render import RENDERERS

from .conftest import REPO, run_cli

CHROMIUM = shutil.which("chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--no-pdf-header-footer"]


def test_report_text_is_escaped(matcher, rules):
    text = ("<script>alert(1)</script>某某镇人民政府关于2023年度法治政府建设情况的报告\n"
            "2023年，某某镇聘请法律顾问2名，<b>开展</b>合法性审查12件，全面推进依法行政。\n"
            "一、主要举措和成效\n全年举办法治讲座4场。\n某某镇人民政府\n2024年3月1日")
    html = RENDERERS["html"]([audit_source(Source("<x>&.txt", text, "utf-8"), matcher)], rules)
    assert "<script>alert" not in html and "<b>开展" not in html and "<x>&" not in html
    assert "&lt;b&gt;开展" in html and "&lt;x&gt;&amp;.txt" in html


def test_printed_by_chromium_the_chinese_evidence_comes_back(tmp_path):
    assert CHROMIUM, "Chromium is missing: `make test` installs it (Debian packages chromium, fonts-noto-cjk)"
    html = tmp_path / "audit.html"
    r = run_cli("audit", "reports/", "--format", "html", "--output", str(html))
    assert r.code == 1
    pdf = tmp_path / "audit.pdf"
    subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", f"--print-to-pdf={pdf}",
                    html.as_uri()], check=True, capture_output=True, timeout=180)
    printed = read_source(pdf)          # the project's own PDF reader
    pages = {p.page for p in printed.places}
    assert len(pages) >= 5              # a page run per report
    flat = "".join(normalize(printed.text).text.split())
    doc = __import__("json").loads(run_cli("audit", "reports/", "--format", "json").stdout)
    quotes = [e["quote"].strip("…") for rep in doc["reports"] for res in rep["results"] for e in res["evidence"][:1]]
    found = [q for q in quotes if "".join(normalize(q).text.split())[:12] in flat]
    assert len(found) >= 0.8 * len(quotes), f"only {len(found)} of {len(quotes)} quotes came back from the PDF"
    raw = "".join(printed.text.split())   # (normalizing would drop the heading: it repeats like a running header)
    assert raw.count("法治政府建设年度报告审查意见") == 5 and "\ufffd" not in raw and "□" not in raw
    assert raw.index("法治政府建设年度报告审查汇总") < raw.index("法治政府建设年度报告审查意见")   # the overview first
    total = len(pages)
    assert all(f"第{n}页，共{total}页" in raw for n in (1, total))   # numbered in print
    assert total <= 25, f"{total} pages for five reports"
    import pypdfium2
    first = pypdfium2.PdfDocument(str(pdf))[0].get_size()
    assert first[0] > first[1]   # the overview page is landscape


@pytest.fixture(scope="module")
def sample_reports(matcher):
    from pathlib import Path

    from auditor.audit import audit_paths
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(REPO)
        return list(audit_paths(sorted(Path("reports").glob("*.txt")), matcher))


def _page(html: str):
    import lxml.html
    return lxml.html.fromstring(html)


def test_batch_opens_with_the_overview_and_each_report_lists_gaps_first_with_their_fix(sample_reports, rules):
    from auditor.labels import GAPS_FIRST
    from auditor.status import Status
    html = RENDERERS["html"](sample_reports, rules)
    page = _page(html)
    sections = page.xpath("//body/section")
    assert sections[0].get("class") == "overview" and len(sections) == 1 + len(sample_reports)
    ranking = sections[0].xpath(".//table[@class='ranking']/tbody/tr")
    shares = [r.rating.points / r.rating.max for r in sample_reports]
    points = [float(tr.xpath("./td")[4].text_content()) for tr in ranking]
    assert sorted(shares, reverse=True) == [float(p) / m for p, m in
                                             zip(points, [float(tr.xpath("./td")[5].text_content()) for tr in ranking])]
    assert [tr.xpath("./td")[0].text_content() for tr in ranking][0] == "1"
    heads = sections[0].xpath(".//table[@class='matrix']/thead//th[@class='rule']")
    assert [h.text_content() for h in heads] == [r.short or r.title for r in rules]
    order = {s.label: i for i, s in enumerate(GAPS_FIRST)}
    fixes = {r.title: r.fix for r in rules}
    for section, report in zip(sections[1:], sample_reports):
        gaps = section.xpath(".//table[@class='gaps']/tbody/tr")
        assert len(gaps) == sum(f.status.is_gap for f in report.findings)
        labels = [tr.xpath("./td")[1].text_content().split("得分")[0].strip() for tr in gaps]
        assert [order[x] for x in labels] == sorted(order[x] for x in labels)
        for tr in gaps:
            title = tr.xpath("./td")[0].text.strip()
            assert fixes[title] in tr.xpath("./td")[3].text_content()
        assert section.xpath(".//*[@class='box']")[0].text_content().startswith("整改意见")
        assert "审查人" in section.xpath(".//*[@class='sign']")[0].text_content()
        assert section.xpath(".//table")[0].get("class") == "gaps"   # gaps before what is met
        assert f"{report.rating.points:g} / {report.rating.max:g}" in section.text_content()
    assert "匹配度" not in html and "counter(page)" in html and "counter(pages)" in html


def test_one_report_has_no_overview_and_english_is_english(sample_reports, rules, monkeypatch):
    import auditor.i18n
    page = _page(RENDERERS["html"](sample_reports[:1], rules))
    assert [s.get("class") for s in page.xpath("//body/section")] == ["report"]
    monkeypatch.setattr(auditor.i18n, "_language", "en")
    html = RENDERERS["html"](sample_reports, rules)
    assert 'lang="en"' in html and "Overview of the annual reports audited" in html
    assert "reviewer's rectification comments" in html.replace("&#39;", "'") and "审查人" not in html
