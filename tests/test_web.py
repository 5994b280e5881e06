"""The workbench through its HTTP interface (fastapi.testclient): every page and form, the five samples uploaded
and audited in the background, a review kept across a restart, the exports read back, an interrupted batch
resumed, and the serve / backup commands."""
from __future__ import annotations

import io
import re
import time
import zipfile
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from auditor.evaluate import read_labels
from auditor.settings import Options
from auditor.web.app import create_app
from auditor.web.store import DONE, RUNNING, WAITING, Batch, File, ReportRow, Review, Store

from .conftest import REPO, REPORTS, run_cli

SAMPLES = sorted(REPORTS.glob("*.txt"))
OPTIONS = Options(rules_dir=str(REPO / "rules"))
WRONG = "平山县2023年政府信息公开工作年度报告\n本报告根据《中华人民共和国政府信息公开条例》编制。\n".encode()


def _token(client: TestClient) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get("/").text).group(1)


def _wait(client: TestClient, batch_id: int, seconds: float = 90) -> dict:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        progress = client.get(f"/batches/{batch_id}/progress").json()
        if progress["complete"]:
            return progress
        time.sleep(0.2)
    raise AssertionError(f"batch {batch_id} not audited in {seconds} s: {progress}")


def _seen(page: str, rule: str) -> str:
    """The review the page's form for `rule` was opened on (what a browser sends back)."""
    form = page.split(f'name="rule" value="{rule}"')[1]
    return re.search(r'name="seen" value="(\d+)"', form).group(1)


def _upload(client: TestClient, name: str, files: list[tuple[str, bytes]], profile: str = "auto"):
    return client.post("/batches", data={"name": name, "profile": profile, "csrf_token": _token(client)},
                       files=[("files", (n, data, "application/octet-stream")) for n, data in files],
                       follow_redirects=False)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("workbench")


@pytest.fixture(scope="module")
def batch(data_dir):
    """The five samples, a file of another kind and an unreadable one, uploaded and audited once."""
    with TestClient(create_app(data_dir, options=OPTIONS)) as client:
        files = [(p.name, p.read_bytes()) for p in SAMPLES] + [("信息公开年报.txt", WRONG), ("坏文件.pdf", b"not a pdf")]
        response = _upload(client, "2024年度各乡镇报告", files)
        assert response.status_code == 303
        batch_id = int(response.headers["location"].rsplit("/", 1)[1])
        assert _wait(client, batch_id) == {"done": 7, "total": 7, "complete": True}
    with Store(data_dir).session() as s:
        rows = {r.file.original_name: r.id for r in s.scalars(select(ReportRow).where(ReportRow.batch_id == batch_id))}
    return batch_id, rows


@pytest.fixture
def client(data_dir, batch):
    """A fresh app on the module's data folder for each test: what one test saved, the next finds after a restart."""
    with TestClient(create_app(data_dir, options=OPTIONS)) as c:
        yield c


def test_home_page_lists_batches_and_offers_the_new_batch_form(client):
    page = client.get("/")
    assert page.status_code == 200
    assert "法治政府建设年度报告审核工作台" in page.text and "新建批次" in page.text
    assert "2024年度各乡镇报告" in page.text
    assert 'type="file" name="files" multiple' in page.text and "自动（按各报告主体的层级）" in page.text
    assert 'name="csrf_token"' in page.text


def test_files_are_stored_by_content_hash_never_by_their_names(data_dir, batch):
    stored = [p for p in (data_dir / "files").rglob("*") if p.is_file()]
    assert len(stored) == 7
    assert all(re.fullmatch(r"[0-9a-f]{64}(\.txt|\.pdf)?", p.name) for p in stored)


def test_batch_page_shows_the_matrix_and_files_apart(client, batch):
    batch_id, rows = batch
    page = client.get(f"/batches/{batch_id}").text
    for body in ("辰溪县船溪乡人民政府", "大涌镇", "乌苏市皇宫镇人民政府"):
        assert body in page
    assert "已审核 7 / 7 个文件" in page
    assert "非本类报告的文件" in page and "信息公开年报.txt" in page and "政府信息公开工作年度报告" in page
    assert "无法读取的文件" in page and "坏文件.pdf" in page and "[E108]" in page
    matrix = page.split('class="matrix"')[1].split("</table>")[0]
    assert matrix.count("/reports/") >= 5 * 10   # a link per report and per rule cell
    assert "✓" in matrix and "✗" in matrix
    scores = [float(s) for s in re.findall(r'<td class="score">([\d.]+)/', matrix)]
    assert scores == sorted(scores, reverse=True) and len(scores) == 5


