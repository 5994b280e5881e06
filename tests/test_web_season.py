"""The season of a batch in the workbench (issue 23): the roster and the deadline (8 bodies, one not reported, one
late, a report of a generic name linked by hand, a roster from an .xlsx), the leader's one-page summary (its
numbers, and one A4 page when Chromium prints 40 reports), and what the reviews teach per rule (for 管理员 only)."""
from __future__ import annotations

import io
import re
import shutil
import subprocess
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from auditor.model import COULD_IMPROVE, MUST_FIX
from auditor.web.app import create_app
from auditor.web.routes import records
from auditor.web.store import Activity, Batch, File, ReportRow, RosterEntry, Store

from .conftest import REPORTS
from .test_web import OPTIONS, _seen, _token, _upload, _wait

pytestmark = pytest.mark.usefixtures("chinese")   # pages and files as people read them

SAMPLE = {p.name[:3]: p for p in sorted(REPORTS.glob("*.txt"))}
TODAY = date.today()
DEADLINE = TODAY - timedelta(days=3)
ROSTER = ["船溪乡", "大涌镇", "龙门浩街道", "皇宫镇", "长坪乡", "潭湾镇", "修溪镇", "东溪镇"]


def _variant(town: str) -> bytes:
    """Sample 000 (辰溪县船溪乡, 2022) as another township's report."""
    return SAMPLE["000"].read_text(encoding="utf-8").replace("船溪鄉", town).encode()


def _generic() -> bytes:
    """Sample 000 naming its body only as 本乡 and 乡人民政府: a generic name the roster never guesses."""
    text = SAMPLE["000"].read_text(encoding="utf-8")
    return (text.replace("辰溪縣船溪鄉人民政府", "鄉人民政府").replace("信息來源:辰溪縣船溪鄉", "信息來源:本鄉")
            .replace("船溪鄉", "本鄉").encode())


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("season")


@pytest.fixture(scope="module")
def season(data_dir):
    """A batch of seven reports uploaded ten days ago (four samples, two townships, one generic name), and 大涌镇's
    report added today, after the deadline three days ago."""
    with TestClient(create_app(data_dir, options=OPTIONS)) as client:
        files = [(SAMPLE[k].name, SAMPLE[k].read_bytes()) for k in ("000", "002", "003", "004")]
        files += [("潭湾镇.txt", _variant("潭灣鎮")), ("修溪镇.txt", _variant("修溪鎮")), ("本乡.txt", _generic())]
        response = _upload(client, "2022年度乡镇报告", files)
        batch_id = int(response.headers["location"].rsplit("/", 1)[1])
        _wait(client, batch_id)
        with Store(data_dir).session() as s:   # handed in ten days ago (audited just now: received counts)
            for row in s.scalars(select(File).where(File.batch_id == batch_id)):
                row.created_at -= timedelta(days=10)
        late = client.post(f"/batches/{batch_id}/files", data={"csrf_token": _token(client)},
                           files=[("files", (SAMPLE["001"].name, SAMPLE["001"].read_bytes(), "text/plain"))],
                           follow_redirects=False)
        assert late.status_code == 303 and late.headers["location"] == f"/batches/{batch_id}/roster"
        assert _wait(client, batch_id) == {"done": 8, "total": 8, "complete": True}
    with Store(data_dir).session() as s:
        rows = {r.file.original_name: r.id for r in s.scalars(select(ReportRow).where(ReportRow.batch_id == batch_id))}
    return batch_id, rows


@pytest.fixture
def client(data_dir, season):
    with TestClient(create_app(data_dir, options=OPTIONS)) as c:
        yield c


def _summary(page: str) -> str:
    return re.search(r'<p class="summary" id="summary">(.*?)</p>', page, re.S).group(1)


def _line(page: str, body: str) -> str:
    row = next(r for r in page.split("<tr ")[1:] if f"<td>{body}</td>" in r)
    return row.split("</tr>")[0]


def _entry_id(page: str, body: str) -> str:
    return re.search(r'id="line-(\d+)"', _line(page, body)).group(1)


def _set_roster(client, batch_id: int, **kw):
    return client.post(f"/batches/{batch_id}/roster", data={"csrf_token": _token(client), **kw.pop("data", {})},
                       follow_redirects=False, **kw)


