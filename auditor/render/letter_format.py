"""--format letter: one Word letter per report (<stem>.整改意见.docx), the 审核意见 a reviewing office sends back
to the body that drafted the report: the result and score, a numbered list of what to rectify (what is missing,
which of the five parts it belongs in, how to fix it, the legal basis), what was met, and blanks for the
reviewing office, the date and the seal. Plain paragraphs and manual numbering, so Word and WPS edit it as
typed text.

A file that could not be read gets no letter (the run reports its error). A document of another kind (a
政府信息公开工作年度报告 handed in by mistake) gets a short letter saying so and asking for the report itself.
"""
from __future__ import annotations

from pathlib import Path

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt, RGBColor

from ..i18n import _
from ..labels import gaps_first, level, place
from ..model import Report
from ..rule_schema import SEVERITY_RANK, Rule
from ..shown import name
from ..status import Status
from . import docx_parts as parts

_GREY = RGBColor(0x59, 0x59, 0x59)


def write(reports: list[Report], rules: list[Rule], directory: Path, **options) -> list[Path]:
    """One letter per audited report in `directory`; the paths written, in report order. Options: `office`
    (the reviewing office, else a blank to fill in) and `date` (else a blank)."""
    directory = Path(directory)
    where = parts.targets(reports, directory, parts.LETTER, parts.wanted)
    titles = parts.part_titles(rules)
    written = []
    for i, report in enumerate(reports):
        if i in where:
            written.append(parts.save(letter(report, titles, **options), where[i]))
    return written


def result(report: Report) -> str:
    """The verdict in a few words: meets the requirements, mostly (only warnings), or to be rectified."""
    gaps = [f for f in report.findings if f.status.is_gap]
    if report.wrong_type:
        return Status.WRONG_TYPE.label
    if not gaps:
        return _("meets the requirements")
    if all(SEVERITY_RANK[f.rule.severity] < SEVERITY_RANK["error"] for f in gaps):
        return _("largely meets the requirements; {n} item(s) to improve").format(n=len(gaps))
    return _("to be rectified: {n} item(s)").format(n=len(gaps))


def score(report: Report) -> str | None:
    rating = getattr(report, "rating", None)
    if rating is None or getattr(rating, "points", None) is None:
        return None
    return _("Score: {points} of {max} points").format(points=_number(rating.points), max=_number(rating.max))


def _number(value) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def letter(report: Report, titles: dict[str, str], office: str | None = None, date: str | None = None,
           **_options):
    """The letter for one report, as a python-docx Document."""
    heading = _("Review opinions on the annual report on building a rule-of-law government")
    doc = parts.new_document(heading)
    doc.add_paragraph(heading, style="Title")
    meta = report.metadata
    body = parts.shown(getattr(meta, "body", None) or "") or _("the reporting body")
    doc.add_paragraph(_("To {body}:").format(body=body))
    file = parts.shown(Path(name(report.path)).name)
    if report.wrong_type:
        _indented(doc, _("The file {file} you submitted is not an annual report on building a rule-of-law "
                         "government: it reads as {kind}. Please submit the annual report itself.")
                  .format(file=file, kind=parts.shown(report.wrong_type)))
        _sign(doc, office, date)
        return doc
    _reviewed(doc, getattr(meta, "title", None), file)
    findings = gaps_first(report.findings)
    gaps = [f for f in findings if f.status.is_gap]
    met = [f for f in findings if f.status is Status.MET]
    aside = [f for f in findings if not f.status.is_gap and f.status is not Status.MET]
    _result_section(doc, report, len(gaps), len(met))
    doc.add_paragraph(_("II. Items to rectify"), style="Heading 1")
    if not gaps:
        _indented(doc, _("No item needs rectification."))
    for n, f in enumerate(gaps, 1):
        _gap(doc, n, f, titles)
    _met_section(doc, met, aside)
    doc.add_paragraph(_("IV. Requirements"), style="Heading 1")
    _indented(doc, _("Please revise the report against the items above and submit it again by ____ (year) __ "
                     "(month) __ (day); where an item cannot be rectified, explain why.") if gaps else
              _("No revision is required. Please keep the report on file and publish it as required."))
    _sign(doc, office, date)
    return doc


