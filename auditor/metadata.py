"""What a report says about itself: title, issuing body, the year it covers, its date, document number, and
the level of the body. Unknown stays unknown (None), and the report says so.

The body is looked for wherever reports write it: the signature, a page's 发布机构 field, the issuer line
above the title, the title (also one longer than a heading, or run together with a site header), the subject
of the opening sentence (2023年，在区委的领导下，虹桥街道坚持…), 现将…报告如下, and last a pronoun
(我县, 本镇). A name that only says what kind of body it is (区政府, 县司法局, 我县) is kept but marked generic.
The level comes from the most specific administrative unit in the name; county-level cities are told from
prefecture-level ones with the national division codes shipped by the cpca package.

The body is given as a supervisor writes it on an envelope (the labelling guide's metadata): candidates are
cleaned of what was glued to them (a page's next field, a verb, quotation marks), then completed from the
text — 六郎镇 → 六郎镇人民政府, 东城区政府 → 北京市东城区人民政府, 农业农村部 → 中华人民共和国农业农村部,
a joint Party-government name as the government, 市民政局 → 汕尾市民政局 where the text writes that. What the
text never names stays unnamed (None) or generic, never a fragment.
"""
from __future__ import annotations

import csv
import importlib.util
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .dates import DATE, ISO_DATE, YEAR, iso, number, year_named
from .model import Outline
from .ocr import fold
from .parts import SIGNED_DATE, SIGNING_NAME, signing_name

_CJK = r"\u4e00-\u9fff"
_TITLE_WORDS = re.compile(r"法治|依法行政|报告|总结|通知|方案|要点|解读")
_TITLE_SCORE = (re.compile(YEAR + "年"), re.compile(r"法治|依法行政"), re.compile(r"报告|总结|通知|方案|要点|解读|汇报"))
_SENTENCE = re.compile(r"[。!?;]|,.*,|:$")   # sentence punctuation, two commas, a salutation (…办:): not a title
_TITLE_END = re.compile(r"(报告|总结|汇报|通知|方案|要点|解读|意见|规划|清单|安排|计划)(\(.{0,12}\))?$")
_SUBTITLE = re.compile(r"^\((?!" + DATE.pattern + r"\))[^()]{1,16}\)$")   # (综合报告), (2024年度), not (2020年3月24日)
_DESCRIBED = re.compile(r"现(?:将|就)(.{2,60}?)(?:报告|总结|汇报|通知|说明)如下")
_TITLE_YEAR = re.compile(YEAR + r"年度?")
# (after a title run into it, when the text lost its line breaks: …年度报告2019年，…; 湘屏市2025年法治政府建设情况2025年，…)
_RUN_IN_TITLE = r"(?:[^,。;]{2,60}?(?:报告|总结|情况)(?=\d))?"
_OPENING_YEAR = re.compile(r"^" + _RUN_IN_TITLE + r"在?" + YEAR + r"年度?(?:[,，以是来]|,|里|中|全年|上半年)")
OPENING_SENTENCES = 8   # the opening a report's own year is read from
_DATE_FIELD = re.compile(r"日期|时间|发布于|成文")
_REPORT_AS_FOLLOWS = re.compile(r"现将.{0,20}?" + YEAR + r"年度?.{0,30}?(?:报告|总结|汇报)如下")
_DOC_NUMBER = re.compile(r"^[" + _CJK + r"]{1,10}〔\d{4}〕\d{1,4}号$")
_BODY_END = re.compile(r"(人民政府|办事处|委员会|政府|局|委|办|厅|署|部|司法所|街道|乡|镇)$")
_DEPARTMENT = re.compile(r"(局|委员会|委|办公室|办|厅|署|部|中心|管委会)$")
_UNIT = re.compile(r"[" + _CJK + r"]{1,12}?(?:自治区|自治州|自治县|特别行政区|省|市|盟|地区|县|区|旗|街道办事处|街道|镇|乡|苏木|街$|"
                   r"州(?=\||$))")
_PARTY_COMMITTEE = re.compile(r"(省委|市委|州委|县委|区委|旗委|党委|党工委)$")
_NATIONAL = re.compile(r"^(原|国家|国务院|中华人民共和国)|(部|总局|总署|审计署)$")
MUNICIPALITIES = ("北京市", "天津市", "上海市", "重庆市")
SIGNATURE_LINES = 15   # a signature may sit above a web page footer (网站标识码, ICP备案, …)
FRONT_CHARS = 600      # titles, issuer lines and page fields stand in the first characters

# 区政府, 县司法局, 市教育局, 省人民政府, 我县, 本镇, xx市人民政府: the kind of body, not which one
GENERIC_UNITS = {"省": "province", "自治区": "province", "市": "city", "州": "city", "盟": "city",
                 "区": "county", "县": "county", "旗": "county", "镇": "township", "乡": "township",
                 "街道": "township", "街道办事处": "township", "街": "township"}
# a unit word right before an institution, with no place name: 区政府, 县司法局, 省教育厅, 全市司法行政系统
_INSTITUTION = (r"(?:人民政府|政府|党委|党工委|委员会|委|人大|政协|办事处|办公室|办|系统|[" + _CJK +
                r"]{0,10}?(?:局|厅|委|办|中心|署|部|所|系统))")
_UNIT_WORD = r"(自治区|街道办事处|街道|省|市|州|盟|区|县|旗|镇|乡|街)"
_GENERIC = re.compile(r"^(?:全|我|本|该)?" + _UNIT_WORD + r"(?=" + _INSTITUTION + r"|\||$)|^(?:xx|XX|××|某某|某)")
# words that hold a unit character without naming a place: 住房和城乡建设局, 市场监管局, 社区
_NOT_UNITS = re.compile(r"城乡|乡村|市场|城市|社区|区域|县域|镇域|市域|乡镇|地区性|省级|市级|县级|区级|镇级|乡级")
_END_UNIT = re.compile(r"(街道办事处|街道|苏木|镇|乡|街)$")   # the name ends with a township unit
_PRONOUN = re.compile(r"(?:我|本)(自治区|街道|省|市|州|区|县|旗|镇|乡|局|厅|委|办)")

