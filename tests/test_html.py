"""The printable report: escaped, A4, one report per page run, and readable when Chromium prints it."""
from __future__ import annotations

import shutil
import subprocess

import pytest

from auditor.audit import audit_source
from auditor.normalize import normalize
from auditor.read import Source, read_source
from auditor.render import RENDERERS

from .conftest import run_cli

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