def test_batch_filters_and_sort(client, batch):
    batch_id, rows = batch
    ascending = client.get(f"/batches/{batch_id}?sort=score-asc").text
    scores = [float(s) for s in re.findall(r'<td class="score">([\d.]+)/', ascending)]
    assert scores == sorted(scores)
    one_rule = client.get(f"/batches/{batch_id}?rule=legal-advisor").text.split('class="matrix"')[1]
    assert one_rule.count('class="rule"') == 1
    by_level = client.get(f"/batches/{batch_id}?level=county").text
    assert "没有符合条件的报告。" in by_level
    gaps = client.get(f"/batches/{batch_id}?gaps=any").text
    assert len(re.findall(r'<td class="score">', gaps)) == 5   # every sample has a gap somewhere
    must = client.get(f"/batches/{batch_id}?gaps=must").text   # 需整改: only 皇宫镇 lacks a statutory part
    assert len(re.findall(r'<td class="score">', must)) == 1 and "乌苏市皇宫镇人民政府" in must
    assert re.search(r'class="mark (reviewed )?must s-', must)   # the tier, then the status (its colour)
    assert re.search(r'class="mark could s-', gaps)


def test_report_page_shows_facts_gaps_and_the_original_with_every_quote_anchored(client, batch):
    _batch_id, rows = batch
    page = client.get(f"/reports/{rows[SAMPLES[0].name]}").text
    assert "辰溪县船溪乡人民政府" in page and "乡镇（街道）" in page and "2022" in page
    assert "整改建议" in page and "原文" in page
    targets = set(re.findall(r'data-target="(ev-[^"]+)"', page))
    anchors = set(re.findall(r'<a class="anchor" id="(ev-[^"]+)"', page))
    assert targets and targets <= anchors   # every rule's link lands on its quote
    assert page.count('<mark class="ev"') >= len(targets) // 2
    assert re.search(r'<div class="line" id="L1">', page)


def test_wrong_type_and_unreadable_reports_have_pages(client, batch):
    _batch_id, rows = batch
    wrong = client.get(f"/reports/{rows['信息公开年报.txt']}")
    assert wrong.status_code == 200 and "政府信息公开工作年度报告" in wrong.text
    bad = client.get(f"/reports/{rows['坏文件.pdf']}")
    assert bad.status_code == 200 and "[E108]" in bad.text


def test_missing_pages_answer_in_chinese(client):
    for url in ("/batches/9999", "/reports/9999", "/reports/9999/letter.docx", "/batches/9999/export.xlsx",
                "/batches/abc", "/reports/1x", "/no/such/page"):
        response = client.get(url)
        assert response.status_code == 404 and "没有这个页面、批次或报告。" in response.text


