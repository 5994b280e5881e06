"""How file names and report text are shown in every output: printable, valid UTF-8, never a control sequence.

A file name may hold bytes that are not UTF-8 (os.fsdecode keeps them as surrogate escapes), newlines, tabs or
terminal escapes; report text (quotes, headings, whys) may hold control characters copied from the original.
Written as they are, they make invalid UTF-8 JSON, XML that does not parse, cells openpyxl refuses, forged
`[E…]` lines on stderr or a cleared screen. Here every such character becomes a visible escape instead:
an undecodable byte as \\xNN, a control character as \\n, \\t, \\r or \\x1b, a bidirectional override or a
line separator as \\u202e. Everything else, Chinese text and backslashes included, is left as it is, so an
ordinary name or quote reads exactly as before and escaping twice changes nothing.
"""
from __future__ import annotations

import os
import re

# C0 controls, DEL and C1 controls; lone surrogates (undecodable bytes of a file name); the characters that
# reorder or break a line where they are shown (bidi embeddings, overrides and isolates, U+2028/U+2029);
# and the two non-characters XML 1.0 forbids.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\u061c\u200e\u200f\u2028\u2029\u202a-\u202e"
                     "\u2066-\u2069\ufffe\uffff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(ch: str) -> str:
    code = ord(ch)
    if ch in _NAMED:
        return _NAMED[ch]
    if 0xDC80 <= code <= 0xDCFF:     # os.fsdecode's surrogate escape of an undecodable byte
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def text(s: str, keep: str = "") -> str:
    """Report text as it may be shown: every control character (but those in `keep`, such as the newline of a
    format that can hold one), lone surrogate and bidi or line-separator character as a visible escape."""
    if not _UNSAFE.search(s):
        return s
    return _UNSAFE.sub(lambda m: m.group() if m.group() in keep else _escape(m.group()), s)


def name(path: str | os.PathLike) -> str:
    """A file name as it is shown everywhere: one printable line of valid UTF-8 (undecodable bytes as \\xNN,
    control characters as \\n or \\x1b), the same as the name itself when it is an ordinary one."""
    path = os.fspath(path)
    return text(os.fsdecode(path) if isinstance(path, bytes) else path)


def tree(value, keep: str = "\n\t"):
    """A JSON-ready value with every string in it (keys too) passed through `text`: always valid UTF-8."""
    if isinstance(value, str):
        return text(value, keep)
    if isinstance(value, dict):
        return {tree(k, keep): tree(v, keep) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [tree(v, keep) for v in value]
    return value
