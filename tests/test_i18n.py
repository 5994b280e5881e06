"""Every message marked in the code has its Chinese in the catalogue; switching language switches what is shown."""
from __future__ import annotations

import subprocess

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

from auditor import i18n

from .conftest import AUDITOR, REPO

KEYWORDS = {**DEFAULT_KEYWORDS, "N_": None}
METHODS = [("auditor/**.py", "python"), ("auditor/render/templates/**.html", "jinja2")]
PO = REPO / "auditor" / "locale" / "zh_CN" / "LC_MESSAGES" / "auditor.po"


def _marked() -> dict[str, str]:
    """msgid → where it is marked."""
    found = {}
    for filename, _line, message, _comments, _context in extract_from_dir(
            str(REPO), METHODS, keywords=KEYWORDS, options_map={"auditor/render/templates/**.html": {
                "extensions": "jinja2.ext.i18n"}}):
        for msgid in (message if isinstance(message, tuple) else (message,)):
            if msgid:
                found.setdefault(msgid, f"{filename}:{_line}")
    return found


def test_every_marked_message_has_a_chinese_translation():
    with PO.open("rb") as fh:
        catalogue = read_po(fh)
    translated = {m.id if isinstance(m.id, str) else m.id[0]: m.string for m in catalogue if m.id}
    missing = [f"{where}: {msgid!r}" for msgid, where in sorted(_marked().items(), key=lambda kv: kv[1])
               if not (translated.get(msgid) if isinstance(translated.get(msgid), str)
                       else any(translated.get(msgid) or ()))]
    assert missing == [], "untranslated (add them to auditor.po):\n" + "\n".join(missing)


def test_the_catalogue_compiles_and_has_no_duplicate_or_fuzzy_entries():
    text = PO.read_text(encoding="utf-8")
    ids = [_msgid(entry) for entry in text.split("\n\n") if "msgid " in entry]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    assert duplicates == [], f"duplicate msgid: {duplicates}"
    assert "#, fuzzy" not in text.split("\n\n", 1)[1]
    assert i18n.compile_po(PO)
    with PO.open("rb") as fh:   # what `pybabel compile` checks: the same placeholders on both sides
        problems = [(message.id, [str(e) for e in errors]) for message, errors in read_po(fh).check()]
    assert problems == []


def _msgid(entry: str) -> str:
    """The message id of one .po entry, its continuation lines joined."""
    lines = entry.split("msgid ", 1)[1].split("msgstr", 1)[0].split("\n")
    return "".join(line.strip().strip('"') for line in lines)


def test_language_switch(monkeypatch):
    monkeypatch.setattr(i18n, "_language", "zh")
    zh = i18n._("status")
    monkeypatch.setattr(i18n, "_language", "en")
    assert i18n._("status") == "status" and zh != "status"


def test_typer_framing_words_follow_the_language():
    out = subprocess.run([str(AUDITOR), "--help"], cwd=REPO, capture_output=True, text=True)
    assert "选项" in out.stdout and "命令" in out.stdout, out.stdout


def test_the_catalogue_holds_no_message_the_code_no_longer_uses():
    with PO.open("rb") as fh:
        catalogue = read_po(fh)
    marked = _marked()
    unused = sorted(m.id if isinstance(m.id, str) else m.id[0] for m in catalogue
                    if m.id and (m.id if isinstance(m.id, str) else m.id[0]) not in marked)
    assert unused == [], "not used any more (`make catalogue` drops them):\n" + "\n".join(unused)
