"""Raw text → normalized text for matching, with a map from every normalized character to the original.

Matching runs on the normalized text; evidence is always quoted from the original through `origin`.
Steps: unify line breaks, fold full/half width (NFKC), traditional → simplified (OpenCC t2s, not tw2sp,
which rewrites 程序→进程 in simplified text), strip pinyin glosses like 鎮(zhèn), drop quotes and stray
spaces inside CJK runs, collapse doubled punctuation (`,,` and `一,、`).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import opencc


@dataclass(frozen=True)
class Normalized:
    text: str
    origin: tuple[int, ...]   # origin[i] = index in the original text of normalized character i

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Normalized [start, end) → original [start, end), covering everything the span came from."""
        if start >= end:
            o = self.origin[start] if start < len(self.origin) else (self.origin[-1] + 1 if self.origin else 0)
            return o, o
        return self.origin[start], self.origin[end - 1] + 1


_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüêńňǹḿ"
_PINYIN_GLOSS = re.compile(rf"(?<=[{_CJK}])\([a-z{_TONED}]{{1,7}}\)")
_QUOTES = re.compile("[\"'“”‘’「」『』〝〞″′]")
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
# Horizontal white space; kept (as one space) only between two ASCII letters or digits.
_SPACES = re.compile(r"[ \t\u00a0\u3000\u2002-\u200a\u202f]+")
_PUNCT_RUN = re.compile(r"[,、;:。!?]{2,}")


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def _fold_width(text: str, origin: list[int]) -> tuple[str, list[int]]:
    out, org = [], []
    for ch, o in zip(text, origin):
        if ch in "\r\u2028\u2029":
            ch = "\n"
        elif ch == "\u3000":
            ch = " "
        elif not ch.isascii():
            ch = unicodedata.normalize("NFKC", ch)
        out.append(ch)
        org.extend([o] * len(ch))
    return "".join(out), org


def _to_simplified(text: str, origin: list[int]) -> tuple[str, list[int]]:
    conv = _t2s()
    out, org, pos = [], [], 0
    for line in text.splitlines(keepends=True):
        simple = conv.convert(line)
        if len(simple) == len(line):
            out.append(simple)
            org.extend(origin[pos:pos + len(line)])
        else:   # a phrase conversion changed the length: fall back to characters to keep the map exact
            for i, ch in enumerate(line):
                c = conv.convert(ch)
                out.append(c)
                org.extend([origin[pos + i]] * len(c))
        pos += len(line)
    return "".join(out), org


def _rewrite(text: str, origin: list[int], pattern: re.Pattern, repl) -> tuple[str, list[int]]:
    """re.sub that keeps the origin map; replacement characters taken from the match keep their origin."""
    out, org, last = [], [], 0
    for m in pattern.finditer(text):
        out.append(text[last:m.start()])
        org.extend(origin[last:m.start()])
        new = repl(m)
        k = m.group(0).find(new) if new else -1
        base = m.start() + k if k >= 0 else m.start()
        out.append(new)
        org.extend(origin[base + i] if k >= 0 else origin[base] for i in range(len(new)))
        last = m.end()
    out.append(text[last:])
    org.extend(origin[last:])
    return "".join(out), org


def _space(m: re.Match) -> str:
    s, e = m.start(), m.end()
    before = m.string[s - 1] if s else ""
    after = m.string[e] if e < len(m.string) else ""
    return " " if before.isascii() and before.isalnum() and after.isascii() and after.isalnum() else ""


def _collapse_punct(m: re.Match) -> str:
    run = m.group(0)
    for strong in "。!?":
        if strong in run:
            return strong
    return run[-1]


def normalize(raw: str) -> Normalized:
    """Normalize a whole report; see the module docstring for the steps."""
    text, origin = raw, list(range(len(raw)))
    text, origin = _rewrite(text, origin, re.compile(r"\r\n"), lambda m: "\n")
    text, origin = _fold_width(text, origin)
    text, origin = _to_simplified(text, origin)
    for pattern, repl in ((_INVISIBLE, lambda m: ""), (_PINYIN_GLOSS, lambda m: ""),
                          (_QUOTES, lambda m: ""), (_SPACES, _space),
                          (_PUNCT_RUN, _collapse_punct)):
        text, origin = _rewrite(text, origin, pattern, repl)
    return Normalized(text, tuple(origin))


@lru_cache(maxsize=4096)
def normalize_phrase(phrase: str) -> str:
    """Normalize a rule phrase exactly as report text is normalized, so both sides compare alike."""
    return normalize(phrase).text.strip()
