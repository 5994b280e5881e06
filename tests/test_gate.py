"""Gating: waivers (reason required, expiry, stale ones reported) and a baseline (only new gaps fail)."""
from __future__ import annotations

import pytest

import json
import jsonschema

from .conftest import REPO, SHARED, run_cli

pytestmark = pytest.mark.usefixtures("english")   # these check the wording of messages, in English

SAMPLE = "reports/003_88711d32bb28d44b.txt"   # section-leader-duty (error) and section-other are missing

WAIVERS = """waivers:
  - path: "reports/003_*.txt"
    rule: section-leader-duty
    reason: 镇党委书记履职情况另行单独报送
  - path: "reports/*.txt"
    rule: section-other
    reason: 指引未要求乡镇写其他情况
    expires: 2999-12-31
  - path: "reports/999.txt"
    rule: title
    reason: 旧文件，已撤回
  - path: "reports/*"
    rule: deadline
    reason: 早已过期的豁免
    expires: 2020-01-01
"""


def test_waived_gaps_do_not_fail_and_stale_or_expired_waivers_are_reported(tmp_path):
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text(WAIVERS, encoding="utf-8")
    assert run_cli("audit", SAMPLE).code == 1
    r = run_cli("audit", SAMPLE, "--waivers", str(waivers), "--format", "json")
    assert r.code == 0
    assert sorted(r.stderr.splitlines()) == [
        f"{waivers}:12: waiver for deadline on reports/* expired on 2020-01-01; not applied",
        f"{waivers}:9: stale waiver: title on reports/999.txt matches no gap",
    ]
    results = {x["rule"]: x for x in json.loads(r.stdout)["reports"][0]["results"]}
    assert results["section-leader-duty"]["status"] == "waived"
    assert "另行单独报送" in results["section-leader-duty"]["note"]
    assert results["section-other"]["status"] == "waived" and "until 2999-12-31" in results["section-other"]["note"]
    sarif = json.loads(run_cli("audit", SAMPLE, "--waivers", str(waivers), "--format", "sarif").stdout)
    schema = json.loads((SHARED / "schemas" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(schema).validate(sarif)
    suppressed = [x for x in sarif["runs"][0]["results"] if x.get("suppressions")]
    assert {x["ruleId"] for x in suppressed} == {"section-leader-duty", "section-other"}
    assert all(x["suppressions"][0]["justification"] for x in suppressed)


def test_a_waiver_without_a_reason_is_refused(tmp_path):
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text("waivers:\n  - path: reports/*\n    rule: title\n", encoding="utf-8")
    r = run_cli("audit", SAMPLE, "--waivers", str(waivers))
    assert r.code == 2 and r.stdout == ""
    assert r.stderr.strip() == f"{waivers}:2: [E212] waiver file: reason: Field required"


def test_only_gaps_new_since_the_baseline_fail(tmp_path):
    draft = tmp_path / "draft.txt"
    text = (REPO / SAMPLE).read_text(encoding="utf-8")
    draft.write_text(text, encoding="utf-8")
    before = tmp_path / "before.json"
    assert run_cli("audit", str(draft), "-f", "json", "-o", str(before)).code == 1
    # the unchanged draft: every gap is unchanged, nothing fails
    same = run_cli("audit", str(draft), "--baseline", str(before), "-f", "json")
    assert same.code == 0
    statuses = {x["rule"]: x["baseline"] for x in json.loads(same.stdout)["reports"][0]["results"]}
    assert statuses["section-leader-duty"] == "unchanged" and statuses["legal-advisor"] is None
    # the next draft adds the leaders' part and loses its legal advisers: one fixed, one new
    edited = text.replace("二、主要做法和存在问题",
                          "二、党政主要负责人履行推进法治建设第一责任人职责情况\n镇党委书记带头学法。\n三、主要做法和存在问题")
    edited = edited.replace("法律顾问", "专家")
    draft.write_text(edited, encoding="utf-8")
    r = run_cli("audit", str(draft), "--baseline", str(before), "-f", "json", "--fail-on", "info")   # 法律顾问: a hint for townships
    assert r.code == 1
    rep = json.loads(r.stdout)["reports"][0]
    new = {x["rule"] for x in rep["results"] if x["baseline"] == "new"}
    assert "legal-advisor" in new and "section-leader-duty" in rep["fixed"]
    table = run_cli("audit", str(draft), "--baseline", str(before))
    assert "(new)" in table.stdout and "(unchanged)" in table.stdout
    fixed = next(line for line in table.stdout.splitlines() if "fixed since the baseline:" in line)
    assert "履职情况" in fixed   # section-leader-duty, by its short name
    assert run_cli("audit", str(draft), "--baseline", str(tmp_path / "nope.json")).code == 2


def test_a_baseline_made_with_other_paths_is_said_not_silently_ignored(tmp_path):
    (tmp_path / "drafts").mkdir()
    draft = tmp_path / "drafts" / "draft.txt"
    draft.write_text((REPO / SAMPLE).read_text(encoding="utf-8"), encoding="utf-8")
    before = tmp_path / "before.json"
    run_cli("audit", "drafts/draft.txt", "-f", "json", "-o", str(before), cwd=tmp_path)
    same = run_cli("audit", "drafts/draft.txt", "--baseline", str(before), cwd=tmp_path)
    assert same.code == 0 and "no report of this run is in the baseline" not in same.stderr
    moved = run_cli("audit", str(draft), "--baseline", str(before))   # the same file by another path
    assert moved.code == 1 and "no report of this run is in the baseline" in moved.stderr

