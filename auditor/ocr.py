"""Characters that OCR confuses with one another (scanned-then-recognized reports: 合法姓审查, 第一责仼人).

Both the report and the rule phrases are folded to one representative per group before the exact pass, so
a phrase that differs from the text only in such characters still matches; it is reported as an OCR match.
A real near miss (合规性审查: 规 is not confused with 法) is not folded and stays a near miss.
"""
from __future__ import annotations

# representative: characters recognised in its place
CONFUSABLE = {
    "任": "仼", "性": "姓", "查": "査", "思": "恩", "已": "巳己", "未": "末", "人": "入", "日": "曰",
    "治": "冶", "候": "侯", "责": "贵", "崇": "祟", "拔": "拨", "戌": "戍戊", "普": "晋", "律": "侓",
    "法": "泫", "政": "玫", "规": "觃", "审": "宙", "顾": "硕", "问": "间",
}
FOLD = str.maketrans({ch: rep for rep, chars in CONFUSABLE.items() for ch in chars})


def fold(text: str) -> str:
    """Same length as the input, so offsets stay valid."""
    return text.translate(FOLD)
