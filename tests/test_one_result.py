"""One result model, one codec, one verdict stage: the command line and the workbench give one report the same
dict; the codec reads back what it wrote; waivers, baseline and reviews are applied, and the score computed, in
one place; `diff` is the one comparison of statuses."""
from __future__ import annotations

import json
import re
import shutil
import time
from datetime import datetime
from types import SimpleNamespace

from fastapi.testclient import TestClient
from sqlalchemy import select

from auditor import codec, verdicts
from auditor.audit import audit_file, judge_file
from auditor.settings import Options
from auditor.status import Status
from auditor.web.app import create_app
from auditor.web.store import ReportRow, Store

from .conftest import REPO, REPORTS, run_cli

SAMPLE = sorted(REPORTS.glob("*.txt"))[2]
MARKED = "附件：某某镇2023年法治政府建设情况报告\n一、主要举措和成效\n聘请法律顾问2名，全年审核合同15份。\n二、存在的不足\n法治宣传教育针对性不强。\n"


def test_the_command_line_and_the_workbench_store_the_same_dict(tmp_path):
    folder = tmp_path / "cli"
    folder.mkdir()
    shutil.copy(SAMPLE, folder / "报告.txt")
    run = run_cli("audit", "报告.txt", "--format", "json", cwd=folder)
    assert run.code in (0, 1), run.stderr
    by_cli = json.loads(run.stdout)["reports"][0]

    data_dir = tmp_path / "web"
    with TestClient(create_app(data_dir, options=Options(rules_dir=str(REPO / "rules")))) as client:
        token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/").text).group(1)
        sent = client.post("/batches", data={"name": "同一份报告", "profile": "auto", "csrf_token": token},
                           files=[("files", ("报告.txt", SAMPLE.read_bytes(), "text/plain"))], follow_redirects=False)
        assert sent.status_code == 303
        batch_id = int(sent.headers["location"].rsplit("/", 1)[1])
        deadline = time.monotonic() + 90
        while not client.get(f"/batches/{batch_id}/progress").json()["complete"]:
            assert time.monotonic() < deadline, "not audited in 90 s"
            time.sleep(0.2)
    with Store(data_dir).session() as s:
        by_web = s.scalars(select(ReportRow).where(ReportRow.batch_id == batch_id)).one().data
    assert by_web["results"] and by_web["rating"]
    assert by_web == by_cli


def test_the_workbench_shows_no_control_sequence_of_a_report_it_stores_whole(tmp_path):
    """The store keeps what the report says (nothing lost); its pages escape what would steer a terminal or
    reorder the text (a bidi override, an escape sequence)."""
    text = SAMPLE.read_text(encoding="utf-8").replace("习近平", "习\u202e近平\x1b[31m")
    with TestClient(create_app(tmp_path / "web", options=Options(rules_dir=str(REPO / "rules")))) as client:
        token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/").text).group(1)
        sent = client.post("/batches", data={"name": "控制字符", "profile": "auto", "csrf_token": token},
                           files=[("files", ("r.txt", text.encode(), "text/plain"))], follow_redirects=False)
        batch = sent.headers["location"]
        deadline = time.monotonic() + 90
        while not client.get(f"{batch}/progress").json()["complete"]:
            assert time.monotonic() < deadline, "not audited in 90 s"
            time.sleep(0.2)
        page = client.get("/reports/1").text
    with Store(tmp_path / "web").session() as s:
        stored = json.dumps(s.scalars(select(ReportRow)).one().data, ensure_ascii=False)
    assert "\u202e" in stored   # (the escape character itself is dropped when the text is read)
    assert "\u202e" not in page and "\x1b" not in page and "\\u202e" in page


def test_the_codec_reads_back_what_it_wrote(matcher):
    report = audit_file(SAMPLE, matcher)
    data = codec.encode(report)
    again = codec.decode(json.loads(json.dumps(data)), matcher.checklist.rules_for(report.profile))
    assert codec.encode(again) == data
    assert [(f.rule.id, f.status) for f in again.findings] == [(f.rule.id, f.status) for f in report.findings]
    assert again.rating == report.rating and again.metadata == report.metadata