def test_review_changes_a_status_feeds_the_score_and_survives_a_restart(data_dir, batch):
    batch_id, rows = batch
    report_id = rows[SAMPLES[1].name]
    with TestClient(create_app(data_dir, options=OPTIONS)) as client:
        page = client.get(f"/reports/{report_id}").text
        missing = re.search(r'<tr id="rule-([a-z0-9-]+)" class="gap">\s*<td>.*?</td>\s*<td class="status"[^>]*>✗',
                            page, re.S).group(1)
        before = float(re.search(r'<td class="score">([\d.]+)/', page).group(1))
        token = _token(client)
        refused = client.post(f"/reports/{report_id}/review", data={"rule": missing, "status": "met",
                                                                    "reason": "", "csrf_token": token})
        assert refused.status_code == 400 and "改变结论时须填写理由。" in refused.text
        saved = client.post(f"/reports/{report_id}/review", follow_redirects=False, data={
            "rule": missing, "status": "met", "reason": "第三部分第二段已写明", "csrf_token": token})
        assert saved.status_code == 303
        letter = client.post(f"/reports/{report_id}/letter", follow_redirects=False, data={
            "text": "请补充法治督察工作情况。", "csrf_token": token})
        assert letter.status_code == 303
    with TestClient(create_app(data_dir, options=OPTIONS)) as client:   # a restart: nothing written is lost
        page = client.get(f"/reports/{report_id}").text
        row = page.split(f'id="rule-{missing}"')[1].split("</tr>")[0]
        assert "满足" in row and "已人工复核" in row and "机器结论：缺失" in row
        assert "本机用户" in row and "第三部分第二段已写明" in row and "缺失 → 满足" in row
        after = float(re.search(r'<td class="score">([\d.]+)/', page).group(1))
        assert after > before and f"机器评分 {before:g}" in page
        assert "请补充法治督察工作情况。" in page
        matrix = client.get(f"/batches/{batch_id}").text
        assert re.search(rf'/reports/{report_id}#rule-{missing}">✓\*</a>', matrix)
        unreviewed = client.get(f"/batches/{batch_id}?unreviewed=1").text
        assert f"/reports/{report_id}\"" not in unreviewed and len(re.findall('<td class="score">', unreviewed)) == 4
        stale = client.post(f"/reports/{report_id}/review", follow_redirects=False, data={
            "rule": missing, "confirm": "1", "csrf_token": _token(client)})   # opened before the first review
        assert stale.status_code == 409 and "第三部分第二段已写明" in stale.text
        confirm = client.post(f"/reports/{report_id}/review", follow_redirects=False, data={
            "rule": missing, "confirm": "1", "seen": _seen(page, missing), "csrf_token": _token(client)})
        assert confirm.status_code == 303
    with Store(data_dir).session() as s:   # history: both reviews kept, none rewritten
        kept = s.scalars(select(Review).where(Review.report_id == report_id, Review.rule == missing)).all()
        assert [(r.machine_status, r.human_status) for r in kept] == [("missing", "met"), ("missing", "met")]


def test_bad_review_forms_are_refused(client, batch):
    _batch_id, rows = batch
    report_id, token = rows[SAMPLES[2].name], _token(client)
    unknown_rule = client.post(f"/reports/{report_id}/review", data={"rule": "no-such-rule", "status": "met",
                                                                     "reason": "x", "csrf_token": token})
    assert unknown_rule.status_code == 400 and "本报告没有这条规则。" in unknown_rule.text
    unknown_status = client.post(f"/reports/{report_id}/review", data={"rule": "legal-advisor", "status": "great",
                                                                       "reason": "x", "csrf_token": token})
    assert unknown_status.status_code == 400 and "未知的结论。" in unknown_status.text


def test_exports_read_back(client, batch):
    import docx
    import openpyxl
    batch_id, rows = batch
    token = _token(client)
    report_id = rows[SAMPLES[3].name]
    client.post(f"/reports/{report_id}/review", data={"rule": "legal-advisor", "status": "missing",
                                                      "reason": "只有标题，没有内容", "csrf_token": token})
    client.post(f"/reports/{report_id}/letter", data={"text": "请按要求补充法律顾问工作情况。", "csrf_token": token})

    xlsx = client.get(f"/batches/{batch_id}/export.xlsx")
    assert xlsx.status_code == 200 and "filename*=UTF-8''" in xlsx.headers["content-disposition"]
    book = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    cells = " ".join(str(c.value) for sheet in book for row in sheet.iter_rows() for c in row if c.value)
    assert "乌苏市皇宫镇人民政府" in cells and "大涌镇" in cells
    assert "人工复核（本机用户" in cells and "只有标题，没有内容" in cells   # the review marked in the sheet

    letter = client.get(f"/reports/{report_id}/letter.docx")
    assert letter.status_code == 200
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(letter.content)).paragraphs)
    assert "乌苏市皇宫镇人民政府" in text and "请按要求补充法律顾问工作情况。" in text
    assert "只有标题，没有内容" not in text and "人工复核" not in text   # a reviewer's reason stays in the office
    assert "003_88711d32bb28d44b.txt" not in text   # the letter names the body and the title, never a file

    review = client.get(f"/reports/{report_id}/review.docx")
    assert review.status_code == 200
    assert docx.Document(io.BytesIO(review.content)).paragraphs

    printable = client.get(f"/batches/{batch_id}/print")
    assert printable.status_code == 200 and "乌苏市皇宫镇人民政府" in printable.text and "@page" in printable.text

    labels = client.get(f"/batches/{batch_id}/labels.tsv")
    assert labels.status_code == 200
    summary = [ln for ln in labels.text.splitlines() if ln.startswith("#")]   # what the reviews say per rule
    assert summary[0].startswith("# 本批次人工复核对各规则的结论")
    assert any(ln.startswith("# legal-advisor\t") for ln in summary)
    path = REPO / ".pytest_cache" / "workbench-labels.tsv"
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(labels.content)
    read = {(label.file, label.rule): label.expected for label in read_labels(path)}
    assert read[(SAMPLES[3].name, "legal-advisor")] == "not-met"
    assert any(file == SAMPLES[1].name and expected == "met" for (file, _rule), expected in read.items())


