"""Scores a supervisor can rank by: the bundled scheme on the real samples, what each status keeps, what leaves
the total, waivers rated again, schemes as data (a copied rules folder with another weight scores otherwise),
and a broken scheme file as one error line."""
from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest

from auditor import i18n, scoring
from auditor.audit import Pipeline, audit_file, audit_source
from auditor.checklist import Checklist
from auditor.errors import RuleErrors
from auditor.gate import Waiver, Waivers
from auditor.model import Rating, Report, Status
from auditor.read import Source
from auditor.render.json_format import report_dict
from auditor.ruleset import load_profiles, load_rules, load_ruleset

from .conftest import REPO, REPORTS, run_cli

SAMPLES = sorted(REPORTS.glob("*.txt"))
LONGMENHAO = REPORTS / "002_ae009fae7ef3885b.txt"   # a 街道 report with the five parts as its headings
SCHEME = REPO / "rules" / "scoring" / "statutory-100.yaml"


@pytest.fixture(scope="module")
def samples(matcher):
    return [audit_file(p, matcher) for p in SAMPLES]


def by_rule(report: Report) -> dict:
    return {f.rule.id: f for f in report.findings}


def audit_text(text: str, pipeline: Pipeline) -> Report:
    return audit_source(Source("report.txt", text, "utf-8"), pipeline)


def without_lines(path: Path, first: int, last: int) -> str:
    """The report with lines first..last (1-based, inclusive) left out."""
    lines = path.read_text(encoding="utf-8").split("\n")
    return "\n".join(lines[:first - 1] + lines[last:])


def copied_rules(tmp_path: Path) -> Path:
    shutil.copytree(REPO / "rules", tmp_path / "rules")
    return tmp_path / "rules"


def pipeline_for(folder: Path, segmenter) -> Pipeline:
    rules, profiles = load_ruleset(folder)
    return Pipeline(rules, segmenter, Checklist(rules, profiles=profiles))


def test_every_sample_is_rated_under_the_bundled_scheme_and_the_points_add_up(samples):
    for report in samples:
        assert report.rating and report.rating.scheme == "statutory-100", report.path
        full, problems = scoring.weights(report.scheme, [f.rule for f in report.findings])
        assert problems == [] and sum(full.values()) == 100
        counted = [f for f in report.findings if f.points is not None]
        assert report.rating.max == sum(full[f.rule.id] for f in counted) <= 100   # a rule that does not bind leaves it
        assert report.rating.points == scoring._rounded(sum(f.points for f in counted), 0.5)
        for f in report.findings:
            keeps = {"met": 1, "partial": 0.5, "planned": 0.25, "shortcoming": 0.25, "missing": 0}
            if f.status in (Status.NOT_APPLICABLE, Status.WAIVED):
                assert f.points is None
            else:
                assert f.points == pytest.approx(full[f.rule.id] * keeps[f.status.value]), (report.path, f.rule.id)


def test_a_report_missing_a_required_part_loses_exactly_that_parts_points(matcher):
    whole = audit_text(LONGMENHAO.read_text(encoding="utf-8"), matcher)
    for (first, last), rule, worth in [((17, 18), "section-other", 4), ((11, 14), "section-shortcomings", 8)]:
        cut = audit_text(without_lines(LONGMENHAO, first, last), matcher)
        before, after = by_rule(whole), by_rule(cut)
        assert before[rule].status is Status.MET and after[rule].status is Status.MISSING
        assert all(after[r].status is before[r].status for r in before if r != rule)   # nothing else moved
        assert (whole.rating.points - cut.rating.points, cut.rating.max) == (worth, whole.rating.max)


def test_partial_keeps_half_and_a_plan_a_quarter(samples):
    seen = set()
    for report in samples:
        full, _ = scoring.weights(report.scheme, [f.rule for f in report.findings])
        for f in report.findings:
            if f.status in (Status.PARTIAL, Status.PLANNED):
                seen.add(f.status)
                share = 0.5 if f.status is Status.PARTIAL else 0.25
                assert f.points == full[f.rule.id] * share and f.points > 0
    assert seen == {Status.PARTIAL, Status.PLANNED}   # the samples hold both


def test_a_rule_that_does_not_bind_leaves_the_total(matcher, tmp_path):
    """A rule written for county level and up does not bind a township; the parts-only profile checks no core
    elements or 纲要 areas."""
    text = LONGMENHAO.read_text(encoding="utf-8")
    folder = copied_rules(tmp_path)
    rule = folder / "areas" / "major-decision-procedure.yaml"
    rule.write_text(rule.read_text(encoding="utf-8").replace(
        "levels: [township, county, city, province, department]", "levels: [county, city, province]"), encoding="utf-8")
    township = audit_text(text, pipeline_for(folder, matcher.segmenter))
    skipped = by_rule(township)["major-decision-procedure"]
    assert township.profile == "township" and skipped.status is Status.NOT_APPLICABLE and skipped.points is None
    assert township.rating.max == 100 - 1.5   # 21 points shared by 14 纲要 areas; every other rule binds
    parts_only = audit_text(text, Pipeline(matcher.rules, matcher.segmenter,
                                           Checklist(matcher.rules, matcher.checklist.profiles["parts-only"],
                                                     schemes=matcher.checklist.schemes)))
    left_out = [f for f in parts_only.findings if f.rule.group in ("core-elements", "gangyao-areas")]
    assert left_out and all(f.status is Status.NOT_APPLICABLE and f.points is None for f in left_out)
    assert parts_only.rating.max == 40 + 9   # the five parts and the form requirements
    assert parts_only.rating.points == 40 + 9 - 1.5   # all five parts there; the title is not the fixed name


