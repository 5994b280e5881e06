"""What people read, in their language: message ids are English in the code, the zh_CN catalogue
(auditor/locale/zh_CN/LC_MESSAGES/auditor.po) gives the Chinese shown by default, `--lang en` shows the ids.

    from .i18n import _, N_
    _("{n} of {total} file(s) audited").format(n=3, total=5)
    HEADERS = [N_("status"), …]       # marked for extraction, translated where shown: _(HEADERS[0])

The catalogue is compiled to .mo when the package is built (hatch_build.py) and by `make`; a .mo older than
its .po (or none) is compiled in memory from the .po, so an edited catalogue never shows stale text.
Typer's own words (Options, Arguments, Commands, default, required, Aborted!) come from gettext's default
domain `messages`: a catalogue of that name beside ours translates them.
"""
from __future__ import annotations

import gettext
import io
import os
from functools import lru_cache
from pathlib import Path

DOMAIN = "auditor"
LOCALE_DIR = Path(__file__).with_name("locale")
LANGUAGES = {"zh": "zh_CN", "en": None}   # --lang value → catalogue (None: the English ids themselves)
DEFAULT = "zh"
ENV = "AUDITOR_LANG"

_language = os.environ.get(ENV, DEFAULT) if os.environ.get(ENV) in LANGUAGES else DEFAULT


def set_language(lang: str) -> None:
    """zh or en, for everything shown from now on (typer's framing words included)."""
    global _language
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; one of: {', '.join(LANGUAGES)}")
    _language = lang
    os.environ["LANGUAGE"] = LANGUAGES[lang] or "en"   # gettext's default domain reads it at each lookup
    gettext.bindtextdomain("messages", str(LOCALE_DIR))
    gettext._translations.clear()   # noqa: SLF001 - the stdlib caches per language; a switch must miss it


def language() -> str:
    return _language


@lru_cache(maxsize=None)
def catalogue(locale: str, domain: str = DOMAIN) -> gettext.NullTranslations:
    """The compiled catalogue, or one compiled now from the .po when the .mo is missing or older."""
    folder = LOCALE_DIR / locale / "LC_MESSAGES"
    po, mo = folder / f"{domain}.po", folder / f"{domain}.mo"
    if mo.is_file() and (not po.is_file() or mo.stat().st_mtime >= po.stat().st_mtime):
        with mo.open("rb") as fh:
            return gettext.GNUTranslations(fh)
    if not po.is_file():
        return gettext.NullTranslations()
    return gettext.GNUTranslations(io.BytesIO(compile_po(po)))


def compile_po(po: Path) -> bytes:
    """A .po file as .mo bytes (Babel), fuzzy entries left out as msgfmt does."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po
    with po.open("rb") as fh:
        cat = read_po(fh)
    out = io.BytesIO()
    write_mo(out, cat, use_fuzzy=False)
    return out.getvalue()


def _(message: str) -> str:
    locale = LANGUAGES[_language]
    return catalogue(locale).gettext(message) if locale else message


def ngettext(singular: str, plural: str, n: int) -> str:
    locale = LANGUAGES[_language]
    return catalogue(locale).ngettext(singular, plural, n) if locale else (singular if n == 1 else plural)


def N_(message: str) -> str:
    """Marks a message for extraction where it is defined; translate it with _() where it is shown."""
    return message


if _language != "en":   # typer's framing words follow from the start, not only after --lang
    set_language(_language)