# where a page names its publisher: [ 发布机构 ] 丰都县栗子乡人民政府, 信息来源:辰溪县船溪乡, 发文机关河南省人民政府成文日期
# (a field at a line's start or after a bracket, never 发文机关为党委 in running text); the value ends at the next field
# (or after another field's value: 索引号:…00031发布机构:东湖区青云街道办事处发布日期:…, spaces gone)
# a field starts a line or follows a separator; with its colon it may follow anything (a page without its line
# breaks: …主题分类:其他发布机构:云溪县沙坪镇人民政府)
_PUBLISHER = r"(发布机构|发文机关|发布单位|所属机构|信息来源|来源单位|来源)"
_PAGE_FIELD = re.compile(r"(?:(?:^|(?<=[\n\[【|\s\d]))" + _PUBLISHER + r"\s*[\]】:：]?|" + _PUBLISHER + r"[:：])\s*(["
                         + _CJK + r"()]{2,30})")
_FIELD_NAME = re.compile(r"发布机构|发文机关|发布单位|信息来源|来源单位|成文日期|发布日期|发布时间|生成日期|印发日期|索引号|"
                         r"失效时间|标题|发文字号|文号|主题分类|主题词|公开方式|公开形式|公开范围|公开时限|有效性|责任部门|"
                         r"责任科室|所属机构|浏览次数|点击数|来源|日期|时间")
# the title run together with other text: …www.site.com湖北省人民政府关于2023年度法治政府建设情况的报告2023年,…
_TITLE_IN_TEXT = re.compile(r"([" + _CJK + r"()、 ]{0,40}?(?:关于)?" + YEAR + r"年度?[" + _CJK + r"()、]{0,30}?"
                            r"(?:法治|依法行政)[" + _CJK + r"()、]{0,30}?(?:报告|总结))(?!如下)")
_NOT_A_TITLE = re.compile(r"现将|现就|做好|按照|根据|如下|提升|通知")   # a sentence that names the report
_VERBS = ("坚持|始终|认真|深入|全面|紧紧|紧扣|以|在|按照|围绕|聚焦|持续|切实|扎实|积极|不断|高度|严格|依法|牢牢|着力|"
          "立足|主动|大力|贯彻|落实|推进|把|将|进一步|继续|牢固|自觉|共|一以贯之")
_LED = r"(?:在[^,。]{2,60}?(?:领导|指导|关心|支持|监督)下,?)*"
# 2023年，（在区委、区政府的领导下，）龙门浩街道坚持… / 一年来，周溪乡在县委…
_OPENING_SUBJECT = re.compile(r"(?:^" + _RUN_IN_TITLE + r"|,)(?:" + YEAR + r"年度?|一年来|今年以来|过去一年)(?:以来|来)?,?" + _LED +
                              r"([" + _CJK + r"()A-Za-z×、]{2,24}?)(?:" + _VERBS + ")")
_NOT_A_NAME = re.compile(r"(法治政府建设|法治建设|依法行政).*$")   # 中村乡法治政府建设工作在… → 中村乡
# 现将县人民政府2022年…报告如下 / 现将2023年度枣庄市教育局法治政府建设…报告如下
_AS_FOLLOWS_BODY = re.compile(r"现将([" + _CJK + r"]{2,24}?)" + YEAR + r"年|现将" + YEAR + r"年度?([" + _CJK + r"]{2,24}?)"
                              r"(?:法治|依法行政|推进)")


# 我代表临江市人民政府向大会报告 / 受平山县人民政府委托: the body a speaker reports for
_ON_BEHALF = re.compile(r"(?:代表|受)([" + _CJK + r"]{2,24}?(?:人民政府|政府|办事处))(?:委托|,?向)")


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
    body_source: str | None = None     # signature | page | issuer | title | opening | as-follows | pronoun
    body_generic: bool = False         # the name says only what kind of body it is (区政府, 县司法局, 我县)
    described_as: str | None = None    # what the text says it is: 现将2023年普法工作情况总结如下 → 2023年普法工作情况总结


@lru_cache(maxsize=1)
def _divisions() -> dict[str, str]:
    """Unit name → level, from the national adcode table (12 digits: PPCCDD……)."""
    table: dict[str, str] = {}
    # located, not imported: cpca's __init__ pulls in pkg_resources (a quarter of a cold start)
    path = Path(importlib.util.find_spec("cpca").origin).parent / "resources" / "adcodes.csv"
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


@lru_cache(maxsize=1)
def _codes() -> tuple[dict[str, list[str]], dict[str, str]]:
    """Unit name → its division codes (a name may recur: 白云区 in 广州市 and 贵阳市), and code → name; the
    placeholders 市辖区 and 县 of the table are left out."""
    by_name: dict[str, list[str]] = {}
    by_code: dict[str, str] = {}
    path = Path(importlib.util.find_spec("cpca").origin).parent / "resources" / "adcodes.csv"
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["name"] in ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"):
                continue
            by_name.setdefault(row["name"], []).append(row["adcode"])
            by_code[row["adcode"]] = row["name"]
    return by_name, by_code


def _parents(unit: str) -> set[str]:
    """The city (or, for a municipality's district, the municipality) each division of this name lies in."""
    by_name, by_code = _codes()
    out = set()
    for code in by_name.get(unit, []):
        parent = by_code.get(code[:4] + "0" * 8) or by_code.get(code[:2] + "0" * 10)
        if parent and parent != unit:
            out.add(parent)
    return out


def _strip(body: str) -> str:
    name = re.sub(r"^(中共|中国共产党)", "", body).replace("人民政府", "|")
    return _NOT_UNITS.sub(lambda m: "丶" * len(m.group(0)), name)   # a character, so 省住房和城乡建设厅 stays one word


def is_generic(body: str) -> bool:
    """True when the name only says what kind of body it is: 区政府, 县司法局, 省人民政府, 我县, xx市人民政府."""
    name = _strip(body).split("|")[0] or _strip(body)
    return bool(_GENERIC.match(name) or _PRONOUN.fullmatch(body))


