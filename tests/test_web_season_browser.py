"""A supervisor's season in a real browser (issue 23), step by step as the supervisor takes them: the roster of
8 bodies and the deadline, the upload, the two tiers in the matrix, a verdict overturned, 整改意见 written, the
letters set once and downloaded as one zip, a report handed in late, a revised round (the review carried), and
the leader's page printed on one A4 page. UPDATE_DOCS_PICTURES=1 saves each new page at 1366×900 in docs/.

Reports are received when uploaded; to have a body on time before a deadline in the past, the first upload is
dated ten days back in the store (the only step not taken through the browser)."""
from __future__ import annotations

import base64
import io
import re
import zipfile
from datetime import date, timedelta

import pytest

from .test_web_browser import (SAMPLES, _downloaded, _picture, _upload, _wait, browser, downloads,  # noqa: F401
                               send_revision, serving)

pytestmark = pytest.mark.browser

ROSTER = ["船溪乡", "大涌镇人民政府", "龙门浩街道", "皇宫镇", "长坪乡", "潭湾镇", "修溪镇", "东溪镇"]
OVERTURN = "five-year-legal-education"          # planned only in 船溪乡: a reviewer finds it met
REASON = "第三部分写明开展“八五”普法宣传，复核为满足"
OPINION = "请补充优化法治化营商环境的举措，并于十日内报送修改稿。"
OFFICE = "某区全面依法治区委员会办公室"


def _variant(tmp, town: str):
    """A township's report made from sample 000, renamed to `town` (the body it names)."""
    path = tmp / f"{town}.txt"
    path.write_text(SAMPLES[0].read_text(encoding="utf-8").replace("船溪鄉", town).replace("船溪乡", town),
                    encoding="utf-8")
    return path


def _progress(batch: str) -> str:
    import urllib.request
    with urllib.request.urlopen(batch + "/progress", timeout=10) as answer:
        return answer.read().decode()


def _set(browser, element, value: str) -> None:
    """A value put into a date field as a person's picker would (Chromium's field takes no ISO keystrokes)."""
    browser.execute_script("arguments[0].value = arguments[1]", element, value)


def _shot(browser, name: str) -> None:
    browser.set_window_size(1366, 900)
    _picture(browser, name)
    browser.set_window_size(1400, 1000)


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    return tmp_path_factory.mktemp("season-data")


@pytest.fixture(scope="module")
def server(data):
    with serving(data) as base:
        yield base


@pytest.fixture(scope="module")
def season(server, data, browser, tmp_path_factory):
    """The batch of 7 reports (four samples and 潭湾镇 handed in ten days ago; 大涌镇 added after the deadline),
    with its roster and deadline; the batch page's URL."""
    from selenium.webdriver.common.by import By
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.support.expected_conditions import staleness_of
    from sqlalchemy import select

    from auditor.web.store import File, Store
    tmp = tmp_path_factory.mktemp("season")
    first = [SAMPLES[0], SAMPLES[2], SAMPLES[3], SAMPLES[4], _variant(tmp, "潭灣鎮"), _variant(tmp, "修溪鎮")]
    batch = _upload(server, browser, "2022年度各乡镇法治政府建设报告", first)
    batch_id = int(batch.rsplit("/", 1)[1])
    with Store(data).session() as s:   # handed in ten days ago
        for f in s.scalars(select(File).where(File.batch_id == batch_id)):
            f.created_at -= timedelta(days=10)
    browser.get(batch + "/roster")
    form = browser.find_element(By.CSS_SELECTOR, "form.season")
    _set(browser, form.find_element(By.NAME, "deadline"), (date.today() - timedelta(days=3)).isoformat())
    form.find_element(By.NAME, "season_year").send_keys("2022")
    page = browser.find_element(By.TAG_NAME, "html")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    # the roster page answers on the same URL: wait for the old page to go, not for the URL (already /roster)
    _wait(browser, staleness_of(page), "the season was not saved")
    _wait(browser, lambda d: d.current_url.endswith("/roster"), "the season was not saved")
    box = browser.find_element(By.NAME, "names")
    box.clear()
    box.send_keys("\n".join(ROSTER))
    browser.find_element(By.CSS_SELECTOR, "form.roster-form button[type=submit]").click()
    _wait(browser, lambda d: "应报送 8 个单位" in d.page_source, "the roster was not saved")
    late = browser.find_element(By.CSS_SELECTOR, "form[action$='/files'] input[type=file]")
    late.send_keys(str(SAMPLES[1]))   # 大涌镇, after the deadline
    page = browser.find_element(By.TAG_NAME, "html")
    browser.find_element(By.CSS_SELECTOR, "form[action$='/files'] button[type=submit]").click()
    _wait(browser, staleness_of(page), "the late report was not sent")   # the answer to the POST, not the form
    browser.get(batch)
    try:
        _wait(browser, lambda d: "全部文件已审核" in d.find_element(By.ID, "progress").text
              and not d.find_element(By.ID, "progress").get_attribute("data-url"), "")
    except TimeoutException:
        raise AssertionError(f"the late report was not audited: {_progress(batch)}") from None
    return batch


def test_the_roster_says_who_reported_on_time_late_and_not_at_all(browser, season):
    from selenium.webdriver.common.by import By
    browser.get(season + "/roster")
    page = browser.find_element(By.TAG_NAME, "main").text
    assert "应报送 8 个单位：按时报送 6 个，逾期报送 1 个，尚未报送 1 个" in page
    assert "东溪镇" in page and "大涌镇人民政府" in page
    _shot(browser, "roster")


