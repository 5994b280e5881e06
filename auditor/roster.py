"""The bodies expected to report this season, and who has: a roster (typed, pasted, or a .xlsx/.csv/.txt with a
单位 column) matched against the reports' bodies, each body 已报送, 逾期报送 or 未报送, and the reports whose
year is not the season's or whose body is on no line of the roster.

Matching is by name, never by file: the report's body as its metadata reads it (北京市东城区人民政府) and the
roster's line (东城区政府, 东城区) meet when they name the same body once the kind-of-office words at the end
(人民政府, 政府, 办事处) and spaces are set aside, or when one is the other with its higher units in front, and only
when exactly one roster line fits. A generic name (区政府, 我县) fits no line: such a report is linked by hand."""
from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Iterable

from .i18n import _

NAME_HEADERS = ("单位", "单位名称", "报送单位", "机关", "名称", "主体")
_OFFICE_WORDS = re.compile(r"(?:人民政府|政府|办事处|管理委员会|管委会)$")
_IGNORED = re.compile(r"[\s\u3000·•.,，、()（）\[\]【】《》\"'“”‘’]")
REPORTED, LATE, MISSING = "reported", "late", "missing"


@dataclass(frozen=True)
class Handed:
    """One report as the roster sees it: who (the metadata's body), which year, when it came (the upload time,
    or the date the report is signed), and the caller's own key for it (a path, a row id)."""
    key: Any
    body: str | None
    year: int | None = None
    received: date | None = None
    generic: bool = False


@dataclass
class Entry:
    body: str                                   # as the roster writes it
    state: str = MISSING                        # reported | late | missing
    reports: list[Handed] = field(default_factory=list)


@dataclass
class Season:
    entries: list[Entry]
    unmatched: list[Handed]                     # on no line of the roster (or a generic name: link by hand)
    off_year: list[Handed]                      # a report of another year than the season's

    def of(self, state: str) -> list[Entry]:
        return [e for e in self.entries if e.state == state]


def key(name: str) -> str:
    """A body's name as matching compares it: simplified, NFKC, without spaces, punctuation and the office word
    at its end (东溪镇人民政府 → 东溪镇)."""
    from .normalize import _t2s
    text = _IGNORED.sub("", unicodedata.normalize("NFKC", _t2s().convert(name or "")))
    return _OFFICE_WORDS.sub("", text) or text


def parse(text: str) -> list[str]:
    """A roster typed or pasted: one body per line (a leading number, 1. or 1、, is dropped); blank lines and
    repeats left out, order kept."""
    names, seen = [], set()
    for line in text.splitlines():
        name = re.sub(r"^\s*\d{1,4}\s*[.、．)）]?\s*", "", line).strip().strip("，,;；")
        if name and key(name) not in seen:
            seen.add(key(name))
            names.append(name)
    return names


def read(path: Path) -> list[str]:
    """The bodies a roster file lists: .xlsx (the column headed 单位 or a like word, else the first column),
    .csv (likewise), anything else as text, one body per line. A ValueError (one Chinese line) when the file
    cannot be read or lists nobody."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        from .errors import os_reason
        raise ValueError(_("cannot read the roster {file}: {reason}").format(file=path, reason=os_reason(exc)))
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        rows = _xlsx_rows(data, path)
    elif suffix == ".csv":
        rows = list(csv.reader(io.StringIO(_text(data, path))))
    else:
        rows = None
    names = parse(_text(data, path)) if rows is None else parse("\n".join(_column(rows)))
    if not names:
        raise ValueError(_("the roster {file} lists no body (one per line, or a column headed 单位)").format(
            file=path))
    return names


def _text(data: bytes, path: Path) -> str:
    from .read import decode
    try:
        return decode(data, str(path))[0]
    except Exception as exc:   # noqa: BLE001 - an AuditorError (no encoding reads it) said as one line
        raise ValueError(_("cannot read the roster {file}: {reason}").format(file=path, reason=exc))


def _xlsx_rows(data: bytes, path: Path) -> list[list[str]]:
    import openpyxl
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:   # noqa: BLE001 - not a workbook, damaged: one line
        raise ValueError(_("cannot read the roster {file}: {reason}").format(
            file=path, reason=_("not an .xlsx workbook")) + f" ({type(exc).__name__})")
    sheet = book.worksheets[0]
    rows = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    book.close()
    return rows


def _column(rows: list[list[str]]) -> list[str]:
    """The names' column: the first whose header is one of NAME_HEADERS (its rows below), else the first."""
    for r, row in enumerate(rows[:5]):
        for c, cell in enumerate(row):
            if cell.strip() in NAME_HEADERS:
                return [x[c] for x in rows[r + 1:] if c < len(x)]
    return [x[0] for x in rows if x]


def check(bodies: Iterable[str], handed: Iterable[Handed], *, deadline: date | None = None,
          year: int | None = None) -> Season:
    """Each roster body with its reports and state; a report after the deadline makes its body late unless an
    earlier one came in time; reports of no roster body and of another year are listed apart."""
    entries = [Entry(b) for b in bodies]
    keys = [key(e.body) for e in entries]
    unmatched, off_year = [], []
    for h in handed:
        if year is not None and h.year is not None and h.year != year:
            off_year.append(h)
        found = None if h.generic or not h.body else _match(key(h.body), keys)
        if found is None:
            unmatched.append(h)
            continue
        entries[found].reports.append(h)
    for e in entries:
        if not e.reports:
            continue
        in_time = deadline is None or any(h.received is None or h.received <= deadline for h in e.reports)
        e.state = REPORTED if in_time else LATE
    return Season(entries, unmatched, off_year)


def _match(name: str, keys: list[str]) -> int | None:
    """The one roster line this body is: the same key, else the only line the name ends with (重庆市綦江区东溪镇
    is 东溪镇) or that ends with the name; None when none or several fit."""
    exact = [i for i, k in enumerate(keys) if k == name]
    if len(exact) == 1:
        return exact[0]
    if exact:
        return None
    near = [i for i, k in enumerate(keys) if len(k) >= 2 and (name.endswith(k) or k.endswith(name))
            and len(min(k, name, key=len)) >= 3]
    return near[0] if len(near) == 1 else None