def level_of(body: str) -> tuple[str | None, str | None]:
    """The level of a body from the most specific unit in its name, or (None, None) when unknown. A generic
    name (市教育局) gives the level its unit word implies; a ministry with no place (司法部) is national."""
    name = _strip(body)
    department = _is_department(name, body)
    core = re.sub(r"(办事处|党委|党工委|政府)$", "", [seg for seg in name.split("|") if seg][-1] if name.strip("|") else "")
    if not department and (m := _END_UNIT.search(core)) and len(core) > len(m.group(1)):
        return "township", _township(core)   # 中山市东区街道, 德清县新市镇, …人民政府龙门浩街道办事处
    for unit in reversed(_UNIT.findall(name)):
        level = _unit_level(unit)
        if level:
            return (f"department:{level}" if department else level), unit
    if _GENERIC.match(name) or _PRONOUN.fullmatch(body):
        return _generic_level(name, body, department)
    if department and _NATIONAL.search(name):
        return "department:national", None
    if department and _UNIT.search(name):   # 岚州市公共资源交易中心: a department, its place's level unknown
        return "department", None
    return None, None


def _is_department(name: str, body: str) -> bool:
    """A department (局, 委, 办…), not a government's office (办事处, 行政公署) nor a Party committee."""
    return (bool(_DEPARTMENT.search(name)) and not name.endswith(("办事处", "行政公署"))
            and not _PARTY_COMMITTEE.search(name) and not _PARTY.match(body))


def _generic_level(name: str, body: str, department: bool) -> tuple[str | None, str | None]:
    """The level a generic name implies by its unit word (市教育局, xx市人民政府, 我县); a pronoun for a
    department (我局, 本厅) says only that it is a department."""
    unit = re.search(_UNIT_WORD, name)
    if unit:
        level = GENERIC_UNITS[unit.group(1)]
        return (f"department:{level}" if department else level), unit.group(0)
    if department or _PRONOUN.fullmatch(body):
        return "department", None
    return None, None


def _township(name: str) -> str:
    """The township's own name: the divisions above it stripped (辰溪县船溪乡 → 船溪乡, 中山市东区街道 → 东区街道)."""
    rest = name
    for unit in _UNIT.findall(name):
        after = rest[len(unit):] if rest.startswith(unit) else None
        if after is None or _divisions().get(unit) in (None, "township") or len(_END_UNIT.sub("", after)) < 2:
            break
        rest = after
    return rest


def _unit_level(unit: str) -> str | None:
    if unit.endswith(("街道办事处", "街道", "街", "镇", "乡", "苏木")):
        return "township"
    if unit in MUNICIPALITIES or unit.endswith(("省", "自治区", "特别行政区")):
        return "province"
    if unit.endswith(("县", "旗", "自治县")) or (unit.endswith("区") and not unit.endswith("地区")):
        return "county"
    if unit.endswith(("市", "州", "盟", "地区")):   # 恩施州, a short form the table lacks, is still a prefecture
        return _divisions().get(unit) or (None if unit.endswith("市") else "city")
    return None


# --- the body's name as a supervisor writes it on an envelope ---------------------------------------------

# where a name may end: an institution or an administrative unit (山海关区政府坚决 → 山海关区政府)
_NAME_END = re.compile(r"办公室|管理委员会|管委会|人民政府|政府|办事处|委员会|党工委|党委|党组|局|厅|委|办|署|部|中心|司法所|街道|苏木|镇|乡|街|"
                       r"自治区|自治州|自治县|省|市|州|盟|县|区|旗")
# a department's Party group or committee named for the department (民政部党组 → 民政部)
_PARTY_GROUP = re.compile(r"(?<=[部局厅委署办])(?:党组|党委)(?:理论学习中心组)?(?:\(扩大\))?$")
_TITLE_BODY_AFTER_YEAR = re.compile(r"(?:关于)?" + YEAR + r"年度?(?P<name>[" + _CJK + r"]{2,20}?)(?:法治|依法行政)")
_TITLE_BODY_BEFORE_YEAR = re.compile(r"关于(?P<name>[" + _CJK + r"]{2,20}?)" + YEAR + r"年")
# a joint Party-government name: 中共淮北市烈山区委烈山区人民政府, 青山镇党委、政府 → the government
_JOINT = re.compile(r"^(?:中共|中国共产党)?(.+?)(?:委员会|党工委|党委|委)[、和及]?(.*?(?:人民政府|政府|办事处))$")
# a Party committee named as the body: 中共青山镇委员会, 青山镇党委, 清波街道党工委 (a township's is read as the joint
# leadership and named by its government; a county's or higher stays a Party committee, ranked after governments)
_PARTY = re.compile(r"^(?:中共|中国共产党)|(?:党委|党工委|工委)$")
_PARTY_OF = re.compile(r"^(?:中共|中国共产党)?(.+?(?:镇|乡|街道|苏木))(?:委员会|党委|党工委|工委|委)$")
_COLLECTIVE = re.compile(r"^(?:全|各)(自治区|省|市|州|县|区|旗|镇|乡|街道)")   # 全省各级政府…: the whole place
# the State Council's ministries and commissions are written 中华人民共和国… on an envelope; their short forms
_MINISTRY = re.compile(r"^(?:[" + _CJK + r"]{2,12}部|审计署|海关总署|国家(?:发展和改革|民族事务|卫生健康)委员会)$")
_MINISTRY_SHORT = {"人社部": "人力资源和社会保障部", "住建部": "住房和城乡建设部", "工信部": "工业和信息化部",
                   "科技部": "科学技术部", "文旅部": "文化和旅游部", "国家发展改革委": "国家发展和改革委员会",
                   "国家发改委": "国家发展和改革委员会", "国家卫生健康委": "国家卫生健康委员会", "国家卫健委": "国家卫生健康委员会",
                   "国家民委": "国家民族事务委员会"}
_NATION = "中华人民共和国"
# a government's full name from its place: 六郎镇 → 六郎镇人民政府, 友谊路街道 → 友谊路街道办事处
_GOVERNMENT_OF = (("街道办事处", ""), ("街道", "办事处"), ("地区", "行政公署"), ("盟", "行政公署"),
                  ("自治区", "人民政府"), ("自治州", "人民政府"), ("自治县", "人民政府"), ("省", "人民政府"),
                  ("市", "人民政府"), ("州", "人民政府"), ("县", "人民政府"), ("区", "人民政府"), ("旗", "人民政府"),
                  ("镇", "人民政府"), ("乡", "人民政府"), ("苏木", "人民政府"))
