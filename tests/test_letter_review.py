"""--format letter and --format review: Word files read back with python-docx (every comment anchored on exactly
its evidence quote, the input .docx unchanged, the gap list as the findings say) and opened by a real office
suite (LibreOffice converts them all to PDF in one call; the PDF text and comments read back with pypdfium2).

UPDATE_DOCS_PICTURES=1 also renders the first page of a letter and of a reviewed copy as docs/letter.png and
docs/review.png.
"""
from __future__ import annotations

import os
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from auditor.audit import audit_file
from auditor.formats import docx as docx_reader
from auditor.labels import gaps_first, tier
from auditor.model import MUST_FIX, Report
from auditor.read import find_reports, read_source
from auditor.render import docx_parts, letter_format, review_format

from .conftest import REPO, REPORTS

pytestmark = pytest.mark.usefixtures("chinese")   # pages and files as people read them

SAMPLE = REPORTS / "000_8983b31abeb2f5d4.txt"
TABLE_LINE = 11          # this line of the sample goes into a table cell of the .docx input
BREAK_LINES = (17, 19)   # these two lines become one paragraph joined by a line break (w:br)
WRONG_TYPE = """某某县人民政府2022年政府信息公开工作年度报告

本报告根据《中华人民共和国政府信息公开条例》要求编制，全文包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议和行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项。

一、总体情况

2022年，我县认真贯彻落实政府信息公开条例，主动公开政府信息1200条。
"""
SOFFICE_SECONDS = 240


