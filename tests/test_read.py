from __future__ import annotations

import pytest

from auditor.errors import AuditorError
from auditor.read import decode, find_reports, read_source

from .conftest import REPORTS

pytestmark = pytest.mark.usefixtures("english")   # these check the wording of messages, in English

SIMPLIFIED = (REPORTS / "002_ae009fae7ef3885b.txt").read_text(encoding="utf-8")
TRADITIONAL = "法治政府建設工作情況。聘請法律顧問，推動落實“一村一法律顧問”，為群眾提供免費的法律服務。" * 5


@pytest.mark.parametrize("encoding,text,expect", [
    ("utf-8", SIMPLIFIED, "utf-8"),
    ("utf-8-sig", SIMPLIFIED, "utf-8-sig"),
    ("gb18030", SIMPLIFIED, "gb18030"),
    ("gbk", SIMPLIFIED, "gb18030"),
    ("big5", TRADITIONAL, "big5"),
    ("utf-16", SIMPLIFIED, "utf-16"),
    ("utf-16-le", SIMPLIFIED, "utf_16_le"),
])
def test_decodes_the_encodings_reports_arrive_in(encoding, text, expect):
    data = text.encode(encoding)
    decoded, name = decode(data, "x.txt")
    assert decoded == text
    assert name == expect


def test_empty_file_is_a_clear_error(tmp_path):
    p = tmp_path / "empty.txt"
    p.write_bytes(b"")
    with pytest.raises(AuditorError) as info:
        read_source(p)
    assert info.value.code == "E103" and str(p) in info.value.format()


def test_binary_junk_is_not_text(tmp_path):
    p = tmp_path / "junk.txt"
    p.write_bytes(bytes(range(256)) * 8)
    with pytest.raises(AuditorError) as info:
        read_source(p)
    assert info.value.code in ("E104", "E107")


def test_a_page_aligned_with_ideographic_spaces_is_text(tmp_path):
    """Government pages align their file fields with full-width spaces; many of them are still text, not binary."""
    p = tmp_path / "page.txt"
    fields = "索引号：11410923MB0F3792XK/2023-00087　　　　　　主题分类：政府文件\n" * 8
    p.write_text(fields + "关于2022年度法治政府建设情况的报告\n2022年，我县深入推进依法行政。\n", encoding="utf-8")
    assert "依法行政" in read_source(p).text


def test_damaged_word_file_gets_a_clear_error_not_garbage(tmp_path):
    p = tmp_path / "report.docx"
    p.write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(AuditorError) as info:
        read_source(p)
    assert info.value.code == "E108" and "Word" in info.value.message


def test_reading_never_modifies_the_input(tmp_path):
    p = tmp_path / "r.txt"
    data = SIMPLIFIED.encode("gb18030")
    p.write_bytes(data)
    read_source(p)
    assert p.read_bytes() == data


def test_find_reports_sorts_skips_and_reports_missing(tmp_path):
    (tmp_path / "b.txt").write_text("乙", encoding="utf-8")
    (tmp_path / "a.txt").write_text("甲", encoding="utf-8")
    (tmp_path / "notes.tsv").write_text("x", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("x", encoding="utf-8")
    found, skipped, errors = find_reports([tmp_path, tmp_path / "nope.txt"])
    assert [p.name for p in found] == ["a.txt", "b.txt"]
    assert [(s.path.name, s.why) for s in skipped] == [(".hidden.txt", "a hidden file"),
                                                       ("notes.tsv", "not a report file type (.tsv)")]
    assert [e.code for e in errors] == ["E101"]
