"""`--lang en`: every command and every human format, run as a user runs them, says its own words in English.
What stays Chinese is data, as README.md says: the rules' texts (the regulations' words: titles, messages,
fixes, legal bases, component names, profile and context labels, kinds of documents) and what the report
itself says (quotes, its title and body). Every run of Chinese characters in the output must be found in those."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import zipfile

import opencc
import pytest

from auditor.audit import audit_file
from auditor.read import read_source
from auditor.ruleset import load_profiles, load_rules, load_vocabulary
from auditor.settings import Options

from .conftest import AUDITOR, REPO, REPORTS, SHARED

SAMPLES = sorted(REPORTS.glob("00[12]_*.txt"))
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")


def _data() -> str:
    """Every text of the rules folder a person may be shown as it is, and the samples' own words."""
    texts = [p.read_text(encoding="utf-8") for p in (REPO / "rules").rglob("*.yaml")]
    rules = load_rules(REPO / "rules")
    texts += [r.model_dump_json(warnings=False) for r in rules]
    texts.append(load_vocabulary(REPO / "rules").model_dump_json(warnings=False))
    texts += [p.model_dump_json(warnings=False) for p in load_profiles(rules, REPO / "rules").values()]
    pipeline = Options(rules_dir=str(REPO / "rules")).build()
    for sample in sorted(REPORTS.glob("*.txt")):
        text = read_source(sample).text
        texts += [text, opencc.OpenCC("t2s").convert(text)]
        meta = audit_file(sample, pipeline).metadata   # the body's name as completed from the text
        texts += [meta.body or "", meta.title or "", meta.described_as or ""]
    return "\n".join(texts)


DATA = _data()


def chinese_of_ours(text: str) -> list[str]:
    """Runs of Chinese characters not found in the data: words the tool itself says in Chinese."""
    return [run for run in CJK.findall(text) if run not in DATA]


def _run(*args, cwd=REPO) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("AUDITOR_LANG", "LANGUAGE")}
    env["COLUMNS"] = "200"   # a run of characters is not cut by wrapping
    return subprocess.run([str(AUDITOR), "--lang", "en", *args], cwd=cwd, capture_output=True, text=True,
                          encoding="utf-8", env=env, timeout=300)


def test_the_check_can_fail():
    assert chinese_of_ours("evidence / 原文依据") == ["原文依据"]
    assert chinese_of_ours("rule 法律顾问制度: met") == []


HELP = [[], ["audit"], ["eval"], ["similar"], ["doctor"], ["rules"], ["rules", "list"], ["rules", "show"],
        ["rules", "profiles"], ["rules", "check"], ["config"], ["serve"], ["backup"]]


@pytest.mark.parametrize("command", HELP, ids=lambda c: " ".join(c) or "auditor")
def test_help_is_english(command):
    out = _run(*command, "--help")
    assert out.returncode == 0, out.stderr
    assert chinese_of_ours(out.stdout) == [], out.stdout


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("in")
    for sample in SAMPLES:
        shutil.copy(sample, folder)
    return folder


@pytest.mark.parametrize("fmt", ["table", "markdown", "html", "csv", "junit", "sarif"])
def test_human_formats_are_english(fmt, folder):
    out = _run("audit", str(folder), "-f", fmt, "--detail") if fmt == "table" else _run("audit", str(folder), "-f", fmt)
    assert out.returncode in (0, 1), out.stderr
    assert chinese_of_ours(out.stdout) == []
    assert chinese_of_ours(out.stderr) == [], out.stderr


def test_the_spreadsheet_is_english(folder, tmp_path):
    target = tmp_path / "out.xlsx"
    out = _run("audit", str(folder), "-f", "xlsx", "-o", str(target))
    assert out.returncode in (0, 1), out.stderr
    with zipfile.ZipFile(target) as z:
        xml = " ".join(z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("xl/"))
    assert chinese_of_ours(" ".join(re.findall(r">([^<]+)<", xml) + re.findall(r'name="([^"]*)"', xml))) == []


@pytest.mark.parametrize("fmt", ["letter", "review"])
def test_the_word_documents_are_english(fmt, tmp_path):
    import docx
    out = _run("audit", str(SAMPLES[0]), "-f", fmt, "-o", str(tmp_path / "out"))
    assert out.returncode in (0, 1), out.stderr
    (written,) = (tmp_path / "out").glob("*.docx")
    document = docx.Document(str(written))
    text = "\n".join(p.text for p in document.paragraphs)
    text += "\n".join(c.text for c in getattr(document, "comments", []))
    assert chinese_of_ours(text) == []


def test_errors_and_the_summary_are_english(tmp_path):
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    out = _run("audit", str(SAMPLES[0]), str(bad), str(tmp_path / "absent.txt"))
    assert out.returncode == 2
    assert chinese_of_ours(out.stderr) == [], out.stderr


def test_eval_and_similar_speak_english():
    labels = SHARED / "seeds" / "labels.tsv"
    if labels.is_file():   # the labels' own notes are quoted as they are
        out = _run("eval", str(labels), str(REPORTS))
        notes = labels.read_text(encoding="utf-8")
        assert [run for run in chinese_of_ours(out.stdout + out.stderr) if run not in notes] == []
    out = _run("similar", str(REPORTS))
    assert chinese_of_ours(out.stdout + out.stderr) == []


@pytest.mark.parametrize("command", [["rules", "list"], ["rules", "show", "legal-advisor"], ["rules", "profiles"],
                                     ["rules", "check"], ["config"], ["doctor"]], ids=" ".join)
def test_the_other_commands_speak_english(command):
    out = _run(*command)
    assert out.returncode == 0, out.stderr
    assert chinese_of_ours(out.stdout + out.stderr) == [], out.stdout
