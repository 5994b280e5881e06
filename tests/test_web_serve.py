"""`auditor serve` behind a proxy and over plain HTTP (issue 22 #10): a proxy in front means people reach the
workbench from elsewhere, so it asks for accounts even on 127.0.0.1; accounts over plain HTTP are warned about."""
from __future__ import annotations

import subprocess
import time
import urllib.error
import urllib.request

from .conftest import AUDITOR
from .test_web_accounts import _free_port, user_add
from .test_web_security import NAME, PASSWORD


def _serve(*args: str) -> subprocess.Popen:
    return subprocess.Popen([str(AUDITOR), "serve", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


def _first_answer(port: int, proc: subprocess.Popen) -> int:
    """The status of GET / without following redirects, once the server answers."""
    class Keep(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None
    opener = urllib.request.build_opener(Keep)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            return opener.open(f"http://127.0.0.1:{port}/", timeout=2).status
        except urllib.error.HTTPError as exc:
            return exc.code
        except (urllib.error.URLError, ConnectionError):
            assert proc.poll() is None, proc.stderr.read()
            time.sleep(0.3)
    raise AssertionError("the workbench did not start")


def test_behind_a_proxy_the_workbench_needs_accounts_even_on_loopback(tmp_path):
    data = tmp_path / "data"
    refused = subprocess.run([str(AUDITOR), "serve", "--data", str(data), "--port", str(_free_port()),
                              "--forwarded-allow-ips", "127.0.0.1"], capture_output=True, text=True, timeout=90)
    assert refused.returncode == 2 and "尚未创建任何账户" in refused.stderr and "Traceback" not in refused.stderr
    assert user_add(data, NAME, PASSWORD).returncode == 0
    port = _free_port()
    proc = _serve("--data", str(data), "--port", str(port), "--forwarded-allow-ips", "127.0.0.1")
    try:
        status = _first_answer(port, proc)   # the proxy's visitors are not this computer's user: log in
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    assert status == 303
    assert "明文 HTTP" not in proc.stderr.read()   # the proxy speaks HTTPS to people


def test_accounts_over_plain_http_are_warned_about(tmp_path):
    data = tmp_path / "data"
    assert user_add(data, NAME, PASSWORD).returncode == 0
    port = _free_port()
    proc = _serve("--data", str(data), "--port", str(port), "--host", "0.0.0.0")
    try:
        _first_answer(port, proc)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    assert "警告：账号登录走明文 HTTP" in proc.stderr.read()