def test_the_roster_says_who_reported_in_time_late_or_not_and_a_generic_name_is_linked_by_hand(client, season,
                                                                                                data_dir):
    batch_id, rows = season
    empty = client.get(f"/batches/{batch_id}/roster").text
    assert "本批次尚无报送名单" in empty and "收到的报告 (8)" in empty

    token = _token(client)
    saved = client.post(f"/batches/{batch_id}/season", follow_redirects=False,
                        data={"deadline": DEADLINE.isoformat(), "season_year": "2022", "csrf_token": token})
    assert saved.status_code == 303
    typed = "\n".join(f"{i}. {name}" for i, name in enumerate(ROSTER, 1)) + "\n\n东溪镇\n"   # numbers, a repeat
    assert _set_roster(client, batch_id, data={"names": typed}).status_code == 303

    page = client.get(f"/batches/{batch_id}/roster").text
    assert _summary(page) == "应报送 8 个单位：按时报送 6 个，逾期报送 1 个，尚未报送 1 个"
    assert "逾期报送" in _line(page, "大涌镇") and TODAY.isoformat() in _line(page, "大涌镇")
    assert "大涌镇人民政府" in _line(page, "大涌镇")
    assert "未报送" in _line(page, "东溪镇")
    on_time = _line(page, "潭湾镇")
    assert "已报送" in on_time and "辰溪县潭湾镇人民政府" in on_time and (TODAY - timedelta(days=10)).isoformat() in on_time
    # the reports of 2023 (龙门浩街道, 皇宫镇) are listed as of another year; the generic name matches no line
    off_year = page.split("年度不是 2022 年的报告 (2)")[1].split("</ul>")[0]
    assert "龙门浩街道办事处" in off_year and "皇宫镇" in off_year
    unmatched = page.split("与名单中任何单位都对不上的报告 (1)")[1].split("</table>")[0]
    assert "乡人民政府" in unmatched and "本乡.txt" in unmatched
    assert 'value="2022"' in page and f'value="{DEADLINE.isoformat()}"' in page

    # the generic report linked by hand to 东溪镇's line: nobody is missing now
    generic = rows["本乡.txt"]
    linked = client.post(f"/batches/{batch_id}/roster/link", follow_redirects=False, data={
        "entry": _entry_id(page, "东溪镇"), "report": str(generic), "csrf_token": token})
    assert linked.status_code == 303
    page = client.get(f"/batches/{batch_id}/roster").text
    assert _summary(page) == "应报送 8 个单位：按时报送 7 个，逾期报送 1 个，尚未报送 0 个"
    assert "人工关联" in _line(page, "东溪镇") and f"/reports/{generic}" in _line(page, "东溪镇")
    assert "与名单中任何单位都对不上的报告" not in page

    # the roster saved again (as typed, the same bodies): the hand link stays
    assert _set_roster(client, batch_id, data={"names": "\n".join(ROSTER)}).status_code == 303
    page = client.get(f"/batches/{batch_id}/roster").text
    assert "人工关联" in _line(page, "东溪镇") and "尚未报送 0 个" in _summary(page)

    # a report of the batch that is not a report, or of another batch, is not linked; nor a line of another batch
    refused = client.post(f"/batches/{batch_id}/roster/link", data={
        "entry": _entry_id(page, "东溪镇"), "report": "999999", "csrf_token": token})
    assert refused.status_code == 404

    with Store(data_dir).session() as s:
        acts = [a.action for a in s.scalars(select(Activity).where(Activity.target == "batch",
                                                                   Activity.target_id == batch_id)
                                            .order_by(Activity.id))]
    assert acts[-5:] == ["files-added", "season-set", "roster-set", "roster-linked", "roster-set"]
    activity = client.get("/activity").text
    assert "保存了报送名单" in activity and "将名单中的单位与报告手工关联" in activity


