"""Copied submissions: pairs of reports that share most of their text, with the shared passages.

Each report becomes a set of character shingles of its normalized text with digits masked (a copy with the
year and the counts changed keeps its shingles; one with the place name replaced loses only those around the
name), hashed with CRC-32 and thinned to one in four by hash value (an unbiased sample of the set). MinHash LSH
(datasketch) proposes candidate pairs without comparing every pair; a candidate whose sampled shingles are
not mostly contained in the other's is dropped at once, the rest are checked sentence by sentence with
rapidfuzz, and a pair is reported when the shared sentences reach the threshold share of the shorter report.
"""
from __future__ import annotations

import bisect
import multiprocessing
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy
from datasketch import MinHash, MinHashLSH
from rapidfuzz import fuzz, process

from .errors import AuditorError
from .normalize import normalize
from .read import read_source
from .segment import sentence_spans

SHINGLE = 6
NUM_PERM = 128
SAMPLE = 4                       # keep shingles whose hash is divisible by this
_PRIME = numpy.uint64((1 << 61) - 1)
_MAX = numpy.uint64((1 << 32) - 1)
_RNG = numpy.random.RandomState(1)
_A = _RNG.randint(1, (1 << 61) - 1, size=NUM_PERM, dtype=numpy.uint64)
_B = _RNG.randint(0, (1 << 61) - 1, size=NUM_PERM, dtype=numpy.uint64)
_KEEP = re.compile(r"[^\u3400-\u9fffA-Za-z0-9]+")
_DIGITS = re.compile(r"[0-9]+")


@dataclass
class Text:
    path: str
    sentences: list[tuple[str, int, str]]   # (masked sentence, original line, original sentence)
    hashes: numpy.ndarray                   # sorted, unique sampled shingle hashes (uint64)


@dataclass
class Pair:
    a: str
    b: str
    share: float                 # shared sentences / sentences of the shorter report
    passages: list[tuple[int, int, str, str]]   # (line in a, line in b, quote from a, quote from b)


def _mask(text: str) -> str:
    return _DIGITS.sub("0", _KEEP.sub("", text))


def load_text(path: Path) -> Text:
    """A report as sentences and shingles; raises AuditorError when it cannot be read."""
    source = read_source(path)
    norm = normalize(source.text)
    line_starts = [0] + [i + 1 for i, ch in enumerate(source.text) if ch == "\n"]
    sentences = []
    for s, e in sentence_spans(norm.text):
        masked = _mask(norm.text[s:e])
        if len(masked) >= 8:   # headings and fragments are not evidence of copying
            o_start, o_end = norm.original_span(s, e)
            sentences.append((masked, bisect.bisect_right(line_starts, o_start), " ".join(source.text[o_start:o_end].split())))
    flat = "".join(m for m, _, _ in sentences)
    hashes = numpy.unique(numpy.fromiter((zlib.crc32(flat[i:i + SHINGLE].encode("utf-8"))
                                          for i in range(max(0, len(flat) - SHINGLE + 1))), dtype=numpy.uint64))
    return Text(str(path), sentences, hashes[hashes % SAMPLE == 0])


def _text_or_error(path: Path):
    try:
        return load_text(path)
    except AuditorError as exc:
        return exc


def load_texts(paths: list[Path], jobs: int) -> Iterator[Text | AuditorError]:
    """Each file as a Text, or the error that kept it from being read; in order, on `jobs` forked workers."""
    if jobs <= 1 or len(paths) <= 8 or "fork" not in multiprocessing.get_all_start_methods():
        yield from map(_text_or_error, paths)
        return
    with multiprocessing.get_context("fork").Pool(min(jobs, len(paths))) as pool:
        yield from pool.imap(_text_or_error, paths, chunksize=16)


def _minhash(hashes: numpy.ndarray) -> MinHash:
    """The MinHash signature of a hash set (datasketch's universal hashing, vectorized over the set)."""
    if not len(hashes):
        return MinHash(num_perm=NUM_PERM, hashvalues=numpy.full(NUM_PERM, _MAX), scheme="legacy")
    with numpy.errstate(over="ignore"):   # (a·h + b) wraps in 64 bits, as datasketch's own does
        permuted = ((numpy.outer(hashes, _A) + _B) % _PRIME) & _MAX
    return MinHash(num_perm=NUM_PERM, hashvalues=permuted.min(axis=0), scheme="legacy")


def containment(a: numpy.ndarray, b: numpy.ndarray) -> float:
    """Share of the smaller sampled shingle set found in the other."""
    small = min(len(a), len(b))
    return len(numpy.intersect1d(a, b, assume_unique=True)) / small if small else 0.0


def shared_passages(a: Text, b: Text, min_score: float = 90) -> list[tuple[int, int, str, str]]:
    """Sentences of a that b repeats (nearly: names and numbers may differ), in a's order."""
    if not a.sentences or not b.sentences:
        return []
    scores = process.cdist([m for m, _, _ in a.sentences], [m for m, _, _ in b.sentences], scorer=fuzz.ratio,
                           score_cutoff=min_score, dtype=numpy.uint8)
    out = []
    for i in range(len(a.sentences)):
        j = int(scores[i].argmax())
        if scores[i, j]:
            out.append((a.sentences[i][1], b.sentences[j][1], a.sentences[i][2], b.sentences[j][2]))
    return out


def find_pairs(texts: list[Text], threshold: float = 0.5, candidate: float = 0.4) -> list[Pair]:
    """Pairs sharing at least `threshold` of the shorter report's sentences, most shared first."""
    lsh = MinHashLSH(threshold=candidate, num_perm=NUM_PERM)
    hashes = []
    for i, t in enumerate(texts):
        m = _minhash(t.hashes)
        hashes.append(m)
        lsh.insert(str(i), m)
    seen, pairs = set(), []
    for i, m in enumerate(hashes):
        for key in lsh.query(m):
            j = int(key)
            if j <= i or (i, j) in seen:
                continue
            seen.add((i, j))
            a, b = texts[i], texts[j]
            if containment(a.hashes, b.hashes) < candidate:   # most candidates end here, cheaply
                continue
            shorter, longer = (a, b) if len(a.sentences) <= len(b.sentences) else (b, a)
            passages = shared_passages(shorter, longer)
            share = len(passages) / max(1, len(shorter.sentences))
            if share >= threshold:
                if shorter is b:   # keep the pair's first report first in each passage
                    passages = [(lb, la, qb, qa) for la, lb, qa, qb in passages]
                pairs.append(Pair(a.path, b.path, round(share, 3), passages))
    return sorted(pairs, key=lambda p: (-p.share, p.a, p.b))
