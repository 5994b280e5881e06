"""What people typed into the workbench (a batch name, a review reason, 整改意见 letter text, an uploaded file's
name) is kept as typed but shown with its control and bidi characters as visible escapes on every page and in
every export; a labels.tsv cell that a spreadsheet would run as a formula is neutralized as the CSV renderer
does it."""
from __future__ import annotations

import io
import re
import time
import zipfile
from pathlib import Path
from urllib.parse import unquote

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from auditor.render.csv_format import neutral
from auditor.settings import Options
from auditor.web.app import create_app
from auditor.web.store import Batch, Letter, Review, Store

from .conftest import REPO, REPORTS

OPTIONS = Options(rules_dir=str(REPO / "rules"))
SAMPLE = sorted(REPORTS.glob("*.txt"))[0]
RAW = ("\u202e", "\x01", "\x00")
BATCH = "恶意\u202e批次\x01名\x00"
REASON = "理由\u202e反转\x01\x00"
LETTER = "整改\u202e意见\x01\x00"
FILE = "报告\u202e文件.txt"
FORMULA = "=1+2+cmd.txt"


def _token(client: TestClient) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get("/").text).group(1)


def _clean(text: str) -> bool:
    return not any(c in text for c in RAW)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("typed")


@pytest.fixture(scope="module")
def state(data_dir):
    """One batch (a name with U+202E, \\x01 and NUL; a file name with U+202E and one that is a formula), audited,
    with a review whose reason and a letter whose text hold the same characters."""
    data = SAMPLE.read_bytes()
    with TestClient(create_app(data_dir, options=OPTIONS)) as client:
        sent = client.post("/batches", data={"name": BATCH, "profile": "auto", "csrf_token": _token(client)},
                           files=[("files", (FILE, data, "text/plain")), ("files", (FORMULA, data, "text/plain"))],
                           follow_redirects=False)
        assert sent.status_code == 303, sent.text
        batch_id = int(sent.headers["location"].rsplit("/", 1)[1])
        deadline = time.monotonic() + 90
        while not client.get(f"/batches/{batch_id}/progress").json()["complete"]:
            assert time.monotonic() < deadline, "not audited in 90 s"
            time.sleep(0.2)
        page = client.get("/reports/1").text
        rule = re.search(r'<tr id="rule-([a-z0-9-]+)"', page).group(1)
        token = _token(client)
        for report_id in (1, 2):
            saved = client.post(f"/reports/{report_id}/review", follow_redirects=False, data={
                "rule": rule, "status": "met", "reason": REASON, "csrf_token": token})
            assert saved.status_code == 303
        letter = client.post("/reports/1/letter", follow_redirects=False, data={"text": LETTER, "csrf_token": token})
        assert letter.status_code == 303
    return batch_id


@pytest.fixture
def client(data_dir, state):
    with TestClient(create_app(data_dir, options=OPTIONS)) as c:
        yield c


def test_pages_show_typed_text_escaped_and_the_store_keeps_it_as_typed(data_dir, client, state):
    with Store(data_dir).session() as s:   # nothing a person wrote is lost
        assert s.get(Batch, state).name == BATCH
        assert {r.reason for r in s.scalars(select(Review))} == {REASON}
        assert [x.text for x in s.scalars(select(Letter))] == [LETTER]
    pages = {url: client.get(url) for url in ("/", f"/batches/{state}", "/reports/1", "/reports/2",
                                              f"/batches/{state}/copies")}
    for url, page in pages.items():
        assert page.status_code == 200, url
        assert _clean(page.text), url
    for url in pages:
        assert "恶意\\u202e批次\\x01名\\x00" in pages[url].text, url
    report = pages["/reports/1"].text
    assert "理由\\u202e反转\\x01\\x00" in report and "整改\\u202e意见\\x01\\x00" in report
    assert "报告\\u202e文件.txt" in report


def test_exports_show_typed_text_escaped(client, state):
    labels = client.get(f"/batches/{state}/labels.tsv")
    assert labels.status_code == 200 and _clean(labels.text)
    assert "理由\\u202e反转\\x01\\x00" in labels.text and "报告\\u202e文件.txt" in labels.text
    for url in (f"/batches/{state}/labels.tsv", f"/batches/{state}/export.xlsx"):
        disposition = unquote(client.get(url).headers["content-disposition"])
        assert _clean(disposition) and "恶意\\u202e批次\\x01名\\x00" in disposition, url
    xlsx = client.get(f"/batches/{state}/export.xlsx").content
    with zipfile.ZipFile(io.BytesIO(xlsx)) as z:
        sheets = "".join(z.read(n).decode() for n in z.namelist() if n.endswith(".xml"))
    assert _clean(sheets)
    letter = client.get("/reports/1/letter.docx")
    assert letter.status_code == 200 and _clean(unquote(letter.headers["content-disposition"]))
    with zipfile.ZipFile(io.BytesIO(letter.content)) as z:
        document = z.read("word/document.xml").decode()
    assert _clean(document) and "整改\\u202e意见\\x01\\x00" in document
    printed = client.get(f"/batches/{state}/print").text
    assert _clean(printed) and "报告\\u202e文件.txt" in printed


def test_labels_tsv_neutralizes_a_cell_a_spreadsheet_would_run(client, state):
    lines = client.get(f"/batches/{state}/labels.tsv").text.splitlines()
    cells = [line.split("\t")[0] for line in lines[1:]]
    assert neutral(FORMULA) in cells and FORMULA not in cells
    assert all(not c.startswith(("=", "+", "-", "@")) for line in lines for c in line.split("\t"))
