"""The workbench in a real browser: Debian's Chromium driven by Selenium through /usr/bin/chromedriver.

One app (uvicorn in a background thread, a fresh data folder) and one headless browser session serve the module;
each test takes the steps a supervisor would take, as fixtures of its own, so any test runs alone or in any order:
the tests that only look share one batch nobody changes, the review and the comments work on a batch of their own,
and the revision on another. Selenium Manager is kept offline (SE_OFFLINE and an explicit driver path): nothing
is downloaded. `make test` installs chromium and chromium-driver where missing; as another user without them the
module is skipped with one line (tests/conftest.py).

UPDATE_DOCS_PICTURES=1 also saves a screenshot of each page as docs/web-*.png for the README.
"""
from __future__ import annotations

import base64
import contextlib
import io
import os
import re
import socket
import threading
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
REPORTS = REPO / "reports"
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")

pytestmark = pytest.mark.browser   # skipped with one line where Chromium is missing and this is not root

WAIT = 60   # seconds: the longest any step may take (auditing five samples in the background included)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The workbench on a free loopback port with an empty data folder; its base URL. Stopped after the module."""
    with serving(tmp_path_factory.mktemp("workbench-data")) as base:
        yield base


@contextlib.contextmanager
def serving(data: Path):
    """The workbench on `data` under uvicorn in a thread, on a free loopback port; its base URL while open."""
    import uvicorn
    from auditor.settings import Options
    from auditor.web.app import create_app

    app = create_app(data, options=Options(rules_dir=str(REPO / "rules")))
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    # the socket is bound here and handed over, so no other process can take the port in between
    uvicorn_server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=uvicorn_server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(base + "/", timeout=2) as answer:
                if answer.status < 500:
                    break
        except OSError:
            pass
        if time.monotonic() > deadline or not thread.is_alive():
            uvicorn_server.should_exit = True
            raise RuntimeError(f"the workbench did not answer on {base} within 30 s")
        time.sleep(0.1)
    try:
        yield base
    finally:
        uvicorn_server.should_exit = True
        thread.join(timeout=15)
        sock.close()