def test_a_roster_uploaded_as_xlsx_and_bad_ones_refused_in_one_line(client, season):
    import openpyxl
    batch_id, _rows = season
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["2022年度法治政府建设年度报告报送名单"])
    sheet.append(["序号", "单位", "联系人"])
    for i, name in enumerate(ROSTER[:7], 1):
        sheet.append([i, name + ("人民政府" if i % 2 else ""), "张三"])
    sheet.append([8, "东溪镇人民政府", None])
    data = io.BytesIO()
    book.save(data)
    saved = _set_roster(client, batch_id, files={"file": ("2022名单.xlsx", data.getvalue(), "application/octet-stream")},
                        data={"names": "这里的文字被上传的文件替代"})
    assert saved.status_code == 303
    page = client.get(f"/batches/{batch_id}/roster").text
    assert page.count('<tr class="') == 8 and "<td>船溪乡人民政府</td>" in page and "<td>东溪镇人民政府</td>" in page
    assert "这里的文字" not in page
    assert "逾期报送 1 个" in _summary(page)
    assert "人工关联" in _line(page, "东溪镇人民政府")   # 东溪镇 and 东溪镇人民政府 name the same body: the link stays

    broken = _set_roster(client, batch_id, files={"file": ("名单.xlsx", b"not a workbook", "application/octet-stream")})
    assert broken.status_code == 400 and "无法读取报送名单 名单.xlsx" in broken.text and "/tmp" not in broken.text
    empty = _set_roster(client, batch_id, data={"names": "\n  \n"})
    assert empty.status_code == 400 and "名单中没有单位" in empty.text
    bad_date = client.post(f"/batches/{batch_id}/season", data={"deadline": "2025-02-30", "csrf_token": _token(client)})
    assert bad_date.status_code == 400 and "截止日期 2025-02-30 不是 2025-01-31 这样的日期" in bad_date.text
    assert client.get(f"/batches/{batch_id}/roster").text.count('<tr class="') == 8   # nothing changed
    _set_roster(client, batch_id, data={"names": "\n".join(ROSTER)})


def _tiers(data_dir, report_ids, pipeline_of):
    """Each report's must-fix and could-improve gaps as the report's own page computes them (its stored Report
    restored with the reviews in force): the numbers the leader's page must agree with."""
    out = {}
    with Store(data_dir).session() as s:
        for rid in report_ids:
            opened = records.report(s, rid, pipeline_of)
            tiers = [f.tier for f in opened.reviewed.report.findings]
            out[opened.row.body] = (tiers.count(MUST_FIX), tiers.count(COULD_IMPROVE))
    return out


def test_the_leaders_page_counts_the_tiers_with_reviews_in_force(client, season, data_dir):
    batch_id, rows = season
    pipeline_of = client.app.state.workbench.pipeline
    expected = _tiers(data_dir, rows.values(), pipeline_of)
    page = client.get(f"/batches/{batch_id}/leader").text
    assert "@page { size: A4" in page
    assert f"报告年度：2022　截止日期：{DEADLINE.isoformat()}　统计日期：{TODAY.isoformat()}" in page
    counts = re.search(r'<p id="roster-counts">(.*?)</p>', page).group(1)
    assert counts == "应报送 8 个单位：按时报送 7 个，逾期报送 1 个，尚未报送 0 个。"
    assert "逾期报送：大涌镇<" in page
    assert "年度不是 2022 年的报告：" in page

    def tier(name):
        return re.search(rf'id="tier-{name}">(\d+) / 8 份<', page).group(1)
    must = sum(1 for m, _c in expected.values() if m)
    could = sum(1 for m, c in expected.values() if not m and c)
    assert (int(tier("must")), int(tier("could")), int(tier("clean"))) == (must, could, 8 - must - could)

    behind = page.split('class="behind"')[1].split("</table>")[0]
    listed = re.findall(r'<a href="/reports/\d+">([^<]+)</a></td><td class="n">(\d+)</td><td class="n">(\d+)</td>',
                        behind)
    assert listed and len(listed) <= 8
    assert all(expected[b] == (int(m), int(c)) for b, m, c in listed)   # each as its own page counts it
    assert [(int(m), int(c)) for _b, m, c in listed] == sorted(
        [x for x in expected.values() if any(x)], key=lambda x: (-x[0], -x[1]))[:len(listed)]   # furthest first
    common = page.split('class="common"')[1].split("</table>")[0]
    top = [int(n) for n in re.findall(r'<td class="n">(\d+) / 8 份</td>', common)]
    assert top == sorted(top, reverse=True) and len(top) <= 8 and top[0] <= must

    # a reviewer overturns one must-fix gap: the leader's page counts the reviewed verdict
    body, _counts = max(expected.items(), key=lambda kv: kv[1])
    with Store(data_dir).session() as s:
        report_id = s.scalar(select(ReportRow.id).where(ReportRow.batch_id == batch_id, ReportRow.body == body))
        opened = records.report(s, report_id, pipeline_of)
        gap = next(f.rule.id for f in opened.reviewed.report.findings if f.tier == MUST_FIX)
    client.post(f"/reports/{report_id}/review", data={"rule": gap, "status": "met", "reason": "第二部分已写明",
                                                      "csrf_token": _token(client)})
    after = _tiers(data_dir, rows.values(), pipeline_of)
    assert after[body][0] == expected[body][0] - 1
    page = client.get(f"/batches/{batch_id}/leader").text
    behind = page.split('class="behind"')[1].split("</table>")[0]
    if body in behind:
        assert re.search(rf'{body}</a></td><td class="n">{after[body][0]}</td>', behind)


