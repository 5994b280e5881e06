"""Synthetic batches of seed-sized reports, built from real sentences (../shared/seeds and ../shared/corpus).

Each report gets its own body name, year, numbers and a varied draw of sentences in real-report order
(title, opening, parts with headings, closing), so reports resemble each other as real ones do but are not
copies; `planted` of them are copies of another report with the names and year replaced (for `similar`).
`write_copies` writes near-copies of one template instead, as townships fill in one template (for `similar`).
Used by scripts/bench_batch.py and scripts/bench_similar.py; run alone to write a folder:

    .venv/bin/python scripts/synth.py OUT_DIR --reports 1000 [--planted 20] [--seed 0]
    .venv/bin/python scripts/synth.py OUT_DIR --reports 300 --copies
"""
from __future__ import annotations

import argparse
import random
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
sys.path.insert(0, str(REPO))

from auditor.normalize import normalize  # noqa: E402

_SENT = re.compile(r"[^。！？!?\n]{12,160}[。！？!?]")
_NUM = re.compile(r"\d+")
SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜"
PLACE = "东南西北中上下新安平和兴隆丰华明清长永宁福德云山河湖溪桥"
KIND = ["镇", "乡", "街道", "县", "区"]
PARTS = ["一、{y}年推进法治政府建设的主要举措和成效", "二、党政主要负责人履行推进法治建设第一责任人职责情况",
         "三、存在的不足和原因", "四、{n}年推进法治政府建设的主要安排", "五、其他需要报告的情况"]


def sentence_pool() -> list[str]:
    """Simplified sentences of the samples and the corpus openings (watermarks, glosses dropped)."""
    texts = [p.read_text(encoding="utf-8") for p in sorted((SHARED / "seeds").glob("*.txt"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted((SHARED / "corpus").glob("*.txt"))]
    pool = {m.group() for t in texts for m in _SENT.finditer(normalize(t).text)}
    return sorted(s for s in pool if "http" not in s and "www" not in s)


def _name(rng: random.Random) -> str:
    return "".join(rng.choice(PLACE) for _ in range(2)) + rng.choice(KIND)


def _vary(sentence: str, rng: random.Random) -> str:
    return _NUM.sub(lambda m: str(rng.randint(1, 300)) if len(m.group()) < 4 else m.group(), sentence)


def report(pool: list[str], rng: random.Random, chars: int = 5200) -> tuple[str, str, int]:
    """(text, body name, year) of one synthetic report about `chars` long."""
    body, year = _name(rng), rng.randint(2019, 2024)
    lines = [f"{body}关于{year}年度法治政府建设情况的报告",
             f"{year}年，{body}坚持以习近平新时代中国特色社会主义思想为指导，深入学习贯彻习近平法治思想，现将有关情况报告如下。"]
    per_part = max(1, (chars - 200) // (5 * 60))
    for heading in PARTS:
        lines.append(heading.format(y=year, n=year + 1))
        picked = rng.sample(pool, min(per_part, len(pool)))
        lines.append("".join(_vary(s, rng) for s in picked))
    lines += [f"{body}人民政府", f"{year + 1}年{rng.randint(1, 3)}月{rng.randint(1, 28)}日"]
    return "\n".join(lines) + "\n", body, year


def _rename(text: str, body: str, year: int, new_body: str, new_year: int) -> str:
    """The report handed in by another body for another year (the signature's year too)."""
    return text.replace(body, new_body).replace(str(year + 1), str(new_year + 1)).replace(str(year), str(new_year))


def write_batch(out: Path, n: int, planted: int = 0, seed: int = 0) -> list[tuple[str, str]]:
    """n report files in out; returns the planted (original, copy) file name pairs."""
    rng = random.Random(seed)
    pool = sentence_pool()
    out.mkdir(parents=True, exist_ok=True)
    kept = {}
    for i in range(n - planted):
        text, body, year = report(pool, rng)
        name = f"{i:05d}.txt"
        (out / name).write_text(text, encoding="utf-8")
        kept[name] = (text, body, year)
    pairs = []
    originals = rng.sample(sorted(kept), planted)
    for k, original in enumerate(originals):
        text, body, year = kept[original]
        copy = _rename(text, body, year, _name(rng), year + 1)
        name = f"{n - planted + k:05d}.txt"
        (out / name).write_text(copy, encoding="utf-8")
        pairs.append((original, name))
    return pairs


def write_copies(out: Path, n: int, seed: int = 0, swap: float = 0.03) -> list[str]:
    """n near-copies of one template report: each its own body name, year and numbers, and about `swap` of its
    sentences replaced by others; returns the file names."""
    rng = random.Random(seed)
    pool = sentence_pool()
    template, body, year = report(pool, rng)
    out.mkdir(parents=True, exist_ok=True)
    names = []
    for k in range(n):
        text = _rename(template, body, year, _name(rng), rng.randint(2019, 2024))
        text = _SENT.sub(lambda m: rng.choice(pool) if rng.random() < swap else _vary(m.group(), rng), text)
        names.append(f"copy{k:05d}.txt")
        (out / names[-1]).write_text(text, encoding="utf-8")
    return names


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", type=Path)
    ap.add_argument("--reports", type=int, default=1000)
    ap.add_argument("--planted", type=int, default=0)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--copies", action="store_true", help="near-copies of one template instead of a varied batch")
    args = ap.parse_args()
    if args.copies:
        write_copies(args.out, args.reports, args.seed)
        print(f"wrote {args.reports} near-copies of one template to {args.out}")
        return
    pairs = write_batch(args.out, args.reports, args.planted, args.seed)
    print(f"wrote {args.reports} reports to {args.out}; planted copies: {pairs}")


if __name__ == "__main__":
    main()