@pytest.fixture(scope="module")
def downloads(tmp_path_factory) -> Path:
    """The folder Chromium saves downloads into."""
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="module")
def browser(downloads):
    """One headless Chromium session for every step of the module."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SE_OFFLINE", "true")   # Selenium Manager must not look for (or fetch) a driver
        options = webdriver.ChromeOptions()
        options.binary_location = str(CHROMIUM)
        for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                         "--window-size=1400,1000", "--lang=zh-CN"):
            options.add_argument(argument)
        options.add_experimental_option("prefs", {
            "download.default_directory": str(downloads),
            "download.prompt_for_download": False,
            "download.directory_upgrade": True,
            "safebrowsing.enabled": True,
            "intl.accept_languages": "zh-CN,zh",
        })
        driver = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
    try:
        driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
        driver.set_page_load_timeout(WAIT)
        yield driver
    finally:
        driver.quit()


# --- helpers -------------------------------------------------------------------------------------------------

SAMPLES = sorted(REPORTS.glob("*.txt"))
BATCH = "2024年度各乡镇报告"
BODY = "辰溪县船溪乡人民政府"          # reports/000_…: a partly met rule with quotes among its gaps
QUOTED_GAP = "five-year-legal-education"   # planned only (普法责任清单 in 今后…), its quotes highlighted in the text
MISSING_GAP = "business-environment"       # missing in 长坪乡: the link goes to the part where it belongs
REASON = "第三部分写明开展“八五”普法宣传，复核为满足"
LETTER = "请补充优化法治化营商环境的举措，并于十日内报送修改稿。"


def _picture(browser, name: str) -> None:
    """With UPDATE_DOCS_PICTURES=1: the page as the supervisor sees it now, as docs/web-<name>.png."""
    if os.environ.get("UPDATE_DOCS_PICTURES"):
        browser.save_screenshot(str(REPO / "docs" / f"web-{name}.png"))


def _wait(browser, condition, message: str, seconds: float = WAIT):
    from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
    from selenium.webdriver.support.ui import WebDriverWait
    return WebDriverWait(browser, seconds, poll_frequency=0.2,
                         ignored_exceptions=(NoSuchElementException, StaleElementReferenceException)
                         ).until(condition, message)


def _downloaded(folder: Path, suffix: str, before: set[Path]) -> Path:
    """The file Chromium finished saving into `folder` since `before` (its partial .crdownload gone)."""
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        new = [p for p in folder.iterdir() if p not in before and p.name.endswith(suffix)]
        if new and not any(p.suffix == ".crdownload" for p in folder.iterdir()):
            return new[0]
        time.sleep(0.2)
    raise AssertionError(f"no {suffix} downloaded into {folder}: {sorted(p.name for p in folder.iterdir())}")


def _in_view(browser, element) -> bool:
    """The element is inside the window and inside every scrolling box around it (the original text scrolls
    in its own column)."""
    return browser.execute_script("""
        const el = arguments[0], r = el.getBoundingClientRect();
        if (r.height === 0 || r.bottom < 0 || r.top > window.innerHeight) return false;
        for (let box = el.parentElement; box; box = box.parentElement) {
            const b = box.getBoundingClientRect(), style = getComputedStyle(box);
            if (/(auto|scroll)/.test(style.overflowY) && (r.bottom < b.top || r.top > b.bottom)) return false;
        }
        return true;""", element)


# --- the steps, as a supervisor takes them ------------------------------------------------------------------

def _upload(server: str, browser, name: str, paths: list[Path], picture: str | None = None) -> str:
    """`paths` uploaded in one form on the new-batch page as the batch `name`; the batch page's URL once it shows
    every file audited (the page follows the progress by itself and reloads when the batch is complete)."""
    from selenium.webdriver.common.by import By
    browser.get(server + "/")
    browser.find_element(By.NAME, "name").send_keys(name)
    # one <input type=file multiple>: Selenium takes several paths joined by newlines
    browser.find_element(By.CSS_SELECTOR, "form.new input[type=file]").send_keys("\n".join(str(p) for p in paths))
    if picture:
        _picture(browser, picture)
    browser.find_element(By.CSS_SELECTOR, "form.new button[type=submit]").click()
    _wait(browser, lambda d: re.search(r"/batches/\d+$", d.current_url), "no batch page after the upload")
    _wait(browser, lambda d: "全部文件已审核" in d.find_element(By.ID, "progress").text
          and not d.find_element(By.ID, "progress").get_attribute("data-url"),
          "the batch page did not reach 'all files audited' by itself")
    return browser.current_url


def _open_report(browser, batch_url: str, body: str) -> str:
    """The report page of `body`, opened from its link in the batch's matrix; its URL."""
    from selenium.webdriver.common.by import By
    browser.get(batch_url)
    browser.find_element(By.CSS_SELECTOR, f'table.matrix a[title^="{body}"]').click()   # the short name shown
    _wait(browser, lambda d: re.search(r"/reports/\d+$", d.current_url), "the report page did not open")
    return browser.current_url


@pytest.fixture(scope="module")
def batch(server, browser):
    """The five samples as a batch that no test changes: what the machine found, as uploaded."""
    return _upload(server, browser, BATCH, SAMPLES, picture="new-batch")


@pytest.fixture(scope="module")
def worked_batch(server, browser):
    """The five samples again, as the batch the review and the comments are made in."""
    return _upload(server, browser, BATCH + "（复核）", SAMPLES)


