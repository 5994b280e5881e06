"""Workbench benchmark: one .zip of 200 reports uploaded to `auditor serve`, the time until the batch is audited,
then the response times of the pages a supervisor opens with that batch there.

    .venv/bin/python scripts/bench_web.py [--reports 200] [--requests 30] [--seed 0]

The server runs as a user starts it (`auditor serve --data TMP --port P`, its own process, the pipeline's
default rules and models), on a fresh data folder; the reports are synthetic seed-sized ones (scripts/synth.py),
each with its own body name. Timed over HTTP from this process (httpx, one connection, cookies and CSRF token
as a browser keeps them): the upload's response, the time from the upload until /progress says complete, and
the median and 95th percentile of the batch page (the matrix), one report page and the batch's xlsx export.
"""
from __future__ import annotations

import argparse
import io
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
AUDITOR = Path(sys.executable).parent / "auditor"
sys.path.insert(0, str(REPO / "scripts"))

from synth import write_batch  # noqa: E402


def build_zip(n: int, seed: int) -> bytes:
    """n synthetic reports (each its own body, year and numbers) in one .zip, as an office sends a season."""
    with tempfile.TemporaryDirectory() as tmp:
        write_batch(Path(tmp), n, seed=seed)
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(Path(tmp).glob("*.txt")):
                archive.write(path, f"报告/{path.name}")
        return out.getvalue()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(data: Path) -> tuple[subprocess.Popen, str]:
    """`auditor serve` on a free loopback port; its base URL once it answers."""
    port = free_port()
    proc = subprocess.Popen([str(AUDITOR), "serve", "--data", str(data), "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"auditor serve stopped: {proc.stderr.read()}")
        try:
            httpx.get(base + "/", timeout=2)
            return proc, base
        except httpx.TransportError:
            time.sleep(0.2)
    proc.terminate()
    raise SystemExit("auditor serve did not answer within 60 s")


def timings(client: httpx.Client, url: str, n: int) -> list[float]:
    """Seconds per GET of url, n times (each response read whole and checked)."""
    out = []
    for _ in range(n):
        t0 = time.perf_counter()
        response = client.get(url)
        response.read()
        out.append(time.perf_counter() - t0)
        response.raise_for_status()
    return out


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[18]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--reports", type=int, default=200)
    ap.add_argument("--requests", type=int, default=30, help="requests per page for the response times")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()

    archive = build_zip(args.reports, args.seed)
    print(f"{args.reports} reports in one .zip: {len(archive) / 1e6:.1f} MB")
    with tempfile.TemporaryDirectory() as data:
        proc, base = start_server(Path(data))
        try:
            with httpx.Client(base_url=base, timeout=600) as client:
                token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/").text).group(1)
                t0 = time.perf_counter()
                response = client.post("/batches", data={"name": "基准批次", "profile": "auto", "csrf_token": token},
                                       files=[("files", ("报告.zip", archive, "application/zip"))])
                uploaded = time.perf_counter() - t0
                if response.status_code != 303:
                    raise SystemExit(f"upload refused: {response.status_code} {response.text[:300]}")
                batch = response.headers["location"]
                while True:
                    progress = client.get(batch + "/progress").json()
                    if progress["complete"]:
                        break
                    time.sleep(0.5)
                audited = time.perf_counter() - t0
                print(f"upload answered in {uploaded:.2f} s; all {progress['total']} reports audited "
                      f"{audited:.1f} s after the upload started ({progress['total'] / audited:.1f} reports/s)")
                page = client.get(batch).text
                report = re.search(r'href="(/reports/\d+)"', page).group(1)
                shown = page.count('<td class="score">')
                print(f"the matrix shows {shown} reports (the rest are listed apart)")
                print(f"with the batch of {progress['total']} open, {args.requests} requests each:")
                print(f"{'page':<34}{'median ms':>10}{'p95 ms':>10}{'KB':>8}")
                for label, url, n in (("batch page (matrix)", batch, args.requests),
                                      ("report page", report, args.requests),
                                      ("xlsx export of the batch", batch + "/export.xlsx", max(args.requests // 3, 5))):
                    size = len(client.get(url).content)   # once before timing: caches warm, as in use
                    times = timings(client, url, n)
                    print(f"{label:<34}{statistics.median(times) * 1000:>10.0f}{p95(times) * 1000:>10.0f}"
                          f"{size / 1024:>8.0f}")
        finally:
            proc.terminate()
            proc.wait(30)


if __name__ == "__main__":
    main()
