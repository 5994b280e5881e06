"""`auditor similar`: the five samples are different bodies and are not flagged; a copy with its place names
and year replaced is, with the shared passages quoted where they stand."""
from __future__ import annotations

import json
import shutil

from .conftest import REPO, run_cli

SAMPLE = REPO / "reports" / "000_8983b31abeb2f5d4.txt"


def test_the_samples_are_not_flagged():
    r = run_cli("similar", "reports/", "--json")
    assert r.code == 0 and json.loads(r.stdout)["pairs"] == []


def test_a_copy_with_names_and_year_replaced_is_flagged(tmp_path):
    for p in (REPO / "reports").glob("*.txt"):
        shutil.copy(p, tmp_path / p.name)
    text = SAMPLE.read_text(encoding="utf-8")
    for old, new in (("船溪鄉", "龍泉鎮"), ("船溪乡", "龙泉镇"), ("辰溪縣", "安化縣"), ("辰溪县", "安化县"), ("2022", "2023")):
        text = text.replace(old, new)
    (tmp_path / "copy.txt").write_text(text, encoding="utf-8")
    r = run_cli("similar", str(tmp_path), "--json")
    assert r.code == 1
    (pair,) = json.loads(r.stdout)["pairs"]
    assert {pair["a"].rsplit("/", 1)[-1], pair["b"].rsplit("/", 1)[-1]} == {"copy.txt", SAMPLE.name}
    assert pair["share"] >= 0.9
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    first = pair["passages"][0]
    key = "line_a" if pair["a"].endswith(SAMPLE.name) else "line_b"
    quote = first["quote_a"] if key == "line_a" else first["quote_b"]
    assert quote[:10] in "".join(lines[first[key] - 1].split())
    table = run_cli("similar", str(tmp_path))
    assert table.code == 1 and "1 pair(s) at or above 50% among 6 report(s)" in table.stdout
