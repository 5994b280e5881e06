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
