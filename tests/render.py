"""Test generators: a plain-text report rendered as .docx, .pdf and .html the way real submissions arrive,
and the kinds of noise real text carries. Each renderer records where it put every line, so tests can check
that the evidence points at the right place."""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

import opencc

from auditor.ocr import CONFUSABLE


@dataclass
class Rendered:
    path: Path
    lines: dict = field(default_factory=dict)   # place key → text drawn there


def to_docx(text: str, path: Path, table_lines: range = range(0)) -> Rendered:
    """One paragraph per line; lines in `table_lines` go into a one-column table (row per line)."""
    import docx
    d = docx.Document()
    out = Rendered(path)
    lines = text.split("\n")
    table = None
    paragraph = 0
    for i, line in enumerate(lines):
        if i in table_lines:
            if table is None:
                table = d.add_table(rows=0, cols=2)
            row = table.add_row()
            row.cells[0].text = str(len(table.rows))
            row.cells[1].text = line
            out.lines[("table", 1, len(table.rows), 2)] = line
            continue
        d.add_paragraph(line)
        paragraph += 1
        out.lines[("para", paragraph)] = line
    d.save(path)
    return out


_FONT = "STSong-Light"   # reportlab's built-in CID font: Chinese PDFs with no font files


def to_pdf(text: str, path: Path, header: str = "法治政府建设年度报告", width_pt: float = 420) -> Rendered:
    """A4 pages of hard-wrapped lines, a running header and a page number (— 3 —) on every page."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas
    if _FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(_FONT))
    size, leading = 14, 24
    wrapped: list[str] = []
    for line in text.split("\n"):
        current = ""
        for ch in line:
            if pdfmetrics.stringWidth(current + ch, _FONT, size) > width_pt:
                wrapped.append(current)
                current = ""
            current += ch
        wrapped.append(current)
    c = canvas.Canvas(str(path), pagesize=A4)
    out = Rendered(path)
    per_page = 26
    pages = [wrapped[i:i + per_page] for i in range(0, len(wrapped), per_page)]
    for p, page_lines in enumerate(pages, 1):
        c.setFont(_FONT, 10)
        c.drawString(80, 800, header)
        c.setFont(_FONT, size)
        y = 760
        for line in page_lines:
            if line:
                c.drawString(80, y, line)
            y -= leading
        c.setFont(_FONT, 10)
        c.drawString(290, 40, f"— {p} —")
        out.lines[p] = [line for line in page_lines if line]
        c.showPage()
    c.save()
    return out


NAV = '<div class="nav"><a href="/">首页</a> &gt; <a href="/zwgk">政务公开</a> &gt; 法治政府建设</div>' \
      '<div class="crumb">当前位置：首页 &gt; 政务公开 &gt; 法治政府建设年度报告</div>'
FOOTER = '<div class="share">分享到：微信 微博 QQ空间</div><div class="footer"><a href="/map">网站地图</a> | ' \
         '<a href="/contact">联系我们</a><p>主办单位：某某区人民政府办公室</p><p>京ICP备12345678号 ' \
         '京公网安备 11010202000001号</p></div>'


def to_html(text: str, path: Path, encoding: str = "utf-8") -> Rendered:
    """A saved government web page: navigation, breadcrumbs, the article (one <p> per line), share widget,
    footer with ICP and 公网安备 lines."""
    lines = [line for line in text.split("\n") if line.strip()]
    title = escape(lines[0])
    body = "\n".join(f"<p>{escape(line)}</p>" for line in lines[1:])
    page = (f'<!DOCTYPE html>\n<html><head><meta charset="{encoding}"><title>{title}</title></head><body>\n'
            f'{NAV}\n<div class="article"><h1>{title}</h1>\n<div class="content">\n{body}\n</div></div>\n'
            f'{FOOTER}\n</body></html>\n')
    path.write_bytes(page.encode(encoding))
    return Rendered(path, {"lines": lines})


# --- noise ---------------------------------------------------------------------------------------

_S2T = opencc.OpenCC("s2t")
_SYLLABLES = ["zhèn", "jiān", "xué", "xí", "shè", "qū", "guān", "fù", "zé", "jìn", "shí", "dǎo"]


def traditional_with_pinyin(text: str, seed: int = 1) -> str:
    """Traditional script with a pinyin gloss after some characters, as republishing sites print it."""
    rnd = random.Random(seed)
    out = []
    for ch in _S2T.convert(text):
        out.append(ch)
        if "\u4e00" <= ch <= "\u9fff" and rnd.random() < 0.15:
            out.append(f"({rnd.choice(_SYLLABLES)})")
    return "".join(out)


def doubled_punctuation(text: str, seed: int = 2) -> str:
    rnd = random.Random(seed)
    return "".join(ch + ch if ch in "，、；" and rnd.random() < 0.5 else ch for ch in text).replace("一、", "一，、")


def word_residue(text: str) -> str:
    lines = text.split("\n")
    for i in range(2, len(lines), 7):
        lines[i] = "[bookmark: _GoBack]" + lines[i]
    return "\n".join(lines)


WATERMARK = "秘书之家—全网资源每日更新www.mishuzj.com"


def watermarks(text: str, seed: int = 3) -> str:
    """The watermark dropped into the middle of lines, words included."""
    rnd = random.Random(seed)
    lines = text.split("\n")
    for i in range(1, len(lines), 5):
        if len(lines[i]) > 10:
            k = rnd.randrange(2, len(lines[i]) - 2)
            lines[i] = lines[i][:k] + WATERMARK + lines[i][k:]
    return WATERMARK + "\n".join(lines)


def _wrap(line: str, width: int) -> list[str]:
    """Cut a line as a page lays it out: Chinese characters twice as wide as Latin letters and digits."""
    out, current, used = [], "", 0
    for ch in line:
        w = 1 if ch.isascii() else 2
        if used + w > width:
            out.append(current)
            current, used = "", 0
        current += ch
        used += w
    return out + [current]


def pdf_artefacts(text: str, width: int = 56) -> str:
    """What copying out of a PDF leaves: hard wraps inside words, page numbers, running headers, and
    spaces between characters on some lines."""
    wrapped: list[str] = []
    for line in text.split("\n"):
        wrapped += _wrap(line, width)
    out = []
    for i, line in enumerate(wrapped):
        if i % 22 == 0:
            out += [f"— {i // 22 + 1} —", "某某镇人民政府文件"] if i else ["某某镇人民政府文件"]
        out.append(" ".join(line) if i % 9 == 4 else line)
    return "\n".join(out)


def ocr_confusions(text: str, rate: float = 0.5, seed: int = 4) -> str:
    """Characters swapped for the ones OCR mistakes them for (性→姓, 任→仼, 查→査 …)."""
    rnd = random.Random(seed)
    wrong = {rep: chars[0] for rep, chars in CONFUSABLE.items() if rep in "性任查思治"}
    return "".join(wrong[ch] if ch in wrong and rnd.random() < rate else ch for ch in text)


def mojibake(text: str, lines_hit: int = 3) -> str:
    """Some headings garbled the way seed 001 is: GBK decoded one byte out of step until an ASCII byte."""
    lines = text.split("\n")
    targets = [i for i, line in enumerate(lines) if line.startswith(("（", "("))][:lines_hit]
    for i in targets:
        data = ("\u3000" + lines[i]).encode("gbk", errors="replace")
        out, j = ["?"], 1
        while j < len(data):
            if data[j] < 0x80:
                break
            pair = data[j:j + 2]
            if len(pair) == 2 and pair[1] >= 0x40:
                try:
                    out.append(pair.decode("gbk"))
                except UnicodeDecodeError:
                    pass   # the garbler drops what it cannot show
            j += 2
        lines[i] = "".join(out) + data[j:].decode("gbk", errors="replace")
    return "\n".join(lines)


NOISE = {"traditional+pinyin": traditional_with_pinyin, "doubled punctuation": doubled_punctuation,
         "Word residue": word_residue, "watermarks": watermarks, "PDF artefacts": pdf_artefacts,
         "OCR confusions": ocr_confusions, "mojibake": mojibake}


def stacked(text: str) -> str:
    """Everything but mojibake at once, as a republished, glossed, scanned-then-copied report might be."""
    for noise in (ocr_confusions, doubled_punctuation, word_residue, watermarks, traditional_with_pinyin,
                  pdf_artefacts):
        text = noise(text)
    return text


NOISE["stacked (all but mojibake)"] = stacked