def test_a_waiver_takes_the_rule_out_and_the_report_is_rated_again(matcher):
    report = audit_file(LONGMENHAO, matcher)
    before = report.rating
    f = by_rule(report)["business-environment"]
    assert f.status is Status.PLANNED and f.points == 0.375
    Waivers([(Waiver(path="*", rule="business-environment", reason="本街道不承担营商环境职能"), 1)],
            Path("waivers.yaml")).apply(report)
    assert report.rating == before   # the waiver alone does not rate
    scoring.rate(report)             # what the command line does after waivers
    assert f.status is Status.WAIVED and f.points is None
    assert report.rating.max == before.max - 1.5
    assert report.rating.points == scoring._rounded(sum(g.points for g in report.findings if g.points is not None), 0.5)
    assert report.rating.points < before.points


def test_another_kind_of_document_and_an_unreadable_file_get_no_rating(matcher, tmp_path):
    wrong = audit_text("某某镇2023年政府信息公开工作年度报告\n本报告根据《中华人民共和国政府信息公开条例》编制。\n", matcher)
    assert wrong.wrong_type and wrong.rating is None and all(f.points is None for f in wrong.findings)
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    broken = audit_file(empty, matcher)
    assert broken.errors and scoring.rate(broken, matcher).rating is None
    assert report_dict(wrong)["rating"] is None


def test_json_carries_the_rating_and_each_results_points_and_keeps_the_match_score(samples):
    report = samples[1]   # its deadline does not bind (no date): points None
    doc = report_dict(report)
    assert doc["rating"] == dataclasses.asdict(report.rating) == {
        "points": report.rating.points, "max": report.rating.max, "scheme": "statutory-100"}
    for result, f in zip(doc["results"], report.findings):
        assert result["points"] == f.points and result["score"] == f.score   # score: match confidence, not points
    assert any(r["points"] is None for r in doc["results"]) and any(r["points"] == 12 for r in doc["results"])


def test_ranking_is_by_share_then_name_and_ties_share_a_rank():
    def rated(path, points, most):
        return Report(path=path, rating=Rating(points, most, "statutory-100"))
    reports = [rated("b.txt", 40, 50), rated("c.txt", 90, 100), rated("a.txt", 80, 100), Report(path="x.txt"),
               rated("d.txt", 70, 100)]
    assert [(rank, r.path) for rank, r in scoring.ranking(reports)] == [
        (1, "c.txt"), (2, "a.txt"), (2, "b.txt"), (4, "d.txt")]   # 40/50 ties 80/100; x.txt has no rating


def test_ranking_the_samples(samples):
    ranked = scoring.ranking(samples)
    assert len(ranked) == len(SAMPLES)
    shares = [r.rating.points / r.rating.max for _, r in ranked]
    assert shares == sorted(shares, reverse=True)


def test_changing_a_weight_in_a_copied_rules_folder_changes_the_score(tmp_path, monkeypatch, matcher):
    monkeypatch.setenv("AUDITOR_CACHE", str(tmp_path / "cache"))   # the validated-rules cache must see the edit
    folder = copied_rules(tmp_path)
    text = LONGMENHAO.read_text(encoding="utf-8")
    bundled = audit_text(text, pipeline_for(folder, matcher.segmenter))
    scheme = folder / "scoring" / "statutory-100.yaml"
    scheme.write_text(scheme.read_text(encoding="utf-8")
                      .replace("statutory-parts: 40", "statutory-parts: 60")
                      .replace("section-measures: 12", "section-measures: 32"), encoding="utf-8")
    edited = audit_text(text, pipeline_for(folder, matcher.segmenter))
    assert by_rule(bundled)["section-measures"].points == 12 and by_rule(edited)["section-measures"].points == 32
    assert (edited.rating.points - bundled.rating.points, edited.rating.max - bundled.rating.max) == (20, 20)