def _docx_from(text: str, path: Path) -> None:
    """A Word report of the sample: paragraphs cut into runs of 7 characters (every other one bold), so quotes
    start and end inside runs; one line in a table cell; two lines in one paragraph with a line break."""
    doc = Document()
    lines = text.split("\n")
    skip = set()
    for n, line in enumerate(lines, 1):
        if n in skip:
            continue
        if n == TABLE_LINE:
            table = doc.add_table(rows=1, cols=2)
            table.cell(0, 0).text = "措施"
            table.cell(0, 1).text = line
            continue
        p = doc.add_paragraph()
        for k in range(0, len(line), 7):
            p.add_run(line[k:k + 7]).bold = bool(k // 7 % 2)
        if n == BREAK_LINES[0]:
            p.add_run().add_break()
            p.add_run(lines[BREAK_LINES[1] - 1])
            skip.add(BREAK_LINES[1])
    doc.save(path)


def _pdf_from(text: str, path: Path) -> None:
    """A PDF report: hard-wrapped lines of 34 characters on A4 pages with a page number at the foot."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path), pagesize=A4)
    width, height = A4
    y, page = height - 60, 1
    lines = [para[k:k + 34] for para in text.split("\n") if para.strip() for k in range(0, len(para), 34)]
    for n, line in enumerate(lines):
        c.setFont("STSong-Light", 12)
        c.drawString(50, y, line)
        y -= 18
        if y < 60 or n == len(lines) - 1:
            c.setFont("STSong-Light", 9)
            c.drawString(width / 2, 30, f"- {page} -")
            c.showPage()
            y, page = height - 60, page + 1
    c.save()


def _html_from(text: str, path: Path) -> None:
    """A web page: the report as an article between a navigation bar and a footer."""
    from html import escape
    title, *paragraphs = [line for line in text.split("\n") if line.strip()]
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    path.write_text(f"<!doctype html><html><head><meta charset='utf-8'><title>{escape(title)}</title></head><body>"
                    f"<nav>首页 | 政务公开</nav><article><h1>{escape(title)}</h1>{body}</article>"
                    f"<footer>版权所有</footer></body></html>", encoding="utf-8")


@pytest.fixture(scope="module")
def batch(tmp_path_factory, matcher):
    """Six inputs (a .txt, a .docx, a .pdf and an .html report, another kind of document, an empty file), audited,
    and both outputs of each."""
    folder = tmp_path_factory.mktemp("reports")
    text = SAMPLE.read_text(encoding="utf-8")
    (folder / "船溪乡.txt").write_text(text, encoding="utf-8")
    _docx_from(text, folder / "船溪乡Word版.docx")
    _pdf_from((REPORTS / "002_ae009fae7ef3885b.txt").read_text(encoding="utf-8"), folder / "街道.pdf")
    _html_from((REPORTS / "003_88711d32bb28d44b.txt").read_text(encoding="utf-8"), folder / "网页.html")
    (folder / "政府信息公开年报.txt").write_text(WRONG_TYPE, encoding="utf-8")
    (folder / "空白.txt").write_bytes(b"")
    inputs = sorted(folder.iterdir())
    before = {p.name: p.read_bytes() for p in inputs}
    reports = [audit_file(p, matcher) for p in inputs]
    out = tmp_path_factory.mktemp("out")
    letters = letter_format.write(reports, matcher.rules, out)
    reviews = review_format.write(reports, matcher.rules, out)
    return {"folder": folder, "inputs": inputs, "before": before, "reports": {Path(r.path).name: r for r in reports},
            "letters": letters, "reviews": reviews, "out": out}


def _loose(text: str) -> str:
    return " ".join(text.strip("…").split())


def anchors(path: Path) -> list[tuple[str, str]]:
    """(the text a comment is anchored on, the comment's text) for every comment of a document."""
    doc = Document(str(path))
    open_ids: set[str] = set()
    anchored: dict[str, str] = {}
    for el in doc.element.body.iter():
        if el.tag == qn("w:commentRangeStart"):
            open_ids.add(el.get(qn("w:id")))
            anchored[el.get(qn("w:id"))] = ""
        elif el.tag == qn("w:commentRangeEnd"):
            open_ids.discard(el.get(qn("w:id")))
        elif open_ids and el.tag == qn("w:p"):   # a comment over several paragraphs (lines of a PDF)
            for i in open_ids:
                anchored[i] += "\n"
        elif open_ids and el.tag in (qn("w:t"), qn("w:tab"), qn("w:br")):
            piece = el.text or "" if el.tag == qn("w:t") else "\t" if el.tag == qn("w:tab") else "\n"
            for i in open_ids:
                anchored[i] += piece
    comments = {str(c.comment_id): c for c in doc.comments}
    assert set(comments) == set(anchored), "every comment has an anchor and every anchor a comment"
    for c in comments.values():
        assert c.author == docx_parts.author()
    return [(anchored[i], comments[i].text) for i in sorted(anchored, key=int)]


def _title_and_rest(report, found):
    """The one comment on the title (it opens with the result) and the others."""
    head = "审核结论：{}".format(letter_format.result(report))
    [title] = [a for a in found if a[1].startswith(head)]
    return title, [a for a in found if a is not title]


def _by_name(paths: list[Path]) -> dict[str, Path]:
    return {p.name: p for p in paths}


def test_one_file_per_audited_report_named_after_it(batch):
    stems = ["船溪乡", "船溪乡Word版", "街道", "网页", "政府信息公开年报"]
    assert sorted(p.name for p in batch["letters"]) == sorted(f"{s}.整改意见.docx" for s in stems)
    assert sorted(p.name for p in batch["reviews"]) == sorted(f"{s}.审核批注.docx" for s in stems)
    assert batch["reports"]["空白.txt"].errors   # an unreadable file gets no letter and no copy
    assert sorted(p.name for p in batch["out"].iterdir()) == sorted(p.name for p in batch["letters"] + batch["reviews"])


def test_inputs_are_never_touched(batch):
    assert {p.name: p.read_bytes() for p in batch["folder"].iterdir()} == batch["before"]


def _gap_head(f) -> str:
    return f"【{tier(f.tier)}·{f.status.label}】{f.rule.title}"


@pytest.mark.parametrize("name", ["船溪乡.txt", "船溪乡Word版.docx", "街道.pdf", "网页.html"])
def test_one_comment_per_gap_where_it_belongs(batch, name):
    """A gap with evidence on its first quote, a missing item on the heading of the part it belongs in, the
    rest (a missing part, the title, the signature) on the title; nothing said of what is met."""
    report = batch["reports"][name]
    review = _by_name(batch["reviews"])[Path(name).stem + ".审核批注.docx"]
    title, rest = _title_and_rest(report, anchors(review))
    lines = read_source(batch["folder"] / name).text.split("\n")
    assert title[0] == lines[0].strip()
    gaps = [f for f in gaps_first(report.findings) if f.status.is_gap]
    expected = []
    for f in gaps:
        heading = review_format._heading_of(report, f.rule)
        where = (_loose(f.evidence[0].quote) if f.evidence else
                 " ".join(lines[heading.line - 1].split()) if heading else title[0])
        expected.append((where, _gap_head(f)))
    got = [(" ".join(anchor.split()), text.split("\n")[0].split("：")[0]) for anchor, text in rest]
    assert Counter(got) == Counter(expected)
    assert not any(text.startswith("【满足") or "】" not in text.split("\n")[0] for _a, text in rest)
    assert any(f.evidence for f in gaps) and any(not f.evidence and review_format._heading_of(report, f.rule)
                                                 for f in gaps)
    assert any(e.place.get("table") for f in report.findings for e in f.evidence) or not name.endswith(".docx")


def test_the_title_comment_gives_the_result_and_the_counts(batch):
    report = batch["reports"]["船溪乡Word版.docx"]
    (_, title), rest = _title_and_rest(report, anchors(_by_name(batch["reviews"])["船溪乡Word版.审核批注.docx"]))
    must, could = letter_format.tiers(report)
    assert letter_format.result(report) in title
    assert f"必须整改{len(must)}项，建议完善{len(could)}项" in title
    assert len(rest) == len(must) + len(could)
    assert "得分" not in title   # scores only when asked for


def test_gaps_are_commented_in_full_and_met_items_not_at_all(batch):
    report = batch["reports"]["网页.html"]
    texts = [text for _, text in _title_and_rest(report, anchors(_by_name(batch["reviews"])["网页.审核批注.docx"]))[1]]
    assert any(f.tier == MUST_FIX for f in report.findings)
    for f in report.findings:
        mine = [t for t in texts if t.startswith(_gap_head(f) + "：")]
        if f.status.is_gap:
            [text] = mine
            assert f.rule.fix in text and "应写入：" in text
            assert all(b in text for b in f.rule.legal_basis) == (f.tier == MUST_FIX)
        else:
            assert not mine and not any(t.split("】", 1)[-1].startswith(f.rule.title + "：") for t in texts)


def test_a_docx_keeps_its_text_and_its_formatting(batch):
    original = batch["folder"] / "船溪乡Word版.docx"
    review = _by_name(batch["reviews"])["船溪乡Word版.审核批注.docx"]
    read = docx_reader.extract
    assert read(review.read_bytes(), str(review)).text == read(original.read_bytes(), str(original)).text
    # the runs split at a quote's ends keep their formatting: the bold text is the same text
    def bold(path):
        return "".join(r.text for p in Document(str(path)).paragraphs for r in p.runs if r.bold)
    assert bold(review) == bold(original)


def test_a_text_report_becomes_a_docx_of_its_lines(batch):
    review = _by_name(batch["reviews"])["船溪乡.审核批注.docx"]
    text = SAMPLE.read_text(encoding="utf-8")
    assert [p.text for p in Document(str(review)).paragraphs] == text.split("\n")


def test_a_docx_python_docx_cannot_open_is_commented_as_its_text(batch, tmp_path, monkeypatch):
    def refuse(*_args):
        raise KeyError("no main document part")
    monkeypatch.setattr(review_format, "Document", refuse)
    report = batch["reports"]["船溪乡Word版.docx"]
    [path] = review_format.write([report], [], tmp_path)
    found = anchors(path)
    (_, title), rest = _title_and_rest(report, found)
    assert "船溪乡Word版.docx" in title and "原文件未改动" in title
    assert len(rest) == sum(f.status.is_gap for f in report.findings)


def test_a_pdf_page_starts_a_new_page(batch):
    source = read_source(batch["folder"] / "街道.pdf")
    doc = Document(str(_by_name(batch["reviews"])["街道.审核批注.docx"]))
    assert [p.text for p in doc.paragraphs] == source.text.split("\n")
    breaks = [n for n, p in enumerate(doc.paragraphs) if p.paragraph_format.page_break_before]
    assert breaks == [n for n in range(1, len(source.places)) if source.places[n].page != source.places[n - 1].page]
    assert len(breaks) >= 1


@pytest.mark.parametrize("name", ["船溪乡.txt", "网页.html"])
def test_the_letter_leads_with_what_must_be_fixed_and_lists_the_rest_briefly(batch, name):
    report = batch["reports"][name]
    doc = Document(str(_by_name(batch["letters"])[Path(name).stem + ".整改意见.docx"]))
    paragraphs = [p.text for p in doc.paragraphs]
    whole = "\n".join(paragraphs)
    must, could = letter_format.tiers(report)
    numbered = [p.text for p in doc.paragraphs if p.runs and p.runs[0].bold and p.style.name == "Normal"]
    assert numbered == [f"{n}．{f.rule.title}（{f.status.label}）" for n, f in enumerate(must, 1)]
    for f in must:
        assert f.rule.fix in whole and all(b in whole for b in f.rule.legal_basis)
    briefly = [f"{n}．{f.rule.title}（{f.status.label}）：{f.rule.fix}" for n, f in enumerate(could, 1)]
    at = paragraphs.index(briefly[0]) if briefly else len(paragraphs)
    assert paragraphs[at:at + len(briefly)] == briefly   # one line each, no legal basis between them
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    expected = ["审核结论"] + (["必须整改的问题"] if must else []) + (["建议完善的事项"] if could else []) + ["整改要求"]
    assert headings == [f"{'一二三四'[i]}、{h}" for i, h in enumerate(expected)]
    assert report.metadata.body in paragraphs[1]
    assert f"《{report.metadata.title}》" in paragraphs[2] and Path(name).name not in whole   # the title, no file
    assert ("基本符合要求" in whole) == (not must and bool(could))
    assert "得分" not in whole and "审核工具" not in whole
    assert "审核单位（盖章）" in whole and "年__月__日" in whole
    assert paragraphs[-1].startswith("日期：")   # the signature ends the letter
    heading_fonts = {s.element.rPr.rFonts.get(qn("w:eastAsia")) for s in doc.styles if s.name in ("Normal", "Heading 1")}
    assert heading_fonts == {docx_parts.BODY_FONT, docx_parts.HEADING_FONT}


def test_the_result_never_calls_a_report_with_an_item_that_must_be_fixed_largely_compliant(batch):
    report = batch["reports"]["网页.html"]
    must, could = letter_format.tiers(report)
    assert must and letter_format.result(report) == f"需整改：必须整改{len(must)}项，建议完善{len(could)}项"
    assert letter_format.result(Report(path="x", findings=[f for f in report.findings if f not in must])) \
        == f"基本符合要求，有{len(could)}项建议完善"
    assert letter_format.result(Report(path="x", findings=[f for f in report.findings if not f.status.is_gap])) \
        == "符合要求"


def test_settings_fill_the_letter(batch, tmp_path):
    """What the workbench's batch settings pass: the 文号, the reply deadline, the score when switched on, the
    reviewer's 整改意见 above the signature, and a reviewed finding said in the rule's own words."""
    from datetime import date
    report = batch["reports"]["网页.html"]
    must, _could = letter_format.tiers(report)
    must[0].why = "人工复核（张三，2025-03-01）：缺失 → 部分满足。私下的理由"
    doc = letter_format.letter(report, {}, office="某县司法局", date=date(2025, 4, 1), number="某司函〔2025〕7号",
                               reply_by=date(2025, 4, 30), show_scores=True, opinion="第一段意见\n\n第二段意见",
                               reviewed={must[0].rule.id})
    paragraphs = [p.text for p in doc.paragraphs]
    whole = "\n".join(paragraphs)
    assert paragraphs[1] == "某司函〔2025〕7号" and "得分：" in whole
    assert "私下的理由" not in whole and f"存在问题：{must[0].rule.message}" in paragraphs
    assert "并于2025年4月30日前报送整改情况" in whole
    opinion = paragraphs.index("第一段意见")
    assert paragraphs[opinion - 1].endswith("、整改意见") and paragraphs[opinion + 1] == "第二段意见"
    assert paragraphs[-2:] == ["审核单位（盖章）：某县司法局", "日期：2025年4月1日"]
    assert opinion < len(paragraphs) - 2


def test_another_kind_of_document_gets_a_short_letter(batch):
    doc = Document(str(_by_name(batch["letters"])["政府信息公开年报.整改意见.docx"]))
    whole = "\n".join(p.text for p in doc.paragraphs)
    assert "不是法治政府建设年度报告" in whole and "政府信息公开工作年度报告" in whole
    assert "、必须整改的问题" not in whole and "、建议完善的事项" not in whole


def test_office_and_date_fill_the_blanks(batch, tmp_path):
    report = batch["reports"]["船溪乡.txt"]
    [path] = letter_format.write([report], [], tmp_path, office="某某县司法局", date="2023年3月1日")
    whole = "\n".join(p.text for p in Document(str(path)).paragraphs)
    assert "审核单位（盖章）：某某县司法局" in whole and "日期：2023年3月1日" in whole


def test_no_output_lands_on_an_input_or_on_another_output(batch, tmp_path):
    report = batch["reports"]["船溪乡.txt"]
    own = tmp_path / "x.审核批注.docx"
    shutil.copy(_by_name(batch["reviews"])["船溪乡.审核批注.docx"], own)
    reports = [Report(path=str(own), findings=report.findings),
               Report(path=str(tmp_path / "a" / "x.txt"), findings=report.findings),
               Report(path=str(tmp_path / "b" / "x.pdf"), findings=report.findings)]
    where = docx_parts.targets(reports, tmp_path, docx_parts.REVIEW, docx_parts.wanted)
    assert [where[i].name for i in range(3)] == ["x(2).审核批注.docx", "x(3).审核批注.docx", "x(4).审核批注.docx"]


def test_an_output_name_is_one_plain_line(batch, tmp_path):
    report = Report(path=str(tmp_path / "报告\n\x1b[2J\u202e名.txt"), findings=batch["reports"]["船溪乡.txt"].findings)
    where = docx_parts.targets([report], tmp_path, docx_parts.LETTER, docx_parts.wanted)
    assert where[0].name == "报告__[2J_名.整改意见.docx"


def test_a_failed_save_leaves_nothing_behind(tmp_path):
    class Broken:
        def save(self, fh):
            fh.write(b"PK partial")
            raise OSError("disk full")
    with pytest.raises(OSError):
        docx_parts.save(Broken(), tmp_path / "r.整改意见.docx")
    assert list(tmp_path.iterdir()) == []


def test_a_folder_audited_again_skips_the_outputs(batch):
    folder = batch["out"]
    shutil.copy(SAMPLE, folder / "report.txt")
    try:
        found, skipped, errors = find_reports([folder])
    finally:
        (folder / "report.txt").unlink()
    assert found == [folder / "report.txt"] and not errors
    assert sorted(s.path.name for s in skipped) == sorted(p.name for p in batch["letters"] + batch["reviews"])
    assert all(s.why for s in skipped)


# --- opened by LibreOffice ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def pdfs(batch, tmp_path_factory):
    """Every letter and reviewed copy converted to PDF by LibreOffice in one call, comments exported as notes."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    out = tmp_path_factory.mktemp("pdf")
    profile = tmp_path_factory.mktemp("lo-profile")
    documents = [str(p) for p in batch["letters"] + batch["reviews"]]
    subprocess.run([soffice, "--headless", "--norestore", f"-env:UserInstallation={profile.as_uri()}",
                    "--convert-to", 'pdf:writer_pdf_Export:{"ExportNotes":{"type":"boolean","value":"true"}}',
                    "--outdir", str(out), *documents],
                   check=True, capture_output=True, timeout=SOFFICE_SECONDS)
    converted = {Path(d).name: out / (Path(d).stem + ".pdf") for d in documents}
    assert all(p.is_file() for p in converted.values()), sorted(p.name for p in out.iterdir())
    return converted


def _notes_on_page(page) -> list[tuple[tuple[float, float, float, float], str]]:
    """(rectangle, contents) of the exported comments on one page, in PDF points."""
    import ctypes

    import pypdfium2.raw as raw
    out = []
    for i in range(raw.FPDFPage_GetAnnotCount(page)):
        annot = raw.FPDFPage_GetAnnot(page, i)
        if raw.FPDFAnnot_GetSubtype(annot) == raw.FPDF_ANNOT_TEXT:
            rect = raw.FS_RECTF()
            raw.FPDFAnnot_GetRect(annot, rect)
            size = raw.FPDFAnnot_GetStringValue(annot, b"Contents", None, 0)
            buffer = ctypes.create_string_buffer(size)
            raw.FPDFAnnot_GetStringValue(annot, b"Contents", ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)), size)
            out.append(((rect.left, rect.top, rect.right, rect.bottom), buffer.raw[:size - 2].decode("utf-16-le")))
        raw.FPDFPage_CloseAnnot(annot)
    return out


def _pdf(path: Path) -> tuple[str, list[str]]:
    """The text of a PDF and the contents of its text annotations (the exported comments)."""
    import pypdfium2 as pdfium
    pdf = pdfium.PdfDocument(str(path))
    texts, notes = [], []
    try:
        for page in pdf:
            textpage = page.get_textpage()
            texts.append(textpage.get_text_range())
            textpage.close()
            notes += [contents for _, contents in _notes_on_page(page)]
            page.close()
    finally:
        pdf.close()
    return "\n".join(texts), notes


def _flat(text: str) -> str:
    """Text as compared after a PDF round trip: no whitespace, no quotation marks (pdfium may move them)."""
    return "".join(ch for ch in text if not ch.isspace() and ch not in "“”\"")


@pytest.mark.office
def test_libreoffice_reads_the_letter(batch, pdfs):
    report = batch["reports"]["船溪乡.txt"]
    text, _ = _pdf(pdfs["船溪乡.整改意见.docx"])
    flat = _flat(text)
    assert _flat(report.metadata.body) in flat
    for f in (f for f in report.findings if f.status.is_gap):
        assert _flat(f.rule.title) in flat and _flat(f.rule.fix) in flat
    assert _flat("审核单位（盖章）") in flat


@pytest.mark.office
@pytest.mark.parametrize("name", ["船溪乡.审核批注.docx", "船溪乡Word版.审核批注.docx"])
def test_libreoffice_reads_the_comments(batch, pdfs, name):
    text, notes = _pdf(pdfs[name])
    review = _by_name(batch["reviews"])[name]
    expected = [comment for _, comment in anchors(review)]
    assert Counter(_flat(n) for n in notes) == Counter(_flat(c) for c in expected)
    assert _flat("船溪鄉2022年度法治政府建設工作情況") in _flat(text)


# --- pictures for the docs ---------------------------------------------------------------------------------

CJK_FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"


def _wrap(draw, text: str, font, width: int) -> list[str]:
    lines = []
    for paragraph in text.split("\n"):
        line = ""
        for ch in paragraph:
            if draw.textlength(line + ch, font=font) > width:
                lines.append(line)
                line = ""
            line += ch
        lines.append(line)
    return lines


def _review_picture(pdf_path: Path, png: Path, scale: float = 1.6) -> None:
    """The first page as LibreOffice lays it out, with its comments in a margin beside it, as Word shows them."""
    import pypdfium2 as pdfium
    from PIL import Image, ImageDraw, ImageFont
    pdf = pdfium.PdfDocument(str(pdf_path))
    page = pdf[0]
    height = page.get_height()
    notes = sorted(_notes_on_page(page), key=lambda n: (-n[0][1], n[0][0]))
    image = page.render(scale=scale, draw_annots=True).to_pil().convert("RGB")
    pdf.close()
    panel = 560
    canvas = Image.new("RGB", (image.width + panel, image.height), "#f3f3f3")
    canvas.paste(image, (0, 0))
    draw = ImageDraw.Draw(canvas)
    font = ImageFont.truetype(CJK_FONT, 17)
    small = ImageFont.truetype(CJK_FONT, 14)
    y = 24
    for (left, top, right, bottom), text in notes:
        ax, ay = right * scale, (height - top) * scale
        head, *more = text.split("\n")
        lines = _wrap(draw, head, font, panel - 60)[:4]
        extra = [line for m in more for line in _wrap(draw, m, small, panel - 60)]
        extra = extra if len(extra) <= 12 else extra[:11] + ["……"]
        box = 16 + 24 * len(lines) + 20 * len(extra)
        if y + box > canvas.height - 10:
            break
        top_y = max(y, int(ay) - 12) if y + box < canvas.height else y
        draw.line([(ax, ay), (image.width + 14, top_y + 14)], fill="#c0504d", width=1)
        draw.rectangle([image.width + 14, top_y, canvas.width - 14, top_y + box], fill="white", outline="#c0504d")
        ty = top_y + 8
        for line in lines:
            draw.text((image.width + 26, ty), line, font=font, fill="#222222")
            ty += 24
        for line in extra:
            draw.text((image.width + 26, ty), line, font=small, fill="#555555")
            ty += 20
        y = top_y + box + 10
    _save(canvas, png)


def _save(image, png: Path) -> None:
    """A small PNG: text on paper needs few colours."""
    image.quantize(colors=64, dither=0).save(png, optimize=True)


@pytest.mark.office
def test_pictures_for_the_docs(batch, pdfs):
    """With UPDATE_DOCS_PICTURES=1: the first page of a letter and of a reviewed copy, as docs/*.png."""
    if not os.environ.get("UPDATE_DOCS_PICTURES"):
        pytest.skip("set UPDATE_DOCS_PICTURES=1 to render docs/letter.png and docs/review.png")
    import pypdfium2 as pdfium
    pdf = pdfium.PdfDocument(str(pdfs["船溪乡.整改意见.docx"]))
    _save(pdf[0].render(scale=1.6).to_pil().convert("RGB"), REPO / "docs" / "letter.png")
    pdf.close()
    _review_picture(pdfs["船溪乡.审核批注.docx"], REPO / "docs" / "review.png")
