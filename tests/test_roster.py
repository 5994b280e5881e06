"""The roster (issue 23): the bodies expected to report, matched to the reports' bodies by name, each reported,
late or not reported; reports of another year and of no roster body listed apart."""
from __future__ import annotations

from datetime import date

import pytest

from auditor import roster
from auditor.roster import Handed

from .conftest import REPORTS

# the five samples' bodies as their metadata reads them, and a roster as an office types it
SAMPLE_BODIES = ["辰溪县船溪乡人民政府", "大涌镇人民政府", "重庆市南岸区人民政府龙门浩街道办事处", "乌苏市皇宫镇人民政府",
                 "重庆市万州区长坪乡人民政府"]
ROSTER = "1. 船溪乡\n2、大涌镇人民政府\n龙门浩街道办事处\n皇宫镇\n長坪鄉\n东溪镇\n\n大涌镇\n"


def test_a_typed_roster_drops_numbers_blank_lines_and_repeats():
    assert roster.parse(ROSTER) == ["船溪乡", "大涌镇人民政府", "龙门浩街道办事处", "皇宫镇", "長坪鄉", "东溪镇"]


def test_bodies_meet_their_roster_line_by_name_whatever_the_office_word_or_script():
    handed = [Handed(key=i, body=b, year=2023) for i, b in enumerate(SAMPLE_BODIES)]
    season = roster.check(roster.parse(ROSTER), handed, year=2023)
    found = {e.body: [h.key for h in e.reports] for e in season.entries}
    assert found == {"船溪乡": [0], "大涌镇人民政府": [1], "龙门浩街道办事处": [2], "皇宫镇": [3], "長坪鄉": [4],
                     "东溪镇": []}
    assert [e.body for e in season.of(roster.MISSING)] == ["东溪镇"]
    assert season.unmatched == [] and season.off_year == []


def test_a_generic_or_ambiguous_name_fits_no_line():
    bodies = ["东城区", "西城区", "新华街道", "新华镇"]
    handed = [Handed(key="a", body="区政府", generic=True), Handed(key="b", body="新华"),
              Handed(key="c", body="北京市东城区人民政府")]
    season = roster.check(bodies, handed)
    assert [h.key for h in season.unmatched] == ["a", "b"]   # 新华 could be either: linked by hand, never guessed
    assert season.entries[0].reports[0].key == "c"


def test_late_and_off_year_reports():
    bodies = ["船溪乡", "大涌镇", "皇宫镇"]
    handed = [Handed(key="on-time", body="船溪乡人民政府", year=2024, received=date(2025, 1, 10)),
              Handed(key="late", body="大涌镇人民政府", year=2024, received=date(2025, 2, 3)),
              Handed(key="old", body="皇宫镇人民政府", year=2021, received=date(2025, 1, 5))]
    season = roster.check(bodies, handed, deadline=date(2025, 1, 31), year=2024)
    assert [(e.body, e.state) for e in season.entries] == [("船溪乡", "reported"), ("大涌镇", "late"),
                                                           ("皇宫镇", "reported")]
    assert [h.key for h in season.off_year] == ["old"]   # handed in, but last season's report


def test_roster_files_xlsx_csv_and_text(tmp_path):
    import openpyxl
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["2024年度法治政府建设年度报告报送名单"])
    sheet.append(["序号", "单位", "联系人"])
    sheet.append([1, "船溪乡", "张三"])
    sheet.append([2, "大涌镇人民政府", None])
    book.save(tmp_path / "名单.xlsx")
    assert roster.read(tmp_path / "名单.xlsx") == ["船溪乡", "大涌镇人民政府"]
    (tmp_path / "名单.csv").write_bytes("序号,单位名称\n1,皇宫镇\n2,东溪镇\n".encode("gbk"))
    assert roster.read(tmp_path / "名单.csv") == ["皇宫镇", "东溪镇"]
    (tmp_path / "名单.txt").write_text("船溪乡\n大涌镇\n", encoding="utf-16")
    assert roster.read(tmp_path / "名单.txt") == ["船溪乡", "大涌镇"]
    (tmp_path / "空.txt").write_text("\n\n", encoding="utf-8")
    with pytest.raises(ValueError, match="名单"):
        roster.read(tmp_path / "空.txt")
    (tmp_path / "坏.xlsx").write_bytes(b"not a workbook")
    with pytest.raises(ValueError, match="坏.xlsx"):
        roster.read(tmp_path / "坏.xlsx")


def test_the_audit_ends_with_who_has_not_reported(tmp_path, capsys):
    from auditor import run
    from auditor.settings import Settings
    (tmp_path / "名单.txt").write_text(ROSTER, encoding="utf-8")
    code = run.audit([REPORTS], Settings(rules=str(REPORTS.parent / "rules"), format="json", jobs=1,
                                         roster=str(tmp_path / "名单.txt"), deadline="2024-01-31",
                                         output=str(tmp_path / "out.json")))
    err = capsys.readouterr().err
    assert code in (0, 1)
    assert "报送名单共 6 个单位" in err and "未报送：东溪镇" in err
    assert "逾期报送（成文日期晚于 2024-01-31）：龙门浩街道办事处" in err   # signed 2024-03-04


def test_the_command_line_says_a_bad_roster_or_deadline_in_one_line_before_auditing(tmp_path):
    from .conftest import run_cli
    missing = run_cli("audit", str(REPORTS), "--roster", str(tmp_path / "无此名单.xlsx"))
    assert missing.code == 2 and "无法读取报送名单" in missing.stderr and "Traceback" not in missing.stderr
    assert "已审核" not in missing.stderr   # said before any report was read
    bad_date = run_cli("audit", str(REPORTS), "--roster", str(tmp_path / "x.txt"), "--deadline", "2024-13-01")
    assert bad_date.code == 2 and "不是 2025-01-31 这样的日期" in bad_date.stderr
