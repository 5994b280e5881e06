"""Raw text → normalized text for matching, with a map from every normalized character to the original.

Matching runs on the normalized text; evidence is always quoted from the original through `origin`.
Steps: unify line breaks, repair out-of-step GBK (mojibake.py), drop Word residue and site watermarks, fold
full/half width (NFKC), traditional → simplified (OpenCC hk2s: t2s after Hong Kong variants; not tw2sp, which rewrites 程序→进程 in
simplified text), strip pinyin glosses like 鎮(zhèn), drop quotes, page furniture (page numbers, running
headers, web navigation lines), join hard-wrapped lines (PDF), drop stray spaces inside CJK runs, collapse
doubled punctuation (`,,` and `一,、`). `changes` counts what each step did, for the input-quality line.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

import opencc

from .mojibake import find_repairs


@dataclass(frozen=True)
class Normalized:
    text: str
    origin: tuple[int, ...]   # origin[i] = index in the original text of normalized character i
    changes: dict[str, int] = field(default_factory=dict)   # what was done to the text, and how much
    damaged: tuple[int, ...] = ()   # original offsets of garbled runs that could not be recovered
    repaired: tuple[tuple[int, int], ...] = ()   # original spans of garbled runs that were repaired
    dropped: tuple[tuple[int, int], ...] = ()    # original spans dropped as furniture (never quoted)

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Normalized [start, end) → original [start, end), covering everything the span came from."""
        if start >= end:
            o = self.origin[start] if start < len(self.origin) else (self.origin[-1] + 1 if self.origin else 0)
            return o, o
        return self.origin[start], self.origin[end - 1] + 1


_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüêńňǹḿ"
# A gloss may repeat (a page glossed twice) and, copied out of a PDF, carry spaces or a line break, or be
# letter-spaced away from its character (責 ( f ù )).
_PINYIN_GLOSS = re.compile(rf"(?<=[{_CJK}])(?:[ \t]?\(\s?[a-z{_TONED}](?:\s?[a-z{_TONED}]){{0,6}}\s?\))+")
_QUOTES = re.compile("[\"'“”‘’「」『』〝〞″′]")
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
# Horizontal white space; kept (as one space) only between two ASCII letters or digits.
_SPACES = re.compile(r"[ \t\u00a0\u3000\u2002-\u200a\u202f]+")
_PUNCT_RUN = re.compile(r"[,、;:。!?]{2,}")
# an English full stop ending a Chinese sentence (typed with an English keyboard, or ． folded): 。, not inside a number,
# an address or a numbered heading (一.加强组织领导)
_LATIN_STOP = re.compile(r"(?<=[\u3400-\u9fff)\"”’》」』%])[ \t]*\.(?![A-Za-z.])")
_NUMERAL_HEADING = re.compile(r"(?:^|\n)[ \t]*[一二三四五六七八九十]{1,3}$")
# A letter-spaced line (a PDF's spaced-out date or caption: 2 0 2 2 年 1 1 月): every gap is one character
# wide, so the spaces go even between digits.
_LETTER_SPACED = re.compile(r"(?m)^[ \t]*(?:\S[ \t]+){3,}\S[ \t]*$")
# What converters leave of Word: bookmarks ([bookmark: _GoBack]) and image placeholders.
_WORD_RESIDUE = re.compile(r"\[(?:bookmark|image): [^\]\n]{0,200}\]")
# A republishing site's watermark: site name, slogan and its address, glued into the text (秘书之家—全网资源
# 每日更新www.mishuzj.com). Government addresses (gov.cn) are content, not watermarks.
# The lookahead reads Latin only: \w would read on through a run of Chinese at every position (quadratic).
_DOMAIN = r"(?<![a-z0-9./-])(?:https?://)?(?:www\.)?(?=[a-z0-9-])(?![a-z0-9.-]*gov\.cn)[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|net|org|cn|cc|top|vip)(?![a-z])(?:/[\w./?=&-]*)?"
_DOMAIN_ANYWHERE = re.compile(_DOMAIN)
_WATERMARK = re.compile(rf"(?:(?:[{_CJK}]{{2}}(?:之家|文库)|[{_CJK}]{{2,4}}网)[—–-]?(?:[{_CJK}]{{2,10}}?)?)?{_DOMAIN}")
# Lines that are page furniture: page numbers (— 3 —, 第3页 共9页, 3/9) and web navigation or footers. Never \s
# here: it crosses line breaks, and a run of blank lines then costs the square of its length.
_PAGE_NUMBER = r"[-—–~][ \t]*\d{1,3}[ \t]*[-—–~]|第[ \t]*\d{1,3}[ \t]*页(?:[ \t]*[,/]?[ \t]*共[ \t]*\d{1,3}[ \t]*页)?|\d{1,3}[ \t]*/[ \t]*\d{1,3}"
_NAV = (r"首[ \t]*页[ \t]*(?:[>›]|[ \t]|$)|当前位置|您当前所在位置|您所在的位置|您的位置|无障碍|简体[ \t]*\|?[ \t]*繁体|网站地图|相关词条|热门词条"
        r"|联络我们|联系我们|打印本页|关闭窗口|\[?打印|分享到|【?[ \t]*字体|字号[::]|来源[::].{0,40}(?:发布)?时间"
        r"|发布时间[::]|浏览次数|.{0,30}ICP备|.{0,30}公网安备|版权所有|主办单位|承办单位|今天是"
        r"|索[ \t]*引[ \t]*号[ \t]*[::]|公开方式[::]|主题分类[::]|成文日期[::]")   # a page's file fields
