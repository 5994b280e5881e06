"""The checklist as a whole: every rule is complete, rules are grouped, components, wrong document types."""
from __future__ import annotations

import json
import shutil

import pytest
from ruamel.yaml import YAML

from auditor.audit import audit_source
from auditor.model import Status
from auditor.rule_schema import GROUPS
from auditor.read import Source
from auditor.ruleset import NOT_RULES, load_rules

from .conftest import REPO, run_cli

RULE_FILES = sorted(p for p in (REPO / "rules").rglob("*.yaml") if not set(NOT_RULES) & set(p.parts))


@pytest.mark.parametrize("path", RULE_FILES, ids=[p.stem for p in RULE_FILES])
def test_every_rule_declares_its_basis_examples_applicability_and_fix(path):
    raw = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    for key in ("legal_basis", "examples", "applies", "fix", "group", "rationale"):
        assert raw.get(key), f"{path.name} lacks {key}"
    assert raw["examples"].get("met") and raw["examples"].get("not_met"), path.name
    assert {"from_year", "to_year", "levels"} <= set(raw["applies"]), f"{path.name}: applies says all three"


def test_the_checklist_covers_the_gangyao_areas(rules):
    by_group = {g: {r.id for r in rules if r.group == g} for g in GROUPS}
    assert len(by_group["statutory-parts"]) == 5
    assert {"enforcement-three-systems", "major-decision-procedure", "normative-documents",
            "government-transparency", "reconsideration-and-litigation", "dispute-resolution",
            "leaders-study-law", "power-responsibility-list", "digital-rule-of-law", "business-environment",
            "demonstration-creation", "inspection-rectification", "rule-of-law-assessment",
            "emergency-response"} <= by_group["gangyao-areas"]
    assert "document-type" in by_group["form"]
    order = [list(GROUPS).index(r.group) for r in rules]
    assert order == sorted(order)   # every output lists the rules group by group


def finding(matcher, text, rule_id):
    report = audit_source(Source("t.txt", text, "utf-8"), matcher)
    return next(f for f in report.findings if f.rule.id == rule_id)


@pytest.mark.parametrize("text, status, lacking", [
    ("全面推行行政执法公示制度、执法全过程记录制度、重大执法决定法制审核制度。", Status.MET, None),
    ("全面落实行政执法“三项制度”。", Status.MET, None),
    ("在门户网站公示执法信息120条，配备执法记录仪10台。", Status.PARTIAL, "重大执法决定法制审核"),
    ("完善重大执法决定法制审核制度。", Status.PARTIAL, "行政执法公示、执法全过程记录"),
    ("开展执法人员培训2次。", Status.MISSING, None),
])
def test_three_systems_are_met_only_all_together(matcher, text, status, lacking):
    f = finding(matcher, text, "enforcement-three-systems")
    assert f.status is status
    if lacking:   # said by message id, the components named in its fields
        assert f.why.id == "components" and "、".join(f.why.fields["lacking"]) == lacking


def test_major_decisions_bind_a_township_by_reference_at_a_lower_severity(matcher):
    """《重大行政决策程序暂行条例》 art. 42: departments and townships follow it by reference (参照执行)."""
    text = "某某镇人民政府关于2023年度法治政府建设情况的报告\n2023年，某某镇坚持依法行政。"
    f = finding(matcher, text, "major-decision-procedure")
    assert f.status is Status.MISSING and f.rule.severity == "info"
    county = "某某县人民政府关于2023年度法治政府建设情况的报告\n2023年，某某县坚持依法行政。"
    f = finding(matcher, county, "major-decision-procedure")
    assert f.status is Status.MISSING and f.rule.severity == "warning"


def test_a_rule_does_not_bind_a_report_of_a_year_before_its_law(matcher):
    """The 第一责任人 规定 dates from December 2016: a report on 2016 is not held to it."""
    text = "某某县人民政府关于2016年度法治政府建设情况的报告\n2016年，某某县坚持依法行政。"
    f = finding(matcher, text, "first-responsible-person")
    assert f.status is Status.NOT_APPLICABLE and "2016" in f.why


WRONG = {
    "info.txt": ("某某镇人民政府2023年政府信息公开工作年度报告\n本报告根据《中华人民共和国政府信息公开条例》编制。\n"
                 "一、总体情况\n二、主动公开政府信息情况\n", "政府信息公开工作年度报告"),
    "work.txt": ("2024年某某县政府工作报告\n各位代表：现在，我代表县人民政府向大会报告工作，请予审议。\n", "政府工作报告"),
    "pufa.txt": ("某某县司法局2023年普法依法治理工作总结\n2023年，我局深入开展八五普法，举办宪法宣传周活动。\n", "普法工作总结"),
    "untitled.txt": ("一、总体情况\n本年度共主动公开政府信息120条。\n二、主动公开政府信息情况\n"
                     "三、收到和处理政府信息公开申请情况\n", "政府信息公开工作年度报告"),
}


def test_other_documents_are_named_and_not_audited(tmp_path):
    for name, (text, _) in WRONG.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    sample = REPO / "reports" / "002_ae009fae7ef3885b.txt"
    r = run_cli("audit", str(tmp_path), str(sample), "--format", "json")
    assert r.code == 1   # a gap under the default gate, not an input error
    lines = [line for line in r.stderr.strip().splitlines() if "not audited: a " in line]
    assert len(lines) == len(WRONG)
    assert f"audited {len(WRONG) + 1} of {len(WRONG) + 1} file(s); {len(WRONG)} not an annual report" in r.stderr
    reports = {p["path"].split("/")[-1]: p for p in json.loads(r.stdout)["reports"]}
    for name, (_, kind) in WRONG.items():
        rep = reports[name]
        assert rep["wrong_type"] == kind and [x["status"] for x in rep["results"]] == ["wrong-document-type"]
    assert reports[sample.name]["wrong_type"] is None and len(reports[sample.name]["results"]) == len(load_rules())
    table = run_cli("audit", str(tmp_path / "info.txt"))
    assert table.code == 1 and "not audited: a 政府信息公开工作年度报告" in table.stdout
    assert run_cli("audit", str(tmp_path / "info.txt"), "--fail-on", "never").code == 0


