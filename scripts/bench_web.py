"""Workbench benchmarks, with the server run as a user starts it (`auditor serve --data TMP --port P`, its own
process, the pipeline's default rules and models, a fresh data folder).

    .venv/bin/python scripts/bench_web.py load [--batches 20] [--per-batch 200] [--clients 20] [--duration 60]
                                               [--idle 20] [--reviewed 0.2] [--seed 0]
    .venv/bin/python scripts/bench_web.py upload [--reports 200] [--requests 30] [--seed 0]

load: a server holding `--batches` batches of `--per-batch` reports, each batch linked to the one before (the
same bodies, year over year), and `--clients` concurrent clients (threads, one httpx connection each) for
`--duration` seconds opening a random batch's page (the matrix), a random report's page and a random batch's
copies page. The data folder is built quickly: the five sample reports (reports/) audited once through the app,
their stored rows copied onto synthetic texts (scripts/synth.py, each its own body, kept across the batches),
`--reviewed` of the reports with two people's reviews. Prints the median and 95th percentile of each page, its
size, and the server's resident memory (VmRSS) before the load, right after it and after `--idle` seconds of rest.
A quick run: `load --batches 4 --per-batch 50 --clients 5 --duration 10 --idle 3`.

upload: one .zip of `--reports` synthetic reports uploaded, the time until the batch is audited, then the
median and 95th percentile of the batch page, one report page and the batch's xlsx export (one client).
"""
from __future__ import annotations

import argparse
import io
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
AUDITOR = Path(sys.executable).parent / "auditor"
sys.path.insert(0, str(REPO / "scripts"))

import synth  # noqa: E402
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


def upload(args) -> None:
    """One batch uploaded and audited by the server, then its pages timed one request at a time."""
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



# ---- load: many batches, many clients ----

def samples_audited(data: Path) -> list[dict]:
    """The five sample reports audited once through the app (its own worker, in this process): each stored
    row's columns, to be copied."""
    from fastapi.testclient import TestClient
    from sqlalchemy import select

    from auditor.web.app import create_app
    from auditor.web.store import ReportRow, Store

    with TestClient(create_app(data)) as client:
        token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/").text).group(1)
        files = [("files", (p.name, p.read_bytes(), "text/plain")) for p in sorted((REPO / "reports").glob("*.txt"))]
        response = client.post("/batches", data={"name": "样本", "profile": "auto", "csrf_token": token},
                               files=files, follow_redirects=False)
        batch = response.headers["location"]
        while not client.get(batch + "/progress").json()["complete"]:
            time.sleep(0.2)
    with Store(data).session() as s:
        rows = s.scalars(select(ReportRow).where(ReportRow.kind == "report")).all()
        keys = ("kind", "reason", "level", "counts", "statuses", "points", "max_points", "data")
        return [{k: getattr(r, k) for k in keys} for r in rows]


def build_data(data: Path, batches: int, per_batch: int, reviewed: float, seed: int) -> dict[int, list[int]]:
    """A data folder of `batches` × `per_batch` audited reports (see the module's docstring); batch id → its
    report ids. The sample batch used to get the rows is deleted again."""
    from sqlalchemy import delete, insert, select

    from auditor.web import files as file_store
    from auditor.web.store import DONE, Batch, BatchLink, File, ReportRow, Review, Store

    samples = samples_audited(data)
    rng = random.Random(seed)
    pool = synth.sentence_pool()
    store = Store(data)
    with store.session() as s:
        s.execute(delete(Batch))
    bodies = [synth.report(pool, rng)[1] for _ in range(per_batch)]
    out: dict[int, list[int]] = {}
    with store.session() as s:
        for b in range(batches):
            year = 2024 - batches + 1 + b
            batch = Batch(name=f"{year}年度报告（{b + 1}）", profile="auto", created_by="bench", refused=[])
            s.add(batch)
            s.flush()
            if out:
                s.add(BatchLink(batch_id=batch.id, earlier_id=max(out)))
            files, rows = [], []
            for j, body in enumerate(bodies):
                text, own, _year = synth.report(pool, rng)
                name = f"{j:04d}_{body}.txt"
                digest, size = file_store.save(data, name, text.replace(own, body).encode())
                files.append(dict(batch_id=batch.id, position=j, hash=digest, size=size, original_name=name,
                                  state=DONE, round=1))
            file_ids = s.scalars(insert(File).returning(File.id), files).all()
            for j, (file_id, body) in enumerate(zip(file_ids, bodies)):
                rows.append(dict(samples[j % len(samples)], batch_id=batch.id, file_id=file_id, round=1,
                                 body=body, year=year))
            out[batch.id] = list(s.scalars(insert(ReportRow).returning(ReportRow.id), rows).all())
        for row_id in rng.sample([r for ids in out.values() for r in ids], int(reviewed * batches * per_batch)):
            statuses = s.get(ReportRow, row_id).statuses
            for rule in rng.sample(sorted(statuses), 2):
                s.add(Review(report_id=row_id, rule=rule, machine_status=statuses[rule],
                             human_status=rng.choice(["met", "missing", "partial"]), reason="基准", user="bench"))
    store.close()
    index = getattr(__import__("auditor.web.compare", fromlist=["index_file"]), "index_file", None)
    if index is not None:   # what the worker does for each file it audits: the similarity index entry
        with Store(data).session() as s:
            for f in s.scalars(select(File)):
                index(data, f.hash, f.original_name)
    return out