# A breadcrumb line: short names joined by > or >> (政务公开 > 工作报告), perhaps with a > before the first
# (the first may be the site's name: 东湖区人民政府 南门街道办事处 > 政务公开 > …)
# (a crumb's words neither start nor end with a space, so the spaces around a separator split one way only: a line
# full of separators would otherwise backtrack through every split)
_BREADCRUMB = (r"(?:[>›]{1,2}[ \t]*)?(?:[^\n>›。,;\s](?:[^\n>›。,;]{0,22}[^\n>›。,;\s])?[ \t]*[>›]{1,2}[ \t]*){1,12}"
               r"[^\n>›。,;]{1,20}")
# A site's banner: the government's or department's name and the columns the page sits in (某县人民政府　政务公开;
# 某省交通运输厅　政府信息公开　法治政府建设)
_BANNER = (r"[^\n,。;:]{2,24}(?:人民政府|政府|门户网站|政府网|厅|局|委员会|办公室|办事处|部|署)(?:[ \t]+(?:政务公开|政府信息公开|信息公开"
           r"|信息公开目录|法定主动公开内容|通知公告|工作动态|政务动态|新闻中心|政策文件|政府文件|规划计划|法治政府建设|法治建设"
           r"|依法行政|政策法规|其他法定公开内容|重点领域信息公开)){1,3}")
_FURNITURE_LINE = re.compile(rf"(?m)^[ \t]*(?:(?:{_PAGE_NUMBER}|{_BREADCRUMB}|{_BANNER})[ \t]*$|(?:{_NAV})[^\n]{{0,80}}$)\n?")
# a site column, the last crumb run into the title (…> 通知公告市教育局2023年…)
_COLUMN = (r"(?:法定主动公开内容|其他主动公开文件|主动公开内容|政府信息公开|政务公开|信息公开|工作报告|年度报告|总结报告|规划计划"
           r"|法治政府建设|通知公告|工作动态|政策文件)")
# A breadcrumb that runs into the page's text (>政务公开 >政府信息公开 >…>某县法治政府建设工作报告2020年，…): three
# or more separators opening a line; what follows the last one is the page's own words and stays
_BREADCRUMB_PREFIX = re.compile(r"(?m)^[ \t]*[^\n>›。,;\d]{0,12}(?:[>›]{1,2}[ \t]*[^\n>›。,;\d]{1,16}){2,12}[>›]{1,2}[ \t]*"
                                r"(?:" + _COLUMN + r"(?![ \t]*[>›»]))?")
