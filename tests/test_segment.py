"""Word segmentation: the bundled pkuseg model, offline; token-level phrases; the model's failure modes."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from auditor.audit import Pipeline, audit_source
from auditor.model import Status
from auditor.rule_schema import PhraseSpec
from auditor.read import Source
from auditor.segment import MODEL_DIR, get_segmenter, sentence_spans

from .conftest import REPO, run_cli

pytestmark = pytest.mark.usefixtures("english")   # these check the wording of messages, in English

SAMPLE = "reports/001_c7de79f2aba7557d.txt"   # traditional script, 述法 among 學法、用法、考法、述法


def status(matcher, text, rule_id="first-responsible-person"):
    report = audit_source(Source("t.txt", text, "utf-8"), matcher)
    return next(f for f in report.findings if f.rule.id == rule_id).status, report


def test_domain_terms_stay_whole_only_with_the_rules_dictionary(matcher):
    seg = matcher.segmenter
    text = "镇政府聘请法律顾问，开展合法性审查，党政主要负责人履行第一责任人职责"
    seg.use_words(frozenset())
    bare = seg.words(text)
    seg.use_words(matcher.dictionary)
    words = seg.words(text)
    assert {"法律顾问", "合法性审查", "履行第一责任人职责"} <= set(words)
    assert "合法性审查" not in bare and "法律顾问" not in bare   # the model alone splits them
    assert "".join(words) == "".join(text.split())


def test_short_ambiguous_phrases_stay_out_of_the_dictionary(matcher):
    assert "述法" not in matcher.dictionary and "普法" not in matcher.dictionary
    assert {"年终述法", "述职述廉述法", "合法性审查"} <= matcher.dictionary


def test_the_dictionary_follows_the_rules(rules):
    advisor = next(r for r in rules if r.id == "legal-advisor")
    new = advisor.model_copy(update={"phrases": [*advisor.phrases, "重大行政决策合法性审查目录"]})
    matcher = Pipeline([new])
    assert "重大行政决策合法性审查目录" in matcher.dictionary
    assert "重大行政决策合法性审查目录" not in Pipeline([advisor]).dictionary
    matcher.segmenter.use_words(matcher.dictionary)
    assert "重大行政决策合法性审查目录" in matcher.segmenter.words("编制重大行政决策合法性审查目录并公布")


@pytest.mark.parametrize("text, met", [
    ("认真落实领导干部述法工作。", True),
    ("全面推行党政主要负责人年终述法，实现全覆盖。", True),
    ("开展述职述廉述法“三位一体”考评。", True),
    ("将述法情况纳入年度考核。", True),
    ("依照上述法律法规，依法作出处理。", False),
    ("当事人陈述法定理由，镇政府予以采纳。", False),
    ("前述法规已于年内废止。", False),
    ("所述法律关系清楚，证据确凿。", False),
    ("阐述法治理念，综述法学研究成果。", False),
])
def test_shu_fa_counts_only_as_a_word(matcher, text, met):
    got, _ = status(matcher, text)
    assert (got is Status.MET) is met


def test_tokens_decide_where_characters_would_not(rules):
    text = "依照上述法律法规，依法作出处理。"
    assert status(Pipeline(rules, get_segmenter("char")), text)[0] is Status.MET   # characters alone: a false met
    assert status(Pipeline(rules), text)[0] is not Status.MET


def test_a_rule_may_turn_token_matching_off(rules):
    rule = next(r for r in rules if r.id == "first-responsible-person")
    plain = rule.model_copy(update={"phrases": [PhraseSpec(text="述法", token=False)]})
    default = rule.model_copy(update={"phrases": ["述法"]})   # two characters: token-level by default
    text = "依照上述法律法规，依法作出处理。"
    assert status(Pipeline([plain]), text)[0] is Status.MET
    assert status(Pipeline([default]), text)[0] is not Status.MET


def test_only_sentences_with_token_candidates_are_segmented(matcher):
    text = "镇政府聘请法律顾问2名。全年开展合法性审查12件。认真落实领导干部述法工作。依照上述法律法规处理。"
    _, report = status(matcher, text)
    assert report.segmenter["name"] == "pkuseg" and report.segmenter["model"] == "zh_pkuseg_reports"
    assert report.segmenter["sentences"] == 2
    _, plain = status(matcher, "镇政府聘请法律顾问2名。全年开展合法性审查12件。")
    assert plain.segmenter["sentences"] == 0


def test_the_output_names_the_segmenter_and_model():
    r = run_cli("audit", SAMPLE, "--format", "json")
    seg = json.loads(r.stdout)["reports"][0]["segmenter"]
    assert seg["name"] == "pkuseg" and seg["model"] == "zh_pkuseg_reports" and seg["sentences"] >= 1
    assert os.path.samefile(seg["path"], MODEL_DIR)
    table = run_cli("audit", SAMPLE)
    assert "words: pkuseg, model zh_pkuseg_reports" in table.stdout


def test_sentences_end_at_punctuation_line_breaks_and_colons_but_not_clock_times():
    text = "一、主要工作\n会议于16:30召开:一是学法;二是述法。  \n\n三是普法!"
    got = [text[s:e] for s, e in sentence_spans(text)]
    assert got == ["一、主要工作", "会议于16:30召开:", "一是学法;", "二是述法。", "三是普法!"]


def _one_line_error(r, folder):
    assert r.code == 2 and r.stdout == ""
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in r.stderr
    assert lines[0].startswith(f"{folder}: [E401]") and "scripts/build_model.py" in lines[0]


def test_a_missing_model_folder_is_one_line_naming_it_and_the_fix(tmp_path):
    folder = tmp_path / "no-model-here"
    _one_line_error(run_cli("audit", SAMPLE, "--model", str(folder)), folder)


def test_a_broken_model_is_one_line_too(tmp_path):
    folder = tmp_path / "broken"
    shutil.copytree(MODEL_DIR, folder)
    (folder / "tokenizer" / "pkuseg_model" / "weights.npz").write_bytes(b"not a numpy archive")
    _one_line_error(run_cli("audit", SAMPLE, "--model", str(folder)), folder)
    r = run_cli("doctor", "--model", str(folder))
    assert r.code == 2 and "FAILED" in r.stdout


BLOCK_NETWORK = """
import socket, sys
def refuse(*a, **k):
    raise OSError("network blocked by the test")
