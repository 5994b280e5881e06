"""What people read is Chinese by default: every command and every human format, run as a user runs them, has
no English word left outside identifiers (rule and status ids, option names, file names, codes), the names of
tools and formats, and quoted original text."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import zipfile

import pytest

from .conftest import AUDITOR, REPO, REPORTS, SHARED

SAMPLE = next(REPORTS.glob("002_*.txt"))
RULE_IDS = {p.stem for p in (REPO / "rules").rglob("*.yaml")}   # rules, profiles, schemes: all ids
STATUS_IDS = {"met", "partial", "planned", "shortcoming", "missing", "not-applicable", "waived",
              "wrong-document-type"}
# names a Chinese office uses as they are: tools, file formats, encodings, units, the command itself
NAMES = {"auditor", "UTF", "GB18030", "GBK", "Big5", "BOM", "PDF", "pdf", "docx", "doc", "wps", "txt", "htm", "html",
         "HTML", "xlsx", "csv", "CSV", "json", "JSON", "jsonl", "YAML", "yaml", "toml", "TOML", "OCR", "ocrmypdf",
         "spaCy", "spacy", "pkuseg", "LibreOffice", "Word", "WPS", "Excel", "SARIF", "sarif", "JUnit", "junit",
         "Dask", "dask", "tcp", "CI", "OpenCC", "Python", "MB", "KB", "zip", "markdown", "Markdown", "table",
         "letter", "review", "grid", "psql", "github", "pipe", "simple", "char", "local", "tsv", "TP", "FP", "FN",
         "TN", "F1", "zh", "en", "auto", "none", "all", "tune", "test", "error", "warning", "info", "never", "Linux", "glibc", "fc", "x86",
         "opencc", "rapidfuzz", "pyahocorasick", "charset", "normalizer", "lxml", "pypdfium2", "trafilatura",
         "cpca", "typer", "meta", "pyproject", "tool", "ini", "vale", "git", "t2s", "pipx", "pip", "utf", "pypdfium", "cfg",
         # the commands themselves, typed as they are shown
         "audit", "eval", "similar", "doctor", "rules", "list", "show", "profiles", "check", "config", "serve",
         "backup", "user", "add"}
WORD = re.compile(r"[A-Za-z][A-Za-z']+")
# identifiers and places a person copies as they are: options, paths, codes, addresses, rule/status ids
NOT_WORDS = re.compile(r"(?<![\w-])--?[a-z][a-z-]*|(?:\.{0,2}/)?[\w.-]+(?:/[\w.-]+)+/?|\[?E\d{3}\]?|\b[\w-]+\.(?:txt|docx|pdf|"
                       r"html?|xlsx|csv|json|yaml|toml|tsv|py)\b|https?://\S+|tcp://\S+|\{[^}]*\}|`[^`]*`|"
                       r"\b[\w-]+(?:\.[\w-]+)*\.(?:cn|com|org|net)\b|\b\w*_\w*\b")


def english_words(text: str, allowed: set[str] = frozenset()) -> list[str]:
    text = NOT_WORDS.sub(" ", text)
    words = []
    for token in re.findall(r"[A-Za-z][\w'-]*", text):
        if token in RULE_IDS or token in STATUS_IDS or token in allowed:
            continue
        for w in WORD.findall(token):
            if w not in NAMES and w not in allowed and not w.isupper() and not (len(w) <= 2):
                words.append(w)
    return words


def _run(*args, cwd=REPO) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("AUDITOR_LANG", "LANGUAGE")}
    env["COLUMNS"] = "100"
    return subprocess.run([str(AUDITOR), *args], cwd=cwd, capture_output=True, text=True, encoding="utf-8",
                          env=env, timeout=300)


def _quotes(path) -> set[str]:
    """Latin words of the original report (quoted evidence may hold them)."""
    return set(WORD.findall(path.read_text(encoding="utf-8")))


HELP = [[], ["audit"], ["eval"], ["similar"], ["doctor"], ["rules"], ["rules", "list"], ["rules", "show"],
        ["rules", "profiles"], ["rules", "check"], ["config"], ["serve"], ["backup"]]


@pytest.mark.parametrize("command", HELP, ids=lambda c: " ".join(c) or "auditor")
def test_help_is_chinese(command):
    out = _run(*command, "--help")
    if out.returncode == 2 and "No such command" in out.stderr + out.stdout:
        pytest.skip(f"no command {command}")
    # what click builds itself stays: the placeholders [OPTIONS] COMMAND [ARGS]... and metavars, in capitals
    assert english_words(out.stdout) == [], out.stdout


@pytest.mark.parametrize("fmt", ["table", "markdown", "html", "csv"])
def test_human_formats_are_chinese(fmt, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for sample in sorted(REPORTS.glob("00[12]_*.txt")):
        shutil.copy(sample, folder)
    out = _run("audit", str(folder), "-f", fmt)
    assert out.returncode in (0, 1), out.stderr
    text = re.sub(r"<[^>]+>", " ", out.stdout) if fmt == "html" else out.stdout
    if fmt == "html":   # the page's own script and style are code, not words
        text = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", out.stdout)
        text = re.sub(r"<[^>]+>|&\w+;", " ", text)
    allowed = set().union(*(_quotes(p) for p in folder.iterdir()))
    assert english_words(text, allowed) == []
    assert english_words(out.stderr, allowed) == [], out.stderr


def test_the_spreadsheet_is_chinese(tmp_path):
    target = tmp_path / "out.xlsx"
    out = _run("audit", str(SAMPLE), "-f", "xlsx", "-o", str(target))
    assert out.returncode in (0, 1), out.stderr
    with zipfile.ZipFile(target) as z:
        xml = " ".join(z.read(n).decode("utf-8") for n in z.namelist()
                       if n.startswith("xl/worksheets/") or n in ("xl/sharedStrings.xml", "xl/workbook.xml"))
    cells = " ".join(re.findall(r"<t[^>]*>([^<]*)</t>|<sheet [^>]*name=\"([^\"]*)\"", xml) and
                     [a or b for a, b in re.findall(r"<t[^>]*>([^<]*)</t>|<sheet [^>]*name=\"([^\"]*)\"", xml)])
    assert english_words(cells, _quotes(SAMPLE)) == []


def test_errors_and_the_summary_are_chinese(tmp_path):
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    out = _run("audit", str(SAMPLE), str(bad), str(tmp_path / "absent.txt"), "-f", "json")
    assert out.returncode == 2
    assert json.loads(out.stdout)["reports"]
    assert english_words(out.stderr) == [], out.stderr


def test_eval_and_similar_speak_chinese(tmp_path):
    labels = SHARED / "seeds" / "labels.tsv"
    if labels.is_file():
        out = _run("eval", str(labels), str(REPORTS))
        # the label notes are the labels file's own words, quoted
        assert english_words(out.stdout + out.stderr, _quotes(SAMPLE) | _quotes(labels) | {"micro"}) == []
    out = _run("similar", str(REPORTS))
    assert english_words(out.stdout + out.stderr) == []


def test_the_english_words_check_can_fail():
    assert english_words("状态 status：满足") == ["status"]
    assert english_words("--fail-on error；规则 legality-review；E101；reports/a.txt") == []


@pytest.mark.parametrize("fmt", ["letter", "review"])
def test_the_word_documents_are_chinese(fmt, tmp_path):
    import docx
    out = _run("audit", str(SAMPLE), "-f", fmt, "-o", str(tmp_path / "out"))
    assert out.returncode in (0, 1), out.stderr
    (written,) = (tmp_path / "out").glob("*.docx")
    document = docx.Document(str(written))
    text = "\n".join(p.text for p in document.paragraphs)
    text += "\n".join(c.text for c in getattr(document, "comments", []))
    assert english_words(text, _quotes(SAMPLE)) == []
    assert english_words(out.stderr) == [], out.stderr


@pytest.mark.parametrize("command", [["rules", "list"], ["rules", "show", "legal-advisor"], ["rules", "profiles"],
                                     ["rules", "check"], ["config"], ["doctor"]], ids=" ".join)
def test_the_other_commands_speak_chinese(command):
    from auditor.settings import ENVIRONMENT
    from auditor.segment import MODEL_DIR
    out = _run(*command)
    assert out.returncode == 0, out.stderr
    text = out.stdout + out.stderr
    if command == ["doctor"]:   # versions and the platform as Python reports them; the model's own description
        text = "\n".join(line for line in text.splitlines()[1:])
        text = text.replace(json.loads((MODEL_DIR / "meta.json").read_text(encoding="utf-8"))["description"], "")
    keys = set(ENVIRONMENT) | {"profile", "fail-on", "waivers", "baseline", "lang", "format", "scoring", "jobs",
                                "rules", "model", "office"}   # the settings file's keys, typed as shown
    assert english_words(text, keys) == [], out.stdout