# the body's own organs, naming a township: 下太镇委党校, 白公街道办事处, 青山镇党委, 青山镇人民政府
_TOWNSHIP_ORGAN = re.compile(r"([" + _CJK + r"]{2,6}?)(镇|乡|街道)(?=党委|党工委|委|人民政府|政府|办事处|办事|人大)")
_BEFORE_NAME = re.compile(r"(?:[在于对为和与及的了入将把由从向到是经据]|制定|印发|出台|修订|建立|成立|召开|组织|推动|推进)$")
_NOT_TOWNSHIP = re.compile(r"^(?:我|本|全|各|该|每|乡|村|城|集|小|依法治|法治|示范|所属|辖|各乡|\d)|依法治|法治|乡镇|城镇")
# a place named as itself, with its organs: 中共汕尾市委, 沁水县委, 廉江市人民政府, 来源:闽清县
_OWN_ORGAN = r"(?=县委|委|人民政府|政府|党委)"
_PLACE_END = re.compile(r"自治区|自治州|自治县|特别行政区|[省市州盟县区旗]")
# sentence-initial organs a report speaks of as itself: 市政府主要负责人履行…
_SELF_ORGAN = re.compile(r"^(?:[一二三四五六七八九十]是|\([一二三四五六七八九十]\))?(省|市|县|区|镇|乡)(?:人民)?政府(?!办公)")
# a department speaking of itself: 局党组, 我局, 本单位2019年度… (not 各部门结合本单位实际: any report says that)
_OWN_DEPARTMENT = re.compile(r"(?:^|[^" + _CJK + r"]|[是由经在和及与将])(?:局|厅)党组(?!织)|(?:本|我)(?:局|厅)|"
                             r"(?:本|我)单位(?=" + YEAR + ")")
_MUNICIPALITY_SHORT = tuple(m[:-1] for m in MUNICIPALITIES)


def _clean(name: str) -> str | None:
    """A candidate as a name, or None: quotes and brackets off, a page's next field and trailing words cut
    (河南省人民政府成文日期, 山海关区政府坚决), a repeated institution once (廉江市民政局民政局), a department's
    Party group as the department (民政部党组), the whole place as its collective (全省各级政府 → 全省)."""
    name = name.strip(" 《》〈〉“”\"'()【】[]、,:")
    if (cut := _FIELD_NAME.search(name, 2)) and cut.start() >= 2:
        name = name[:cut.start()]
    name = re.sub(r"街道办(?:事处?)?$", "街道办事处", name)   # 青石街道办: the street office, not a department
    name = re.sub(r"^(.{2,12}?(?:省|自治区|市|州|县|区|旗))各级(人民政府|政府)$", r"\1\2", name)   # 青海省各级人民政府
    if m := _COLLECTIVE.match(name):
        return "全" + m.group(1)
    if "、" in name and not _JOINT.match(name):   # 徐州市法宣办、徐州市司法局: the government, else the office
        parts = [p for p in name.split("、") if p]
        name = next((p for p in parts if re.search(r"(?:人民政府|政府|办事处)$", p)), None) \
            or next((p for p in parts if re.search(r"(?:局|厅|部|署|委员会)$", p)), parts[-1])
    ends = [m.end() for m in _NAME_END.finditer(name)]
    if not ends or name.startswith(("在", "依法治", "法治")):
        return None
    name = name[:ends[-1]]
    name = re.sub(r"([" + _CJK + r"]{2,8}?)\1$", r"\1", name)
    if _PARTY_GROUP.search(name):
        name = re.sub(r"^(?:中共|中国共产党)", "", _PARTY_GROUP.sub("", name))
    elif (m := _PARTY_OF.match(name)) and not _JOINT.match(name):
        name = m.group(1)   # 青山镇党委 → 青山镇, completed later to 青山镇人民政府
    return name if len(name) >= 2 else None


def _envelope(name: str) -> str:
    """The full name of a body the text names: a joint Party-government name as the government, a place as
    its government (六郎镇 → 六郎镇人民政府), 政府 as 人民政府, a ministry with 中华人民共和国. Generic names
    (区政府, 市民政局) and departments are kept as written."""
    if m := _JOINT.match(name):   # 平山县委、县政府 → 平山县政府; 青山镇党委、政府 → 青山镇政府
        place, government = m.group(1), m.group(2)
        if not _UNIT.search(_strip(government)):
            unit = re.match(_UNIT_WORD, government)
            if unit and place.endswith(unit.group(1)):
                government = government[len(unit.group(1)):]
            government = place + government
        name = government
    if is_generic(name):
        return name
    level = level_of(name)[0] or ""
    if level == "department:national":
        bare = name.removeprefix(_NATION)
        bare = _MINISTRY_SHORT.get(bare, bare)
        return _NATION + bare if _MINISTRY.match(bare) else bare
    if level.startswith("department"):
        return name
    name = _autonomous(name)
    name = re.sub(r"(?<!人民)政府$", "人民政府", name)
    if not name.endswith(("人民政府", "办事处", "行政公署")):
        for unit, suffix in _GOVERNMENT_OF:
            if name.endswith(unit) and len(name) > len(unit):
                return name + suffix
    return name


def _autonomous(name: str) -> str:
    """An autonomous prefecture or county by its short form, where the division table knows exactly one (湘西州 →
    湘西土家族苗族自治州, 长阳县 → 长阳土家族自治县)."""
    m = re.match(r"^([^\s省市区县州旗]{2,4})(州|县|旗)((?:人民)?政府)?$", name)
    if not m:
        return name
    full = [d for d in _divisions() if d.startswith(m.group(1)) and d.endswith("自治" + m.group(2))]
    return full[0] + (m.group(3) or "") if len(full) == 1 else name


def _named(text: str, level: str, organ: bool) -> Counter:
    """Places of one level ('county': 县, 区, 旗 and county-level 市; 'city'; 'province') the text names, with
    how often; `organ`: only where named with its organs (沁水县委, 中共汕尾市委, 廉江市人民政府)."""
    return Counter({name: n for name, n in _places_in(text, organ).items() if _unit_level(name) == level})


