"""Pieces the Word outputs share (--format letter, --format review): an A4 document set like an official
letter (仿宋_GB2312 body, 黑体 headings, 宋体 title; the East-Asian font set through w:eastAsia, which Word and
WPS read for Chinese characters), where each report's file goes, and a save that is complete or absent.

Every output is named after its report (<stem>.整改意见.docx, <stem>.审核批注.docx; read.OUTPUT_ENDINGS), never
lands on an input, and never on another output of the same run.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from ..i18n import _
from ..model import Report
from ..rule_schema import Rule
from ..output import write_atomically
from ..read import OUTPUT_ENDINGS
from ..shown import name, text

BODY_FONT = "仿宋_GB2312"     # the body face of Chinese official documents (GB/T 9704)
HEADING_FONT = "黑体"
TITLE_FONT = "宋体"
LATIN_FONT = "Times New Roman"
BODY_SIZE = Pt(14)             # 四号: a long gap list stays a few pages
_ENDING = {kind: ending for ending, kind in OUTPUT_ENDINGS.items()}
LETTER, REVIEW = _ENDING["letter"], _ENDING["review"]
# Characters XML 1.0 cannot hold (python-docx refuses them): replaced one for one, so offsets stay true.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Characters an output's name does not take from its report's (control, bidi and line-separator characters,
# undecodable bytes): a name stays one plain line wherever it is listed.
_NOT_IN_NAMES = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


# Characters no file name may hold on Windows, macOS or Linux, besides those above
_NOT_IN_FILES = re.compile(r'[\\/:*?"<>|]')
NAME_CHARS = 80   # a body's name is shorter; a folder or file name cut to a name Windows' paths still hold


def file_stem(value: str | None) -> str:
    """A body's or a folder's name as the stem of an output file's name: one plain line, no character a file
    system refuses, at most NAME_CHARS characters; empty when nothing is left."""
    stem = _NOT_IN_FILES.sub("_", _NOT_IN_NAMES.sub("_", value or "")).strip().strip(".").strip()
    return stem[:NAME_CHARS].strip()


def author() -> str:
    """Who the comments and the document are by, in the language in force."""
    return _("rule-of-law government annual report review")


def set_font(element, east_asia: str, size=None, bold: bool | None = None) -> None:
    """Fonts of a style or run: the East-Asian face (w:eastAsia) for Chinese, a Latin face for digits and letters."""
    font = element.font
    font.name = LATIN_FONT   # python-docx sets w:ascii and w:hAnsi
    element.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), east_asia)
    if size is not None:
        font.size = size
    if bold is not None:
        font.bold = bold


def new_document(title: str):
    """An empty A4 document with the letter's styles: Normal, Title, Heading 1 and 2 in Chinese official faces."""
    doc = Document()
    for section in doc.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
    styles = doc.styles
    normal = styles["Normal"]
    set_font(normal, BODY_FONT, BODY_SIZE)
    normal.paragraph_format.line_spacing = 1.3
    normal.paragraph_format.space_after = Pt(0)
    for style_name, face, size in (("Title", TITLE_FONT, Pt(22)), ("Heading 1", HEADING_FONT, Pt(16)),
                                   ("Heading 2", HEADING_FONT, Pt(14))):
        style = styles[style_name]
        set_font(style, face, size, bold=style_name == "Title")
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.font.italic = False
        style.paragraph_format.space_before = Pt(12 if style_name != "Title" else 0)
        style.paragraph_format.space_after = Pt(6 if style_name != "Title" else 12)
        if style_name == "Title":
            style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
            # the template draws a rule under the title; a letter has none
            border = style.element.get_or_add_pPr().find(qn("w:pBdr"))
            if border is not None:
                border.getparent().remove(border)
    doc.core_properties.title = title
    doc.core_properties.author = author()
    doc.core_properties.language = "zh-CN"
    return doc


def xml_safe(value: str) -> str:
    """Text a Word document can hold, the same length (characters XML forbids become U+FFFD)."""
    return _NOT_XML.sub("\ufffd", value)


def shown(value: str) -> str:
    """Report text or a name as it is written into a letter or a comment: printable, one line."""
    return text(value or "")


def report_title(report: Report) -> str:
    """The report's own title, else its file name."""
    meta = report.metadata
    return shown(getattr(meta, "title", None) or Path(name(report.path)).name)


def problem(f, reviewed=()) -> str:
    """What a letter or a comment says is wrong: the rule's own message where a person reviewed the verdict
    (`reviewed`: those rule ids; the finding's why then holds the reviewer's name, date and private reason,
    which never leave the office), else the machine's why (partly met: what it found)."""
    if f.rule.id in reviewed:
        return shown(f.rule.message)
    return shown(f.why or f.rule.message)


def day(value) -> str:
    """A date as a letter writes it (2025年3月1日); text is taken as written; nothing, a blank to fill in."""
    if not value:
        return _("____ (year) __ (month) __ (day)")
    if hasattr(value, "year") and hasattr(value, "month"):
        return _("{year} (year) {month} (month) {day} (day)").format(year=value.year, month=value.month,
                                                                      day=value.day)
    return shown(str(value))


def part_titles(rules: list[Rule]) -> dict[str, str]:
    """The five parts of a report (measures, leader-duty, …) by their titles in the section rules."""
    return {r.part: r.title for r in rules if r.kind == "section" and r.part}


def belongs(rule: Rule, titles: dict[str, str]) -> str:
    """Where in the report a rule's item is written: its part (an element reported as done belongs with the
    measures), or the report as a whole for the form rules (title, signature, date)."""
    part = getattr(rule, "part", None) or ("measures" if rule.kind == "element" else None)
    if part in titles:
        return _("the part “{part}”").format(part=titles[part])
    return _("the report as a whole (title, body, year, signature and date)")


def targets(reports: list[Report], directory: Path, ending: str, wanted) -> dict[int, Path]:
    """Where each wanted report's file goes (by index): <stem><ending> in `directory`, numbered (<stem>(2)…) when
    two reports share a stem or the name is an input of this run, so no output overwrites an input or another."""
    inputs = set()
    for r in reports:
        try:
            inputs.add(os.path.realpath(r.path).lower())   # lower: a case-insensitive disk
        except (OSError, ValueError):
            pass
    taken: set[str] = set()
    out: dict[int, Path] = {}
    for i, report in enumerate(reports):
        if not wanted(report):
            continue
        stem = Path(report.path).name
        for suffix in (*OUTPUT_ENDINGS, Path(report.path).suffix):
            if suffix and stem.lower().endswith(suffix.lower()):
                stem = stem[:-len(suffix)]
                break
        stem = _NOT_IN_NAMES.sub("_", stem) or "report"
        n = 1
        while True:
            candidate = directory / (f"{stem}{ending}" if n == 1 else f"{stem}({n}){ending}")
            key = os.path.realpath(candidate).lower()
            if key not in inputs and key not in taken:
                break
            n += 1
        taken.add(key)
        out[i] = candidate
    return out


def save(doc, path: Path) -> Path:
    """Write the document to `path` completely or not at all, with the mode any other output gets (the umask's
    for a new file): output.write_atomically, the one atomic writer."""
    return write_atomically(path, doc.save)


def wanted(report: Report) -> bool:
    """A report the Word outputs write a file for: read and audited (an unreadable file has no findings)."""
    return not report.errors and bool(report.findings)
