"""The words people read for the auditor's stable identifiers, in the language in force (auditor.i18n): statuses,
levels, places in the original. Every renderer takes them from here; machine formats keep the identifiers."""
from __future__ import annotations

import re

from .i18n import N_, _
from .status import GAPS_FIRST, Status   # GAPS_FIRST: the renderers read the display order here too

LEVELS = {"township": N_("township (street office)"), "county": N_("county level"), "city": N_("city"),
          "province": N_("province"), "department": N_("department")}



def status(value: Status | str) -> str:
    return Status(value).label


GROUPS = {"statutory-parts": N_("statutory contents"), "core-elements": N_("core elements"),
          "gangyao-areas": N_("Outline task areas"), "form": N_("form")}
# report.quality: what reading and normalizing did to the input (keys from read.py, formats/ and normalize.py,
# stable in JSON); what a person reads for each
QUALITY = {
    "undecodable bytes replaced": N_("{n} undecodable byte(s) replaced"),
    "byte-order mark contradicts the content": N_("the byte-order mark contradicts the content"),
    "NUL bytes replaced": N_("{n} NUL byte(s) replaced"),
    "web page furniture dropped (chars)": N_("{n} character(s) of web page furniture dropped"),
    "no article found: whole page text used": N_("no article found: the whole page text was used"),
    "garbled runs repaired": N_("{n} garbled run(s) repaired"),
    "garbled runs left": N_("{n} garbled run(s) could not be repaired"),
    "Word residue removed": N_("{n} piece(s) of Word residue removed"),
    "script converted (chars)": N_("{n} traditional character(s) converted to simplified"),
    "page furniture dropped (chars)": N_("{n} character(s) of page headers, footers and numbers dropped"),
    "line breaks joined": N_("{n} line break(s) joined"),
    "pinyin glosses removed": N_("{n} pinyin gloss(es) removed"),
    "watermarks removed": N_("{n} watermark(s) removed"),
    "doubled punctuation collapsed": N_("{n} doubled punctuation mark(s) collapsed"),
}
_NESTED = re.compile(r"page nested deeper than (\d+) levels: flattened")


def level(value: str | None) -> str:
    """乡镇（街道）, 县级, …; a department of a level (department:county) as 县级部门, national as 中央部门."""
    if value and value.startswith("department:"):
        of = value.split(":", 1)[1]
        return _("{level} department").format(level=_("national") if of == "national" else level(of))
    return _(LEVELS[value]) if value in LEVELS else (value or _("level unknown"))


KINDS = {"element": N_("element"), "section": N_("part of the report"), "metadata": N_("form check")}
SEVERITIES = {"error": N_("severity: error"), "warning": N_("severity: warning"), "info": N_("severity: info")}


def kind(value: str) -> str:
    return _(KINDS[value]) if value in KINDS else value


TIERS = {"must-fix": N_("must be fixed"), "could-improve": N_("could be better")}


def tier(value: str | None) -> str:
    """必须整改 / 建议完善 (a finding's tier), empty for no gap."""
    return _(TIERS[value]) if value else ""


def severity(value: str) -> str:
    return _(SEVERITIES[value]) if value in SEVERITIES else value


ROLES = {"who": N_("who"), "act": N_("act"), "object": N_("object"), "setting": N_("what it goes into")}


def role(name: str) -> str:
    """A concept's role as a person reads it: 主体, 行为, 对象, 载体."""
    return _(ROLES[name]) if name in ROLES else name


def wording(phrase: str, roles: dict) -> str:
    """The words that matched: a phrase, or a concept's words by role (主体：党组；行为：学习会；对象：宪法)."""
    if not roles:
        return phrase
    return _("; ").join(_("{role}: {words}").format(role=role(r), words=w) for r, w in roles.items())


def override(fields: dict) -> str:
    """What a profile changes in a rule, as a person reads it: 严重程度：提示; other fields as written."""
    shown = []
    for key, value in fields.items():
        if key == "severity":
            shown.append(severity(value))
        elif key == "deadline" and isinstance(value, dict) and "due" in value:
            month, day = value["due"].split("-")
            shown.append(_("due by {month}/{day} of the next year").format(month=int(month), day=int(day)))
        else:
            shown.append(f"{key}: {value}")
    return _("; ").join(shown)


def group(value: str) -> str:
    return _(GROUPS[value]) if value in GROUPS else value


def quality(kind: str, n: int) -> str:
    """One input-quality note (report.quality's key and count) as a person reads it."""
    nested = _NESTED.fullmatch(kind)
    if nested:
        return _("page nested deeper than {depth} levels: flattened").format(depth=nested.group(1))
    return _(QUALITY[kind]).format(n=n) if kind in QUALITY else f"{kind} {n}"


def place(where: str, place: dict | None) -> str:
    """第9段, 第3页第5行, 第12行第5列, 表1第2行第3格 (or their English) from an evidence's `place` numbers; the
    stored `where` when there are none."""
    p = place or {}
    if p.get("table"):
        return _("table {table} row {row} cell {cell}").format(table=p["table"], row=p.get("row"), cell=p.get("cell"))
    if p.get("paragraph"):
        return _("para {paragraph}").format(paragraph=p["paragraph"])
    if p.get("page"):
        return _("page {page} line {line}").format(page=p["page"], line=p.get("line"))
    if p.get("line"):
        return _("line {line} column {column}").format(line=p["line"], column=p.get("column", 1))
    return where


def gaps_first(findings: list) -> list:
    """Findings ordered as a supervisor reads them: the gaps that must be fixed, the gaps that could be better
    (each by status: missing, partial, planned, shortcoming), then the met, the waived and the not applicable;
    the rule order kept within each."""
    order = {s: i for i, s in enumerate(GAPS_FIRST)}
    tiers = {"must-fix": 0, "could-improve": 1}
    return sorted(findings, key=lambda f: (tiers.get(getattr(f, "tier", None), 2), order[f.status]))


_TOWNSHIP = re.compile(r"([^省市区县州旗盟府]{2,10}?(?:镇|乡|街道|苏木))(?:人民政府|政府|办事处)?$")


def short_body(name: str | None) -> str:
    """A body's name short enough for a narrow column: a township's or street's own name without its higher
    units and office word (重庆市南岸区人民政府龙门浩街道办事处 → 龙门浩街道); other names as they are."""
    if not name:
        return ""
    found = _TOWNSHIP.search(name)
    return found.group(1) if found else name


def counted(findings: list) -> tuple[int, int]:
    """(met, checked): the rules met, of the rules checked — met or a gap; not applicable and waived are not
    counted — the one count every output states (满足 21/30, 共审核30项，其中满足21项)."""
    met = sum(f.status.value == "met" for f in findings)
    return met, met + sum(f.status.is_gap for f in findings)