def _reviewed(doc, title: str | None, file: str) -> None:
    """The opening paragraph: which report was reviewed, by its title when it has one, and against what."""
    _indented(doc, (_("We have reviewed your report “{title}” (file {file}) item by item against the checklist "
                      "for annual reports on building a rule-of-law government. Our opinions follow.")
                    if title else
                    _("We have reviewed your report (file {file}) item by item against the checklist for annual "
                      "reports on building a rule-of-law government. Our opinions follow."))
              .format(title=parts.shown(title or ""), file=file))


def _result_section(doc, report: Report, gaps: int, met: int) -> None:
    """I. the result, the score and counts, and the facts read from the report that it has."""
    meta = report.metadata
    doc.add_paragraph(_("I. Result"), style="Heading 1")
    _indented(doc, _("Result: {result}.").format(result=result(report)))
    lines = [score(report),
             _("Items checked: {total}; met: {met}; to rectify: {gaps}.").format(
                 total=gaps + met, met=met, gaps=gaps)]
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


def _met_section(doc, met: list, aside: list) -> None:
    """III. the items met, then those not applicable or waived."""
    doc.add_paragraph(_("III. Items met"), style="Heading 1")
    _indented(doc, _("{n} item(s): {titles}.").format(n=len(met), titles="；".join(
        parts.shown(f.rule.title) for f in met)) if met else _("None."))
    if aside:
        _indented(doc, _("Not applicable or waived: {titles}.").format(titles="；".join(
            "{}（{}）".format(parts.shown(f.rule.title), f.status.label) for f in aside)))


def _gap(doc, n: int, f, titles: dict[str, str]) -> None:
    """One numbered gap: what it is and its status, then the problem, where it belongs, what the report says,
    the fix and the legal basis."""
    head = doc.add_paragraph()
    head.paragraph_format.first_line_indent = Pt(28)
    head.paragraph_format.space_before = Pt(6)
    run = head.add_run(_("{n}. {title} ({status})").format(n=n, title=parts.shown(f.rule.title),
                                                         status=f.status.label))
    run.bold = True
    _indented(doc, _("Problem: {why}").format(why=parts.shown(f.why or f.rule.message)))
    _indented(doc, _("Where it belongs: {part}").format(part=parts.belongs(f.rule, titles)))
    if f.evidence:
        e = f.evidence[0]
        _indented(doc, _("What the report says: “{quote}” ({place})").format(
            quote=parts.shown(e.quote), place=parts.shown(place(e.where, e.place))))
    _indented(doc, _("How to fix: {fix}").format(fix=parts.shown(f.rule.fix)))
    _indented(doc, _("Legal basis: {basis}").format(basis="；".join(parts.shown(b) for b in f.rule.legal_basis)))


def _indented(doc, line: str):
    p = doc.add_paragraph(line)
    p.paragraph_format.first_line_indent = Pt(28)   # two characters, as Chinese letters are set
    return p


def _sign(doc, office: str | None, date: str | None) -> None:
    """The reviewing office, the date and room for the seal, set right; then a grey note on how it was made."""
    doc.add_paragraph()
    doc.add_paragraph()
    for line in (_("Reviewing office (seal): {office}").format(office=parts.shown(office) if office else "_" * 16),
                 _("Date: {date}").format(date=parts.shown(date) if date else _("____ (year) __ (month) __ (day)"))):
        p = doc.add_paragraph(line)
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.add_paragraph()
    note = doc.add_paragraph()
    run = note.add_run(_("Drafted by the auditor from the checklist; the reviewer checks it before it is sent."))
    run.font.size = Pt(10.5)
    run.font.color.rgb = _GREY