# the same crumbs inside a line (a page copied without its line breaks: 首页 > 政务公开 > 年度报告吉水镇2024年…): each
# crumb that ends in > goes; the last one runs into the title and stays
_CRUMB = r"[^<>›»。,;:\n\d/]{1,16}?[ \t]*[>›»]{1,2}[ \t]*"   # not a tag's <b>…</b>
_INLINE_CRUMBS = re.compile(r"(?:(?:" + _COLUMN + r")?(?:(?:您)?(?:当前|所在)的?位置[ \t]*:[ \t]*(?:首页[ \t]*[>›»]{1,2}[ \t]*)?"
                            r"|(?:(?:您)?(?:当前|所在)的?位置[ \t]*)?首页[ \t]*[>›»]{1,2}[ \t]*)(?:" + _CRUMB + ")*"
                            r"|(?:" + _CRUMB + "){2,})"   # 水利部 > 政务公开 > …: two crumbs or more
                            r"(?:" + _COLUMN + "(?![ \t]*[>›»]))?"   # the last crumb, a site column, run into the title
                            r"|(?:政务公开|信息公开|政府信息公开|法定主动公开内容|工作报告|年度报告|法治政府建设|通知公告|工作动态)"
                            r"[ \t]*[>›»]{1,2}[ \t]*"
                            # a page's fields run into the text: 公开形式 主动公开
                            r"|(?:公开形式|公开方式|公开属性|公开类型|公开范围)[ \t|:]*(?:主动公开|依申请公开|面向社会)"
                            # a site banner's columns after the body's name: 湖北省交通运输厅 政府信息公开 法治政府建设
                            r"|(?:(?<=政府)|(?<=[厅局委办部署]))[ \t]+(?:政府信息公开|政务公开|信息公开)(?:[ \t]+" + _COLUMN + ")?(?=[ \t\n]|$)")
# a page's fields run into the text (a page copied without its line breaks: …年度报告发布日期:2024-02-29信息来源:编辑:某局
# 审核:某局字号:[]…): a run of labelled fields, each with a date, a count, a body's name or nothing as its value; a bare
# 来源/编辑/审核 only where no Chinese character comes before it (资金来源: is text) or after another field
_DATE_LABEL = r"(?:发布|成文|生成|更新|发文|发表)(?:日期|时间)"
_ORGAN_LABEL = r"(?:信息来源|文章来源|稿件来源|来源单位|发布机构|发布单位|所属机构|发文机关|责任编辑|供稿单位)"
_BARE_LABEL = r"(?:来源|编辑|审核|作者|供稿)"
_COUNT_LABEL = r"(?:浏览次数|点击数|点击量|阅读数|阅读量|访问量)"
_FIELD_LABEL = rf"(?:{_DATE_LABEL}|{_ORGAN_LABEL}|{_BARE_LABEL}|{_COUNT_LABEL}|字号|字体)[ \t]*:"
# a body's name as a field's value: it ends where the next field, a number, a space or a bracket begins (a field
# whose value runs on into the text is left there, label and all)
_ORGAN_VALUE = (rf"(?:[{_CJK}]{{2,24}}?(?:人民政府|政府|办公室|办事处|局|委员会|委|办|厅|部|中心|镇|乡|街道|本网|网))?"
                r"(?=[ \t\d【\[(|\n]|$|" + _FIELD_LABEL + ")")   # (an empty value too: a label left as is keeps a boundary)
_FIELD = (_DATE_LABEL + r"[ \t]*:[ \t]*\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?(?:[ \t]*\d{1,2}:\d{2}(?::\d{2})?)?"
          r"|" + _ORGAN_LABEL + r"[ \t]*:[ \t]*" + _ORGAN_VALUE +
          r"|" + _COUNT_LABEL + r"[ \t]*:(?:[ \t]*\d{1,7}次?(?![\d年.-]))?"
          r"|【?[ \t]*(?:字号|字体)[ \t]*:[ \t]*(?:\[[ \t]*\]|[\[【]?[ \t]*大[ \t]*中[ \t]*小[ \t]*[\]】]?)"
          r"|【[ \t]*字体[ \t]*:|来源[ \t]*:[ \t]*本[网站]"
          r"|今天是[ \t]*:?[ \t]*\d{4}年\d{1,2}月\d{1,2}日[ \t]*(?:星期[一二三四五六日天])?[ \t]*(?:农历[^\d\s,。]{2,6}?[初十廿三][一二三四五六七八九十])?"
          r"|【[ \t]*(?:打印|关闭|关闭窗口|打印本页)[ \t]*】|\[[ \t]*(?:打印|关闭|关闭窗口)[ \t]*\]|打印本页|关闭窗口")