def rss_mb(pid: int) -> float:
    """The process's resident memory, MB (VmRSS)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def hammer(base: str, pages: list[tuple[str, str]], clients: int, duration: float, seed: int):
    """`clients` threads, each its own connection, GETting random pages of `pages` ((label, url)) until
    `duration` seconds have passed; label → seconds per response, label → bytes of the last response, and the
    failures."""
    times: dict[str, list[float]] = {}
    sizes: dict[str, int] = {}
    failures: list[str] = []
    lock = threading.Lock()
    deadline = time.monotonic() + duration

    def client(k: int) -> None:
        rng = random.Random(seed * 1000 + k)
        with httpx.Client(base_url=base, timeout=600) as http:
            while time.monotonic() < deadline:
                label, url = rng.choice(pages)
                t0 = time.perf_counter()
                try:
                    response = http.get(url)
                    ok = response.status_code == 200
                except httpx.HTTPError as exc:
                    response, ok = exc, False
                took = time.perf_counter() - t0
                with lock:
                    times.setdefault(label, []).append(took)
                    if ok:
                        sizes[label] = len(response.content)
                    if not ok:
                        failures.append(f"{url}: {getattr(response, 'status_code', response)}")

    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return times, sizes, failures


def load(args) -> None:
    """The load benchmark (see the module's docstring)."""
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        t0 = time.perf_counter()
        reports = build_data(data, args.batches, args.per_batch, args.reviewed, args.seed)
        size = (data / "auditor.sqlite3").stat().st_size / 1e6
        print(f"data folder: {args.batches} batches × {args.per_batch} reports, database {size:.0f} MB, "
              f"built in {time.perf_counter() - t0:.0f} s")
        rng = random.Random(args.seed)
        pages = []   # the three kinds equally often; which batch and report at random
        for _ in range(300):
            batch = rng.choice(sorted(reports))
            pages += [("batch page (matrix)", f"/batches/{batch}"),
                      ("report page", f"/reports/{rng.choice(reports[batch])}"),
                      ("copies page", f"/batches/{batch}/copies")]
        proc, base = start_server(data)
        try:
            before = rss_mb(proc.pid)
            times, sizes, failures = hammer(base, pages, args.clients, args.duration, args.seed)
            after = rss_mb(proc.pid)
            time.sleep(args.idle)
            rested = rss_mb(proc.pid)
        finally:
            proc.terminate()
            proc.wait(30)
        print(f"{args.clients} clients for {args.duration:g} s:")
        print(f"{'page':<24}{'requests':>9}{'median ms':>11}{'p95 ms':>9}{'max ms':>9}{'KB':>7}")
        for label in sorted(times):
            ms = [t * 1000 for t in times[label]]
            print(f"{label:<24}{len(ms):>9}{statistics.median(ms):>11.0f}"
                  f"{(p95(ms) if len(ms) > 1 else ms[0]):>9.0f}{max(ms):>9.0f}{sizes.get(label, 0) / 1024:>7.0f}")
        if failures:
            print(f"{len(failures)} failed, e.g. {failures[:3]}")
        print(f"server RSS: {before:.0f} MB before, {after:.0f} MB after the load, {rested:.0f} MB after "
              f"{args.idle:g} s idle")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    modes = ap.add_subparsers(dest="mode", required=True)
    up = modes.add_parser("upload", help="one batch uploaded and audited, its pages timed")
    up.add_argument("--reports", type=int, default=200)
    up.add_argument("--requests", type=int, default=30, help="requests per page for the response times")
    up.add_argument("--seed", type=int, default=0)
    lo = modes.add_parser("load", help="concurrent clients on a server holding many batches")
    lo.add_argument("--batches", type=int, default=20)
    lo.add_argument("--per-batch", type=int, default=200)
    lo.add_argument("--clients", type=int, default=20)
    lo.add_argument("--duration", type=float, default=60, help="seconds of load")
    lo.add_argument("--idle", type=float, default=20, help="seconds of rest before memory is read again")
    lo.add_argument("--reviewed", type=float, default=0.2, help="share of the reports with people's reviews")
    lo.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    (upload if args.mode == "upload" else load)(args)


if __name__ == "__main__":
    main()
