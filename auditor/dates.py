"""Dates and years as reports write them: 2024年3月4日, 二〇二四年三月四日, 二○二四年, 2024-03-04.

Chinese numerals are read like Arabic ones, so a date written out in characters is a date.
"""
from __future__ import annotations

import re
from datetime import date

_DIGIT = "〇○零ＯO一二三四五六七八九"
_VALUE = {"〇": 0, "○": 0, "零": 0, "Ｏ": 0, "O": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
          "八": 8, "九": 9}
YEAR = rf"(20[0-4]\d|二[〇○零ＯO][{_DIGIT}]{{2}})"
_SMALL = r"(\d{1,2}|[一二三四五六七八九十]{1,3})"   # months and days: 3, 12, 三, 十二, 三十一
DATE = re.compile(YEAR + r"年" + _SMALL + r"月" + _SMALL + r"日")
ISO_DATE = re.compile(r"(20[0-4]\d)-(\d{1,2})-(\d{1,2})")
DATE_LINE = re.compile(r"^\s*" + DATE.pattern + r"\s*$")


def number(text: str) -> int:
    """2024, 二〇二四 (digit by digit), 12, 十二, 二十一, 三十一 → int."""
    if text.isdigit():
        return int(text)
    if "十" in text:
        tens, _, units = text.partition("十")
        return (_VALUE[tens] if tens else 1) * 10 + (_VALUE[units] if units else 0)
    value = 0
    for ch in text:
        value = value * 10 + _VALUE[ch]
    return value


_YEAR_WORD = re.compile(YEAR + r"年")


def years_named(title: str) -> list[int]:
    """The years a title or heading is about, in order: not those inside 《》 or （…）, nor the end of a
    range (2021—2025年)."""
    found = []
    for m in _YEAR_WORD.finditer(title):
        before = title[:m.start()]
        inside = before.rfind("《") > before.rfind("》") or before.rfind("(") > before.rfind(")")
        if not inside and not re.search(r"[—–\-~至]$", before):
            found.append(number(m.group(1)))
    return found


def year_named(title: str) -> int | None:
    """The first year a title is about (None: it names none)."""
    return next(iter(years_named(title)), None)


def iso(match: re.Match) -> str | None:
    """yyyy-mm-dd from a DATE or ISO_DATE match, or None when there is no such day (2024年2月30日)."""
    y, m, d = (number(g) for g in match.groups())
    try:
        return date(y, m, d).isoformat()
    except ValueError:
        return None