def test_upload_the_five_samples_and_see_the_matrix(browser, batch):
    from selenium.webdriver.common.by import By
    browser.get(batch)
    assert "已审核 5 / 5 个文件" in browser.find_element(By.ID, "progress").text
    rows = browser.find_elements(By.CSS_SELECTOR, "table.matrix tbody tr")
    assert len(rows) == 5
    matrix = browser.find_element(By.CSS_SELECTOR, "table.matrix").text
    for body in ("船溪乡", "大涌镇", "皇宫镇", "长坪乡"):   # short names; the full name is the link's title
        assert body in matrix
    assert browser.find_element(By.CSS_SELECTOR, f'table.matrix a[title^="{BODY}"]').text == "船溪乡"
    scores = [float(c.text.split("/")[0]) for c in browser.find_elements(By.CSS_SELECTOR, "table.matrix td.score")]
    assert scores == sorted(scores, reverse=True)   # highest first by default
    marks = {c.text for c in browser.find_elements(By.CSS_SELECTOR, "table.matrix td.mark")}
    assert {"✓", "✗"} <= marks
    _picture(browser, "batch")


@pytest.fixture(scope="module")
def report(browser, batch):
    """The report page of 船溪乡 in the batch no test changes."""
    return _open_report(browser, batch, BODY)


@pytest.fixture(scope="module")
def worked_report(browser, worked_batch):
    """The report page of 船溪乡 in the batch the review and the comments are made in."""
    return _open_report(browser, worked_batch, BODY)


def test_report_page_shows_the_facts_the_gaps_and_the_original(browser, report):
    from selenium.webdriver.common.by import By
    browser.get(report)
    assert browser.find_element(By.TAG_NAME, "h1").text == BODY
    facts = browser.find_element(By.CSS_SELECTOR, "table.facts").text
    assert "乡镇（街道）" in facts and "2022" in facts and "83.5/100" in facts
    gaps = browser.find_elements(By.CSS_SELECTOR, "table.findings tr.gap")
    assert len(gaps) >= 5
    assert browser.find_elements(By.CSS_SELECTOR, ".original mark.ev")
    _picture(browser, "report")


def test_clicking_a_gap_scrolls_to_its_quote_and_highlights_it(browser, report):
    from selenium.webdriver.common.by import By
    browser.get(report)
    row = browser.find_element(By.ID, f"rule-{QUOTED_GAP}")
    assert "仅列入计划" in row.find_element(By.CSS_SELECTOR, "td.status").text
    quote = row.find_element(By.CSS_SELECTOR, "p.quote a.rule-link")
    target = quote.get_attribute("data-target")
    mark = browser.find_element(By.CSS_SELECTOR, f"#{target} + mark")
    browser.execute_script("const pane = arguments[0].closest('.right');"   # away from it first, to the far end
                           "pane.scrollTop = arguments[0].offsetTop > pane.scrollHeight / 2 ? 0 : 1e6", mark)
    assert not _in_view(browser, mark), "the quote is still in view: the click would prove nothing"
    quote.click()
    _wait(browser, lambda d: "active" in mark.get_attribute("class") and _in_view(d, mark),
          "the quote was not scrolled into view and highlighted")
    active = browser.find_elements(By.CSS_SELECTOR, "mark.active")   # every piece of this quote, and only of it
    assert active and all(target in m.get_attribute("data-quotes").split() for m in active)
    assert mark.value_of_css_property("background-color") == "rgba(255, 192, 0, 1)"   # #ffc000, not #fff2a8
    assert browser.current_url.endswith("#" + target)
    assert mark.text and mark.text in row.find_element(By.CSS_SELECTOR, "p.quote").text   # the quoted words


