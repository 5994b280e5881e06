"""Bad input: one line naming the file and the problem, with a code; the batch goes on; exit 2 at the end;
inputs are never modified."""
from __future__ import annotations

import hashlib
import io
import os
import shutil
import zipfile

import pytest

from auditor.errors import AuditorError
from auditor.read import MAX_FILE_MB, read_source

from .conftest import REPORTS, run_cli
from .render import to_docx

pytestmark = pytest.mark.usefixtures("english")   # these check the wording of messages, in English

SEED = REPORTS / "002_ae009fae7ef3885b.txt"


def _pdf(draw) -> bytes:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas
    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, encrypt=draw.get("encrypt"))
    if draw.get("text"):
        c.setFont("STSong-Light", 14)
        c.drawString(80, 700, draw["text"])
    else:   # a scanned page: an image-like block and no text layer
        c.rect(50, 50, 400, 600, fill=1)
    c.showPage()
    c.save()
    return buf.getvalue()


def _zip_bomb(path) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", "<w:document/>")
        with z.open("word/media/huge.bin", "w", force_zip64=True) as f:
            block = b"\0" * 2**20
            for _ in range(210):   # 210 MB of zeros, a few hundred KB packed
                f.write(block)


@pytest.fixture(scope="module")
def bad_inputs(tmp_path_factory):
    """name → (expected code, how to make it)"""
    d = tmp_path_factory.mktemp("bad")
    good_docx = d / "good.docx"
    to_docx(SEED.read_text(encoding="utf-8"), good_docx)
    cases = {
        "empty.txt": ("E103", lambda p: p.write_bytes(b"")),
        "binary.txt": ("E107", lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)),
        "sheet.xlsx": ("E113", lambda p: p.write_bytes(b"col1,col2\n1,2\n")),
        "truncated.docx": ("E108", lambda p: p.write_bytes(good_docx.read_bytes()[:3000])),
        "notzip.docx": ("E108", lambda p: p.write_text("这不是Word文件", encoding="utf-8")),
        "locked.docx": ("E109", lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4000)),
        "bomb.docx": ("E112", _zip_bomb),
        "truncated.pdf": ("E108", lambda p: p.write_bytes(_pdf({"text": "法治政府建设年度报告" * 3})[:400])),
        "locked.pdf": ("E109", lambda p: p.write_bytes(_pdf({"text": "法治政府建设年度报告", "encrypt": "x"}))),
        "scan.pdf": ("E110", lambda p: p.write_bytes(_pdf({}))),
        "huge.txt": ("E111", lambda p: (p.write_bytes(b""), os.truncate(p, (MAX_FILE_MB + 1) * 2**20))),  # sparse
    }
    if not (shutil.which("soffice") or shutil.which("libreoffice")):
        cases["old.doc"] = ("E105", lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4000))
    for name, (_, make) in cases.items():
        make(d / name)
    good_docx.unlink()
    shutil.copy(SEED, d / "good.txt")
    return d, {name: code for name, (code, _) in cases.items()}


def test_each_bad_input_gets_its_code_and_one_line(bad_inputs):
    folder, expected = bad_inputs
    for name, code in expected.items():
        with pytest.raises(AuditorError) as info:
            read_source(folder / name)
        line = info.value.format()
        assert info.value.code == code, (name, line)
        assert line.startswith(str(folder / name)) and "\n" not in line


def test_a_batch_goes_on_reports_every_skip_and_exits_2(bad_inputs):
    folder, expected = bad_inputs
    # the folder, and the unsupported .xlsx named explicitly (a folder walk skips it as not a report)
    r = run_cli("audit", str(folder), *(str(folder / n) for n in expected if n.endswith(".xlsx")))
    assert r.code == 2
    assert "Traceback" not in r.stderr and "Traceback" not in r.stdout
    for name, code in expected.items():
        assert any(line.startswith(str(folder / name)) and f"[{code}]" in line for line in r.stderr.splitlines()), name
    assert "good.txt" in r.stdout and "met" in r.stdout   # the good report was still audited
    summary = r.stderr.splitlines()[-1]
    assert f"{len(expected)} of {len(expected) + 1} input(s) could not be audited" in summary and "E108 ×3" in summary


def test_unreadable_file_is_named_with_the_reason(tmp_path, monkeypatch):
    p = tmp_path / "r.txt"
    p.write_text("法治政府建设", encoding="utf-8")

    from auditor import read

    def denied(*args, **kwargs):
        raise PermissionError(13, "Permission denied")
    monkeypatch.setattr(read.os, "open", denied)
    with pytest.raises(AuditorError) as info:
        read_source(p)
    assert info.value.code == "E102" and "permission denied" in info.value.message


def _fingerprint(folder):
    return {p.name: (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mode, p.stat().st_mtime_ns)
            for p in sorted(folder.iterdir())}


def test_inputs_are_never_modified(tmp_path):
    from .render import to_html, to_pdf
    text = SEED.read_text(encoding="utf-8")
    shutil.copy(SEED, tmp_path / "a.txt")
    (tmp_path / "b.txt").write_bytes(text.encode("gb18030"))
    to_docx(text, tmp_path / "c.docx")
    to_pdf(text, tmp_path / "d.pdf")
    to_html(text, tmp_path / "e.html")
    os.chmod(tmp_path / "a.txt", 0o444)   # read-only stays read-only, and readable
    before = _fingerprint(tmp_path)
    r = run_cli("audit", str(tmp_path), "--format", "json")
    assert r.code in (0, 1), r.stderr
    assert _fingerprint(tmp_path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(before)   # no lock or temp files left


def test_an_internal_error_on_one_file_does_not_stop_the_batch(matcher, monkeypatch, tmp_path):
    from auditor import audit
    shutil.copy(SEED, tmp_path / "a.txt")
    shutil.copy(SEED, tmp_path / "b.txt")
    real = audit.judge_source

    def flaky(source, m):
        if source.path.endswith("a.txt"):
            raise ValueError("boom")
        return real(source, m)
    monkeypatch.setattr(audit, "judge_source", flaky)
    reports = list(audit.audit_paths([tmp_path / "a.txt", tmp_path / "b.txt"], matcher))
    assert reports[0].errors[0].code == "E199" and "ValueError: boom" in reports[0].errors[0].message
    assert not reports[1].errors and reports[1].findings