_BARE_FIELD = _BARE_LABEL + r"[ \t]*:[ \t]*" + _ORGAN_VALUE
_INLINE_FIELDS = re.compile(rf"(?:{_FIELD}|(?<![{_CJK}]){_BARE_FIELD})(?:[ \t]*(?:{_FIELD}|{_BARE_FIELD}))*")
_HEADING_START = re.compile(r"[一二三四五六七八九十]+、|\([一二三四五六七八九十\d]{1,3}\)|第[一二三四五六七八九十]+(?:部分|章|节|条)"
                            r"|\d{1,2}[、.](?!\d)")


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("hk2s")   # t2s, with Hong Kong variants first (衞生 → 卫生, which t2s keeps)


def _fold_width(text: str, origin: list[int]) -> tuple[str, list[int]]:
    """Line separators → \n, ideographic space → space, other non-ASCII → NFKC (全角 → half width)."""
    table = {}
    for ch in set(text):
        new = "\n" if ch in "\r\u2028\u2029" else " " if ch == "\u3000" else (
            ch if ch.isascii() else unicodedata.normalize("NFKC", ch))
        if new != ch:
            table[ch] = new
    # one character for one (，→ , and most others): the map stays as it is
    text = text.translate({ord(ch): new for ch, new in table.items() if len(new) == 1})
    longer = {ch: new for ch, new in table.items() if len(new) != 1}
    if longer:
        text, origin = _rewrite(text, origin, _any_of(longer), lambda m: longer[m.group()])
    return text, origin


def _to_simplified(text: str, origin: list[int]) -> tuple[str, list[int]]:
    conv = _t2s()
    out, org, pos = [], [], 0
    for line in text.splitlines(keepends=True):
        simple = conv.convert(line)
        if len(simple) == len(line):
            out.append(simple)
            org.extend(origin[pos:pos + len(line)])
        else:   # a phrase conversion changed the length: fall back to characters to keep the map exact
            for i, ch in enumerate(line):
                c = conv.convert(ch)
                out.append(c)
                org.extend([origin[pos + i]] * len(c))
        pos += len(line)
    return "".join(out), org


def _rewrite(text: str, origin: list[int], pattern: re.Pattern, repl, changes: Counter | None = None,
             kind: str = "", dropped: list | None = None) -> tuple[str, list[int]]:
    """re.sub that keeps the origin map; replacement characters taken from the match keep their origin.
    Counts the matches under `kind` in `changes` when both are given; records removed spans in `dropped`."""
    if not pattern.search(text):
        return text, origin
    out, org, last = [], [], 0
    for m in pattern.finditer(text):
        if kind and changes is not None:
            changes[kind] += 1
        if dropped is not None and m.end() > m.start():
            dropped.append((origin[m.start()], origin[m.end() - 1] + 1))
        out.append(text[last:m.start()])
        org.extend(origin[last:m.start()])
        new = repl(m)
        k = m.group(0).find(new) if new else -1
        base = m.start() + k if k >= 0 else m.start()
        out.append(new)
        org.extend(origin[base + i] if k >= 0 else origin[base] for i in range(len(new)))
        last = m.end()
    out.append(text[last:])
    org.extend(origin[last:])
    return "".join(out), org


def _space(m: re.Match) -> str:
    s, e = m.start(), m.end()
    before = m.string[s - 1] if s else ""
    after = m.string[e] if e < len(m.string) else ""
    return " " if before.isascii() and before.isalnum() and after.isascii() and after.isalnum() else ""


def _collapse_punct(m: re.Match) -> str:
    run = m.group(0)
    for strong in "。!?":
        if strong in run:
            return strong
    return run[-1]