def test_a_profile_names_its_own_scheme(tmp_path, matcher):
    folder = copied_rules(tmp_path)
    flat = SCHEME.read_text(encoding="utf-8")
    flat = flat[:flat.index("groups:")].replace("id: statutory-100", "id: flat").replace("default: true", "") + (
        "groups: {statutory-parts: 5, core-elements: 5, gangyao-areas: 14, form: 7}\n"
        "keeps: {planned: 0, shortcoming: 0}\nrounding: 1\n")
    (folder / "scoring" / "flat.yaml").write_text(flat, encoding="utf-8")
    township = folder / "profiles" / "township.yaml"
    township.write_text(township.read_text(encoding="utf-8") + "scoring: flat\n", encoding="utf-8")
    report = audit_text(LONGMENHAO.read_text(encoding="utf-8"), pipeline_for(folder, matcher.segmenter))
    assert report.profile == "township" and report.rating.scheme == "flat"
    assert {f.points for f in report.findings} <= {0, 0.5, 1, None}      # one point a rule
    assert report.rating.max == 31   # 31 rules, each binding this township's report
    assert by_rule(report)["document-type"].points == 1            # this scheme does count it


@pytest.mark.parametrize("edit, code, words", [
    (("\nrounding: 0.5", "\nroundign: 0.5"), "E203", "unknown key 'roundign' (did you mean 'rounding'?)"),
    (("\n  legal-advisor: 5", "\n  legal-adviser: 5"), "E204", "no rule 'legal-adviser' (did you mean 'legal-advisor'?)"),
    (("\n  partial: 0.5", "\n  partial: 1.5"), "E204", "keeps.partial"),
    (("\n  core-elements: 30", "\n  core-elements: 20"), "E204", "take 30 points, more than the group's 20"),
])
def test_a_broken_scheme_file_is_one_line_with_its_file_and_line(tmp_path, monkeypatch, edit, code, words):
    monkeypatch.setattr(i18n, "_language", "en")   # the words asserted below; Chinese is shown by default
    folder = copied_rules(tmp_path)
    path = folder / "scoring" / "statutory-100.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count(edit[0]) == 1
    line = text[:text.index(edit[0])].count("\n") + 2   # the line after the newline the edit starts with
    path.write_text(text.replace(*edit), encoding="utf-8")
    with pytest.raises(RuleErrors) as info:
        load_profiles(load_rules(folder), folder)
    (err,) = info.value.errors
    assert (err.code, err.path, err.line) == (code, str(path), line) and words in err.message
    assert err.format().startswith(f"{path}:{line}: [{code}] ")


def test_rules_check_and_audit_refuse_a_profile_naming_no_scheme(tmp_path):
    folder = copied_rules(tmp_path)
    township = folder / "profiles" / "township.yaml"
    township.write_text(township.read_text(encoding="utf-8") + "scoring: nosuch\n", encoding="utf-8")
    line = len(township.read_text(encoding="utf-8").splitlines())
    for args in (["rules", "check", str(folder)], ["audit", str(LONGMENHAO), "--rules", str(folder)]):
        r = run_cli(*args)
        assert r.code == 2 and r.stdout == "", args
        (said,) = [s for s in r.stderr.splitlines() if "[E211]" in s]
        assert said.startswith(f"{township}:{line}: [E211]") and "nosuch" in said and "statutory-100" in said


def test_two_default_schemes_are_an_error(tmp_path, monkeypatch):
    monkeypatch.setattr(i18n, "_language", "en")
    folder = copied_rules(tmp_path)
    shutil.copy(SCHEME, folder / "scoring" / "again.yaml")
    (folder / "scoring" / "again.yaml").write_text(SCHEME.read_text(encoding="utf-8").replace(
        "id: statutory-100", "id: again"), encoding="utf-8")
    with pytest.raises(RuleErrors) as info:
        load_profiles(load_rules(folder), folder)
    (err,) = info.value.errors
    assert err.code == "E204" and "default: true" in err.message and "again, statutory-100" in err.message


def test_a_rules_folder_without_schemes_rates_nothing(tmp_path, matcher):
    folder = copied_rules(tmp_path)
    shutil.rmtree(folder / "scoring")
    report = audit_text(LONGMENHAO.read_text(encoding="utf-8"), pipeline_for(folder, matcher.segmenter))
    assert report.findings and report.rating is None and all(f.points is None for f in report.findings)


def test_the_readme_example_scheme_is_valid_and_scores_the_samples(tmp_path, matcher):
    """The scheme README.md shows an office (a group of 0 points: not scored) loads as written."""
    readme = (REPO / "README.md").read_text(encoding="utf-8").split("## 评分 (scores)", 1)[1]
    example = readme.split("```yaml\n", 1)[1].split("```", 1)[0]
    folder = copied_rules(tmp_path)
    (folder / "scoring" / "statutory-100.yaml").unlink()
    (folder / "scoring" / "county-review-2024.yaml").write_text(example, encoding="utf-8")
    report = audit_text(LONGMENHAO.read_text(encoding="utf-8"), pipeline_for(folder, matcher.segmenter))
    assert report.rating.scheme == "county-review-2024" and report.rating.max == 100   # every rule binds this report
    assert by_rule(report)["section-leader-duty"].points == 15
    assert all(f.points == 0 for f in report.findings if f.rule.group == "form")