socket.socket.connect = socket.socket.connect_ex = refuse
socket.create_connection = socket.getaddrinfo = refuse
sys.argv = ["auditor", *sys.argv[1:]]
from auditor.cli import main
main()
"""


def test_the_audit_runs_with_the_network_blocked(tmp_path):
    """A fresh process with sockets refused and an empty home: no download is tried, none is needed."""
    env = {**os.environ, "HOME": str(tmp_path), "PKUSEG_HOME": str(tmp_path / "pkuseg"), "SPACY_DATA": "",
           "HF_HUB_OFFLINE": "1"}
    env.pop("AUDITOR_MODEL", None)
    proc = subprocess.run([sys.executable, "-c", BLOCK_NETWORK, "audit", "reports/", "--format", "json"],
                          cwd=REPO, env=env, capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert proc.returncode == 1, proc.stderr   # the samples have gaps; 2 would be an error
    doc = json.loads(proc.stdout)
    assert len(doc["reports"]) == 5 and not any(r["errors"] for r in doc["reports"])
    assert {r["segmenter"]["name"] for r in doc["reports"]} == {"pkuseg"}
    assert sum(r["segmenter"]["sentences"] for r in doc["reports"]) >= 1   # pkuseg really ran
    # nothing fetched into the home folder; the auditor's own cache of validated rules is all there is
    assert [p for p in tmp_path.rglob("*") if p.is_file() and p.parent != tmp_path / ".cache" / "auditor" / "rules"] == []


def test_doctor_checks_every_piece_offline():
    r = run_cli("doctor")
    assert r.code == 0, r.stdout + r.stderr
    assert str(MODEL_DIR.name) in r.stdout and "spacy-pkuseg" in r.stdout and "FAILED" not in r.stdout
    assert "年终述法" in r.stdout and "上述 / 法律" in r.stdout   # the probe sentence, segmented


def test_the_model_ships_inside_the_built_package(tmp_path):
    """What a pre-commit hook's environment or a Dask worker installs is the wheel: the model and the compiled
    message catalogues must be in it."""
    wheels, site = tmp_path / "wheels", tmp_path / "site"
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--quiet"]
    subprocess.run([*pip, "wheel", "--no-deps", "--no-build-isolation", "-w", str(wheels), str(REPO)],
                   check=True, capture_output=True, timeout=300)
    (wheel,) = wheels.glob("auditor-*.whl")
    subprocess.run([*pip, "install", "--no-deps", "--target", str(site), str(wheel)], check=True,
                   capture_output=True, timeout=300)
    probe = ("import auditor, json; from auditor.segment import get_segmenter; s = get_segmenter(); "
             "from auditor.i18n import _; "
             "print(json.dumps([auditor.__file__, s.describe(), s.words('依照上述法律法规'), _('missing')]))")
    proc = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True,
                          env={**{k: v for k, v in os.environ.items() if k != "AUDITOR_LANG"}, "PYTHONPATH": str(site)},
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    where, described, words, missing = json.loads(proc.stdout)
    assert where.startswith(str(site)) and described["model"] == "zh_pkuseg_reports"
    assert words == ["依照", "上述", "法律", "法规"]
    assert missing == "缺失" and (site / "auditor" / "locale" / "zh_CN" / "LC_MESSAGES" / "auditor.mo").is_file()