def _repair_mojibake(text: str, origin: list[int], changes: Counter):
    out, org, last, damaged, repaired = [], [], 0, [], []
    for r in find_repairs(text):
        out.append(text[last:r.start])
        org.extend(origin[last:r.start])
        out.append(r.text)
        org.extend(origin[i] for i in r.origin)
        last = r.end
        changes["garbled runs repaired" if r.recovered else "garbled runs left"] += 1
        if r.recovered:
            repaired.append((origin[r.start], origin[r.end - 1] + 1))
        else:
            damaged.append(origin[r.start])
    out.append(text[last:])
    org.extend(origin[last:])
    return "".join(out), org, damaged, repaired


def _running_headers(text: str) -> re.Pattern | None:
    """Short captions repeated on many pages (a PDF's running header or footer); a repeated sentence
    (with a comma or a full stop) is content, not furniture."""
    counts = Counter(line.strip() for line in text.split("\n"))
    repeated = [line for line, n in counts.items()
                if n >= 3 and 4 <= len(line) <= 30 and not _HEADING_START.match(line) and re.search(f"[{_CJK}]", line)
                and not re.search("[,;:。!?]", line)]
    if not repeated:
        return None
    return re.compile("(?m)^[ \t]*(?:" + "|".join(map(re.escape, repeated)) + ")[ \t]*\n?")


def _any_of(chars) -> re.Pattern:
    return re.compile("[" + "".join(map(re.escape, chars)) + "]")


def _without(text: str, chars: list[str]) -> str:
    """text with every one of chars deleted (a regular expression: str.translate is slow on CJK text)."""
    return _any_of(chars).sub("", text) if chars else text


def _wrap_breaks(text: str) -> list[int]:
    """Hard-wrapped text (a PDF's lines): most lines run to one width. A line break after a full line is a
    wrap, unless the line ends a sentence or the next line is indented, empty or opens a numbered heading.
    Returns their offsets."""
    lines = text.split("\n")
    sizes = _laid_out_sizes(text, lines)
    width = _wrap_width([n for n, line in zip(sizes, lines) if line.strip()])
    if width is None:
        return []
    lo, hi = width
    breaks, pos = [], 0
    for line, n, nxt in zip(lines, sizes, lines[1:]):
        pos += len(line)
        indent = len(line) - len(line.lstrip(" \t"))   # a paragraph's indent takes its first line's room
        if (lo <= n <= hi or lo <= n + 2 * indent <= hi) and _runs_on(line, nxt):
            breaks.append(pos)
        pos += 1
    return breaks


def _laid_out_sizes(text: str, lines: list[str]) -> list[int]:
    """Each line's laid-out width: Latin letters and digits are half as wide as Chinese characters and
    punctuation, and white space other than the line break takes none."""
    chars = set(text)
    spaces = _without(text, [ch for ch in chars if ch.isspace() and ch != "\n"]).split("\n")
    wide = _without(text, [ch for ch in chars if ch.isalnum() and ch < "\u2e80"]).split("\n")
    return [2 * len(solid) - (len(line) - len(full)) for line, solid, full in zip(lines, spaces, wide)]


def _wrap_width(lengths: list[int]) -> tuple[int, int] | None:
    """The range of widths of a full line, when the text's lines (`lengths`: of the lines with text) are hard
    wrapped: enough of them run to one width and hardly any beyond it; None for text laid out otherwise."""
    long = [n for n in lengths if n >= 24]
    if len(long) < 4:
        return None
    width = max(Counter(long).most_common(), key=lambda kv: (kv[1], kv[0]))[0]
    lo, hi = width - 4, width + 4
    full = sum(lo <= n <= hi for n in lengths)
    if full < 4 or full < 0.35 * len(lengths) or sum(n > hi for n in lengths) > 0.1 * len(lengths):
        return None
    return lo, hi


def _runs_on(line: str, nxt: str) -> bool:
    """Does a full line's text run on into the next line: the line ends no sentence, and the next is not
    indented, empty or a numbered heading?"""
    return bool(nxt.strip()) and not nxt[0].isspace() and line.rstrip()[-1] not in "。!?:;" \
        and not _HEADING_START.match(nxt)