def test_two_tiers_in_the_matrix_and_the_filter_to_be_fixed(browser, season):
    from selenium.webdriver.common.by import By
    browser.get(season)
    assert browser.find_elements(By.CSS_SELECTOR, "table.matrix td.mark.must")
    assert browser.find_elements(By.CSS_SELECTOR, "table.matrix td.mark.could")
    _shot(browser, "batch-tiers")
    browser.get(season + "?gaps=must")
    bodies = [a.text for a in browser.find_elements(By.CSS_SELECTOR, "table.matrix td.body a")]
    assert bodies == ["皇宫镇"]   # the one report lacking a statutory part


@pytest.fixture(scope="module")
def worked(browser, season):
    """船溪乡's report: a verdict overturned with its reason, 整改意见 written, returned for rectification."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select
    browser.get(season)
    browser.find_element(By.CSS_SELECTOR, 'table.matrix a[title^="辰溪县船溪乡人民政府"]').click()
    _wait(browser, lambda d: re.search(r"/reports/\d+$", d.current_url), "the report page did not open")
    report = browser.current_url
    row = browser.find_element(By.ID, f"rule-{OVERTURN}")
    Select(row.find_element(By.NAME, "status")).select_by_value("met")
    row.find_element(By.NAME, "reason").send_keys(REASON)
    row.find_element(By.XPATH, ".//button[not(@name)]").click()
    _wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, f"#rule-{OVERTURN} strong.reviewed"), "not reviewed")
    box = browser.find_element(By.CSS_SELECTOR, "#letter + form textarea[name=text]")
    box.clear()
    box.send_keys(OPINION)
    browser.find_element(By.CSS_SELECTOR, "#letter + form button[type=submit]").click()
    _wait(browser, lambda d: d.current_url.endswith("#letter"), "the comments were not saved")
    state = browser.find_element(By.CSS_SELECTOR, "form[action$='/state']")
    Select(state.find_element(By.NAME, "state")).select_by_value("returned")
    state.find_element(By.NAME, "assignee").send_keys("李科员")
    state.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    _wait(browser, lambda d: d.current_url.endswith("#state"), "the state was not saved")
    _shot(browser, "report-state")
    return report


def test_all_letters_in_one_zip_named_by_body_fit_to_send(browser, season, worked, downloads):
    import docx
    from selenium.webdriver.common.by import By
    browser.get(season + "/letters/settings")
    form = browser.find_element(By.CSS_SELECTOR, "form.settings")
    form.find_element(By.NAME, "office").send_keys(OFFICE)
    form.find_element(By.NAME, "number").send_keys("依法治区办函〔2025〕{n}号")
    _set(browser, form.find_element(By.NAME, "reply_by"), "2025-05-31")
    _shot(browser, "letter-settings")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    _wait(browser, lambda d: "saved=1" in d.current_url, "the letter settings were not saved")
    before = set(downloads.iterdir())
    browser.get(season)
    browser.find_element(By.CSS_SELECTOR, "a[href$='/letters.zip']").click()
    bundle = _downloaded(downloads, ".zip", before)
    with zipfile.ZipFile(bundle) as z:
        names = z.namelist()
        letters = {n: "\n".join(p.text for p in docx.Document(io.BytesIO(z.read(n))).paragraphs) for n in names}
    assert len(names) == 7 and any("船溪乡" in n for n in names) and any("皇宫镇" in n for n in names)
    text = next(t for n, t in letters.items() if "船溪乡" in n)
    assert REASON not in text and "人工复核" not in text and ".txt" not in text
    assert text.index(OPINION) < text.index("审核单位（盖章）") and OFFICE in text
    assert "依法治区办函〔2025〕" in text
    assert "得分" not in text   # scores stay out until an office switches them on
    must = letters[next(n for n in names if "皇宫镇" in n)]
    assert "必须整改的问题" in must and "2025年5月31日" in must   # the reply deadline where there is a must


def test_a_revised_round_carries_the_review_and_says_what_changed(browser, worked, tmp_path_factory):
    from selenium.webdriver.common.by import By
    send_revision(browser, worked, tmp_path_factory.mktemp("revision"))   # what the 整改意见 asked for
    _wait(browser, lambda d: "全部文件已审核" in d.find_element(By.ID, "progress").text
          and not d.find_element(By.ID, "progress").get_attribute("data-url"), "the revision was not audited")
    browser.find_element(By.XPATH, "//table[contains(@class,'matrix')]//tr[.//span[@class='round']]//a").click()
    _wait(browser, lambda d: re.search(r"/reports/\d+$", d.current_url) and d.current_url != worked,
          "the round-2 report did not open")
    cell = browser.find_element(By.CSS_SELECTOR, f"#rule-{OVERTURN} td.status").text
    assert "沿用第1轮的人工复核" in cell
    compare = browser.find_element(By.ID, "compare")
    browser.execute_script("arguments[0].scrollIntoView({block: 'start'})", compare)
    section = browser.find_element(By.TAG_NAME, "main").text.split("与前一份报告对比")[1]
    assert re.search(r"已整改的缺项[^\n]*营商环境", section), section[:300]   # fixed by the revision
    _shot(browser, "compare")


def test_the_leaders_page_prints_on_one_a4_page(browser, season, worked):
    import pypdfium2 as pdfium
    browser.get(season + "/leader")
    _shot(browser, "leader")
    printed = browser.execute_cdp_cmd("Page.printToPDF", {"printBackground": True, "preferCSSPageSize": True})
    pdf = pdfium.PdfDocument(io.BytesIO(base64.b64decode(printed["data"])))
    try:
        pages = len(pdf)
        text = pdf[0].get_textpage().get_text_range()
    finally:
        pdf.close()
    assert pages == 1
    assert "东溪镇" in text and "大涌镇" in text   # not reported; late
