from __future__ import annotations

import pytest

from auditor.audit import audit_file, audit_source
from auditor.metadata import level_of
from auditor.model import Status
from auditor.read import Source

from .conftest import REPORTS

BODY = "2018年，某某县人民政府坚持以习近平新时代中国特色社会主义思想为指导，全面推进依法行政，现将有关情况报告如下。"


@pytest.mark.parametrize("name,level", [
    ("乌苏市皇宫镇人民政府", "township"),
    ("重庆市南岸区人民政府龙门浩街道办事处", "township"),
    ("中共淮北市烈山区委 烈山区人民政府", "county"),
    ("乌苏市人民政府", "county"),            # a county-level city, told apart by its division code
    ("东莞市人民政府", "city"),
    ("武汉市司法局", "department:city"),
    ("湖北省人民政府", "province"),
    ("重庆市人民政府", "province"),
    ("某某单位", None),
])
def test_level_from_the_most_specific_unit(name, level):
    assert level_of(name)[0] == level


def test_sample_metadata(matcher):
    m = audit_file(REPORTS / "003_88711d32bb28d44b.txt", matcher).metadata
    assert (m.body, m.year, m.doc_number, m.level) == ("乌苏市皇宫镇人民政府", 2023, "皇政发〔2024〕5号", "township")
    m = audit_file(REPORTS / "000_8983b31abeb2f5d4.txt", matcher).metadata
    assert (m.year, m.year_source, m.date, m.signed) == (2022, "title", "2022-11-29", True)


def _finding(matcher, text, rule_id):
    report = audit_source(Source("t.txt", text, "utf-8"), matcher)
    return next(f for f in report.findings if f.rule.id == rule_id)


def test_deadline_before_2019_is_the_first_quarter(matcher):
    on_time = _finding(matcher, BODY + "\n某某县人民政府\n2019年3月20日", "deadline")
    late = _finding(matcher, BODY + "\n某某县人民政府\n2019年3月30日".replace("3月30日", "4月1日"), "deadline")
    assert on_time.status is Status.MET
    assert late.status is Status.MISSING and "2019-03-31" in late.why


def test_deadline_from_2019_is_1_april(matcher):
    text = BODY.replace("2018", "2023") + "\n某某县人民政府\n2024年4月1日"
    assert _finding(matcher, text, "deadline").status is Status.MET
    assert _finding(matcher, text.replace("4月1日", "4月2日"), "deadline").status is Status.MISSING


def test_copied_template_with_last_years_text(matcher):
    text = "关于2023年度法治政府建设情况的报告\n" + BODY.replace("2018", "2022")
    f = _finding(matcher, text, "consistent-year")
    assert f.status is not Status.MET and "2022" in f.why


def test_no_date_means_the_deadline_cannot_be_judged(matcher):
    assert _finding(matcher, BODY, "deadline").status is Status.NOT_APPLICABLE