def test_clicking_a_missing_rule_scrolls_to_the_part_where_it_belongs(browser, batch):
    from selenium.webdriver.common.by import By
    browser.get(batch)   # 长坪乡: its parts carry the headings of the standard outline (船溪乡's do not)
    browser.find_element(By.PARTIAL_LINK_TEXT, "长坪乡").click()
    _wait(browser, lambda d: re.search(r"/reports/\d+$", d.current_url), "the report page did not open")
    row = browser.find_element(By.ID, f"rule-{MISSING_GAP}")
    assert "缺失" in row.find_element(By.CSS_SELECTOR, "td.status").text
    link = row.find_element(By.CSS_SELECTOR, "a.rule-link")
    target = link.get_attribute("data-target")
    assert re.fullmatch(r"L\d+", target)   # a line of the original: the heading of the part it belongs in
    line = browser.find_element(By.ID, target)
    browser.execute_script("arguments[0].closest('.right').scrollTop = 1e6", line)   # away from it first
    assert not _in_view(browser, line)
    link.click()
    _wait(browser, lambda d: "active" in line.get_attribute("class") and _in_view(d, line),
          "the part's heading was not scrolled into view and marked")
    assert "推进法治政府建设的主要举措" in line.text   # the measures part, where a measure belongs
    assert line.value_of_css_property("background-color") == "rgba(255, 192, 0, 1)"   # visibly marked


