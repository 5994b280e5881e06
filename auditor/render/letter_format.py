"""--format letter: one Word letter per report (<stem>.整改意见.docx), the 审核意见 a reviewing office sends back
to the body that drafted the report, short enough to send as it is: the result by tier, the items that must be
fixed (numbered: what is missing, which part it belongs in, how to fix it, the legal basis), the items that
could be better (one line each), the reviewer's own 整改意见, the reply deadline, and the signing office, date
and seal. Plain paragraphs and manual numbering, so Word and WPS edit it as typed text.

The letter names the body and the report's title, never a file name; where a person reviewed a verdict, the
reviewed status is the verdict and the rule's own message says what is wrong (the reviewer's reason stays in
the office). The score is left out unless asked for (`show_scores`): a scheme's weights are the office's to
adopt. A file that could not be read gets no letter (the run reports its error). A document of another kind (a
政府信息公开工作年度报告 handed in by mistake) gets a short letter saying so and asking for the report itself.
"""
from __future__ import annotations

from pathlib import Path

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from ..i18n import N_, _
from ..labels import counted, gaps_first, level, place
from ..model import COULD_IMPROVE, MUST_FIX, Report
from ..rule_schema import Rule
from ..status import Status
from . import docx_parts as parts

NUMERALS = (N_("I"), N_("II"), N_("III"), N_("IV"), N_("V"), N_("VI"))


def write(reports: list[Report], rules: list[Rule], directory: Path, **options) -> list[Path]:
    """One letter per audited report in `directory`; the paths written, in report order. Options as `letter`
    takes them (`office`, `date`, …); the command line passes `office`."""
    directory = Path(directory)
    where = parts.targets(reports, directory, parts.LETTER, parts.wanted)
    titles = parts.part_titles(rules)
    written = []
    for i, report in enumerate(reports):
        if i in where:
            written.append(parts.save(letter(report, titles, **options), where[i]))
    return written


def tiers(report: Report) -> tuple[list, list]:
    """The gaps that must be fixed and those that could be better, each in the order a supervisor reads them."""
    gaps = [f for f in gaps_first(report.findings) if f.status.is_gap]
    return [f for f in gaps if f.tier == MUST_FIX], [f for f in gaps if f.tier == COULD_IMPROVE]


def result(report: Report) -> str:
    """The verdict in a few words, by tier: meets the requirements; largely (only items that could be better);
    or to be rectified (an item that must be fixed), never "largely" above an item that must be fixed."""
    if report.wrong_type:
        return Status.WRONG_TYPE.label
    must, could = tiers(report)
    if not must and not could:
        return _("meets the requirements")
    if not must:
        return _("largely meets the requirements; {n} item(s) to improve").format(n=len(could))
    return _("to be rectified: {must} item(s) must be fixed, {could} could be better").format(
        must=len(must), could=len(could))


def score(report: Report) -> str | None:
    rating = getattr(report, "rating", None)
    if rating is None or getattr(rating, "points", None) is None:
        return None
    return _("Score: {points} of {max} points").format(points=_number(rating.points), max=_number(rating.max))


def _number(value) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def letter(report: Report, titles: dict[str, str], office: str | None = None, date=None, number: str | None = None,
           reply_by=None, show_scores: bool = False, opinion: str | None = None, reviewed=(), **_options):
    """The letter for one report, as a python-docx Document. `office` signs it and `date` dates it (else blanks
    to fill in); `number`: its 文号; `reply_by`: the date the rectification is due; `show_scores`: the score
    goes in; `opinion`: the reviewer's own 整改意见, set above the signature; `reviewed`: the ids of the rules a
    person reviewed (their verdict stands, their reason is not printed)."""
    heading = _("Review opinions on the annual report on building a rule-of-law government")
    doc = parts.new_document(heading)
    doc.add_paragraph(heading, style="Title")
    if number:
        doc.add_paragraph(parts.shown(number)).alignment = WD_ALIGN_PARAGRAPH.CENTER
    meta = report.metadata
    body = parts.shown(getattr(meta, "body", None) or "") or _("the reporting body")
    doc.add_paragraph(_("To {body}:").format(body=body))
    if report.wrong_type:
        _indented(doc, _("The document you submitted is not an annual report on building a rule-of-law "
                         "government: it reads as {kind}. Please submit the annual report itself.")
                  .format(kind=parts.shown(report.wrong_type)))
        _opinion(doc, opinion)
        _sign(doc, office, date)
        return doc
    _received(doc, getattr(meta, "title", None), getattr(meta, "year", None))
    must, could = tiers(report)
    sections = iter(NUMERALS)
    _result_section(doc, next(sections), report, must, could, show_scores)
    if must:
        _heading(doc, next(sections), _("Items that must be fixed"))
        for n, f in enumerate(must, 1):
            _gap(doc, n, f, titles, reviewed)
    if could:
        _heading(doc, next(sections), _("Items that could be better"))
        for n, f in enumerate(could, 1):
            _indented(doc, _("{n}. {title} ({status}): {fix}").format(
                n=n, title=parts.shown(f.rule.title), status=f.status.label, fix=parts.shown(f.rule.fix)))
    _opinion(doc, opinion, sections)
    _heading(doc, next(sections), _("Requirements"))
    if must:
        _indented(doc, _("Please revise the report against the items that must be fixed and report on the "
                         "rectification by {date}; where an item cannot be rectified, explain why in writing.")
                  .format(date=parts.day(reply_by)))
    elif could:
        _indented(doc, _("Nothing must be fixed. Please consider the items that could be better, then keep the "
                         "report on file and publish it as required."))
    else:
        _indented(doc, _("No revision is required. Please keep the report on file and publish it as required."))
    _sign(doc, office, date)
    return doc


