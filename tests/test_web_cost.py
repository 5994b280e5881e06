"""Pages that cost what they show (issue 22 #15): the batch page scores reviewed reports from their statuses,
not by decoding the stored Report; copies and shared text come from the data folder's index, not the files;
the reports offered for a link by hand put the ones whose text shares a MinHash band first."""
from __future__ import annotations

import re
import shutil
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from auditor import similar
from auditor.settings import Options, pipeline as pipeline_for
from auditor.web import compare
from auditor.web.app import create_app
from auditor.web.reports import latest_reviews, rated, restore
from auditor.web.store import File, ReportRow, Review, Store

from .conftest import REPO, REPORTS

SAMPLES = sorted(REPORTS.glob("*.txt"))
OPTIONS = Options(rules_dir=str(REPO / "rules"))


def _upload(client: TestClient, name: str, files: list[tuple[str, bytes]], earlier: int | None = None) -> int:
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/").text).group(1)
    data = {"name": name, "profile": "auto", "csrf_token": token, **({"earlier": str(earlier)} if earlier else {})}
    response = client.post("/batches", data=data, follow_redirects=False,
                           files=[("files", (n, b, "text/plain")) for n, b in files])
    batch_id = int(response.headers["location"].rsplit("/", 1)[1])
    deadline = time.monotonic() + 90
    while not client.get(f"/batches/{batch_id}/progress").json()["complete"]:
        assert time.monotonic() < deadline
        time.sleep(0.2)
    return batch_id


@pytest.fixture(scope="module")
def workbench(tmp_path_factory):
    """Last year's batch of the five samples, and this year's (each sample with a line added) linked to it."""
    data = tmp_path_factory.mktemp("cost")
    with TestClient(create_app(data, options=OPTIONS)) as client:
        then = _upload(client, "2023年度", [(p.name, p.read_bytes()) for p in SAMPLES])
        now = _upload(client, "2024年度", [(p.name, p.read_bytes() + "\n（2024年）\n".encode()) for p in SAMPLES],
                      earlier=then)
    with Store(data).session() as s:
        ids = {b: {r.file.original_name: r.id for r in s.scalars(select(ReportRow).where(ReportRow.batch_id == b))}
               for b in (then, now)}
    return data, then, now, ids


def _reviews(row: ReportRow, rules: list[str], status: str) -> list[Review]:
    at = datetime(2025, 1, 1)
    return [Review(id=k, report_id=row.id, rule=rule, machine_status=row.statuses[rule], human_status=status,
                   reason="复核", user="审核员", created_at=at + timedelta(minutes=k)) for k, rule in enumerate(rules)]


@pytest.mark.parametrize("status", ["met", "missing", "partial", "not-applicable"])
def test_the_score_from_statuses_equals_the_restored_score(workbench, status):
    data, then, _now, ids = workbench
    pipeline = pipeline_for(OPTIONS)
    with Store(data).session() as s:
        for row in s.scalars(select(ReportRow).where(ReportRow.batch_id == then)):
            for chosen in (list(row.statuses)[:3], list(row.statuses)[-2:]):
                reviews = _reviews(row, chosen, status)
                expected = restore(row, reviews, pipeline).report.rating
                assert rated(row.statuses, latest_reviews(reviews), row.data["profile"], pipeline) == expected


def test_the_batch_page_scores_a_reviewed_report_as_the_restored_report(workbench):
    data, then, _now, ids = workbench
    report_id = ids[then][SAMPLES[1].name]
    with Store(data).session() as s:
        row = s.get(ReportRow, report_id)
        gaps = [rule for rule, st in row.statuses.items() if st != "met"][:2]
        for review in _reviews(row, gaps, "met"):
            review.id = None
            s.add(review)
    with Store(data).session() as s:
        row = s.get(ReportRow, report_id)
        reviews = list(s.scalars(select(Review).where(Review.report_id == report_id)))
        expected = restore(row, reviews, pipeline_for(OPTIONS)).report.rating
    assert expected.points > row.points   # the reviews changed the score
    with TestClient(create_app(data, options=OPTIONS)) as client:
        page = client.get(f"/batches/{then}?sort=order").text
    line = page.split(f'<a href="/reports/{report_id}"')[1]
    shown = re.search(r'<td class="score">([\d.]+)/([\d.]+)</td>', line).groups()
    assert tuple(float(x) for x in shown) == (expected.points, expected.max)
    assert f'/reports/{report_id}#rule-{gaps[0]}">✓*</a>' in line


def test_candidates_through_the_index_offer_last_years_same_body_report_first(workbench):
    data, then, now, ids = workbench
    with Store(data).session() as s:
        for sample in SAMPLES:
            row = s.get(ReportRow, ids[now][sample.name])
            offered = compare.candidates(s, row, data)
            assert offered[0][0] == ids[then][sample.name]   # its own text a year before, whatever its name
            assert {rid for rid, _batch, _label in offered} == set(ids[then].values())
            assert offered[0][1] == "2023年度"
            assert [rid for rid, _b, _l in compare.candidates(s, row)] == sorted(ids[then].values())