@pytest.fixture(scope="module")
def reviewed(browser, worked_report):
    """The planned-only rule of 船溪乡 changed to met with a reason, in its row's form on the report page."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select
    browser.get(worked_report)
    row = browser.find_element(By.ID, f"rule-{QUOTED_GAP}")
    Select(row.find_element(By.NAME, "status")).select_by_value("met")
    row.find_element(By.NAME, "reason").send_keys(REASON)
    row.find_element(By.XPATH, ".//button[not(@name)]").click()   # 保存 (the other button confirms)
    _wait(browser, lambda d: d.current_url.endswith(f"#rule-{QUOTED_GAP}")
          and d.find_elements(By.CSS_SELECTOR, f"#rule-{QUOTED_GAP} strong.reviewed"), "the review was not saved")
    return worked_report


@pytest.fixture(scope="module")
def commented(browser, worked_report):
    """The 整改意见 of 船溪乡 written in the box under its rules and saved."""
    from selenium.webdriver.common.by import By
    browser.get(worked_report)
    box = browser.find_element(By.CSS_SELECTOR, "#letter + form textarea[name=text]")
    box.clear()
    box.send_keys(LETTER)
    browser.find_element(By.CSS_SELECTOR, "#letter + form button[type=submit]").click()
    _wait(browser, lambda d: d.current_url.endswith("#letter"), "the comments were not saved")
    return worked_report


def test_change_a_verdict_with_a_reason_and_find_it_kept_after_reload(browser, reviewed, worked_batch):
    from selenium.webdriver.common.by import By
    browser.get(reviewed)
    row = browser.find_element(By.ID, f"rule-{QUOTED_GAP}")
    assert row.find_element(By.CSS_SELECTOR, "td.status").text.split("\n") == ["✓ 满足", "已人工复核", "机器结论：仅列入计划"]
    row.find_element(By.CSS_SELECTOR, "details summary").click()
    history = row.find_element(By.CSS_SELECTOR, "ul.history").text
    assert REASON in history and "本机用户" in history and "仅列入计划 → 满足" in history
    score = browser.find_element(By.CSS_SELECTOR, "table.facts td.score").text
    points = float(score.split("/")[0])
    assert points > 83.5 and "（机器评分 83.5/100）" in score   # the review feeds the score; the machine's beside it
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", row)
    if os.environ.get("UPDATE_DOCS_PICTURES"):   # the picture shows the review beside its highlighted quote
        row.find_element(By.CSS_SELECTOR, "p.quote a.rule-link").click()
        _wait(browser, lambda d: _in_view(d, d.find_element(By.CSS_SELECTOR, "mark.active")), "no quote shown")
        time.sleep(0.5)   # the smooth scroll settles
    _picture(browser, "review")
    browser.get(worked_batch)   # marked as reviewed in the matrix too
    cell = browser.find_element(By.CSS_SELECTOR, f"td.mark.reviewed a[href$='#rule-{QUOTED_GAP}']")
    assert cell.text == "✓*"


def test_rectification_comments_are_kept(browser, commented):
    from selenium.webdriver.common.by import By
    browser.get(commented)
    assert browser.find_element(By.CSS_SELECTOR, "#letter + form textarea").get_attribute("value") == LETTER


def test_download_the_spreadsheet_and_read_it_back(browser, worked_batch, reviewed, downloads):
    import openpyxl
    from selenium.webdriver.common.by import By
    browser.get(worked_batch)
    before = set(downloads.iterdir())
    browser.find_element(By.CSS_SELECTOR, "a[href$='/export.xlsx']").click()
    path = _downloaded(downloads, ".xlsx", before)
    assert path.name == f"{BATCH}（复核）.xlsx"
    book = openpyxl.load_workbook(path)
    summary = {row[0]: row for row in book["汇总"].iter_rows(min_row=2, values_only=True)}
    assert len(summary) == 5 and BODY in summary
    header = [c.value for c in book["对照表"][1]]
    grid = {row[0]: dict(zip(header, row)) for row in book["对照表"].iter_rows(min_row=2, values_only=True)}
    assert grid[BODY]["八五普法"] == "满足"   # the reviewed verdict, not the machine's 部分满足
    assert grid[BODY]["得分"] > 83


def test_download_the_letter_and_the_reviewed_copy_and_read_them_back(browser, reviewed, commented, downloads):
    import docx
    from selenium.webdriver.common.by import By
    browser.get(commented)
    before = set(downloads.iterdir())
    browser.find_element(By.CSS_SELECTOR, "a[href$='/letter.docx']").click()
    letter = _downloaded(downloads, ".docx", before)
    assert "整改意见" in letter.name
    text = "\n".join(p.text for p in docx.Document(str(letter)).paragraphs)
    assert BODY in text and LETTER in text
    could = text.split("建议完善的事项")[1].split("整改意见")[0]
    assert "法治化营商环境（缺失）" in could
    assert "落实五年普法规划" not in could   # as reviewed, not as the machine said
    assert REASON not in text   # the reviewer's reason is theirs, not a finding
    assert text.index(LETTER) < text.index("审核单位（盖章）")   # the 整改意见 above the signature
    before = set(downloads.iterdir())
    browser.find_element(By.CSS_SELECTOR, "a[href$='/review.docx']").click()
    review = _downloaded(downloads, ".docx", before)
    assert "审核批注" in review.name
    document = docx.Document(str(review))
    assert "船溪鄉2022年度法治政府建設工作情況" in document.paragraphs[0].text   # the report's own text, copied
    comments = [c.text for c in document.comments]
    assert len(comments) >= 5 and any("营商环境" in c for c in comments)
    assert not any(c.startswith("【满足") for c in comments)   # a comment only where something must be done


def test_print_the_overview_to_pdf_and_read_the_chinese_back(browser, batch):
    import pypdfium2 as pdfium
    from selenium.webdriver.common.by import By
    browser.get(batch)
    browser.get(browser.find_element(By.CSS_SELECTOR, "a[href$='/print']").get_attribute("href"))
    printed = browser.execute_cdp_cmd("Page.printToPDF", {"printBackground": True, "preferCSSPageSize": True})
    pdf = pdfium.PdfDocument(io.BytesIO(base64.b64decode(printed["data"])))
    try:
        text = "\n".join(page.get_textpage().get_text_range() for page in pdf)
        pages = len(pdf)
    finally:
        pdf.close()
    assert pages >= 2
    for body in (BODY, "大涌镇", "乌苏市皇宫镇人民政府"):
        assert body in text
    assert "法治化营商环境" in text and "缺失" in text


def test_login_page_refuses_a_wrong_password_in_chinese(server, browser):
    """The page a supervisor meets on a server with accounts (here without any: every name is wrong)."""
    from selenium.webdriver.common.by import By
    browser.get(server + "/login")
    assert browser.find_element(By.TAG_NAME, "h1").text == "登录审核工作台"
    browser.find_element(By.ID, "name").send_keys("张科长")
    browser.find_element(By.ID, "password").send_keys("不是这个密码")
    browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    _wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "p.error"), "no refusal shown")
    assert browser.find_element(By.CSS_SELECTOR, "p.error").text == "用户名或密码错误"
    assert browser.find_element(By.ID, "name").get_attribute("value") == "张科长"   # kept, to try again
    _picture(browser, "login")


def send_revision(browser, report_url: str, folder: Path) -> None:
    """船溪乡's 修改稿 (the 营商环境 measures its 整改意见 asked for, added to its measures) uploaded on its report
    page as the next round; the browser is on the batch page after it."""
    from selenium.webdriver.common.by import By
    lines = SAMPLES[0].read_text(encoding="utf-8").split("\n")
    lines[30:30] = ["", "4、優化法治化營商環境。認真落實《優化營商環境條例》,規範涉企行政執法,開展公平競爭審查,"
                        "持續推進“放管服”改革。"]
    revision = folder / "船溪乡修改稿.txt"
    revision.write_text("\n".join(lines), encoding="utf-8")
    browser.get(report_url)
    form = browser.find_element(By.CSS_SELECTOR, "form[action$='/revision']")
    form.find_element(By.NAME, "file").send_keys(str(revision))
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    _wait(browser, lambda d: re.search(r"/batches/\d+$", d.current_url), "no batch page after the revision")


@pytest.fixture(scope="module")
def revised(server, browser, tmp_path_factory):
    """船溪乡 sends its report back with the missing 营商环境 measures added: uploaded on its report page (in a
    batch of its own) as the next round, audited in the background; the round-2 report's URL."""
    from selenium.webdriver.common.by import By
    first = _open_report(browser, _upload(server, browser, BATCH + "（修改稿）", SAMPLES[:1]), BODY)
    send_revision(browser, first, tmp_path_factory.mktemp("revision"))
    _wait(browser, lambda d: "已审核 2 / 2 个文件" in d.find_element(By.ID, "progress").text
          and not d.find_element(By.ID, "progress").get_attribute("data-url"), "the revision was not audited")
    row = browser.find_element(By.XPATH, "//table[contains(@class,'matrix')]//tr[.//span[@class='round']]")
    assert row.find_element(By.CSS_SELECTOR, "span.round").text == "第2轮"
    row.find_element(By.PARTIAL_LINK_TEXT, "船溪乡").click()
    _wait(browser, lambda d: re.search(r"/reports/\d+$", d.current_url) and d.current_url != first,
          "the round-2 report did not open")
    return browser.current_url


def test_a_revised_report_joins_its_batch_as_round_2_compared_with_round_1(browser, revised):
    from selenium.webdriver.common.by import By
    browser.get(revised)
    compare = browser.find_element(By.ID, "compare")
    browser.execute_script("arguments[0].scrollIntoView({block: 'start'})", compare)
    section = browser.find_element(By.XPATH, "//h2[@id='compare']/following-sibling::p[1]").text
    assert BODY in section and "本报告的上一轮" in section
    table = {r.find_element(By.TAG_NAME, "th").text: r.find_element(By.TAG_NAME, "td").text
             for r in browser.find_elements(By.CSS_SELECTOR, "table.compare tr")}
    assert "营商环境" in table["已整改的缺项"]
    assert "其他情况" in table["仍未整改的缺项"] and "营商环境" not in table["仍未整改的缺项"]
    share = browser.find_element(By.CSS_SELECTOR, "p.share").text
    assert re.match(r"与前一份报告相同的句子占 (9\d|100)%", share)   # one paragraph added to last round's text
    added = browser.find_element(By.CSS_SELECTOR, "ul.changes.added").text
    assert "營商環境" in added or "营商环境" in added   # what changed, not what was repeated
    _picture(browser, "compare")
