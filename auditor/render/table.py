"""The gap table for people: one table per report, then a reports × rules matrix for a batch.

Every line fits the terminal: `width` from the options, else `COLUMNS`, else the terminal's, else 80, measured
in display columns (a Chinese character is two). The table has one line per rule, gaps first: the rule, its
status, the shortest useful evidence or why (cut with "…", never the status), and where; with `detail` each
gap follows as a block with its fix and legal basis. The matrix names each rule by its short name and folds
when it does not fit. The match confidence is left to JSON.

File names and report text go through `shown`, so no control character or escape sequence reaches a terminal.
"""
from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from wcwidth import wcswidth, wcwidth

from .. import labels
from ..i18n import N_, _
from ..model import Report, Status
from ..rule_schema import GROUPS, Rule
from ..shown import name, text

MIN_WIDTH = 40          # narrower than this nothing useful fits; the table is drawn at 40
TITLE_CAP = 24          # display columns for a rule's title (its short name when the title is longer)
WHERE_CAP = 16          # 第12行第5列, 第3页第5行, 表1第2行第3格
EVIDENCE_FLOOR = 12     # below this the title gives way
BODY_FLOOR = 8          # the body's name in the matrix
QUOTE_LIMIT = 200       # characters of a quote in a --detail block

CONCRETE_MARK, REPAIRED_MARK, ERROR_MARK = "◆", "⚠", "?"
MARKS = {status: status.mark for status in Status}
LEGEND = (N_("◆ evidence with concrete facts (counts, dates, named documents), not a slogan only"),
          N_("⚠ evidence in text that was garbled and repaired, or matched despite an OCR slip: check the original"))
HEADERS = [N_("rule"), N_("status"), N_("fix?"), N_("evidence (original) / why"), N_("where")]
TIER_WORDS = {"must-fix": N_("must"), "could-improve": N_("could")}   # 必须 / 建议: the tier in a narrow column
MARKDOWN_HEADERS = HEADERS + [N_("fix"), N_("legal basis")]
BASELINE = {"new": N_("new"), "unchanged": N_("unchanged")}
PROFILES = {"parts-only": N_("statutory contents and form only"),
            "provincial-guide-department": N_("department (provincial guide, strict)")}


# ---- display width ---------------------------------------------------------------------------------------

def columns(s: str) -> int:
    """Display columns of one line: a Chinese character is two."""
    n = wcswidth(s)
    return n if n >= 0 else sum(max(wcwidth(ch), 0) for ch in s)


def cut(s: str, limit: int) -> str:
    """`s` in at most `limit` display columns, ending in "…" when something was cut."""
    if columns(s) <= limit:
        return s
    out, used = [], 0
    for ch in s:
        w = max(wcwidth(ch), 0)
        if used + w > limit - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


CLOSING = set("，。、；：？！）》」』”’…%,.;:?!)")   # never at the start of a line: the character before goes with it
OPENING = set("（《「『“‘(")                          # never at the end of a line: it goes to the next


def wrap(s: str, limit: int, indent: str = "") -> list[str]:
    """`s` in lines of at most `limit` display columns, every line after the first behind `indent`. Fields
    apart by two spaces stay whole when they fit a line; other text breaks between Chinese characters (never
    before a closing mark such as ，or ）) or Latin words."""
    lines, line = [], ""
    for field in s.split("  "):
        joined = f"{line}  {field}" if line.strip() else line + field
        if columns(joined) <= limit:
            line = joined
        elif line.strip() and columns(indent + field) <= limit:
            lines.append(line)
            line = indent + field
        else:
            more = _flow((line + "  " if line.strip() else line) + field, limit, indent)
            lines += more[:-1]
            line = more[-1]
    return lines + [line.rstrip()]


def _flow(s: str, limit: int, indent: str) -> list[str]:
    lines, line = [], ""
    for token in re.findall(r"[A-Za-z0-9_./:+-]+|.", s):
        if columns(line + token) <= limit:
            line += token
            continue
        if token == " ":
            continue
        carry = ""
        if token in CLOSING and len(line) > len(indent) + 1:
            line, carry = line[:-1], line[-1]
        while len(line) > len(indent) + 1 and line[-1] in OPENING:
            line, carry = line[:-1], line[-1] + carry
        if line.strip():
            lines.append(line.rstrip())
            line = indent
        line += carry
        for ch in token if columns(line + token) > limit else [token]:   # a word longer than a line
            if columns(line + ch) > limit and line.strip():
                lines.append(line)
                line = indent
            line += ch
    return lines + [line]