def test_unreadable_report_has_no_letter(client, batch):
    _batch_id, rows = batch
    assert client.get(f"/reports/{rows['坏文件.pdf']}/letter.docx").status_code == 404


def test_upload_of_a_zip_and_a_chosen_profile(client):
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        for p in SAMPLES[:2]:
            z.writestr(f"乡镇/{p.name}", p.read_bytes())
        z.writestr("../越界.txt", "zip slip")
    response = _upload(client, "压缩包批次", [("reports.zip", archive.getvalue())], profile="township")
    assert response.status_code == 303
    batch_id = int(response.headers["location"].rsplit("/", 1)[1])
    assert _wait(client, batch_id)["done"] == 2
    with TestClient(create_app(client.app.state.store.data_dir, options=OPTIONS)) as restarted:
        page = restarted.get(f"/batches/{batch_id}").text
        assert "未接收的文件" in page and "越界.txt" in page   # kept with the batch, not in memory
    with Store(client.app.state.store.data_dir).session() as s:
        assert s.get(Batch, batch_id).profile == "township"
        assert all(r.data["profile"] == "township" for r in s.scalars(select(ReportRow).where(ReportRow.batch_id == batch_id)))


def test_upload_without_a_name_or_files_is_refused_in_chinese(client):
    no_name = _upload(client, "", [(SAMPLES[0].name, SAMPLES[0].read_bytes())])
    assert no_name.status_code == 400 and "请填写批次名称。" in no_name.text
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("../../etc/报告.txt", "逃出解压目录")
    nothing = _upload(client, "空批次", [("报告.zip", archive.getvalue())])
    assert nothing.status_code == 400 and "没有可接收的报告文件。" in nothing.text
    assert "未接收的文件" in nothing.text and "报告.txt" in nothing.text


def test_a_batch_interrupted_by_a_restart_resumes(tmp_path):
    store = Store(tmp_path)
    app = create_app(tmp_path, options=OPTIONS)   # never started: its worker audits nothing
    with store.session() as s:
        b = Batch(name="中断的批次", profile="auto")
        s.add(b)
        s.flush()
        from auditor.web import files
        for i, p in enumerate(SAMPLES[:3]):
            digest, size = files.save(tmp_path, p.name, p.read_bytes())
            s.add(File(batch_id=b.id, position=i, hash=digest, size=size, original_name=p.name,
                       state=RUNNING if i == 0 else WAITING, round=1))   # the first was being audited
        batch_id = b.id
    del app
    with TestClient(create_app(tmp_path, options=OPTIONS)) as client:
        page = client.get(f"/batches/{batch_id}").text
        assert "尚待审核的文件" in page or "已审核 3 / 3 个文件" in page
        assert _wait(client, batch_id) == {"done": 3, "total": 3, "complete": True}
    with store.session() as s:
        assert {f.state for f in s.scalars(select(File))} == {DONE}
        assert len(s.scalars(select(ReportRow)).all()) == 3


def test_delete_a_batch(tmp_path):
    with TestClient(create_app(tmp_path, options=OPTIONS)) as client:
        response = _upload(client, "要删除的批次", [(SAMPLES[4].name, SAMPLES[4].read_bytes())])
        batch_id = int(response.headers["location"].rsplit("/", 1)[1])
        _wait(client, batch_id)
        page = client.get(f"/batches/{batch_id}").text
        assert "确定删除本批次" in page
        gone = client.post(f"/batches/{batch_id}/delete", data={"csrf_token": _token(client)}, follow_redirects=False)
        assert gone.status_code == 303
        assert client.get(f"/batches/{batch_id}").status_code == 404
        assert not [p for p in (tmp_path / "files").rglob("*") if p.is_file()]


