"""Repair GBK text that was decoded one byte out of step (seed 001: `?。ㄈ┩七M` where `（三）推進` belongs).

A lost lead byte shows as `?`; the bytes after it pair up wrongly (進 `df 4d` → `七M`) until an ASCII byte
puts the decoder back in step. Re-encoding the run as GBK, dropping the orphan byte (or restoring a lead byte
whose high bit was stripped: `?,F` → `ac 46` → 現) and decoding again recovers most of it. A run is touched
only when it looks garbled (symbols from GBK's kana/Cyrillic/bopomofo/box-drawing rows, small forms, or a
pinyin-gloss remnant) and the repair leaves fewer such characters, so `怎么办?我们` stays as it is.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_TONED = "a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüê"
# ? + either a pinyin-gloss remnant `jiān)` (the lost character had a gloss; an ASCII trail byte may follow)
# or a lead byte whose high bit was stripped; then the out-of-step body and the ASCII byte that resyncs it.
RUN = re.compile(rf"\?+(?:(?P<gloss>[{_TONED}]{{1,7}}\))(?P<junk>[@-~])?|(?P<lead>[!-/:-@\[-`{{-~]"
                 rf"(?=[^\x00-\x7f]|[@-~])))?(?P<body>[^\x00-\x7f]{{0,60}})(?P<trail>[@-~])?")


def _odd(ch: str) -> bool:
    """Characters that ordinary report text almost never has but out-of-step GBK produces."""
    o = ord(ch)
    if o == 0xFFFD or 0xE000 <= o <= 0xF8FF or 0xFE30 <= o <= 0xFE6F:
        return True
    try:
        encoded = ch.encode("gbk")
    except UnicodeEncodeError:
        return False
    return len(encoded) == 2 and 0xA4 <= encoded[0] <= 0xA9


@dataclass(frozen=True)
class Repair:
    start: int            # span of the garbled run in the text
    end: int
    text: str             # recovered text ("" when nothing could be recovered)
    origin: tuple[int, ...]   # for each recovered character, the text index it came from
    recovered: bool


def _decode(data: bytes, owners: list[int]) -> tuple[str, list[int]]:
    """GBK bytes → characters, each mapped to the owner (text index) of its first byte."""
    out, org, i = [], [], 0
    while i < len(data):
        step = 2 if data[i] >= 0x81 and i + 1 < len(data) else 1
        ch = data[i:i + step].decode("gbk", errors="replace")
        if step == 2 and "\ufffd" in ch:
            ch, step = "\ufffd", 1
        out.append(ch[0])
        org.append(owners[i])
        i += step
    return "".join(out), org


def _attempt(m: re.Match) -> tuple[str, list[int]]:
    """Re-pair the run's GBK bytes: restore a stripped lead byte, or drop the orphan trail byte."""
    lead, body, trail = m.group("lead"), m.group("body"), m.group("trail")
    data, owners = bytearray(), []
    if lead:
        data.append(ord(lead) | 0x80)
        owners.append(m.start("lead"))
    for i, ch in enumerate(body):
        try:
            b = ch.encode("gbk")
        except UnicodeEncodeError:
            b = b"?"
        data += b
        owners += [m.start("body") + i] * len(b)
    if trail:
        data.append(ord(trail))
        owners.append(m.start("trail"))
    if not lead:
        data, owners = data[1:], owners[1:]
    fixed, org = _decode(bytes(data), owners)
    keep = [(c, o) for c, o in zip(fixed, org) if c != "\ufffd" and c.isprintable() and not c.isascii()]
    return "".join(c for c, _ in keep), [o for _, o in keep]


def find_repairs(text: str) -> list[Repair]:
    """Every garbled run: repaired when re-pairing its bytes gives cleaner text, otherwise reported as left
    (its `?`, gloss remnant and stray byte dropped, the readable text after it kept)."""
    repairs = []
    for m in RUN.finditer(text):
        body_odd = sum(map(_odd, m.group("body")))
        in_step = not body_odd and not m.group("trail")
        if m.group("gloss") and in_step:
            repairs.append(Repair(m.start(), m.end("junk") if m.group("junk") else m.end("gloss"), "", (), False))
            continue
        if not (body_odd or m.group("gloss") or (m.group("lead") and m.group("trail"))):
            continue   # an ordinary question mark
        fixed, org = _attempt(m)
        if fixed and sum(map(_odd, fixed)) < max(body_odd, 1):
            repairs.append(Repair(m.start(), m.end(), fixed, tuple(org), True))
        else:
            repairs.append(Repair(m.start(), m.end(), "", (), False))
    return repairs