def terminal_width(options: dict) -> int:
    """The width to fit: `width` from the caller, else `COLUMNS`, else the terminal's, else 80."""
    width = options.get("width")
    if not width:
        env = os.environ.get("COLUMNS", "")
        width = int(env) if env.isdigit() and int(env) > 0 else shutil.get_terminal_size((80, 24)).columns
    return max(int(width), MIN_WIDTH)


def _tabulate(rows, headers, table_format):
    import tabulate   # imported when a table is drawn (cold start)
    padding, tabulate.MIN_PADDING = tabulate.MIN_PADDING, 0   # no two spare columns after every header
    try:
        return tabulate.tabulate(rows, headers=headers, tablefmt=table_format, disable_numparse=True)
    finally:
        tabulate.MIN_PADDING = padding


def _widest(block: str) -> int:
    return max((columns(line) for line in block.splitlines()), default=0)


def _fit(rows: list[list[str]], headers: list[str], table_format: str, width: int | None, flex: int,
         floor: int = 1) -> str | None:
    """The table with column `flex` cut so no line is wider than `width` (None: no limit); None when even a
    `floor`-column flex column does not fit."""
    if width is None:
        return _tabulate(rows, headers, table_format)
    room = max([columns(r[flex]) for r in rows] + [columns(headers[flex])])
    for _attempt in range(6):
        cells = [r[:flex] + [cut(r[flex], room)] + r[flex + 1:] for r in rows]
        table = _tabulate(cells, headers[:flex] + [cut(headers[flex], max(room, 2))] + headers[flex + 1:],
                          table_format)
        over = _widest(table) - width
        if over <= 0:
            return table
        room = min(room, max([columns(c[flex]) for c in cells] + [columns(cut(headers[flex], max(room, 2)))])) - over
        if room < floor:
            return None
    return None


# ---- one report ------------------------------------------------------------------------------------------

def _profile(value: str | None) -> str:
    if not value:
        return _("no profile")
    if value in PROFILES:
        return _(PROFILES[value])
    return labels.level(value) if value in labels.LEVELS else text(value)


def _quality(kind: str, n: int) -> str:
    return text(labels.quality(kind, n))


def status_text(f) -> str:
    """The status as read, with the baseline's word when there is one: 缺失（新增）."""
    if not f.baseline:
        return f.status.label
    return _("{status} ({baseline})").format(status=f.status.label,
                                              baseline=_(BASELINE[f.baseline]) if f.baseline in BASELINE
                                              else text(f.baseline))


def tier_word(f) -> str:
    """必须 for a gap that must be fixed, 建议 for one that could be better, nothing for the rest."""
    tier = getattr(f, "tier", None)
    return _(TIER_WORDS[tier]) if tier else ""


def _marks(ev) -> str:
    return (REPAIRED_MARK + " " if ev.repaired or ev.how == "ocr" else "") + (CONCRETE_MARK + " " if ev.concrete else "")


def shown_evidence(f) -> str:
    """The evidence of a met rule (marked ◆/⚠), the why of a gap with its quote, a waiver's note."""
    ev = f.evidence[0] if f.evidence else None
    if f.status is Status.WAIVED:
        return text(f.note or "")
    if f.status is Status.MET:
        return text((_marks(ev) + ev.quote) if ev else (f.note or ""))
    why = f.why or ""
    if ev:
        why = _("{why}: {quote}").format(why=why, quote=ev.quote) if why else ev.quote
    return text(why)


def where(f) -> str:
    ev = f.evidence[0] if f.evidence else None
    return text(labels.place(ev.where, ev.place)) if ev else ""


def title(rule: Rule, limit: int | None = None) -> str:
    """The rule's title without its trailing parenthesis (行政执法三项制度（…）); its short name when that is longer
    than `limit` columns, cut to fit."""
    full = text(rule.title)
    main = re.sub(r"（[^（）]*(?:（[^（）]*）[^（）]*)*）$", "", full) or full
    if limit is None:
        return full
    if columns(main) > limit and rule.short:
        main = text(rule.short)
    return cut(main, limit)


