"""Dates and years as reports write them: 2024年3月4日, 二〇二四年三月四日, 二○二四年, 2024-03-04.

Chinese numerals are read like Arabic ones, so a date written out in characters is a date.
"""
from __future__ import annotations

import re

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


def iso(match: re.Match) -> str | None:
    """yyyy-mm-dd from a DATE or ISO_DATE match, or None when month or day is impossible."""
    y, m, d = (number(g) for g in match.groups())
    return f"{y:04d}-{m:02d}-{d:02d}" if 1 <= m <= 12 and 1 <= d <= 31 else None