def test_a_combined_report_is_still_this_kind(matcher):
    text = "某某县2023年法治政府建设暨八五普法工作报告\n2023年，某某县深入学习贯彻习近平法治思想。"
    report = audit_source(Source("t.txt", text, "utf-8"), matcher)
    assert report.wrong_type is None and len(report.findings) > 1


# --- profiles -------------------------------------------------------------------------------------

from auditor.audit import Pipeline  # noqa: E402
from auditor.checklist import Checklist  # noqa: E402
from auditor.ruleset import load_profiles  # noqa: E402
from auditor.errors import RuleErrors  # noqa: E402

pytestmark = pytest.mark.usefixtures("english")   # these check the wording of messages, in English

TOWNSHIP = "某某镇人民政府关于2023年度法治政府建设情况的报告\n2023年，某某镇坚持依法行政。\n某某镇人民政府\n2024年3月15日"
BUREAU = "某某县司法局关于2023年度法治政府建设情况的报告\n2023年，某某县司法局坚持依法行政。\n某某县司法局\n2024年3月15日"


@pytest.fixture(scope="module")
def profiles(rules):
    return load_profiles(rules, REPO / "rules")


def by_rule(matcher, text):
    report = audit_source(Source("t.txt", text, "utf-8"), matcher)
    return report, {f.rule.id: f for f in report.findings}


def test_the_profile_follows_the_inferred_level(rules, profiles):
    auto = Pipeline(rules, checklist=Checklist(rules, profiles=profiles))
    report, f = by_rule(auto, TOWNSHIP)
    assert report.profile == "township"
    assert f["normative-documents"].rule.severity == "info"          # lowered for townships
    assert f["major-decision-procedure"].rule.severity == "info"     # 参照执行 below the county: a hint
    report, f = by_rule(auto, BUREAU)
    assert report.profile == "department" and f["dispute-resolution"].rule.severity == "info"
    report, f = by_rule(Pipeline(rules), TOWNSHIP)   # no profiles: every rule as written
    assert report.profile is None and f["normative-documents"].rule.severity == "warning"


def test_a_stricter_provincial_variant_moves_the_deadline(rules, profiles):
    _, f = by_rule(Pipeline(rules, checklist=Checklist(rules, profiles=profiles)), BUREAU)            # department: 1 April
    assert f["deadline"].status is Status.MET
    _, f = by_rule(Pipeline(rules, checklist=Checklist(rules, profiles["provincial-guide-department"])), BUREAU)
    assert f["deadline"].status is Status.MISSING and f["deadline"].rule.severity == "error"
    assert "2024-03-01" in f["deadline"].why
    assert f["dispute-resolution"].rule.severity == "info"   # what it extends still applies


def test_a_profile_can_leave_groups_out(rules, profiles):
    _, f = by_rule(Pipeline(rules, checklist=Checklist(rules, profiles["parts-only"])), TOWNSHIP)
    assert f["xi-thought"].status is Status.NOT_APPLICABLE and "parts-only" in f["xi-thought"].why
    assert f["section-measures"].status is Status.MISSING


def test_profile_option_on_the_command_line(tmp_path):
    report = tmp_path / "bureau.txt"
    report.write_text(BUREAU, encoding="utf-8")
    strict = run_cli("audit", str(report), "--profile", "provincial-guide-department", "-f", "json")
    doc = json.loads(strict.stdout)["reports"][0]
    assert doc["profile"] == "provincial-guide-department"
    bad = run_cli("audit", str(report), "--profile", "nosuch")
    assert bad.code == 2 and bad.stderr.startswith("[E301] unknown profile 'nosuch'") and bad.stdout == ""


@pytest.mark.parametrize("body, reason", [
    ("overrides:\n  no-such-rule: {severity: info}\n", "overrides unknown rule 'no-such-rule'"),
    ("extends: nothing\n", "extends unknown profile 'nothing'"),
    ("overrides:\n  deadline: {severity: fatal}\n", "override of 'deadline'"),
])
def test_a_broken_profile_is_one_line(tmp_path, rules, body, reason):
    shutil.copytree(REPO / "rules", tmp_path / "rules")
    (tmp_path / "rules" / "profiles" / "broken.yaml").write_text(
        f"id: broken\ntitle: 坏\ndescription: 测试\n{body}", encoding="utf-8")
    with pytest.raises(RuleErrors) as exc:
        load_profiles(rules, tmp_path / "rules")
    (err,) = exc.value.errors
    assert err.code == "E211" and reason in err.message and err.path.endswith("broken.yaml")
    r = run_cli("audit", "reports/002_ae009fae7ef3885b.txt", "--rules", str(tmp_path / "rules"))
    assert r.code == 2 and "[E211]" in r.stderr and r.stdout == ""


def test_a_profile_removed_since_the_audit_reads_the_rules_as_written(matcher):
    """A stored report of a profile the rules folder no longer has still opens (the workbench), by the rules as
    they are written."""
    assert matcher.checklist.rules_for("a-profile-removed-since") == matcher.checklist.rules_for(None)