def test_evidence_carries_its_span_in_the_original(matcher, tmp_path):
    path = tmp_path / "marked.txt"
    path.write_text(MARKED, encoding="utf-8")
    report = audit_file(path, matcher)
    adviser = next(f for f in report.findings if f.rule.id == "legal-advisor")
    assert adviser.status is Status.MET
    start, end = adviser.evidence[0].span
    assert "法律顾问" in MARKED[start:end] and MARKED[start:end].strip() == adviser.evidence[0].quote


def test_a_rule_gone_since_the_audit_is_left_out_when_read_back(matcher):
    report = audit_file(SAMPLE, matcher)
    data = codec.encode(report)
    rules = {k: r for k, r in matcher.checklist.rules_for(report.profile).items() if k != "legal-advisor"}
    assert "legal-advisor" not in {f.rule.id for f in codec.decode(data, rules).findings}


def test_diff_is_one_comparison():
    now = {"a": Status.MET, "b": Status.MISSING, "c": Status.PARTIAL, "d": Status.WAIVED,
           "e": Status.NOT_APPLICABLE, "f": Status.MISSING}
    then = {"a": Status.MISSING, "b": Status.PARTIAL, "c": Status.MET, "d": Status.MISSING,
            "e": Status.MISSING, "f": Status.NOT_APPLICABLE}
    d = verdicts.diff(now, then)
    assert (d.fixed, d.still_open, sorted(d.new), d.accepted) == (["a"], ["b"], ["c", "f"], ["d"])


def test_settle_applies_a_baseline_and_a_review_then_rates_once(matcher):
    judged = judge_file(SAMPLE, matcher)
    assert judged.rating is None   # judged, not yet settled
    gaps = [f.rule.id for f in judged.findings if f.status.is_gap]
    met = next(f.rule.id for f in judged.findings if f.status is Status.MET)
    earlier = {gaps[0]: Status.MISSING, met: Status.MISSING}
    review = SimpleNamespace(rule=gaps[1], machine_status="missing", human_status="met", user="张三",
                             reason="见附件", created_at=datetime(2026, 3, 1))
    machine = verdicts.settle(judge_file(SAMPLE, matcher), matcher)
    report = verdicts.settle(judged, matcher, earlier=earlier, reviews={gaps[1]: review})
    by_id = {f.rule.id: f for f in report.findings}
    assert by_id[gaps[0]].baseline == "unchanged" and by_id[gaps[2]].baseline == "new"
    assert report.fixed == [met]
    assert by_id[gaps[1]].status is Status.MET and "张三" in by_id[gaps[1]].why
    assert report.rating.points > machine.rating.points   # the reviewed verdict counts in the score


def test_a_stored_explanation_is_said_again_in_the_readers_language(matcher, english):
    from auditor.explain import again
    said = again("related", {"phrases": ["合法性审查"], "message": "旧的说法"}, "未见合法性审查的表述", "只见相关表述…")
    assert said == "only related wording (合法性审查); 未见合法性审查的表述" and said.id == "related"
    assert again("related", {"wrong": 1}, "未见…", "只见相关表述（合法性审查）") == "只见相关表述（合法性审查）"
    assert again(None, None, "未见…", "（张三复核）") == "（张三复核）"


def test_a_pdfs_spans_hold_words_and_the_reviewed_copy_names_every_gap(matcher, tmp_path):
    """Hard-wrapped PDF lines: a span never starts or ends on a line break, so every gap is commented where it
    stands or named in the title's comment."""
    import zipfile

    from auditor.read import read_source
    from auditor.render.review_format import write

    from .conftest import DATA
    from .render import to_pdf
    pdf = tmp_path / "wrapped.pdf"
    to_pdf((DATA / "reports-hostile" / "024.txt").read_text(encoding="utf-8"), pdf, width_pt=460)
    report = audit_file(pdf, matcher)
    text = read_source(pdf).text
    spans = [e.span for f in report.findings for e in f.evidence]
    assert spans and all(not text[a].isspace() and not text[b - 1].isspace() for a, b in spans)
    (tmp_path / "out").mkdir()
    (written,) = write([report], matcher.rules, tmp_path / "out")
    with zipfile.ZipFile(written) as z:
        comments = z.read("word/comments.xml").decode("utf-8")
    assert all(f.rule.title in comments for f in report.findings if f.status.is_gap and f.evidence)
