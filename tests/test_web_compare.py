"""Comparisons that say what changed (issue 23): a revised round's page lists the sentences added and removed
and the share of its sentences the earlier round has too (never "100% repeated" after a paragraph was added);
the copies page names each side's batch and round and links each side's own report, also where last year's
report was handed in again byte for byte."""
from __future__ import annotations

import re
import time

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from auditor.settings import Options
from auditor.web.app import create_app
from auditor.web.store import File, ReportRow, Store

from .conftest import REPO, REPORTS

SAMPLES = sorted(REPORTS.glob("*.txt"))
OPTIONS = Options(rules_dir=str(REPO / "rules"))
ADDED = [f"我镇新增{x}项工作，组织专题培训，建立工作台账，逐项明确责任人和完成时限。"
         for x in "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥天地人"]   # 25 new sentences


def _token(client: TestClient) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get("/").text).group(1)


def _wait(client: TestClient, batch_id: int) -> None:
    deadline = time.monotonic() + 90
    while not client.get(f"/batches/{batch_id}/progress").json()["complete"]:
        assert time.monotonic() < deadline
        time.sleep(0.2)


def _upload(client: TestClient, name: str, files: list[tuple[str, bytes]], earlier: int | None = None) -> int:
    data = {"name": name, "profile": "auto", "csrf_token": _token(client), **({"earlier": str(earlier)} if earlier
                                                                              else {})}
    response = client.post("/batches", data=data, follow_redirects=False,
                           files=[("files", (n, b, "text/plain")) for n, b in files])
    batch_id = int(response.headers["location"].rsplit("/", 1)[1])
    _wait(client, batch_id)
    return batch_id


def _reports(data, batch_id: int) -> dict[str, int]:
    with Store(data).session() as s:
        return {r.file.original_name: r.id for r in s.scalars(select(ReportRow).where(ReportRow.batch_id == batch_id))}


@pytest.fixture(scope="module")
def season(tmp_path_factory):
    """Last year's batch of three samples; this year's, linked to it, holding the first of them again byte for
    byte (handed in again) and two others; a revised round of one of this year's with one sentence removed and
    25 added."""
    data = tmp_path_factory.mktemp("compare")
    with TestClient(create_app(data, options=OPTIONS)) as client:
        then = _upload(client, "2023年度", [(p.name, p.read_bytes()) for p in SAMPLES[:3]])
        now = _upload(client, "2024年度", [("东溪镇.txt", SAMPLES[0].read_bytes())]
                      + [(p.name, p.read_bytes()) for p in SAMPLES[3:]], earlier=then)
        first = _reports(data, now)[SAMPLES[3].name]
        lines = SAMPLES[3].read_text(encoding="utf-8").split("\n")
        removed = next(line for line in lines if line.startswith("（二）强化组织领导"))
        lines.remove(removed)
        revised = "\n".join(lines + ADDED).encode()
        response = client.post(f"/reports/{first}/revision", follow_redirects=False, data={"csrf_token": _token(client)},
                               files=[("file", ("皇宫镇修改稿.txt", revised, "text/plain"))])
        assert response.status_code == 303
        _wait(client, now)
    return data, then, now, first, removed


def test_a_revised_round_lists_the_sentences_added_and_removed(season):
    data, _then, now, first, removed = season
    second = _reports(data, now)["皇宫镇修改稿.txt"]
    with TestClient(create_app(data, options=OPTIONS)) as client:
        page = client.get(f"/reports/{second}").text.split('id="compare"')[1].split('id="state"')[0]
    assert "本报告的上一轮" in page and f"/reports/{first}" in page
    share = int(re.search(r"与前一份报告相同的句子占 (\d+)%", page).group(1))
    assert 50 < share < 100 and "重复的句子占" not in page
    added = page.split("新增的句子（25句）")[1].split("</ul>")[0]
    assert [q for q in ADDED[:20] if q in added] == ADDED[:20] and ADDED[20] not in added   # 20 listed, in order
    assert "另有 5 句未列出" in added
    gone = page.split("删去的句子（")[1].split("</ul>")[0]
    assert removed.split("。")[0] in gone and not any(q in gone for q in ADDED)


def test_a_round_unchanged_but_for_a_short_line_says_nothing_was_added(season):
    data, then, _now, _first, _removed = season
    with TestClient(create_app(data, options=OPTIONS)) as client:
        again = _upload(client, "2024年度补报", [(SAMPLES[1].name, SAMPLES[1].read_bytes() + "\n（2024年）\n".encode())],
                        earlier=then)
        page = client.get(f"/reports/{_reports(data, again)[SAMPLES[1].name]}").text.split('id="compare"')[1]
    assert "与前一份报告相同的句子占 100%" in page.split('id="state"')[0]
    assert "没有新增或删去的句子" in page and "新增的句子（" not in page


def test_copies_across_batches_name_each_sides_batch_and_round_and_link_its_own_report(season):
    data, then, now, first, _removed = season
    last_year, this_year = _reports(data, then), _reports(data, now)
    with TestClient(create_app(data, options=OPTIONS)) as client:
        page = client.get(f"/batches/{now}/copies").text
    pairs = page.split('<div class="pair">')[1:]
    handed_again = next(p for p in pairs if f'/reports/{this_year["东溪镇.txt"]}"' in p)
    head = handed_again.split("</p>")[0]
    assert f'/reports/{last_year[SAMPLES[0].name]}"' in head   # the other side: last year's own report
    sides = re.findall(r'<small class="side">([^<]+)</small>', head)
    assert sides[0].startswith("2024年度 · 第1轮") and sides[1].startswith("2023年度 · 第1轮")
    assert "100%" in head
    revision = next(p for p in pairs if "皇宫镇修改稿.txt" in p)   # a round and its revision: both rounds named
    assert "第2轮" in revision and "第1轮" in revision and f'/reports/{first}"' in revision


def test_changes_lists_new_and_dropped_sentences_in_order_and_counts_a_changed_number_as_the_same(tmp_path):
    from auditor import similar
    then = ["我镇全面落实党政主要负责人履行推进法治建设第一责任人职责。", "全年开展法治宣传活动12场，覆盖群众3000人次。",
            "建立重大行政决策合法性审查机制，审查文件5件。"]
    now = [then[0], "全年开展法治宣传活动15场，覆盖群众4000人次。", ADDED[0], ADDED[1]]
    (tmp_path / "then.txt").write_text("\n".join(then), encoding="utf-8")
    (tmp_path / "now.txt").write_text("\n".join(now), encoding="utf-8")
    found = similar.changes(similar.load_text(tmp_path / "now.txt"), similar.load_text(tmp_path / "then.txt"))
    assert found.added == [(3, ADDED[0]), (4, ADDED[1])]
    assert found.removed == [(3, then[2])]
    assert found.same == 0.5
