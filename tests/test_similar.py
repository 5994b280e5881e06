"""`auditor similar`: the five samples are different bodies and are not flagged; a copy with its place names
and year replaced is a pair, with the shared passages quoted where they stand; sixty townships that filled in
one template are one finding naming all sixty, and nothing else."""
from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

from auditor.similar import find_copies, load_text

from .conftest import REPO, run_cli

SAMPLE = REPO / "reports" / "000_8983b31abeb2f5d4.txt"
TEMPLATE = """{body}关于{year}年度法治政府建设情况的报告
{year}年，{body}坚持以习近平新时代中国特色社会主义思想为指导，深入学习贯彻习近平法治思想，现将有关情况报告如下。
一、主要举措和成效
{body}党委召开专题会议{n}次研究法治建设工作，将法治政府建设纳入全年工作要点统筹推进。
党政主要负责人切实履行推进法治建设第一责任人职责，全年带头讲法治课{n}次。
聘请{n}名专业律师担任法律顾问，对重大行政决策和合同开展合法性审查{n}件。
深入推进八五普法，开展法治宣传进村入户活动{n}场，发放宣传资料{n}份。
全面落实行政执法公示、执法全过程记录、重大执法决定法制审核三项制度。
健全矛盾纠纷多元化解机制，全年调处各类矛盾纠纷{n}起，调解成功率达到{n}%。
二、存在的不足
法治宣传形式较为单一，基层执法人员法律素养有待进一步提高。
三、下一步工作安排
{next}年，{body}将继续加强法治政府建设，不断提升依法行政水平。
{body}人民政府
{next}年{n}月{n}日
"""


def _copies(folder: Path, n: int) -> list[str]:
    """n townships' reports filled in from one template: own name, year and numbers."""
    rng = random.Random(14)
    names = []
    for k in range(n):
        body = rng.choice("东南西北中新安平") + rng.choice("和兴隆丰华明清长") + rng.choice(["镇", "乡", "街道"])
        year = rng.randint(2019, 2024)
        text = TEMPLATE.format(body=body, year=year, next=year + 1, n="{n}")
        while "{n}" in text:
            text = text.replace("{n}", str(rng.randint(1, 99)), 1)
        names.append(f"town{k:02d}.txt")
        (folder / names[-1]).write_text(text, encoding="utf-8")
    return names


def _renamed_copy(folder: Path) -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    for old, new in (("船溪鄉", "龍泉鎮"), ("船溪乡", "龙泉镇"), ("辰溪縣", "安化縣"), ("辰溪县", "安化县"), ("2022", "2023")):
        text = text.replace(old, new)
    (folder / "copy.txt").write_text(text, encoding="utf-8")


def _samples(folder: Path) -> None:
    for p in (REPO / "reports").glob("*.txt"):
        shutil.copy(p, folder / p.name)


def test_the_samples_are_not_flagged():
    r = run_cli("similar", "reports/", "--json")
    assert r.code == 0 and json.loads(r.stdout)["pairs"] == [] and json.loads(r.stdout)["clusters"] == []


def test_a_copy_with_names_and_year_replaced_is_flagged(tmp_path):
    _samples(tmp_path)
    _renamed_copy(tmp_path)
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
    assert table.code == 1 and "共 6 份报告，相同句子达 50% 的：0 组（0 份）、1 对" in table.stdout


def test_near_copies_of_one_template_are_one_finding(tmp_path):
    towns = _copies(tmp_path, 60)
    _samples(tmp_path)
    _renamed_copy(tmp_path)
    r = run_cli("similar", str(tmp_path), "--json", "--show", "2")
    assert r.code == 1, r.stderr
    out = json.loads(r.stdout)
    (cluster,) = out["clusters"]
    members = [cluster["representative"]] + [m["path"] for m in cluster["members"]]
    assert sorted(Path(p).name for p in members) == towns and cluster["size"] == 60
    assert cluster["min_share"] == min(m["share"] for m in cluster["members"]) >= 0.8   # a 镇 for a 街道 costs the title
    assert len(cluster["passages"]) == 2 and all(p["repeated_by"] == 59 for p in cluster["passages"])
    rep_lines = Path(cluster["representative"]).read_text(encoding="utf-8").splitlines()
    assert all(p["quote"][:10] in rep_lines[p["line"] - 1] for p in cluster["passages"])
    (pair,) = out["pairs"]   # the renamed sample is still a pair, and the other samples are in nothing
    assert {Path(pair["a"]).name, Path(pair["b"]).name} == {"copy.txt", SAMPLE.name} and len(pair["passages"]) == 2
    table = run_cli("similar", str(tmp_path))
    assert table.code == 1 and "1. 雷同报告 60 份：每份至少 8" in table.stdout
    assert "共 66 份报告，相同句子达 50% 的：1 组（60 份）、1 对" in table.stdout


def _sentences(rng: random.Random, n: int) -> list[str]:
    return ["".join(chr(rng.randint(0x4E00, 0x9FA5)) for _ in range(24)) + "。" for _ in range(n)]


def test_a_report_copying_a_member_not_the_representative_is_a_pair(tmp_path):
    """L is the longest; M repeats two thirds of L and adds its own; X repeats mostly M's own part, too little of
    L to join L's group: X is still found, as a pair with M."""
    rng = random.Random(3)
    s, t, u = _sentences(rng, 30), _sentences(rng, 10), _sentences(rng, 2)
    for name, sentences in (("l.txt", s), ("m.txt", s[:20] + t), ("x.txt", s[15:20] + t + u)):
        (tmp_path / name).write_text("\n".join(sentences), encoding="utf-8")
    clusters, pairs = find_copies([load_text(tmp_path / n) for n in ("l.txt", "m.txt", "x.txt")])
    assert clusters == []
    assert [(Path(p.a).name, Path(p.b).name, p.share) for p in pairs] == [("m.txt", "x.txt", 0.882),
                                                                         ("l.txt", "m.txt", 0.667)]