def test_what_the_reviews_teach_after_two_reviews(client, season, data_dir):
    batch_id, rows = season
    report_id = rows[SAMPLE["004"].name]
    with Store(data_dir).session() as s:
        statuses = s.get(ReportRow, report_id).statuses
    changed, confirmed = [rule for rule, status in statuses.items() if status == "missing"][:2]
    token = _token(client)
    assert client.post(f"/reports/{report_id}/review", follow_redirects=False, data={
        "rule": changed, "status": "met", "reason": "第三部分已写明", "csrf_token": token}).status_code == 303
    assert client.post(f"/reports/{report_id}/review", follow_redirects=False, data={
        "rule": confirmed, "confirm": "1", "csrf_token": token}).status_code == 303

    trust = client.get("/rules/trust")
    assert trust.status_code == 200 and "人工复核反映的各规则可信程度" in trust.text
    assert '<option value="2022" selected>2022</option>' in trust.text
    row = trust.text.split(f'id="trust-{changed}"')[1].split("</tr>")[0]
    assert re.search(r'class="total">1<.*class="confirmed">0<.*class="stricter">1<.*class="looser">0<', row, re.S)
    assert "缺失 → 满足 ×1" in row and "复核不足 3 次，尚难判断" in row
    row = trust.text.split(f'id="trust-{confirmed}"')[1].split("</tr>")[0]
    assert re.search(r'class="total">1<.*class="confirmed">1<.*class="stricter">0<', row, re.S)
    # the newest review of a report and rule counts, once: the change taken back, the machine was right after all
    seen = _seen(client.get(f"/reports/{report_id}").text, changed)
    assert client.post(f"/reports/{report_id}/review", follow_redirects=False, data={
        "rule": changed, "status": "missing", "reason": "再次核对，确实没有", "seen": seen,
        "csrf_token": token}).status_code == 303
    row = client.get("/rules/trust?year=2022").text.split(f'id="trust-{changed}"')[1].split("</tr>")[0]
    assert re.search(r'class="total">1<.*class="confirmed">1<.*class="stricter">0<', row, re.S)
    assert "尚无人工复核" in client.get("/rules/trust?year=2019").text


def test_trust_words_say_which_way_to_look():
    from collections import Counter

    from auditor.web.season import RuleTrust, direction
    assert [direction("missing", "met"), direction("met", "partial"), direction("missing", "partial"),
            direction("met", "met")] == ["stricter", "looser", "other", "confirmed"]
    assert RuleTrust("x", "x", Counter(confirmed=2), Counter()).verdict == "few"
    assert RuleTrust("x", "x", Counter(confirmed=9, stricter=1), Counter()).verdict == "trusted"
    assert RuleTrust("x", "x", Counter(confirmed=3, stricter=4), Counter()).verdict == "stricter"
    assert RuleTrust("x", "x", Counter(confirmed=3, looser=4, other=1), Counter()).verdict == "looser"
    assert RuleTrust("x", "x", Counter(confirmed=3, looser=2, stricter=2), Counter()).verdict == "mixed"