def test_backup_is_a_consistent_copy_that_opens(data_dir, batch, tmp_path):
    dest = tmp_path / "backup"
    result = run_cli("backup", str(dest), "--data", str(data_dir))
    assert result.code == 0, result.stderr
    assert "已备份到" in result.stdout
    with Store(dest).session() as s:
        assert s.scalars(select(Batch)).first().name == "2024年度各乡镇报告"
        assert len(s.scalars(select(ReportRow)).all()) >= 7
    assert len([p for p in (dest / "files").rglob("*") if p.is_file()]) >= 7
    again = run_cli("backup", str(dest), "--data", str(data_dir))
    assert again.code == 2 and "不为空" in again.stderr


def test_serve_refuses_a_network_address_without_accounts(tmp_path):
    result = run_cli("serve", "--host", "0.0.0.0", "--data", str(tmp_path))
    assert result.code == 2 and result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1 and "auditor user add" in result.stderr


def _report_ids(data_dir: Path, batch_id: int) -> dict[str, int]:
    with Store(data_dir).session() as s:
        return {r.file.original_name: r.id for r in s.scalars(select(ReportRow).where(ReportRow.batch_id == batch_id))}


def test_year_over_year_by_body_by_hand_and_a_second_round(tmp_path):
    with TestClient(create_app(tmp_path, options=OPTIONS)) as client:
        first = _upload(client, "2023年度", [(p.name, p.read_bytes()) for p in SAMPLES[:2]])
        first_id = int(first.headers["location"].rsplit("/", 1)[1])
        _wait(client, first_id)
        then = _report_ids(tmp_path, first_id)
        token = _token(client)
        # last year a person found legal-advisor missing in the first sample; this year's same text meets it
        client.post(f"/reports/{then[SAMPLES[0].name]}/review", data={
            "rule": "legal-advisor", "status": "missing", "reason": "去年未写", "csrf_token": token})
        second = client.post("/batches", data={"name": "2024年度", "profile": "auto", "earlier": str(first_id),
                                               "csrf_token": token},
                             files=[("files", (p.name, p.read_bytes(), "text/plain")) for p in (SAMPLES[0], SAMPLES[2])],
                             follow_redirects=False)
        second_id = int(second.headers["location"].rsplit("/", 1)[1])
        _wait(client, second_id)
        now = _report_ids(tmp_path, second_id)
        assert "对比批次" in client.get(f"/batches/{second_id}").text

        page = client.get(f"/reports/{now[SAMPLES[0].name]}").text
        compared = page.split('id="compare"')[1].split('id="letter"')[0]
        assert "以前批次中同一主体的报告" in compared and f"/reports/{then[SAMPLES[0].name]}" in compared
        fixed = compared.split("已整改的缺项")[1].split("</tr>")[0]
        assert "法律顾问" in fixed
        assert "与前一份报告相同的句子占 100%" in compared

        other = client.get(f"/reports/{now[SAMPLES[2].name]}").text
        assert "尚未关联前一份报告。" in other and "手工关联前一份报告" in other
        linked = client.post(f"/reports/{now[SAMPLES[2].name]}/link", follow_redirects=False, data={
            "earlier": str(then[SAMPLES[1].name]), "csrf_token": token})
        assert linked.status_code == 303
        assert client.post(f"/reports/{now[SAMPLES[2].name]}/link", data={
            "earlier": "abc", "csrf_token": token}).status_code == 404
        other = client.get(f"/reports/{now[SAMPLES[2].name]}").text.split('id="compare"')[1]
        assert "人工关联" in other and f"/reports/{then[SAMPLES[1].name]}" in other

        revised = client.post(f"/reports/{now[SAMPLES[0].name]}/revision", follow_redirects=False,
                              data={"csrf_token": token},
                              files=[("file", ("修改稿.txt", SAMPLES[3].read_bytes(), "text/plain"))])
        assert revised.status_code == 303
        _wait(client, second_id)
        matrix = client.get(f"/batches/{second_id}").text
        assert "第2轮" in matrix and f'/reports/{now[SAMPLES[0].name]}"' not in matrix   # the latest round shown
        round_two = _report_ids(tmp_path, second_id)["修改稿.txt"]
        page = client.get(f"/reports/{round_two}").text.split('id="compare"')[1]
        assert "本报告的上一轮" in page and f"/reports/{now[SAMPLES[0].name]}" in page