def _drop(text: str, origin: list[int], positions: list[int]) -> tuple[str, list[int]]:
    if not positions:
        return text, origin
    gone = set(positions)
    kept = [i for i in range(len(text)) if i not in gone]
    return "".join(text[i] for i in kept), [origin[i] for i in kept]


def normalize(raw: str) -> Normalized:
    """Normalize a whole report; see the module docstring for the steps."""
    changes: Counter = Counter()
    text, origin = raw, list(range(len(raw)))
    text, origin = _rewrite(text, origin, re.compile(r"\r\n"), lambda m: "\n")
    text, origin, damaged, repaired = _repair_mojibake(text, origin, changes)
    dropped: list[tuple[int, int]] = []
    text, origin = _rewrite(text, origin, _WORD_RESIDUE, lambda m: "", changes, "Word residue removed", dropped)
    text, origin = _fold_width(text, origin)
    text, origin = _rewrite(text, origin, _LATIN_STOP,
                            lambda m: m.group() if _NUMERAL_HEADING.search(m.string, max(0, m.start() - 8), m.start())
                            else m.group()[:-1] + "。")
    before = text
    text, origin = _to_simplified(text, origin)
    converted = sum(a != b for a, b in zip(before, text)) if before != text and len(before) == len(text) else 0
    if converted:
        changes["script converted (chars)"] = converted
    text, origin = _rewrite(text, origin, _INVISIBLE, lambda m: "")
    size = len(text)
    text, origin = _rewrite(text, origin, _FURNITURE_LINE, lambda m: "", dropped=dropped)
    text, origin = _rewrite(text, origin, _BREADCRUMB_PREFIX, lambda m: "", dropped=dropped)
    text, origin = _rewrite(text, origin, _INLINE_CRUMBS, lambda m: "", dropped=dropped)
    text, origin = _rewrite(text, origin, _INLINE_FIELDS, lambda m: "", dropped=dropped)
    headers = _running_headers(text)
    if headers:
        text, origin = _rewrite(text, origin, headers, lambda m: "", dropped=dropped)
    if size > len(text):
        changes["page furniture dropped (chars)"] = size - len(text)
    # lines are measured as laid out, so wraps are joined before glosses and quotes leave them
    wraps = _wrap_breaks(text)
    if wraps:
        text, origin = _drop(text, origin, wraps)
        changes["line breaks joined"] = len(wraps)
    spaced = [m.start() + i for m in _LETTER_SPACED.finditer(text) for i, ch in enumerate(m.group()) if ch in " \t"]
    text, origin = _drop(text, origin, spaced)
    text, origin = _rewrite(text, origin, _PINYIN_GLOSS, lambda m: "", changes, "pinyin glosses removed")
    # after joining and glosses: a watermark may cross a wrap or carry glosses of its own
    if _DOMAIN_ANYWHERE.search(text):   # the watermark pattern is slow to fail; its address part is quick
        text, origin = _rewrite(text, origin, _WATERMARK, lambda m: "", changes, "watermarks removed", dropped)
        # a watermark between a character and its gloss (责<watermark>(fù)) hid the gloss from the first pass
        text, origin = _rewrite(text, origin, _PINYIN_GLOSS, lambda m: "", changes, "pinyin glosses removed")
    text, origin = _rewrite(text, origin, _QUOTES, lambda m: "")
    text, origin = _rewrite(text, origin, _SPACES, _space)
    text, origin = _rewrite(text, origin, _PUNCT_RUN, _collapse_punct, changes, "doubled punctuation collapsed")
    return Normalized(text, tuple(origin), dict(changes), tuple(damaged), tuple(repaired), tuple(sorted(dropped)))


def furniture_text(raw: str, norm: Normalized, within: int = 4000) -> str:
    """The page furniture dropped near the top (发布日期…来源：某县司法局), in simplified script and half width: a
    page's publisher fields name the body even where the line is no text of the report."""
    lines = [raw[a:b] for a, b in norm.dropped if a < within]
    return unicodedata.normalize("NFKC", _t2s().convert("\n".join(lines))) if lines else ""


@lru_cache(maxsize=4096)
def normalize_phrase(phrase: str) -> str:
    """Normalize a rule phrase exactly as report text is normalized, so both sides compare alike."""
    return normalize(phrase).text.strip()
