"""Verdicts under changes that keep a report's meaning: the tune part of corpus + corpus2 and the blind sets,
each rewritten as a PDF copy (hard-wrapped lines, page numbers between pages), flattened (no line breaks),
traditional script (with a mirror site's pinyin glosses), English punctuation (, . ; :), a web page's furniture
around it, blank lines between lines and indented paragraphs. Every verdict that moves is an error
in one of the two readings; no labels are needed, so the test part is left out like everywhere else.

    .venv/bin/python scripts/perturb.py                # all changes
    .venv/bin/python scripts/perturb.py flat period    # some of them, with every moved verdict listed
"""
from __future__ import annotations

import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import opencc  # noqa: E402

from auditor.audit import audit_file  # noqa: E402
from auditor.evaluate import split_of  # noqa: E402
from auditor.settings import Options  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
METADATA = {"deadline", "names-body", "names-year", "title", "signed-and-dated", "consistent-year"}


def _wrapped(text: str, width: int = 64) -> str:
    """Lines cut as a PDF lays them out: Chinese characters two units wide, Latin letters and digits one."""
    out = []
    for line in text.split("\n"):
        cur, used = "", 0
        for ch in line:
            w = 1 if ch.isascii() and ch.isalnum() else 2
            if used + w > width:
                out.append(cur)
                cur, used = "", 0
            cur, used = cur + ch, used + w
        out.append(cur)
    return "\n".join(out)


def _paged(text: str, every: int = 18) -> str:
    """A PDF's page numbers between its pages, mid-sentence where a page breaks (— 2 —)."""
    lines = _wrapped(text).split("\n")
    out = []
    for i, line in enumerate(lines, 1):
        out.append(line)
        if i % every == 0:
            out.append(f"— {i // every + 1} —")
    return "\n".join(out)


_PINYIN = {"设": "shè", "会": "huì", "动": "dòng", "职": "zhí", "责": "zé", "习": "xí", "区": "qū", "镇": "zhèn",
           "务": "wù", "规": "guī", "范": "fàn", "论": "lùn", "证": "zhèng", "调": "tiáo", "纠": "jiū"}


def _glossed(text: str) -> str:
    """A mirror site's pinyin glosses after some characters, in traditional script (建設(shè))."""
    return _S2T.convert("".join(ch + f"({_PINYIN[ch]})" if ch in _PINYIN and i % 3 == 0 else ch
                                for i, ch in enumerate(text)))


def _furnished(text: str) -> str:
    """A web page around the text: banner, breadcrumb, fields above it, a footer below."""
    return ("某某县人民政府门户网站\n您当前的位置：首页 > 政务公开 > 法定主动公开内容 > 法治政府建设\n"
            "【字体：大 中 小】　【打印本页】　【关闭窗口】\n发布时间：2024-03-01　来源：县司法局　浏览次数：1024\n"
            + text + "\n\n扫一扫在手机打开当前页\n版权所有：某某县人民政府办公室　ICP备案：X ICP备12345678号\n"
            "网站标识码：1234567890　联系电话：0123-4567890\n")


_S2T = opencc.OpenCC("s2t")
CHANGES = {
    "wrap": _wrapped,
    "flat": lambda t: "".join(line.strip() for line in t.splitlines()),
    "trad": _S2T.convert,
    "period": lambda t: t.replace("。", "."),
    "half": lambda t: t.translate(str.maketrans("，；：（）！？", ",;:()!?")),
    "blank": lambda t: "\n\n".join(t.split("\n")),
    "paged": _paged,
    "glossed": _glossed,
    "furnished": _furnished,
    "indent": lambda t: "\n".join(("\u3000\u3000" + line if len(line) > 20 else line) for line in t.split("\n")),
}


def reports() -> list[Path]:
    files = [p for c in ("corpus", "corpus2") for p in sorted((SHARED / c).glob("*.txt")) if split_of(p.name) == "tune"]
    return files + sorted((REPO / "tests" / "data").glob("reports-blind-[2-6]/*.txt"))


def main(names: list[str]) -> None:
    pipeline = Options(rules_dir=str(REPO / "rules")).build()
    files = reports()

    def verdicts(path: Path) -> dict[str, bool]:
        return {f.rule.id: f.status.value == "met" for f in audit_file(path, pipeline).findings}

    base = {p: verdicts(p) for p in files}
    with tempfile.TemporaryDirectory() as tmp:
        for name in names or list(CHANGES):
            moved, rules = [], Counter()
            for p in files:
                q = Path(tmp) / f"{name}-{p.parent.name}-{p.name}"
                q.write_text(CHANGES[name](p.read_text(encoding="utf-8")), encoding="utf-8")
                for rule, met in verdicts(q).items():
                    if rule in base[p] and met != base[p][rule]:
                        moved.append(f"  {p.parent.name}/{p.name} {rule}: {'met' if base[p][rule] else 'not met'} → "
                                     f"{'met' if met else 'not met'}")
                        rules["metadata" if rule in METADATA else "content, parts, type"] += 1
            print(f"{name:7} {len(moved):4} verdicts moved over {len(files)} reports  {dict(rules)}")
            if names:
                print("\n".join(moved))


if __name__ == "__main__":
    main(sys.argv[1:])