@lru_cache(maxsize=8)
def _places_in(text: str, organ: bool) -> Counter:
    """Every division of the table the text names, read at each unit character (…市, …县) rather than by
    searching the text for each of the table's 3,500 names."""
    by_name, _ = _codes()
    found: Counter = Counter()
    for m in _PLACE_END.finditer(text):
        end = m.end()
        with_organ = bool(re.match(_OWN_ORGAN, text[end:end + 4]))
        for k in range(2, min(end, 12) + 1):
            name = text[end - k:end]
            if name not in by_name or (organ and not with_organ):
                continue
            if k == 2:   # 城区, 郊区 are words; 滑县 only with its organs, after a boundary (在滑县县委, not 和县委)
                before = text[end - 3] if end >= 3 else ""
                if not name.endswith("县") or not with_organ or name[0] in "和与及或并" or \
                        (before and re.match(r"[" + _CJK + r"]", before) and before not in "在于对为将把由从向到是经"):
                    continue
            found[name] += 1
    return found


def _one(found: Counter) -> str | None:
    return next(iter(found)) if len(found) == 1 else None


def _township_named(text: str) -> str | None:
    """A township the text names with its own organs (下太镇委, 白公街道办事处): the shortest name that is
    written the same way every time it occurs, when only one township is named so. A name met once must
    stand after a word boundary (a punctuation mark, 在, 列入, 制定 …): no name is made of a verb's tail."""
    names: Counter = Counter()
    for m in _TOWNSHIP_ORGAN.finditer(text):
        head, unit = m.group(1), m.group(2)
        best = head[-2:] + unit   # most names have two characters; a longer one only where it recurs whole
        for k in range(3, len(head) + 1):   # 列入下太镇委 / 在下太镇落地: 下太 recurs, 入下太 does not
            name = head[-k:] + unit
            if text.count(name) < max(2, text.count(best)):
                break
            best = name
        start = m.end(2) - len(best)
        bounded = start == 0 or not re.match(r"[" + _CJK + r"]", text[start - 1]) or \
            _BEFORE_NAME.search(text[max(0, start - 2):start])
        if not _NOT_TOWNSHIP.search(best[:-len(unit)]) and (bounded or text.count(best) >= 2):
            names[best] += 1
    return _one(names)


def _core(name: str) -> str:
    return re.sub(r"^(?:中共|中国共产党)|(人民政府|政府|办事处)$", "", name)


def _same_body(a: str, b: str) -> bool:
    """The same body written two ways: 万古镇人民政府 and 滑县万古镇人民政府, 临江市 and 临江市人民政府 (not
    临江市人民政府 and 临江市民政局: a government and its department)."""
    def kind(name: str) -> bool:
        return (level_of(name)[0] or "").startswith("department")
    return (_core(a) in b or _core(b) in a) and kind(a) == kind(b)


def _fullest(body: str, candidates: list[tuple[str, str]]) -> str:
    """The longest way the text writes this same body (万古镇人民政府 → 滑县万古镇人民政府 in the title)."""
    core = _core(body)
    longer = [b for b, _ in candidates if core in b and len(b) > len(body) and not is_generic(b)
              and (level_of(b)[0] or "").split(":")[0] == (level_of(body)[0] or "").split(":")[0]]
    return max(longer, key=len) if longer else body


def complete(body: str, text: str) -> str:
    """The envelope name of a body in this text: a short form completed (_envelope); a township with the
    county the text names (郑庄镇 in a text on 沁水县委 → 沁水县郑庄镇人民政府); a district with its city
    when the text names it (白云区 in a text on 广州市 → 广州市白云区人民政府), a municipality's district always
    (怀柔区 → 北京市怀柔区人民政府: the division table knows it, and that is how they are written); a generic
    name (市民政局, 我镇, 市政府) completed with the one place the text names that way, else kept."""
    name = _envelope(body)
    if is_generic(name):
        name = _place_for_generic(name, text) or name
        if is_generic(name):
            return name
    level = level_of(name)[0] or ""
    units = _UNIT.findall(_strip(name).replace("|", ""))
    if level == "township" and len(units) == 1:
        county = _one(_named(text, "county", organ=False))
        county = county or _one(_named(text, "county", organ=True))
        if county and county not in name:
            name = county + name
    elif level == "county" and len(units) == 1 and units[0].endswith("区") and name.startswith(units[0]):
        city = _city_of_district(units[0], text)
        if city:
            name = city + name
    return name


def _city_of_district(district: str, text: str) -> str | None:
    """The city a district lies in, where the text names exactly one of its possible cities; a
    municipality's district is always written with it (北京市怀柔区), named or not."""
    parents = _parents(district)
    named = {p for p in parents if p in text}
    city = next(iter(named)) if len(named) == 1 else None
    if not city and len(parents) == 1 and next(iter(parents)) in MUNICIPALITIES:
        city = next(iter(parents))
    return city


def _place_for_generic(name: str, text: str) -> str | None:
    """市民政局 → 汕尾市民政局 where the text writes 汕尾市民政局 (or names one city with its organs); 我镇 →
    下太镇人民政府 where the text names one township with its organs; 市政府 → 包头市人民政府 only where the
    text names one city with its organs (中共包头市委)."""
    stripped = re.sub(r"^(?:全|我|本|该)", "", name)
    unit = re.match(_UNIT_WORD, stripped)
    if not unit:
        return None
    word, rest = unit.group(1), stripped[len(unit.group(1)):]
    if word in ("镇", "乡", "街道", "街道办事处", "街"):
        if rest and not re.fullmatch(r"(?:人民)?政府|办事处|党委|党工委", rest):
            return None   # 镇司法所: a township's office, not the township
        township = _township_named(text)
        return _envelope(township) if township else None
    levels = {"省": ("province",), "自治区": ("province",), "市": ("city", "county"), "州": ("city",),
              "区": ("county",), "县": ("county",), "旗": ("county",)}.get(word, ())
    department = rest and not re.fullmatch(r"(?:人民)?政府", rest)
    for level in levels:
        places = [p for p in _named(text, level, organ=False) if p.endswith(word)]
        if department:   # the full name written out: 《汕尾市民政局贯彻落实…》
            written = [p for p in places if p + rest in text]
            if len(written) == 1:
                return written[0] + rest
        own = {p: n for p, n in _named(text, level, organ=True).items() if p.endswith(word)}
        if len(own) == 1:
            place = next(iter(own))
            return place + rest if department else _envelope(place)
    return None


