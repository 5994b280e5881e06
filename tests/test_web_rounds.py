"""A revised report (round 2) inherits the reviews whose reading still stands (issue 23): a verdict a person
overturned on round 1 stays overturned on round 2 where the machine reads the rule as before, and is dropped,
and said so, where the revision changed what the machine reads."""
from __future__ import annotations

import re

from fastapi.testclient import TestClient

from auditor.web.app import create_app

from .test_web import OPTIONS, SAMPLES, _report_ids, _seen, _token, _upload, _wait

ADDED = "\n我镇积极参与法治政府建设示范创建活动，申报创建省级法治政府建设示范项目。\n".encode()


def _status_cell(page: str, rule: str) -> str:
    return page.split(f'id="rule-{rule}"')[1].split("</td>", 2)[1]


def test_a_revision_carries_the_reviews_that_still_stand_and_drops_the_others(tmp_path):
    original = SAMPLES[0].read_bytes()
    with TestClient(create_app(tmp_path, options=OPTIONS)) as client:
        batch_id = int(_upload(client, "两轮", [("船溪乡.txt", original)]).headers["location"].rsplit("/", 1)[1])
        _wait(client, batch_id)
        first = _report_ids(tmp_path, batch_id)["船溪乡.txt"]
        page = client.get(f"/reports/{first}").text
        assert "✗ 缺失" in _status_cell(page, "demonstration-creation")
        assert "✗ 缺失" in _status_cell(page, "business-environment")
        for rule, reason in (("business-environment", "第二部分写了优化营商环境"),
                             ("demonstration-creation", "另有示范创建材料")):
            saved = client.post(f"/reports/{first}/review", follow_redirects=False, data={
                "rule": rule, "status": "met", "reason": reason, "seen": _seen(page, rule),
                "csrf_token": _token(client)})
            assert saved.status_code == 303
        revised = client.post(f"/reports/{first}/revision", follow_redirects=False, data={"csrf_token": _token(client)},
                              files=[("file", ("船溪乡修改稿.txt", original + ADDED, "text/plain"))])
        assert revised.status_code == 303
        _wait(client, batch_id)
        second = _report_ids(tmp_path, batch_id)["船溪乡修改稿.txt"]
        page = client.get(f"/reports/{second}").text
        kept = _status_cell(page, "business-environment")   # the machine still reads it missing: the review stands
        assert "满足" in kept and "已人工复核" in kept and "沿用第1轮的人工复核" in kept
        compare = page.split('id="compare"')[1]
        new_gaps = re.search(r"<th>新出现的缺项</th><td>(.*?)</td>", compare).group(1)
        assert "营商环境" not in new_gaps
        # the revision added the demonstration sentence: the machine reads it met now, the old review is dropped
        assert "沿用" not in _status_cell(page, "demonstration-creation")
        assert "以下上一轮的人工复核未沿用" in compare and "另有示范创建材料" not in compare
        assert re.search(r"示范创建：缺失 → 满足（本机用户，第1轮）；本轮机器结论为满足", compare)
        matrix = client.get(f"/batches/{batch_id}").text
        assert re.search(rf'/reports/{second}#rule-business-environment">✓\*</a>', matrix)
        labels = client.get(f"/batches/{batch_id}/labels.tsv").text   # a carried review is no label of round 2
        rows = [ln.split("\t")[:2] for ln in labels.splitlines() if ln and not ln.startswith("#")][1:]
        assert ["船溪乡.txt", "business-environment"] in rows
        assert ["船溪乡修改稿.txt", "business-environment"] not in rows


def test_where_a_report_stands_who_handles_it_and_a_revision_marks_its_round_rectified(tmp_path):
    from sqlalchemy import select

    from auditor.web.store import Activity, Store
    original = SAMPLES[3].read_bytes()
    with TestClient(create_app(tmp_path, options=OPTIONS)) as client:
        batch_id = int(_upload(client, "状态", [("皇宫镇.txt", original)]).headers["location"].rsplit("/", 1)[1])
        _wait(client, batch_id)
        first = _report_ids(tmp_path, batch_id)["皇宫镇.txt"]
        assert "待审" in client.get(f"/batches/{batch_id}").text.split('class="matrix"')[1]
        returned = client.post(f"/reports/{first}/state", follow_redirects=False, data={
            "state": "returned", "assignee": "李四", "note": "缺第一责任人部分", "csrf_token": _token(client)})
        assert returned.status_code == 303
        page = client.get(f"/reports/{first}").text.split('id="state"')[1]
        assert "已退回整改" in page and "李四" in page and "缺第一责任人部分" in page
        matrix = client.get(f"/batches/{batch_id}").text.split('class="matrix"')[1]
        assert "已退回整改" in matrix and "李四" in matrix and "必须整改 1 项" in matrix
        bad = client.post(f"/reports/{first}/state", data={"state": "great", "csrf_token": _token(client)})
        assert bad.status_code == 400
        client.post(f"/reports/{first}/revision", data={"csrf_token": _token(client)},
                    files=[("file", ("皇宫镇修改稿.txt", original + "\n（修改稿）\n".encode(), "text/plain"))])
        _wait(client, batch_id)
        page = client.get(f"/reports/{first}").text.split('id="state"')[1]
        assert "<strong>已整改</strong>" in page and "皇宫镇修改稿.txt" in page
    with Store(tmp_path).session() as s:
        acts = [a.action for a in s.scalars(select(Activity).order_by(Activity.id))]
        assert "state-changed" in acts and "revision-uploaded" in acts
