"""Batches: parallel workers give the same results in the same order; a bad file is skipped and said;
JSON Lines are written one report per line, in input order."""
from __future__ import annotations

import json
import shutil

import pytest

from .conftest import REPO, run_cli

pytestmark = pytest.mark.usefixtures("english")   # these check the wording of messages, in English


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    root = tmp_path_factory.mktemp("batch")
    samples = sorted((REPO / "reports").glob("*.txt"))
    for i in range(6):
        for s in samples:
            shutil.copy(s, root / f"{i:02d}_{s.name}")
    (root / "03_broken.pdf").write_bytes(b"%PDF-1.7\n garbage")
    (root / "04_empty.txt").write_bytes(b"")
    return root


def test_parallel_results_equal_serial_in_input_order(folder):
    one = run_cli("audit", str(folder), "--format", "json", "--jobs", "1")
    two = run_cli("audit", str(folder), "--format", "json", "--jobs", "2")
    assert one.code == two.code == 2   # two bad files
    assert json.loads(one.stdout) == json.loads(two.stdout)
    paths = [r["path"] for r in json.loads(two.stdout)["reports"]]
    assert paths == sorted(paths) and len(paths) == 32


def test_a_bad_file_in_a_batch_is_skipped_and_reported(folder):
    r = run_cli("audit", str(folder), "--format", "csv", "--jobs", "2")
    lines = r.stderr.strip().splitlines()
    assert any("03_broken.pdf: [E108]" in line for line in lines)
    assert any("04_empty.txt: [E103]" in line for line in lines)
    assert "audited 30 of 32 file(s)" in lines and any(line.startswith("gaps per rule (reports): ") for line in lines)
    assert lines[-1] == "2 of 32 input(s) could not be audited (E103 ×1, E108 ×1); the others were."
    assert len(r.stdout.strip().splitlines()) == 33   # header + every file, the bad ones marked


def test_json_lines_are_valid_and_in_input_order(folder, tmp_path):
    out = tmp_path / "audit.jsonl"
    r = run_cli("audit", str(folder), "--format", "jsonl", "--jobs", "2", "--output", str(out))
    assert r.code == 2 and r.stdout == ""
    lines = out.read_text(encoding="utf-8").splitlines()
    reports = [json.loads(line) for line in lines]
    assert len(reports) == 32
    assert [x["path"] for x in reports] == [x["path"] for x in json.loads(
        run_cli("audit", str(folder), "--format", "json", "--jobs", "1").stdout)["reports"]]
    assert {x["path"].rsplit("/", 1)[-1] for x in reports if x["errors"]} == {"03_broken.pdf", "04_empty.txt"}
    streamed = run_cli("audit", str(folder), "--format", "jsonl", "--jobs", "2")
    assert streamed.stdout.splitlines() == lines


def test_the_dask_engine_gives_the_local_results(folder):
    """A real local Dask cluster (two worker processes) started here; files mapped to workers, gathered in order."""
    from distributed import LocalCluster
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        remote = run_cli("audit", str(folder), "--format", "json", "--engine", "dask",
                         "--scheduler", cluster.scheduler_address)
    local = run_cli("audit", str(folder), "--format", "json", "--jobs", "1")
    assert remote.code == local.code == 2
    assert json.loads(remote.stdout) == json.loads(local.stdout)
    assert run_cli("audit", str(folder), "--engine", "dask").code == 2   # no scheduler named