def _heading(doc, numeral: str, title: str) -> None:
    doc.add_paragraph(_("{number}. {title}").format(number=_(numeral), title=title), style="Heading 1")


def _received(doc, title: str | None, year: int | None) -> None:
    """The opening paragraph: which report was received, by its title (else its year), and against what it
    was reviewed."""
    if title:
        line = _("We have received your report “{title}” and reviewed it item by item against the checklist for "
                 "annual reports on building a rule-of-law government. Our opinions follow.").format(
            title=parts.shown(title))
    elif year:
        line = _("We have received your annual report for {year} on building a rule-of-law government and "
                 "reviewed it item by item against the checklist. Our opinions follow.").format(year=year)
    else:
        line = _("We have received your annual report on building a rule-of-law government and reviewed it item "
                 "by item against the checklist. Our opinions follow.")
    _indented(doc, line)


def _result_section(doc, numeral: str, report: Report, must: list, could: list, show_scores: bool) -> None:
    """The result, the counts by tier, the score when asked for, and the facts read from the report."""
    meta = report.metadata
    _heading(doc, numeral, _("Result"))
    _indented(doc, _("Result: {result}.").format(result=result(report)))
    met, checked = counted(report.findings)
    lines = [score(report) if show_scores else None,
             _("Items checked: {total}; met: {met}; must be fixed: {must}; could be better: {could}.").format(
                 total=checked, met=met, must=len(must), could=len(could))]
    if getattr(meta, "year", None):
        lines.append(_("Report year: {year}.").format(year=meta.year))
    if getattr(meta, "level", None):
        lines.append(_("Level of the body: {level}.").format(level=level(meta.level)))
    if getattr(meta, "date", None):
        lines.append(_("Date written: {date}.").format(date=parts.shown(meta.date)))
    if getattr(meta, "doc_number", None):
        lines.append(_("Document number: {number}.").format(number=parts.shown(meta.doc_number)))
    for line in filter(None, lines):
        _indented(doc, line)


def _gap(doc, n: int, f, titles: dict[str, str], reviewed) -> None:
    """One numbered item that must be fixed: its title and status, then the problem, where it belongs, what the
    report says (when it says something), the fix and the legal basis."""
    head = doc.add_paragraph()
    head.paragraph_format.first_line_indent = Pt(28)
    head.paragraph_format.space_before = Pt(6)
    run = head.add_run(_("{n}. {title} ({status})").format(n=n, title=parts.shown(f.rule.title),
                                                         status=f.status.label))
    run.bold = True
    _indented(doc, _("Problem: {why}").format(why=parts.problem(f, reviewed)))
    _indented(doc, _("Where it belongs: {part}").format(part=parts.belongs(f.rule, titles)))
    if f.evidence and f.status is not Status.MISSING:
        e = f.evidence[0]
        _indented(doc, _("What the report says: “{quote}” ({place})").format(
            quote=parts.shown(e.quote), place=parts.shown(place(e.where, e.place))))
    _indented(doc, _("How to fix: {fix}").format(fix=parts.shown(f.rule.fix)))
    if f.rule.legal_basis:
        _indented(doc, _("Legal basis: {basis}").format(basis="；".join(parts.shown(b) for b in f.rule.legal_basis)))


def _opinion(doc, opinion: str | None, sections=None) -> None:
    """The reviewer's own 整改意见, one paragraph per line, under the next numbered heading (`sections`; none in
    a short letter)."""
    lines = [line.strip() for line in (opinion or "").splitlines() if line.strip()]
    if not lines:
        return
    if sections is not None:
        _heading(doc, next(sections), _("Rectification opinions"))
    for line in lines:
        _indented(doc, parts.shown(line))


def _indented(doc, line: str):
    p = doc.add_paragraph(line)
    p.paragraph_format.first_line_indent = Pt(28)   # two characters, as Chinese letters are set
    return p


def _sign(doc, office: str | None, date) -> None:
    """The reviewing office, the date and room for the seal, set right: the letter's last lines."""
    doc.add_paragraph()
    doc.add_paragraph()
    for line in (_("Reviewing office (seal): {office}").format(office=parts.shown(office) if office else "_" * 16),
                 _("Date: {date}").format(date=parts.day(date))):
        p = doc.add_paragraph(line)
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