def _municipality(text: str) -> bool:
    """The text speaks of one municipality (上海, 重庆…) and of no prefecture-level city."""
    named = [m for m, short in zip(MUNICIPALITIES, _MUNICIPALITY_SHORT) if short in text]
    return len(named) == 1 and not _named(text, "city", organ=False).keys() - set(MUNICIPALITIES)


_LAST_STOP = re.compile(r"[。!;]")
_LEADING_DATE = re.compile(rf"^(?:{SIGNING_NAME}\s*)?" + DATE.pattern)
_FRONT_DATE = re.compile(r"\(" + DATE.pattern + r"\)|" + SIGNING_NAME + r"\s*" + DATE.pattern)
FRONT_LINE = 150   # a first line longer than this ran into the text: its title block is in these characters


def _closing_lines(text: str) -> list[str]:
    """The text's last lines; a last line that ran into the text before it (line breaks lost: …特此报告。平山县人民政府
    2024年3月1日) gives its signature after the last full stop as a line of its own."""
    lines = [ln.strip() for ln in text.strip().split("\n") if ln.strip()]
    if lines and not SIGNED_DATE.match(lines[-1]):
        stops = list(_LAST_STOP.finditer(lines[-1]))
        tail = lines[-1][stops[-1].end():].strip() if stops else ""
        if tail and SIGNED_DATE.match(tail):
            lines[-1:] = [lines[-1][:stops[-1].end()], tail]
    return lines


def _date(text: str) -> str | None:
    """The date the report was signed (a date line near the end), else a date at the top (a page's 成文日期):
    never a date in running text (于2024年6月30日前完成)."""
    lines = _closing_lines(text)
    for line in reversed(lines[-SIGNATURE_LINES:]):
        if (m := SIGNED_DATE.match(line)) and (found := iso(DATE.search(line))):
            return found
    first = _run_in_front(text)
    if first and (m := _LEADING_DATE.match(first) or _FRONT_DATE.search(first[:FRONT_LINE])) \
            and not re.match(r"\s*(?:星期|周)", first[m.end():]) and (found := iso(DATE.search(m.group(0)))):
        # a body and date line above or under the title, run into it when the line breaks were lost (龙塘乡人民政府
        # 2024年1月12日龙塘乡2023年…; …工作总结（2022年1月10日）2021年，我乡…)
        return found
    for line in text[:300].split("\n"):   # a page's 成文日期 / 发布时间 field, or a date line under the title
        if _DATE_FIELD.search(line) or SIGNED_DATE.match(line.strip().strip("()")):
            for m in list(DATE.finditer(line)) + list(ISO_DATE.finditer(line)):
                if found := iso(m):
                    return found
    return None





def _front_lines(text: str) -> list[str]:
    """The lines before the body begins (the first line of running text)."""
    out = []
    for line in text[:FRONT_CHARS * 2].split("\n"):
        line = line.strip()
        if len(line) >= 30 and _SENTENCE.search(line) or len(line) > 100:
            break
        if line:
            out.append(line)
    return out


def _title(text: str, outline: Outline) -> str | None:
    """The front line (or two lines, a title wrapped) that looks most like a title: a year, the topic, a
    document word, ending in that word; any length up to 100 characters. Else a title run together with the
    text around it."""
    lines = [ln for ln in _front_lines(text) if not _SENTENCE.search(ln) and not _DOC_NUMBER.match(ln)]
    # …关于报送2023年度法治政府建设 / 情况报告的通知; …示范区申报材料 / (综合报告): a subtitle in brackets
    wrapped = [a + b for a, b in zip(lines, lines[1:])
               if len(a + b) <= 100 and (_SUBTITLE.match(b) or not _TITLE_END.search(a) and _TITLE_END.search(b)
                                         and (not any(p.search(fold(b)) for p in _TITLE_SCORE[:2])
                                              or re.search(r"关于|" + YEAR + r"年度?$", fold(a))
                                              and not _TITLE_SCORE[0].search(fold(b))
                                              and not _TITLE_SCORE[1].search(fold(a))))]
    candidates = [ln for ln in lines + wrapped if _TITLE_WORDS.search(fold(ln)) and len(ln) >= 4
                  and not _SUBTITLE.match(ln)]
    if candidates:
        def score(ln: str) -> tuple:
            folded = fold(ln)
            return sum(bool(p.search(folded)) for p in _TITLE_SCORE), bool(_TITLE_END.search(folded))
        return max(reversed(candidates), key=score)
    m = _TITLE_IN_TEXT.search(text[:FRONT_CHARS].split("。")[0])
    if not m or _NOT_A_TITLE.search(m.group(1)):
        return None
    return re.sub(r"^[号日]", "", m.group(1).strip(" 、()"))   # …〔2021〕9号湖南省…, …1月12日龙池乡…: a number or date run in


def extract(text: str, outline: Outline, furniture: str = "") -> Metadata:
    """Metadata of one normalized report; `furniture`: the page's lines dropped as furniture (发布日期…来源：…), where
    a publisher's name may stand (normalized to simplified script)."""
    front = [h for h in outline.headings if h.level == 0]
    title = _title(text, outline)
    doc_number = next((h.title for h in front if _DOC_NUMBER.match(h.title)), None)
    date = _date(text)
    opening = [text[s.start:s.end] for s in outline.sentences[:15]]
    opening_year = _opening_year(opening)
    # a page's publication date dropped as furniture is no 成文日期, but it still dates a title without a year
    year, source = _year(title, opening_year, date or (_date("\n" + furniture) if furniture else None))

    found = _publisher_apart(list(_bodies(text, outline, front, title, opening, furniture)))
    signed = any(where == "signature" for _, where in found)
    candidates = _candidates(found)
    body, body_source = _chosen(candidates)
    if body:
        # the page around the text names places too (县政府 on a site headed 桐岗县人民政府; 南门街道 under 东湖区)
        body = complete(_fullest(body, candidates), text + "\n" + furniture if furniture else text)
    level, unit = _level(body, candidates, text)
    described = next((m.group(1) + m.group(0)[-4:-2] for sent in opening if (m := _DESCRIBED.search(sent))), None)
    return Metadata(title, body, year, source, date, doc_number, level, unit, signed, opening_year, body_source,
                    bool(body) and is_generic(body), described)


