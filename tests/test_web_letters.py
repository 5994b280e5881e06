"""A batch's letters fit to send, through the workbench's HTTP interface: the five samples uploaded, a verdict
overturned with a reason, a 整改意见 written, the letter settings set once, then every letter downloaded as one
zip and read back with python-docx (named by body, no reviewer's note, the 整改意见 above the signature, no
score unless switched on, what must be fixed before what could be better), all letters as one PDF (LibreOffice),
the reviewed copies as one zip, the spreadsheet with the 整改意见, and a revised round counted once."""
from __future__ import annotations

import io
import re
import zipfile
from types import SimpleNamespace

import docx
import openpyxl
import pytest
from docx.oxml.ns import qn
from fastapi.testclient import TestClient
from sqlalchemy import select

from auditor.web.app import create_app
from auditor.web.routes import letters as letter_routes
from auditor.web.store import ReportRow, Store

from .test_web import OPTIONS, SAMPLES, _token, _upload, _wait

pytestmark = pytest.mark.usefixtures("chinese")   # pages and files as people read them

REASON = "复核理由：第二部分只有一句话带过"          # the reviewer's private reason: never in a letter
OPINION = "请于修改时补充党政主要负责人履职的具体事例。\n并在文末署名。"
LEADER = "section-leader-duty"                      # a must-fix gap of 003 (乌苏市皇宫镇)
BODIES = {"000_8983b31abeb2f5d4.txt": "辰溪县船溪乡人民政府", "001_c7de79f2aba7557d.txt": "大涌镇人民政府",
          "002_ae009fae7ef3885b.txt": "重庆市南岸区人民政府龙门浩街道办事处",
          "003_88711d32bb28d44b.txt": "乌苏市皇宫镇人民政府", "004_20709ed33c242e8f.txt": "重庆市万州区长坪乡人民政府"}


@pytest.fixture(scope="module")
def season(tmp_path_factory):
    """The five samples uploaded and audited; 003's must-fix gap reviewed to 部分满足 with a reason, a gap of 000
    overturned to 满足, a 整改意见 written for 003, and the batch's letter settings saved."""
    data_dir = tmp_path_factory.mktemp("letters")
    with TestClient(create_app(data_dir, options=OPTIONS)) as client:
        response = _upload(client, "2024年度各乡镇报告", [(p.name, p.read_bytes()) for p in SAMPLES])
        batch_id = int(response.headers["location"].rsplit("/", 1)[1])
        _wait(client, batch_id)
        with Store(data_dir).session() as s:
            rows = {r.file.original_name: r.id for r in s.scalars(select(ReportRow).where(
                ReportRow.batch_id == batch_id))}
        token = _token(client)
        wusu, chenxi = rows["003_88711d32bb28d44b.txt"], rows["000_8983b31abeb2f5d4.txt"]
        for report_id, rule, status in ((wusu, LEADER, "partial"), (chenxi, "section-other", "met")):
            saved = client.post(f"/reports/{report_id}/review", follow_redirects=False, data={
                "rule": rule, "status": status, "reason": REASON, "csrf_token": token})
            assert saved.status_code == 303
        written = client.post(f"/reports/{wusu}/letter", follow_redirects=False,
                              data={"text": OPINION, "csrf_token": token})
        assert written.status_code == 303
        saved = client.post(f"/batches/{batch_id}/letters/settings", follow_redirects=False, data={
            "office": "测试县司法局", "number": "测司函〔2025〕{n}号", "date": "2025-04-01",
            "reply_by": "2025-04-30", "csrf_token": token})
        assert saved.status_code == 303
    return SimpleNamespace(data_dir=data_dir, batch_id=batch_id, rows=rows)


@pytest.fixture
def client(season):
    with TestClient(create_app(season.data_dir, options=OPTIONS, office="工作台司法局")) as c:
        yield c


