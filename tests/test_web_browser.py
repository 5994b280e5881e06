"""The workbench in a real browser: Debian's Chromium driven by Selenium through /usr/bin/chromedriver.

One app (uvicorn in a background thread, a fresh data folder) and one headless browser session serve every step
of the module, in order, as a supervisor would take them. Selenium Manager is kept offline (SE_OFFLINE and an
explicit driver path): nothing is downloaded. `make test` installs chromium and chromium-driver where missing;
elsewhere the module is skipped with the reason.

UPDATE_DOCS_PICTURES=1 also saves a screenshot of each page as docs/web-*.png for the README.
"""
from __future__ import annotations

import os
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

pytestmark = pytest.mark.skipif(
    not (CHROMIUM.exists() and CHROMEDRIVER.exists()),
    reason="Debian's chromium and chromium-driver are not installed (make test installs them: "
           "apt-get install chromium chromium-driver)")

WAIT = 60   # seconds: the longest any step may take (auditing five samples in the background included)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The workbench on a free loopback port with an empty data folder; its base URL. Stopped after the module."""
    import uvicorn
    from auditor.web.app import create_app

    data = tmp_path_factory.mktemp("workbench-data")
    app = create_app(data)
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
    yield base
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