def test_copies_and_shared_text_are_read_from_the_index_not_the_files(workbench, tmp_path):
    data, then, now, ids = workbench
    with TestClient(create_app(data, options=OPTIONS)) as client:
        copies = client.get(f"/batches/{now}/copies").text
        report = client.get(f"/reports/{ids[now][SAMPLES[0].name]}").text.split('id="compare"')[1]
    assert all(p.name in copies for p in SAMPLES) and "与前一份报告相同的句子占 100%" in report
    assert len(list((data / compare.INDEX).rglob("*.bin"))) == 2 * len(SAMPLES)
    shutil.move(data / "files", tmp_path / "files")   # the pages must not need them any more
    try:
        compare._copies.cache_clear()
        compare._changes.cache_clear()
        compare._pages.clear()
        with TestClient(create_app(data, options=OPTIONS)) as client:
            assert client.get(f"/batches/{now}/copies").text == copies
            again = client.get(f"/reports/{ids[now][SAMPLES[0].name]}").text.split('id="compare"')[1]
        assert "与前一份报告相同的句子占 100%" in again
    finally:
        shutil.move(tmp_path / "files", data / "files")


def test_a_kept_text_reads_back_as_made_and_one_of_other_settings_is_made_again(workbench):
    data, then, _now, ids = workbench
    with Store(data).session() as s:
        f = s.scalars(select(File).where(File.batch_id == then)).first()
        digest, name = f.hash, f.original_name
    made = similar.load_text(Path(compare.file_store.path_for(data, digest, name)))
    kept = similar.undump(similar.dump(made), made.path)
    assert kept.sentences == made.sentences and (kept.hashes == made.hashes).all()
    assert (kept.signature == made.signature).all() and kept.path == made.path
    entry = compare._kept(data, digest, name)
    entry.write_bytes(entry.read_bytes().replace(b"similar1", b"similar0", 1))   # an older layout
    assert similar.undump(entry.read_bytes(), made.path) is None
    assert compare.index_file(data, digest, name).sentences == made.sentences
    assert similar.undump(entry.read_bytes(), made.path) is not None   # written again


def test_the_kept_matrix_is_shared_never_a_token_and_follows_every_change(workbench):
    data, _then, now, ids = workbench
    report_id = ids[now][SAMPLES[2].name]

    def matrix(page: str) -> str:
        return page.split('<table class="matrix">')[1].split("</table>")[0]

    def token(page: str) -> str:
        return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)

    with TestClient(create_app(data, options=OPTIONS)) as client:
        first = client.get(f"/batches/{now}").text
        client.cookies.clear()   # another person: another session
        second = client.get(f"/batches/{now}").text
        assert matrix(first) == matrix(second) and token(first) != token(second)
        assert token(first) not in second and "csrf" not in matrix(first)
        changed = client.post(f"/reports/{report_id}/state", follow_redirects=False,
                              data={"state": "returned", "csrf_token": token(second)})
        assert changed.status_code == 303
        row = matrix(client.get(f"/batches/{now}?sort=order").text).split(f'<a href="/reports/{report_id}"')[1]
        assert row.split("</tr>")[0].count("已退回整改") == 1
    with Store(data).session() as s:   # a review saved by another process: the next page shows it
        row = s.get(ReportRow, report_id)
        rule = next(r for r, st in row.statuses.items() if st == "met")
        s.add(Review(report_id=report_id, rule=rule, machine_status="met", human_status="missing",
                     reason="复核", user="审核员"))
    with TestClient(create_app(data, options=OPTIONS)) as client:
        page = client.get(f"/batches/{now}?sort=order").text
    assert f'/reports/{report_id}#rule-{rule}">✗*</a>' in page


def test_an_audit_again_gives_the_batch_a_new_version_even_when_no_score_changes(tmp_path):
    """The kept matrix is keyed by the batch's version: an audit again that changed statuses and no score must
    not be served the table from before it (the act that asked for it is part of the version)."""
    from auditor.web import versioned
    with TestClient(create_app(tmp_path, options=OPTIONS)) as client:
        batch_id = _upload(client, "再审", [(SAMPLES[0].name, SAMPLES[0].read_bytes())])
        with Store(tmp_path).session() as s:
            before = versioned.version(s, [batch_id])
        token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/").text).group(1)
        assert client.post(f"/batches/{batch_id}/reaudit", data={"csrf_token": token},
                           follow_redirects=False).status_code == 303
        deadline = time.monotonic() + 90
        while not client.get(f"/batches/{batch_id}/progress").json()["complete"]:
            assert time.monotonic() < deadline
            time.sleep(0.2)
        with Store(tmp_path).session() as s:
            after = versioned.version(s, [batch_id])
            points = s.scalars(select(ReportRow.points).where(ReportRow.batch_id == batch_id)).all()
    assert points and after[2][2] == before[2][2]   # the same rules, the same scores …
    assert after != before                          # … yet another version