def _unzipped(response) -> dict[str, bytes]:
    assert response.status_code == 200 and response.headers["content-type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as z:
        return {name: z.read(name) for name in z.namelist()}


def _paragraphs(data: bytes) -> list[str]:
    return [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]


def test_the_settings_page_shows_the_saved_settings_and_refuses_a_bad_date(client, season):
    page = client.get(f"/batches/{season.batch_id}/letters/settings")
    assert page.status_code == 200
    assert "整改意见书设置" in page.text and "落款单位" in page.text and "文号格式" in page.text
    assert 'value="测试县司法局"' in page.text and 'value="2025-04-30"' in page.text
    assert 'name="show_scores" value="1" >' in page.text   # off by default
    assert f"/batches/{season.batch_id}/letters.zip" in page.text
    bad = client.post(f"/batches/{season.batch_id}/letters/settings", data={
        "office": "x", "date": "四月一日", "csrf_token": _token(client)})
    assert bad.status_code == 400 and "不是 2025-04-30 这样的日期" in bad.text
    assert client.get("/batches/9999/letters/settings").status_code == 404


def test_all_letters_in_one_zip_named_by_body_and_fit_to_send(client, season):
    letters = _unzipped(client.get(f"/batches/{season.batch_id}/letters.zip"))
    assert sorted(letters) == sorted(f"{body}.整改意见.docx" for body in BODIES.values())
    for name, data in letters.items():
        paragraphs = _paragraphs(data)
        whole = "\n".join(paragraphs)
        assert name.removesuffix(".整改意见.docx") + "：" in paragraphs   # addressed to the body
        assert ".txt" not in whole and "文件：" not in whole            # never the file's name
        assert REASON not in whole and "人工复核" not in whole and "本机用户" not in whole
        assert "得分" not in whole                                        # scores are off by default
        assert "审核工具" not in whole
        signature = next(i for i, p in enumerate(paragraphs) if p.startswith("审核单位（盖章）："))
        assert paragraphs[signature] == "审核单位（盖章）：测试县司法局" and paragraphs[signature + 1] == "日期：2025年4月1日"
        assert signature >= len(paragraphs) - 2                           # the signature ends the letter
        assert re.search(r"测司函〔2025〕[1-5]号", whole)
        headings = [p for p in paragraphs if re.match(r"^[一二三四五六]、", p)]
        if any("必须整改的问题" in h for h in headings) and any("建议完善的事项" in h for h in headings):
            assert headings.index(next(h for h in headings if "必须整改的问题" in h)) < \
                headings.index(next(h for h in headings if "建议完善的事项" in h))
        if any(h.endswith("必须整改的问题") for h in headings):
            assert "于2025年4月30日前报送整改情况" in whole and "基本符合要求" not in whole


def test_the_reviewed_verdict_is_the_verdict_and_the_opinion_stands_above_the_signature(client, season):
    letters = _unzipped(client.get(f"/batches/{season.batch_id}/letters.zip"))
    wusu = _paragraphs(letters["乌苏市皇宫镇人民政府.整改意见.docx"])
    whole = "\n".join(wusu)
    head = next(i for i, p in enumerate(wusu) if p.startswith("1．党政主要负责人履行推进法治建设第一责任人职责的情况"))
    assert wusu[head].endswith("（部分满足）")                          # the reviewed status
    assert wusu[head + 1] == "存在问题：未见报告党政主要负责人履行推进法治建设第一责任人职责情况的部分"   # the rule's own words
    opinion = wusu.index("请于修改时补充党政主要负责人履职的具体事例。")
    assert wusu[opinion + 1] == "并在文末署名。" and "整改意见" in wusu[opinion - 1]
    signature = next(i for i, p in enumerate(wusu) if p.startswith("审核单位（盖章）"))
    assert opinion < signature and "需整改：必须整改1项" in whole
    chenxi = "\n".join(_paragraphs(letters["辰溪县船溪乡人民政府.整改意见.docx"]))
    assert "其他需要报告的情况" not in chenxi.split("建议完善的事项")[1]   # overturned to 满足: no longer listed
    assert "基本符合要求" in chenxi and "、必须整改的问题" not in chenxi    # only items that could be better


def test_one_letter_is_the_same_letter_named_by_body(client, season):
    wusu = season.rows["003_88711d32bb28d44b.txt"]
    one = client.get(f"/reports/{wusu}/letter.docx")
    assert one.status_code == 200
    assert "filename*=UTF-8''" + "%E4%B9%8C%E8%8B%8F" in one.headers["content-disposition"]   # 乌苏…
    letters = _unzipped(client.get(f"/batches/{season.batch_id}/letters.zip"))
    assert _paragraphs(one.content) == _paragraphs(letters["乌苏市皇宫镇人民政府.整改意见.docx"])


def test_scores_only_when_switched_on(client, season):
    token = _token(client)
    page = client.get(f"/batches/{season.batch_id}/letters/settings").text
    assert "测试县司法局" in page
    on = {"office": "测试县司法局", "number": "测司函〔2025〕{n}号", "date": "2025-04-01", "reply_by": "2025-04-30",
          "show_scores": "1", "csrf_token": token}
    assert client.post(f"/batches/{season.batch_id}/letters/settings", data=on).status_code == 200
    try:
        letters = _unzipped(client.get(f"/batches/{season.batch_id}/letters.zip"))
        assert all("得分：" in "\n".join(_paragraphs(d)) for d in letters.values())
    finally:
        client.post(f"/batches/{season.batch_id}/letters/settings",
                    data={k: v for k, v in on.items() if k != "show_scores"})


def test_the_document_number_pattern_reads_only_n():
    from auditor.web.store import Batch
    batch = Batch(name="x", letter_number=None)
    assert letter_routes.letter_number(batch, 3) is None
    batch.letter_number = "某司函〔2025〕{n}号 {x}"
    assert letter_routes.letter_number(batch, 3) == "某司函〔2025〕3号 {x}"   # only {n} is read
    assert letter_routes.letter_number(batch, None) == "某司函〔2025〕__号 {x}"   # a round replaced later


def test_names_come_from_the_body_else_the_folder_else_the_file():
    def named(body, original, generic=False):
        meta = SimpleNamespace(body=body, body_generic=generic)
        row = SimpleNamespace(body=body, file=SimpleNamespace(original_name=original))
        return letter_routes.file_name(row, SimpleNamespace(report=SimpleNamespace(metadata=meta)))
    assert named("东溪镇人民政府", "东溪镇/法治政府建设情况报告.txt") == "东溪镇人民政府"
    assert named(None, "东溪镇/法治政府建设情况报告.txt") == "东溪镇"
    assert named("区政府", "西城区/报告.txt", generic=True) == "西城区"
    assert named(None, "法治政府建设情况报告.txt") == "法治政府建设情况报告"
    assert named("a/b:c\u202e", "x.txt") == "a_b_c_"
    entries = [SimpleNamespace(row=SimpleNamespace(body="东溪镇", file=SimpleNamespace(original_name=n)),
                               reviewed=SimpleNamespace(report=SimpleNamespace(metadata=SimpleNamespace(
                                   body="东溪镇", body_generic=False)))) for n in ("a.txt", "b.txt", "c.txt")]
    assert letter_routes.unique_names(entries) == ["东溪镇", "东溪镇(2)", "东溪镇(3)"]


def test_reviewed_copies_in_one_zip_comment_only_the_gaps(client, season):
    copies = _unzipped(client.get(f"/batches/{season.batch_id}/reviewed.zip"))
    assert sorted(copies) == sorted(f"{body}.审核批注.docx" for body in BODIES.values())
    for name, data in copies.items():
        comments = [c.text for c in docx.Document(io.BytesIO(data)).comments]
        assert comments and not any(c.startswith("【满足】") for c in comments)
        assert not any(REASON in c or "本机用户" in c for c in comments)
        gaps = [c for c in comments if c.startswith("【必须整改·") or c.startswith("【建议完善·")]
        assert len(gaps) == len(comments) - 1   # one per gap, and the result on the title
    wusu = docx.Document(io.BytesIO(copies["乌苏市皇宫镇人民政府.审核批注.docx"]))
    assert any(c.text.startswith("【必须整改·部分满足】党政主要负责人履行推进法治建设第一责任人职责的情况") for c in wusu.comments)


def test_the_spreadsheet_carries_the_opinion_and_the_tiers(client, season):
    book = openpyxl.load_workbook(io.BytesIO(client.get(f"/batches/{season.batch_id}/export.xlsx").content))
    rows = list(book["汇总"].iter_rows(values_only=True))
    head = rows[0]
    assert {"必须整改", "建议完善", "整改意见"} <= set(head)
    by_body = {row[0]: dict(zip(head, row)) for row in rows[1:]}
    assert by_body["乌苏市皇宫镇人民政府"]["整改意见"] == OPINION
    assert by_body["乌苏市皇宫镇人民政府"]["必须整改"] == 1
    gaps = list(book["问题清单"].iter_rows(values_only=True))
    assert "整改等级" in gaps[0]
    tiers = {row[gaps[0].index("整改等级")] for row in gaps[1:]}
    assert tiers == {"必须整改", "建议完善"}


@pytest.mark.office
def test_all_letters_in_one_pdf_to_print(client, season):
    import pypdfium2 as pdfium
    response = client.get(f"/batches/{season.batch_id}/letters.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    pdf = pdfium.PdfDocument(response.content)
    try:
        assert len(pdf) >= len(BODIES)
        first_pages = []
        for page in pdf:
            text = page.get_textpage().get_text_range()
            if "审核意见" in text.replace(" ", "") and "收悉" in text:
                first_pages.append(text)
        assert len(first_pages) == len(BODIES)   # each letter starts on a page of its own
    finally:
        pdf.close()


def test_a_pdf_that_cannot_be_made_is_said_in_chinese(client, season, monkeypatch):
    monkeypatch.setattr(letter_routes.shutil, "which", lambda _name: None)
    response = client.get(f"/batches/{season.batch_id}/letters.pdf")
    assert response.status_code == 503 and "无法生成 PDF" in response.text and "未安装 LibreOffice" in response.text


def test_bound_letters_each_start_a_page(client, season):
    letters = _unzipped(client.get(f"/batches/{season.batch_id}/letters.zip"))
    documents = [docx.Document(io.BytesIO(d)) for d in letters.values()]
    one = letter_routes.bound(documents)
    titles = [p for p in one.paragraphs if p.style.name == "Title"]
    assert len(titles) == len(BODIES)
    assert all(p.paragraph_format.page_break_before for p in titles[1:])
    assert len(one.element.body.findall(qn("w:sectPr"))) == 1


def test_a_revised_round_counts_once(client, season):
    from .test_web import REPORTS
    chenxi = season.rows["000_8983b31abeb2f5d4.txt"]
    text = (REPORTS / "000_8983b31abeb2f5d4.txt").read_text(encoding="utf-8") + "\n五、其他需要报告的情况\n无。\n"
    revised = client.post(f"/reports/{chenxi}/revision", follow_redirects=False, data={"csrf_token": _token(client)},
                          files={"file": ("船溪乡修改稿.txt", text.encode(), "text/plain")})
    assert revised.status_code == 303
    _wait(client, season.batch_id)
    letters = _unzipped(client.get(f"/batches/{season.batch_id}/letters.zip"))
    assert sorted(letters) == sorted(f"{body}.整改意见.docx" for body in BODIES.values())
    book = openpyxl.load_workbook(io.BytesIO(client.get(f"/batches/{season.batch_id}/export.xlsx").content))
    assert [row[0] for row in book["汇总"].iter_rows(values_only=True)].count("辰溪县船溪乡人民政府") == 1