def test_a_database_of_the_first_version_opens_migrated(tmp_path):
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine, text

    from auditor.web.store import MIGRATIONS
    engine = create_engine(f"sqlite:///{tmp_path / 'auditor.sqlite3'}")
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
        connection.execute(text("INSERT INTO batches (name, profile, created_at) VALUES ('旧批次', 'auto', '2025-03-01')"))
    engine.dispose()
    store = Store(tmp_path)
    with store.session() as s:
        assert s.scalars(select(Batch)).one().name == "旧批次"
        assert s.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0008"
        assert s.execute(text("SELECT count(*) FROM report_links")).scalar() == 0


def test_copied_reports_within_a_batch_and_a_batch_audited_again(tmp_path):
    original = SAMPLES[0].read_bytes()
    copy = original + "\n（龙头庵乡照抄）\n".encode()
    assert copy != original
    with TestClient(create_app(tmp_path, options=OPTIONS)) as client:
        response = _upload(client, "雷同", [(SAMPLES[0].name, original), ("龙头庵乡.txt", copy),
                                            (SAMPLES[3].name, SAMPLES[3].read_bytes())])
        batch_id = int(response.headers["location"].rsplit("/", 1)[1])
        _wait(client, batch_id)
        page = client.get(f"/batches/{batch_id}/copies").text
        assert "大部分文字相同的报告" in page and "龙头庵乡.txt" in page and SAMPLES[0].name in page
        assert SAMPLES[3].name not in page   # a report of its own is in no pair
        assert re.search(r"重复比例 (9\d|100)%", page)

        ids = _report_ids(tmp_path, batch_id)
        report_id = ids[SAMPLES[3].name]
        with Store(tmp_path).session() as s:   # reviewed when the machine's verdict was another than now
            met = next(x["rule"] for x in s.get(ReportRow, report_id).data["results"] if x["status"] == "met")
            s.add(Review(report_id=report_id, rule=met, machine_status="missing", human_status="met",
                         reason="旧规则漏判", user="张三"))
        again = client.post(f"/batches/{batch_id}/reaudit", data={"csrf_token": _token(client)},
                            follow_redirects=False)
        assert again.status_code == 303
        _wait(client, batch_id)
        assert _report_ids(tmp_path, batch_id) == ids   # the same rows: reviews stay attached
        row = client.get(f"/reports/{report_id}").text.split(f'id="rule-{met}"')[1].split("</tr>")[0]
        assert "已人工复核" in row and "复核后机器结论已变化（复核时为：缺失）" in row and "张三" in row


def test_two_supervisors_uploading_at_once_both_get_complete_batches(tmp_path):
    import threading
    with TestClient(create_app(tmp_path, options=OPTIONS)) as client:
        token = _token(client)
        results: dict[str, int] = {}

        def send(name: str, samples: list[Path]):
            response = client.post("/batches", data={"name": name, "profile": "auto", "csrf_token": token},
                                   files=[("files", (p.name, p.read_bytes(), "text/plain")) for p in samples],
                                   follow_redirects=False)
            assert response.status_code == 303, (response.status_code, response.text[-600:])
            results[name] = int(response.headers["location"].rsplit("/", 1)[1])

        threads = [threading.Thread(target=send, args=("甲", SAMPLES)), threading.Thread(target=send, args=("乙", SAMPLES[1:4]))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert _wait(client, results["甲"])["done"] == 5 and _wait(client, results["乙"])["done"] == 3
    with Store(tmp_path).session() as s:
        for name, n in (("甲", 5), ("乙", 3)):
            assert len(s.scalars(select(ReportRow).where(ReportRow.batch_id == results[name])).all()) == n


def test_the_letter_is_signed_by_the_office_of_the_settings(data_dir, batch):
    import docx
    _batch_id, rows = batch
    with TestClient(create_app(data_dir, options=OPTIONS, office="测试区司法局")) as client:
        letter = client.get(f"/reports/{rows[SAMPLES[0].name]}/letter.docx")
    assert "测试区司法局" in "\n".join(p.text for p in docx.Document(io.BytesIO(letter.content)).paragraphs)


def test_an_internal_error_is_a_chinese_page_not_a_traceback(tmp_path, monkeypatch):
    from fastapi.testclient import TestClient

    from auditor.web import app as web_app
    application = web_app.create_app(tmp_path / "data")

    @application.get("/boom")
    def boom():
        raise RuntimeError("a bug")
    client = TestClient(application, raise_server_exceptions=False)
    r = client.get("/boom")
    assert r.status_code == 500 and "出错了" in r.text and "Traceback" not in r.text and "a bug" not in r.text