def test_a_reviewer_is_refused_the_trust_page(tmp_path, monkeypatch):
    from argon2 import PasswordHasher

    from auditor.web import security

    from .test_web_security import PASSWORD, log_in
    monkeypatch.setattr(security, "_hasher", lambda: PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    store = Store(tmp_path / "data")
    security.add_user(store, "张科长", PASSWORD)
    security.add_user(store, "王审核", PASSWORD)
    reviewer = TestClient(create_app(store.data_dir, require_login=True), raise_server_exceptions=False)
    assert log_in(reviewer, name="王审核").status_code == 303
    refused = reviewer.get("/rules/trust")
    assert refused.status_code == 403 and "只有管理员可以执行此操作" in refused.text
    admin = TestClient(create_app(store.data_dir, require_login=True), raise_server_exceptions=False)
    assert log_in(admin, name="张科长").status_code == 303
    assert admin.get("/rules/trust").status_code == 200


def test_a_batch_without_roster_or_deadline_and_unknown_batches(client, season):
    response = _upload(client, "无名单批次", [(SAMPLE["002"].name, SAMPLE["002"].read_bytes())])
    batch_id = int(response.headers["location"].rsplit("/", 1)[1])
    _wait(client, batch_id)
    page = client.get(f"/batches/{batch_id}/leader").text
    assert "共收到报告 1 份。" in page and "报告年度：2023　截止日期：未设" in page
    roster = client.get(f"/batches/{batch_id}/roster").text
    assert "本批次尚无报送名单" in roster and "2023 （按多数报告所写推定）" in roster
    for path in ("/batches/999999/roster", "/batches/999999/leader"):
        assert client.get(path).status_code == 404


# --- one A4 page for 40 reports -----------------------------------------------------------------------------------

def _forty(data_dir, pipeline) -> int:
    """A batch of 40 reports with long names and many gaps, all after the deadline, 5 of another year and 4 of no
    roster line, 60 roster lines (24 of them not reported): more than the leader's page has to hold."""
    rules = [r.id for r in pipeline.rules]
    with Store(data_dir).session() as s:
        batch = Batch(name="2024年度全市各区县及乡镇街道法治政府建设年度报告", deadline=TODAY - timedelta(days=1),
                      season_year=2024)
        s.add(batch)
        s.flush()
        for i in range(40):
            f = File(batch_id=batch.id, position=i, hash=f"{i:064x}", size=1, original_name=f"{i}.txt", state="done")
            s.add(f)
            s.flush()
            statuses = {rule: ("missing" if (i + j) % 3 else "met") for j, rule in enumerate(rules)}
            body = f"某某省某某市某某区第{i}街道办事处" if i < 36 else f"另一个省另一个市另一个区第{i}街道办事处"
            s.add(ReportRow(batch_id=batch.id, file_id=f.id, kind="report", body=body,
                            year=2024 if i % 8 else 2023, statuses=statuses, data={"profile": "township"}))
        for i in range(60):
            s.add(RosterEntry(batch_id=batch.id, position=i, body=f"某某区第{i}街道" if i < 40 else
                              f"某某省某某市某某县第{i}乡镇人民政府"))
        return batch.id


@pytest.mark.browser
def test_the_leaders_page_prints_on_one_a4_page_for_forty_reports(client, data_dir, tmp_path):
    from auditor.read import read_source
    chromium = shutil.which("chromium")
    batch_id = _forty(data_dir, client.app.state.workbench.pipeline("auto"))
    page = client.get(f"/batches/{batch_id}/leader").text
    assert "应报送 60 个单位：按时报送 0 个，逾期报送 36 个，尚未报送 24 个。" in page
    assert "40 / 40 份" in page   # every report has a must-fix gap
    from auditor.web.app import HERE
    html = tmp_path / "leader.html"   # as the browser has it: the workbench's stylesheet beside it
    html.write_text(page.replace('href="/static/app.css"', f'href="{(HERE / "static" / "app.css").as_uri()}"'),
                    encoding="utf-8")
    pdf = tmp_path / "leader.pdf"
    from .test_html import FLAGS
    subprocess.run([chromium, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", f"--print-to-pdf={pdf}",
                    html.as_uri()], check=True, capture_output=True, timeout=180)
    import pypdfium2
    document = pypdfium2.PdfDocument(str(pdf))
    width, height = document[0].get_size()
    assert len(document) == 1, f"{len(document)} pages"
    assert (round(width), round(height)) == (595, 842)   # A4 in points
    printed = "".join(read_source(pdf).text.split())
    assert "法治政府建设年度报告审核情况汇总" in printed and "差距最大的单位" in printed and "未报送" in printed