def report_table(report: Report, table_format: str, escape=None, width: int | None = None) -> str:
    """The gap table, one line per rule, gaps first. With `escape` (Markdown's cell escaping) there is no width
    limit, each row stays on one line, and each gap carries its fix and legal basis."""
    findings = labels.gaps_first(report.findings)
    if escape:
        rows = [[title(f.rule), status_text(f), tier_word(f), cut(shown_evidence(f), 180), where(f),
                 text(f.rule.fix) if f.status.is_gap else "",
                 text("；".join(f.rule.legal_basis)) if f.status.is_gap else ""] for f in findings]
        return _tabulate([[escape(c) for c in row] for row in rows], [_(h) for h in MARKDOWN_HEADERS], table_format)
    headers = [_(h) for h in HEADERS]
    title_cap = TITLE_CAP if width is None else min(TITLE_CAP, max(16, (width - 40) // 3))
    table = None
    while table is None:
        rows = [[title(f.rule, title_cap), status_text(f), tier_word(f), shown_evidence(f),
                 cut(where(f), WHERE_CAP)] for f in findings]
        table = _fit(rows, headers, table_format, width, flex=3, floor=EVIDENCE_FLOOR if title_cap > 8 else 1)
        if title_cap <= 8 and table is None:   # nothing more to give: the where column goes
            rows = [r[:4] for r in rows]
            table = _fit(rows, headers[:4], table_format, width, flex=3) or ""
        title_cap -= 4
    return table


def detail(report: Report, width: int) -> str:
    """A block per gap: why and what was found, where, the fix and the legal basis, wrapped to `width`."""
    gaps = [f for f in labels.gaps_first(report.findings) if f.status.is_gap]
    if not gaps:
        return ""
    lines = [_("Gaps and how to fix them")]
    for i, f in enumerate(gaps, 1):
        lines += wrap(f"{i}. {text(f.rule.title)}  {status_text(f)}", width, "   ")
        ev = f.evidence[0] if f.evidence else None
        said = [_("why: {why}").format(why=text(f.why))] if f.why else []
        if ev:
            said.append(_("found: {quote}").format(quote=cut(text(ev.quote), QUOTE_LIMIT * 2)))
            spot = where(f) + (f"  {text(ev.section)}" if ev.section else "")
            said.append(_("where: {place}").format(place=spot))
        said.append(_("fix: {fix}").format(fix=text(f.rule.fix)))
        said += [_("legal basis: {basis}").format(basis=text(b)) for b in f.rule.legal_basis]
        for line in said:
            lines += ["   " + part for part in wrap(line, width - 3, "  ")]
    return "\n".join(lines)


def header(report: Report) -> str:
    """The report's facts above its table, a line each: the file (as `shown.name`) and its verdict, body,
    year, level, date, document number and profile, the input notes. No field can add a line or a control
    sequence."""
    path = name(report.path)
    if report.errors:
        return _("{path}: not audited ({codes})").format(path=path, codes=", ".join(e.code for e in report.errors))
    encoding = text(str(report.encoding))
    if report.wrong_type:
        return _("{path}  [{encoding}]  not audited: a {kind}, not a 法治政府建设年度报告").format(
            path=path, encoding=encoding, kind=text(report.wrong_type))
    met, checked = labels.counted(report.findings)
    head = _("{path}  [{encoding}]  {met}/{total} met").format(path=path, encoding=encoding, met=met,
                                                               total=checked)
    must = sum(f.tier == "must-fix" for f in report.findings)
    could = sum(f.tier == "could-improve" for f in report.findings)
    if must:
        head += "  " + _("{n} must be fixed").format(n=must)
    if could:
        head += "  " + _("{n} could be better").format(n=could)
    rating = getattr(report, "rating", None)
    if rating is not None:
        head += "  " + _("score {points} of {max}").format(points=f"{rating.points:g}", max=f"{rating.max:g}")
    lines = [head]
    m = report.metadata
    if m:
        lines.append("  ".join(x for x in [
            text(m.body) if m.body else _("body unknown"),
            _("year {year}").format(year=m.year) if m.year else _("year unknown"),
            labels.level(m.level),
            _("dated {date}").format(date=text(m.date)) if m.date else "",
            _("document number {number}").format(number=text(m.doc_number)) if m.doc_number else "",
            _("profile: {profile}").format(profile=_profile(report.profile))] if x))
    if report.quality:
        lines.append(_("input: {notes}").format(notes=_("; ").join(_quality(k, n) for k, n in report.quality.items())))
    if report.fixed:
        titles = {f.rule.id: title(f.rule, TITLE_CAP) for f in report.findings}
        lines.append(_("fixed since the baseline: {rules}").format(
            rules=_(", ").join(titles.get(r, text(r)) for r in report.fixed)))
    if report.damaged_lines:
        shown = _(", ").join(map(str, report.damaged_lines[:10])) + (" …" if len(report.damaged_lines) > 10 else "")
        lines.append(REPAIRED_MARK + " " + _("garbled text could not be recovered at line(s) {lines}: a missing "
                                             "element may be hidden there; read the original").format(lines=shown))
    return "\n".join(lines)


def _segmenter_line(reports: list[Report]) -> str:
    seg = next((r.segmenter for r in reports if r.segmenter), {})
    if seg.get("name") == "pkuseg":
        words = _("pkuseg, model {model} {version}").format(model=seg.get("model"), version=seg.get("version"))
    else:
        words = text(str(seg["name"])) if seg.get("name") else _("none (nothing was matched)")
    segmented = sum(r.segmenter.get("sentences", 0) for r in reports)
    return text(_("words: {words}; {n} sentence(s) segmented to check token-level phrases").format(
        words=words, n=segmented))


# ---- the batch matrix ------------------------------------------------------------------------------------

def _identity(r: Report) -> list[str]:
    m = r.metadata
    body = text(m.body) if m and m.body else Path(name(r.path)).name
    return [body, labels.level(m.level) if m else "", str(m.year) if m and m.year else "—"]


def _rated(reports: list[Report]) -> bool:
    return any(getattr(r, "rating", None) is not None for r in reports)


def _score(r: Report) -> str:
    rating = getattr(r, "rating", None)
    return f"{rating.points:g}/{rating.max:g}" if rating is not None else ""


def _marks_of(r: Report, rules: list[Rule]) -> list[str]:
    if r.errors:
        return [ERROR_MARK] * len(rules)
    if r.wrong_type:
        return [MARKS[Status.WRONG_TYPE]] * len(rules)
    by_id = {f.rule.id: f for f in r.findings}
    return [MARKS[by_id[rule.id].status] if rule.id in by_id else "" for rule in rules]


def _met(r: Report) -> str:
    if r.errors:
        return r.errors[0].code
    if r.wrong_type:
        return Status.WRONG_TYPE.label
    return "{}/{}".format(*labels.counted(r.findings))


def _group_count(r: Report, rules: list[Rule], group: str) -> str:
    ids = {rule.id for rule in rules if rule.group == group}
    found = [f for f in r.findings if f.rule.id in ids]
    if r.errors or r.wrong_type or not found:
        return "—"
    met = sum(f.status is Status.MET for f in found)
    gaps = sum(f.status.is_gap for f in found)
    return f"{MARKS[Status.MET]}{met} {MARKS[Status.MISSING]}{gaps}"


def _short(rule: Rule) -> str:
    return text(rule.short) if rule.short else cut(text(rule.title), 16)


def _key() -> str:
    marks = "  ".join(f"{status.mark} {status.label}" for status in labels.GAPS_FIRST)
    return _("marks: {marks}").format(marks=marks + f"  {ERROR_MARK} " + _("not audited"))


def matrix(reports: list[Report], rules: list[Rule], table_format: str, escape=str, width: int | None = None) -> str:
    """Reports × rules under the rules' short names, with each report's body, level, year (and score). When
    that is wider than `width`: a table of the reports with a count per rule group, then the marks with the
    rules as rows and the reports, by number, as columns, in as many blocks as the width needs."""
    rules = sorted(rules, key=lambda rule: list(GROUPS).index(rule.group))   # the table's group order, stable
    rated = _rated(reports)
    ident = [_identity(r) for r in reports]
    head = [_("body"), _("level"), _("year")] + ([_("score")] if rated else [])
    tail = [_("met")]
    rows = [[escape(i[0])] + i[1:] + ([_score(r)] if rated else []) + _marks_of(r, rules) + [_met(r)]
            for i, r in zip(ident, reports)]
    whole = _fit(rows, head + [_short(rule) for rule in rules] + tail, table_format, width, flex=0, floor=BODY_FLOOR)
    if whole is not None:   # (Markdown: a blank line, or the legend would be read as a row of the table)
        return "\n".join([whole] + ([""] if width is None else []) + _legend([_key()], width))
    # folded: the reports with a count per group, then the marks in blocks of reports
    groups = [g for g in GROUPS if any(rule.group == g for rule in rules)]
    listing = [[str(n), escape(i[0])] + i[1:] + ([_score(r)] if rated else []) + [_met(r)] for n, (i, r)
               in enumerate(zip(ident, reports), 1)]
    first, notes = _listing(reports, rules, groups, listing, [_("no.")] + head + tail, table_format, width)
    blocks = _mark_blocks(reports, rules, groups, table_format, width)
    return "\n".join([first, *_legend(notes, width), *blocks])


def _listing(reports: list[Report], rules: list[Rule], groups: list[str], listing: list[list[str]],
             numbered: list[str], table_format: str, width: int | None) -> tuple[str, list[str]]:
    """The folded matrix's numbered list of reports, with a count per rule group only when every body keeps
    its whole name beside them; and the notes that explain it."""
    counted = [row + [_group_count(r, rules, g) for g in groups] for row, r in zip(listing, reports)]
    whole_name = max((columns(row[1]) for row in listing), default=BODY_FLOOR)
    first = _fit(counted, numbered + [labels.group(g) for g in groups], table_format, width, flex=1,
                 floor=whole_name)
    notes = [_key()]
    if first is None:
        first = _fit(listing, numbered, table_format, width, flex=1) or ""
    else:
        notes.append(_("each group column counts the rules met (✓) and the gaps (✗) of that group"))
    notes.append(_("in the marks below, each column is the report of that number above"))
    return first, notes


def _mark_blocks(reports: list[Report], rules: list[Rule], groups: list[str], table_format: str,
                 width: int | None) -> list[str]:
    """The marks with the rules as rows (under their group's heading) and the reports, by number, as columns:
    as many reports in each block as fit the width."""
    rule_rows = []
    for g in groups:
        rule_rows.append([f"【{labels.group(g)}】"])
        rule_rows += [[_short(rule)] + [rule.id] for rule in rules if rule.group == g]
    marks = [_marks_of(r, rules) for r in reports]
    mark_of = {rule.id: i for i, rule in enumerate(rules)}
    blocks = []
    reports_left = list(range(len(reports)))
    while reports_left:
        table, take = _widest_block(reports_left, rule_rows, marks, mark_of, table_format, width)
        blocks.append(table or "")
        reports_left = reports_left[take:]
    return blocks


def _widest_block(reports_left: list[int], rule_rows: list[list[str]], marks: list[list[str]],
                  mark_of: dict[str, int], table_format: str, width: int | None) -> tuple[str | None, int]:
    """The block of the most of the remaining reports that fits (a third fewer at each try, down to one), and
    how many it took."""
    take = len(reports_left)
    while True:
        chosen = reports_left[:take]
        body = [[row[0]] + ([marks[n][mark_of[row[1]]] for n in chosen] if len(row) > 1 else [""] * len(chosen))
                for row in rule_rows]
        table = _fit(body, [_("rule")] + [str(n + 1) for n in chosen], table_format, width, flex=0, floor=4)
        if table is not None or take == 1:
            return table, take
        take = max(1, take * 2 // 3)


def _legend(lines: list[str], width: int | None) -> list[str]:
    if width is None:
        return lines
    return [part for line in lines for part in wrap(line, width, "  ")]


# ---- the whole output ------------------------------------------------------------------------------------

def render(reports: list[Report], rules: list[Rule], table_format: str = "psql", **options) -> str:
    width = terminal_width(options)
    more = bool(options.get("detail"))
    parts, any_gap = [], False
    for report in reports:
        parts += [line for fact in header(report).splitlines() for line in wrap(fact, width, "  ")]
        if not report.errors:
            parts.append(report_table(report, table_format, width=width))
            any_gap = any_gap or any(f.status.is_gap for f in report.findings)
            if more and (block := detail(report, width)):
                parts.append(block)
        parts.append("")
    audited = [r for r in reports if not r.errors and not r.wrong_type]
    if audited:
        notes = [_(line) for line in LEGEND] + [_segmenter_line(audited)]
        if any_gap and not more:
            notes.append(_("add --detail for each gap's fix and legal basis"))
        parts += _legend(notes, width)
        parts.append("")
    if len(reports) > 1:
        parts.append(_("Summary"))
        parts.append(matrix(reports, rules, table_format, width=width))
        parts.append("")
    return "\n".join(parts)