def _opening_year(opening: list[str]) -> int | None:
    """The year the opening sentences speak of (2023年，…; 现将2023年度…报告如下; 2023年，虹桥街道坚持…)."""
    return next((number(m.group(1)) for sent in opening[:OPENING_SENTENCES]
                 if (m := (_OPENING_YEAR.match(sent) or _REPORT_AS_FOLLOWS.search(sent)
                           or _OPENING_SUBJECT.match(sent))) and m.group(1)), None)


def _year(title: str | None, opening_year: int | None, date: str | None) -> tuple[int | None, str | None]:
    """The year a report covers and where it was read: its title, else its opening, else its date (a report
    signed in the first half of a year covers the year before)."""
    if title and (first := year_named(title)):
        return first, "title"
    if opening_year is not None:
        return opening_year, "opening"
    if date:
        y, month = int(date[:4]), int(date[5:7])
        return (y - 1 if month <= 6 else y), "date"
    return None, None


_PLACE_PRONOUN = re.compile(r"^(?:我|本)(?:自治区|街道|省|市|州|区|县|旗|镇|乡)$")


def _publisher_apart(found: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """A department in a page's publisher field, where the text speaks of itself as a place (我市, 本县) and
    nothing else names the body: the department (often the 司法局) posted the government's report."""
    pronoun = next((name for name, where in found if where == "pronoun" and _PLACE_PRONOUN.match(name)), None)
    if pronoun is None or any(where in ("signature", "issuer", "title", "opening", "as-follows") and not is_generic(name)
                              for name, where in found):
        return found
    unit = pronoun[1:]
    kept = []
    for name, where in found:
        if where == "page" and (level_of(name)[0] or "").startswith("department"):
            place = re.match(r"^(.{2,12}?" + unit + ")", name)   # 瑞昌市司法局 for 我市: 瑞昌市 is the body
            if place and not _NOT_UNITS.search(place.group(1)):
                kept.append((place.group(1), where))
            continue
        kept.append((name, where))
    return kept


def _candidates(found: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The names found, cleaned, a government before a Party committee; a line or page field above a title
    that names another body is the site's, not the issuer, and is dropped."""
    candidates = [(name, where) for raw, where in found if (name := _clean(raw))]
    candidates.sort(key=lambda c: bool(_PARTY.search(c[0])))
    titled = next((b for b, w in candidates if w == "title" and not is_generic(b)), None)
    if titled:
        candidates = [(b, w) for b, w in candidates if w not in ("issuer", "page") or _same_body(b, titled)]
    return candidates


def _chosen(candidates: list[tuple[str, str]]) -> tuple[str | None, str | None]:
    """(body, where) of the first specific name with a known level, else the first specific name, else the
    first name at all."""
    chosen = next(((b, w) for b, w in candidates if not is_generic(b) and level_of(b)[0]), None) \
        or next(((b, w) for b, w in candidates if not is_generic(b)), None) \
        or next(iter(candidates), None)
    return chosen if chosen else (None, None)


_LED = re.compile(r"在([^,。;]{2,40}?)(?:的)?(?:坚强|正确|有力)?领导下")   # led by, not supported or guided by
_PREFECTURE_LED = re.compile(r"(?:州委|盟委|地委|行署|州政府|州人民政府)")
_COUNTY_LEVEL_SAID = re.compile(r"(?:作为|我市(?:是|系|为))[^。]{0,12}县级市|代管的县级市")
_CITY_COMMITTEE = re.compile(r"(?:^|(?<=[、和及与]))([" + _CJK + r"]{1,5}市)委")


def _under_another_city(unit: str, text: str) -> bool:
    """The opening names another city's Party committee, or a prefecture's (州委, 盟委), as leading it (在岳川市委、
    市政府和云岫市委的正确领导下), or calls it a county-level city: the 市 is a county-level city."""
    front = text[:FRONT_CHARS * 2]
    if _COUNTY_LEVEL_SAID.search(front) or any(_PREFECTURE_LED.search(led.group(1)) for led in _LED.finditer(front)):
        return True   # 在州委、州政府的坚强领导下; 作为岳川市代管的县级市
    return any(len(city) > 2 and city != unit and not unit.startswith(city) and not city.endswith(unit)
               and not re.search(r"政府|[省和及与委]", city)
               for led in _LED.finditer(front) for city in _CITY_COMMITTEE.findall(led.group(1)))


def _place_of(body: str | None, unit: str | None) -> str | None:
    """The 市 a body is of: its unit, or the place its name begins with when the unit is only 市 (a generic name)."""
    if unit and len(unit) > 1:
        return unit if unit.endswith("市") else None
    m = re.match(r"([" + _CJK + r"]{2,6}?市)", body or "")
    return m.group(1) if m else None


def _level(body: str | None, candidates: list[tuple[str, str]], text: str) -> tuple[str | None, str | None]:
    """(level, unit) of the chosen body; a name without a unit (东城街道's 海滨街?) leaves it to another
    candidate; then what the text says of itself may make it a department's or a municipality's."""
    level, unit = level_of(body) if body else (None, None)
    if level is None:
        level, unit = next((lv for b, _ in candidates if (lv := level_of(b))[0]), (None, None))
    if (level or "").split(":")[0] != "department" and _OWN_DEPARTMENT.search(text[:FRONT_CHARS * 4]) \
            and (not body or is_generic(body)):   # 局党组, 本单位: a department, whatever place it speaks of
        level = f"department:{level}" if level else "department"
    elif level in ("city", "department:city") and unit and unit.endswith("市") and body and is_generic(body) \
            and _municipality(text):   # 本市 in a text on 上海: a municipality, a province's level
        level = level.replace("city", "province")
    elif level in (None, "city", "department:city") and (place := _place_of(body, unit)) \
            and _under_another_city(place, text):
        level = level.replace("city", "county") if level else "county"
    return level, unit


def _bodies(text: str, outline: Outline, front, title: str | None, opening: list[str], furniture: str = ""):
    """(name, where) of every place the report names its body, most trustworthy first."""
    page = text[:FRONT_CHARS] + "\n" + furniture
    fields = list(_page_bodies(page))
    yield from _signature_body(text)
    yield from ((name, "page") for name, field in fields if field != "来源")
    yield from _issuer_bodies(front, title)
    yield from _run_in_byline(text)
    yield from _title_body(title)
    yield from _opening_bodies(opening)
    yield from ((name, "page") for name, field in fields if field == "来源")   # a plain 来源: after the text's own
    yield from _crumb_bodies(page)
    yield from _self_named(opening)


def _signature_body(text: str):
    """The name signed above the closing date: 平山县人民政府（盖章）/ 2024年3月1日, or both on one line."""
    lines = _closing_lines(text)
    for i in range(len(lines) - 1, max(-1, len(lines) - SIGNATURE_LINES), -1):
        if SIGNED_DATE.match(lines[i]):
            name = signing_name(lines[i]) or (signing_name(lines[i - 1]) if i > 0 else None)
            if name:
                yield name, "signature"
            break


def _page_bodies(text: str):
    """(name, field) of a page's publisher fields (发布机构, 信息来源, 来源…) that hold a body's name."""
    for m in _PAGE_FIELD.finditer(text):
        field, name = m.group(1) or m.group(2), _FIELD_NAME.split(m.group(3))[0]
        # a plain 来源 may name a newspaper or a site (来源：人民网): only a body's name counts
        if _BODY_END.search(name) or (field != "来源" and _UNIT.search(name)):
            yield name, field


def _crumb_bodies(text: str):
    """A breadcrumb's deepest crumb that names a body, the site's own first crumb aside (某县人民政府门户网站 >
    乡镇动态 > 石坪乡人民政府; 首页 > 乡镇街道 > 白沙镇人民政府 > 通知公告)."""
    for line in text.split("\n"):
        if ">" in line or "›" in line:
            crumbs = [c.strip() for c in re.split(r"[>›]+", line)]
            body = next((c for c in reversed(crumbs[1:]) if _BODY_END.search(c) and _UNIT.search(c) and len(c) <= 30),
                        None)
            if body:
                yield body, "page"


_BYLINE = re.compile(r"^[(（]\s*([^\s()（）]{2,30}?)\s*(?:(?:19|20)\d{2}年\d{1,2}月\d{1,2}日)?\s*[)）]$")


def _issuer_bodies(front, title: str | None):
    """Front lines other than the title that end like a body (平山县人民政府文件), or a byline under the title
    (（凤岭县卫生健康局 2022年1月18日）)."""
    for h in front:
        name = re.sub(r"文件$", "", h.title)
        if (m := _BYLINE.match(name.strip())):
            name = m.group(1)
        if h.title != title and _BODY_END.search(name) and len(name) <= 40:
            yield name, "issuer"


_RUN_IN_NUMBER = re.compile(r"^[" + _CJK + r"]{1,10}〔\d{4}〕\d{1,4}号")
# a byline run in after the title when the line breaks were lost: …情况报告汶阳市卫生健康委员会2021年3月8日市委、市政府：
_RUN_IN_BYLINE = re.compile(r"(?:报告|总结|汇报)\)?\(?(" + SIGNING_NAME + r")\s*\(?" + DATE.pattern)


def _run_in_front(text: str) -> str | None:
    """The first line of a text whose title block ran into its body (line breaks lost): a line longer than
    FRONT_LINE starting in the first characters, where a page's banner or fields may stand above it."""
    at = 0
    for line in text[:FRONT_CHARS].split("\n"):
        if len(line) >= FRONT_LINE:   # (cut at FRONT_CHARS: the whole line from the text)
            return text[at:].split("\n", 1)[0].strip()
        at += len(line) + 1
    return None


def _run_in_byline(text: str):
    """The body of a byline run in after the title, in a first line that ran into the text."""
    first = _run_in_front(text)
    if first and (m := _RUN_IN_BYLINE.search(first[:FRONT_LINE])):
        yield m.group(1), "issuer"


def _title_body(title: str | None):
    """The body a title names: before its topic, after a site's header run into it, or around its year."""
    if not title:
        return
    title = _RUN_IN_NUMBER.sub("", title)   # 湘交法规〔2021〕9号湖南省交通运输厅关于…: the number run into it
    head = re.split(r"关于|" + YEAR + r"年|法治|依法行政|首页", title, maxsplit=1)[0].strip()
    # a site's header run into the title, with its toggles (无障碍 简体|繁体凤岭区2023年度…)
    head = re.split(r"[-—_|>»]|门户网站|网站|繁体|简体|无障碍|关怀版|长者版", head)[-1].strip()
    if len(head) >= 2 and not _TITLE_WORDS.search(head):
        yield head, "title"
    elif (m := _TITLE_BODY_AFTER_YEAR.match(title) or _TITLE_BODY_BEFORE_YEAR.match(title)) and \
            (_UNIT.search(m.group("name")) or _BODY_END.search(m.group("name"))):
        yield m.group("name"), "title"   # 2020年静海区法治政府建设情况报告, 关于平山县2023年度…的报告


def _opening_bodies(opening: list[str]):
    """Per opening sentence: its subject, the body of 现将…报告如下, and the body a speaker reports for."""
    for sent in opening:
        m = _OPENING_SUBJECT.search(sent)
        name = _NOT_A_NAME.sub("", m.group(2)) if m else ""
        if len(name) >= 2 and not name.startswith(("我", "本")) and name not in ("全年", "今年", "过去"):
            yield name, "opening"
        m = _AS_FOLLOWS_BODY.search(sent)
        if m and (name := m.group(1) or m.group(4)) and not name.startswith(("我", "本", "有关", "全年")):
            yield name, "as-follows"
        if m := _ON_BEHALF.search(sent):
            yield m.group(1), "as-follows"


def _self_named(opening: list[str]):
    """How the opening speaks of its own body: the first pronoun (我县, 本镇), then the first sentence opening
    on its own government (市政府主要负责人履行…)."""
    for sent in opening:
        m = _PRONOUN.search(sent)
        if m:
            yield m.group(0), "pronoun"
            break
    for sent in opening:
        if m := _SELF_ORGAN.match(sent):
            yield sent[m.start(1):m.end()], "opening"
            break
