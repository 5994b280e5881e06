"""What a report says about itself: title, issuing body, the year it covers, its date, document number, and
the level of the body. Unknown stays unknown (None), and the report says so.

The level comes from the most specific administrative unit in the body's name; county-level cities are told
from prefecture-level ones with the national division codes shipped by the cpca package.
"""
from __future__ import annotations

import csv
import importlib.resources
import re
from dataclasses import dataclass
from functools import lru_cache

from .ocr import fold
from .model import Outline

_YEAR = r"(20[0-4]\d)"
_TITLE_WORDS = re.compile(r"法治|依法行政|报告|总结")
_TITLE_YEAR = re.compile(_YEAR + r"年度?")
_OPENING_YEAR = re.compile(r"^(?:在?)" + _YEAR + r"年度?(?:[,，以是来]|,|里|中|全年|上半年)")
_REPORT_AS_FOLLOWS = re.compile(r"现将.{0,20}?" + _YEAR + r"年度?.{0,30}?(?:报告|总结|汇报)如下")
_DATE = re.compile(_YEAR + r"年(\d{1,2})月(\d{1,2})日")
_ISO_DATE = re.compile(_YEAR + r"-(\d{1,2})-(\d{1,2})")
_DOC_NUMBER = re.compile(r"^[\u4e00-\u9fff]{1,10}〔\d{4}〕\d{1,4}号$")
_BODY_END = re.compile(r"(人民政府|办事处|委员会|政府|局|委|办|厅|署|司法所|街道|乡|镇)$")
_DEPARTMENT = re.compile(r"(局|委员会|委|办公室|办|厅|署|部|中心)$")
_UNIT = re.compile(r"[\u4e00-\u9fff]{1,12}?(?:自治区|自治州|自治县|特别行政区|省|市|盟|地区|县|区|旗|街道办事处|街道|镇|乡|苏木)")
_PARTY_COMMITTEE = re.compile(r"(省委|市委|州委|县委|区委|旗委|党委|党工委)$")
# 2023年，龙门浩街道坚持… : the subject of the opening sentence names the body when nothing else does
_OPENING_SUBJECT = re.compile(_YEAR + r"年度?,?(?:以来,?)?([\u4e00-\u9fff]{2,20}?)(?:坚持|始终|认真|深入|全面|紧紧|紧扣|以|在|按照|围绕|聚焦|持续|切实|扎实|积极|不断|高度)")
SIGNATURE_LINES = 15   # a signature may sit above a web page footer (网站标识码, ICP备案, …)
MUNICIPALITIES = ("北京市", "天津市", "上海市", "重庆市")


@dataclass(frozen=True)
class Metadata:
    title: str | None = None
    body: str | None = None
    year: int | None = None
    year_source: str | None = None     # title | opening | as-follows | date
    date: str | None = None            # ISO yyyy-mm-dd
    doc_number: str | None = None
    level: str | None = None           # township | county | city | province | department:<level>
    level_unit: str | None = None      # the administrative unit the level was read from
    signed: bool = False               # a signature line (the body) right before the closing date
    opening_year: int | None = None    # the year the opening sentence speaks of


@lru_cache(maxsize=1)
def _divisions() -> dict[str, str]:
    """Unit name → level, from the national adcode table (12 digits: PPCCDD……)."""
    table: dict[str, str] = {}
    path = importlib.resources.files("cpca").joinpath("resources/adcodes.csv")
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            code, name = row["adcode"], row["name"]
            if code[2:] == "0" * 10:
                level = "province"
            elif code[4:] == "0" * 8:
                level = "city"
            elif code[6:] == "0" * 6:
                level = "county"
            else:
                level = "township"
            table.setdefault(name, level)
    return table


def level_of(body: str) -> tuple[str | None, str | None]:
    """The level of a body from the most specific unit in its name, or (None, None) when unknown."""
    name = re.sub(r"^(中共|中国共产党)", "", body).replace("人民政府", "|")
    units = _UNIT.findall(name)
    department = (bool(_DEPARTMENT.search(name)) and not name.endswith("办事处")
                  and not _PARTY_COMMITTEE.search(name))
    for unit in reversed(units):
        if unit.endswith(("街道办事处", "街道", "镇", "乡", "苏木")):
            level = "township"
        elif unit in MUNICIPALITIES or unit.endswith(("省", "自治区", "特别行政区")):
            level = "province"
        elif unit.endswith(("县", "旗", "自治县")) or (unit.endswith("区") and not unit.endswith("地区")):
            level = "county"
        elif unit.endswith(("市", "州", "盟", "地区")):
            level = _divisions().get(unit)
            if level is None:
                continue
        else:
            continue
        return (f"department:{level}" if department else level), unit
    return None, None


def _date(text: str) -> str | None:
    tail = text[-300:]
    found = list(_DATE.finditer(tail)) or list(_DATE.finditer(text[:300])) or list(_ISO_DATE.finditer(text[:300]))
    if not found:
        return None
    y, m, d = (int(g) for g in found[-1].groups())
    return f"{y:04d}-{m:02d}-{d:02d}" if 1 <= m <= 12 and 1 <= d <= 31 else None


def extract(text: str, outline: Outline) -> Metadata:
    """Metadata of one normalized report."""
    front = [h for h in outline.headings if h.level == 0]
    titles = [h.title for h in front if _TITLE_WORDS.search(fold(h.title)) and not _DOC_NUMBER.match(h.title)]
    title = titles[-1] if titles else None
    doc_number = next((h.title for h in front if _DOC_NUMBER.match(h.title)), None)
    date = _date(text)

    year, source = None, None
    if title and (m := _TITLE_YEAR.search(title)):
        year, source = int(m.group(1)), "title"
    body_sentences = [text[s.start:s.end] for s in outline.sentences[:12]]
    opening_year = next((int(m.group(1)) for sent in body_sentences
                         if (m := (_OPENING_YEAR.match(sent) or _REPORT_AS_FOLLOWS.search(sent)))), None)
    if year is None and opening_year is not None:
        year, source = opening_year, "opening"
    if year is None and date:
        y, month = int(date[:4]), int(date[5:7])
        year, source = (y - 1 if month <= 6 else y), "date"

    body, signed = _body(text, outline, front, title)
    if body is None:
        body = next((m.group(2) for sent in body_sentences[:3] if (m := _OPENING_SUBJECT.match(sent))
                     and not m.group(2).startswith(("我", "本"))), None)
    level, unit = level_of(body) if body else (None, None)
    return Metadata(title, body, year, source, date, doc_number, level, unit, signed, opening_year)


def _body(text: str, outline: Outline, front, title: str | None) -> tuple[str | None, bool]:
    """The issuing body and whether the report is signed: the signature line before the closing date, else a
    front-matter issuer line or the title's head (unsigned)."""
    lines = [ln.strip() for ln in text.strip().split("\n") if ln.strip()]
    for i in range(len(lines) - 1, max(-1, len(lines) - SIGNATURE_LINES), -1):
        if _DATE.fullmatch(lines[i]) and i > 0 and _BODY_END.search(lines[i - 1]) and len(lines[i - 1]) <= 30:
            return lines[i - 1], True
    for h in front:
        if h.title != title and _BODY_END.search(re.sub(r"文件$", "", h.title)):
            return re.sub(r"文件$", "", h.title), False
    if title:
        head = re.split(r"关于|" + _YEAR + r"年|法治|依法行政|首页", title, maxsplit=1)[0]
        if len(head) >= 2 and not _TITLE_WORDS.search(head):
            return head, False
    return None, False
