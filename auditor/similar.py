"""Copied submissions: groups of near-copies and pairs of reports that share most of their text.

Each report becomes a set of character shingles of its normalized text with digits masked (a copy with the
year and the counts changed keeps its shingles; one with the place name replaced loses only those around the
name), hashed and thinned to one in four by hash value (an unbiased sample of the set), and a MinHash
signature of that set. Reports whose signatures agree on a whole band (LSH) are candidates; a candidate whose
sampled shingles are mostly contained in the other's joins its family (union-find). Inside a family each
report is checked sentence by sentence (rapidfuzz) against a representative only, so the work grows with the
family's size, not its square: townships that fill in one template make one finding, not a pair for every two.
"""
from __future__ import annotations

import bisect
import functools
import json
import multiprocessing
import re
import signal
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy
from rapidfuzz import fuzz, process

from .errors import AuditorError
from .normalize import normalize
from .read import read_source
from .segment import sentence_spans

SHINGLE = 6
NUM_PERM = 128
SAMPLE = 4                       # keep shingles whose hash is divisible by this
CANDIDATE = 0.4                  # containment of sampled shingles that makes two reports candidates
MIN_SCORE = 90                   # fuzz.ratio of two masked sentences that count as the same sentence
_MAX = numpy.uint64((1 << 32) - 1)
_RNG = numpy.random.default_rng(1)
_A = _RNG.integers(0, 1 << 63, size=NUM_PERM, dtype=numpy.uint64) * numpy.uint64(2) + numpy.uint64(1)   # odd
_B = _RNG.integers(0, 1 << 63, size=NUM_PERM, dtype=numpy.uint64)
_BASE, _MIX = numpy.uint64(1_000_003), numpy.uint64(0x9E3779B97F4A7C15)
_KEEP = re.compile(r"[^\u3400-\u9fffA-Za-z0-9]+")
_DIGITS = re.compile(r"[0-9]+")


@dataclass
class Text:
    path: str
    sentences: list[tuple[str, int, str]]   # (masked sentence, original line, original sentence)
    hashes: numpy.ndarray                   # sorted, unique sampled shingle hashes (uint64)
    signature: numpy.ndarray                # MinHash of the hashes (NUM_PERM uint64)


@dataclass
class Pair:
    a: str
    b: str
    share: float                 # shared sentences / sentences of the shorter report
    passages: list[tuple[int, int, str, str]]   # the first `show`: (line in a, line in b, quote from a, quote from b)


@dataclass
class Cluster:
    representative: str          # the longest report of the group
    members: list[tuple[str, float]]   # (path, share of its sentences found in the representative), most first
    passages: list[tuple[int, str, int]]   # the first `show`: (line in the representative, quote, members repeating it)


def _mask(text: str) -> str:
    return _DIGITS.sub("0", _KEEP.sub("", text))


def _shingles(flat: str) -> numpy.ndarray:
    """Sorted unique 32-bit hashes of the text's SHINGLE-character windows, one in SAMPLE kept."""
    codes = numpy.frombuffer(flat.encode("utf-32-le"), dtype=numpy.uint32).astype(numpy.uint64)
    n = len(codes) - SHINGLE + 1
    if n <= 0:
        return numpy.empty(0, dtype=numpy.uint64)
    h = numpy.zeros(n, dtype=numpy.uint64)
    with numpy.errstate(over="ignore"):   # a polynomial rolling hash, wrapping in 64 bits
        for k in range(SHINGLE):
            h = h * _BASE + codes[k:k + n]
        h = ((h ^ (h >> numpy.uint64(31))) * _MIX) >> numpy.uint64(32)   # mixed, so every bit is uniform
    return numpy.unique(h[h % SAMPLE == 0])


def _minhash(hashes: numpy.ndarray) -> numpy.ndarray:
    """The MinHash signature of a hash set: its least value under each of NUM_PERM random hash functions."""
    if not len(hashes):
        return numpy.full(NUM_PERM, _MAX)
    permuted = numpy.multiply.outer(hashes, _A)   # multiply-shift: top 32 bits of (a·h + b) mod 2⁶⁴, no modulo
    permuted += _B
    return permuted.min(axis=0) >> numpy.uint64(32)   # the shift keeps order, so it can follow the min


def load_text(path: Path) -> Text:
    """A report as sentences, shingles and signature; raises AuditorError when it cannot be read."""
    source = read_source(path)
    norm = normalize(source.text)
    line_starts = [m.end() for m in re.finditer("\n", source.text)]
    sentences = []
    for s, e in sentence_spans(norm.text):
        masked = _mask(norm.text[s:e])
        if len(masked) >= 8:   # headings and fragments are not evidence of copying
            o_start, o_end = norm.original_span(s, e)
            sentences.append((masked, bisect.bisect_right(line_starts, o_start) + 1,
                              " ".join(source.text[o_start:o_end].split())))
    hashes = _shingles("".join(m for m, _, _ in sentences))
    return Text(str(path), sentences, hashes, _minhash(hashes))


_KEPT = b"similar1"   # the layout of `dump`; a kept Text of another layout or other settings is made again


def dump(text: Text) -> bytes:
    """A Text as bytes, to be kept (the workbench keeps one per stored file, so a page never reads and segments
    a report again): a header with the settings, the signature, the hashes, then the sentences as JSON."""
    head = numpy.array([SHINGLE, NUM_PERM, SAMPLE, len(text.hashes)], dtype=numpy.uint64)
    return b"".join([_KEPT, head.tobytes(), text.signature.astype(numpy.uint64).tobytes(),
                     text.hashes.astype(numpy.uint64).tobytes(),
                     json.dumps(text.sentences, ensure_ascii=False).encode()])


class KeptText(Text):
    """A Text read back from `dump`'s bytes: its sentences decoded only when asked for (finding copies reads
    the signatures and hashes of every report, the sentences of the few that share a band)."""

    def __init__(self, path: str, hashes: numpy.ndarray, signature: numpy.ndarray, sentences):
        """`sentences`: their JSON bytes, or a function that reads them."""
        self.path, self.hashes, self.signature, self._raw, self._sentences = path, hashes, signature, sentences, None

    @property
    def sentences(self) -> list[tuple[str, int, str]]:
        if self._sentences is None:
            self._sentences = [tuple(x) for x in json.loads(self._raw() if callable(self._raw) else self._raw)]
            self._raw = None
        return self._sentences


KEPT_HEAD = len(_KEPT) + 32 + NUM_PERM * 8   # the bytes of `dump` up to the end of the signature


def _kept_head(data: bytes) -> int | None:
    """The number of hashes `dump` wrote, or None when the bytes are of another layout or other settings."""
    if data[:len(_KEPT)] != _KEPT or len(data) < KEPT_HEAD:
        return None
    shingle, perm, sample, n = (int(x) for x in numpy.frombuffer(data, numpy.uint64, 4, len(_KEPT)))
    return n if (shingle, perm, sample) == (SHINGLE, NUM_PERM, SAMPLE) else None


def kept_signature(head: bytes) -> numpy.ndarray | None:
    """The signature in the first KEPT_HEAD bytes `dump` wrote; None for another layout, or an empty text
    (a copy of nothing)."""
    n = _kept_head(head)
    return numpy.frombuffer(head, numpy.uint64, NUM_PERM, len(_KEPT) + 32) if n else None


def undump(data: bytes, path: str) -> Text | None:
    """The Text `dump` wrote, under `path`; None when the bytes are of another layout or other settings."""
    start = len(_KEPT) + 32
    n = _kept_head(data)
    if n is None or len(data) < start + (NUM_PERM + n) * 8:
        return None
    signature = numpy.frombuffer(data, numpy.uint64, NUM_PERM, start)
    hashes = numpy.frombuffer(data, numpy.uint64, n, start + NUM_PERM * 8)
    return KeptText(path, hashes, signature, data[start + (NUM_PERM + n) * 8:])


def load_kept(kept: Path, path: str) -> Text | None:
    """The Text `dump` wrote to the file `kept`, under `path`, its sentences read from the file only when asked
    for; None when the file is of another layout or other settings. An OSError when it cannot be read."""
    with kept.open("rb") as f:
        head = f.read(KEPT_HEAD)
        n = _kept_head(head)
        if n is None:
            return None
        hashes = numpy.frombuffer(f.read(n * 8), numpy.uint64)
    if len(hashes) != n:
        return None

    def sentences() -> bytes:
        with kept.open("rb") as f:
            f.seek(KEPT_HEAD + n * 8)
            return f.read()
    return KeptText(path, hashes, numpy.frombuffer(head, numpy.uint64, NUM_PERM, len(_KEPT) + 32), sentences)


def _text_or_error(path: Path):
    try:
        return load_text(path)
    except AuditorError as exc:
        return exc


def _quiet_worker() -> None:
    """The parent handles Ctrl+C and SIGTERM; a worker just ends (no traceback of its own for each)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def load_texts(paths: list[Path], jobs: int) -> Iterator[Text | AuditorError]:
    """Each file as a Text, or the error that kept it from being read; in order, on `jobs` forked workers."""
    if jobs <= 1 or len(paths) <= 8 or "fork" not in multiprocessing.get_all_start_methods():
        yield from map(_text_or_error, paths)
        return
    with multiprocessing.get_context("fork").Pool(min(jobs, len(paths)), _quiet_worker) as pool:
        yield from pool.imap(_text_or_error, paths, chunksize=16)


def containment(a: numpy.ndarray, b: numpy.ndarray) -> float:
    """Share of the smaller sampled shingle set found in the other."""
    small = min(len(a), len(b))
    return len(numpy.intersect1d(a, b, assume_unique=True)) / small if small else 0.0


def _matches(a: Text, b: Text) -> numpy.ndarray:
    """For each sentence of a, the sentence of b that repeats it (nearly: names and numbers may differ), or -1."""
    same = {m: j for j, (m, _, _) in reversed(list(enumerate(b.sentences)))}
    out = numpy.array([same.get(m, -1) for m, _, _ in a.sentences], dtype=int)
    rest = numpy.flatnonzero(out < 0)   # a copy repeats most sentences exactly: score only the others
    if len(rest) and b.sentences:
        scores = process.cdist([a.sentences[i][0] for i in rest], [m for m, _, _ in b.sentences], scorer=fuzz.ratio,
                               score_cutoff=MIN_SCORE, dtype=numpy.uint8)
        best = scores.argmax(axis=1)
        out[rest] = numpy.where(scores[numpy.arange(len(rest)), best] > 0, best, -1)
    return out


def _share(matches: numpy.ndarray) -> float:
    return float((matches >= 0).mean()) if len(matches) else 0.0


@dataclass
class Changes:
    """What a report changed against an earlier one, sentence by sentence (a sentence is the same when it
    repeats one of the other, nearly: names and numbers may differ)."""
    same: float                      # share of the report's sentences the earlier one has too
    added: list[tuple[int, str]]     # (line, sentence) of the report the earlier one lacks, in order
    removed: list[tuple[int, str]]   # (line, sentence) of the earlier one the report lacks, in order


def changes(now: Text, then: Text) -> Changes:
    """The sentences `now` added to `then` and removed from it, and the share of `now` that `then` has too. A
    sentence repeated exactly on the other side is the same; the others are scored (fuzz.ratio, MIN_SCORE)
    against the other side's sentences not repeated exactly, once, both ways from one matrix."""
    exact_now, exact_then = {m for m, _, _ in now.sentences}, {m for m, _, _ in then.sentences}
    rest_now = [i for i, (m, _, _) in enumerate(now.sentences) if m not in exact_then]
    rest_then = [j for j, (m, _, _) in enumerate(then.sentences) if m not in exact_now]
    near_now, near_then = numpy.zeros(len(rest_now), bool), numpy.zeros(len(rest_then), bool)
    if rest_now and rest_then:
        scores = process.cdist([now.sentences[i][0] for i in rest_now], [then.sentences[j][0] for j in rest_then],
                               scorer=fuzz.ratio, score_cutoff=MIN_SCORE, dtype=numpy.uint8)
        near_now, near_then = scores.max(axis=1) > 0, scores.max(axis=0) > 0
    added = [now.sentences[i][1:] for i, near in zip(rest_now, near_now) if not near]
    removed = [then.sentences[j][1:] for j, near in zip(rest_then, near_then) if not near]
    same = 1 - len(added) / len(now.sentences) if now.sentences else 0.0
    return Changes(round(same, 3), added, removed)


@functools.lru_cache(maxsize=8)
def _band_layout(threshold: float) -> tuple[int, int]:
    """(bands, rows per band) with the least false candidates plus missed ones around `threshold`: two reports
    of Jaccard similarity s share a band with chance 1 − (1 − sʳ)ᵇ (the layout datasketch's MinHashLSH picks)."""
    s = (numpy.arange(1000) + 0.5) / 1000

    def error(b: int, r: int) -> float:
        p = 1 - (1 - s ** r) ** b
        return p[s < threshold].sum() + (1 - p[s >= threshold]).sum()
    return min(((b, r) for b in range(1, NUM_PERM + 1) for r in range(1, NUM_PERM // b + 1)), key=lambda x: error(*x))


def bands(signature: numpy.ndarray, candidate: float = CANDIDATE) -> list[bytes]:
    """The signature's bands under the layout for `candidate`, each tagged with its place: two reports that share
    one are candidates (for a copy here; in the workbench, for the same body's report of another year)."""
    b, r = _band_layout(candidate)
    return [bytes([k]) + signature[k * r:(k + 1) * r].tobytes() for k in range(b)]


def _families(texts: list[Text], candidate: float) -> list[list[int]]:
    """Reports linked by LSH candidates whose shingles are mostly contained in each other, in input order."""
    parent = list(range(len(texts)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    # empty reports agree on every band and are copies of nothing
    keys = [bands(t.signature, candidate) if len(t.hashes) else None for t in texts]
    for k in range(_band_layout(candidate)[0]):
        band = defaultdict(list)
        for i, key in enumerate(keys):
            if key:
                band[key[k]].append(i)
        for bucket in band.values():
            heads = []   # one report per family met in this bucket: a near-copy costs one check, not one per member
            for i in bucket:
                for h in heads:
                    if find(h) != find(i) and containment(texts[h].hashes, texts[i].hashes) >= candidate:
                        parent[find(i)] = find(h)
                if all(find(h) != find(i) for h in heads):
                    heads.append(i)
    families = defaultdict(list)
    for i in range(len(texts)):
        families[find(i)].append(i)
    return [f for f in families.values() if len(f) > 1]


def _pair(a: Text, b: Text, shorter: Text, matches: numpy.ndarray, show: int) -> Pair:
    """A pair in input order, with its first `show` shared passages."""
    longer = b if shorter is a else a
    passages = [(shorter.sentences[i][1], longer.sentences[j][1], shorter.sentences[i][2], longer.sentences[j][2])
                for i, j in enumerate(matches) if j >= 0][:show]
    if shorter is b:
        passages = [(lb, la, qb, qa) for la, lb, qa, qb in passages]
    return Pair(a.path, b.path, round(_share(matches), 3), passages)


def _cluster(rep: Text, members: list[tuple[Text, numpy.ndarray]], show: int) -> Cluster:
    """A representative and its members, quoting the representative's sentences the most members repeat (the
    longest first: a long sentence repeated is better evidence than a heading)."""
    counts = numpy.zeros(len(rep.sentences), dtype=int)
    for _, matches in members:
        counts[numpy.unique(matches[matches >= 0])] += 1
    top = sorted(sorted(range(len(counts)), key=lambda j: (-counts[j], -len(rep.sentences[j][0])))[:show])
    return Cluster(rep.path, sorted(((t.path, round(_share(m), 3)) for t, m in members), key=lambda x: -x[1]),
                   [(rep.sentences[j][1], rep.sentences[j][2], int(counts[j])) for j in top if counts[j]])


def _split_family(texts: list[Text], family: list[int], threshold: float, candidate: float):
    """Groups of a family: the longest report not yet placed leads a group, every report joins the first leader
    it shares `threshold` of its sentences with, or leads a new group. Returns [(leader, [(member, matches)])]."""
    groups: list[tuple[int, list]] = []
    for i in sorted(family, key=lambda i: -len(texts[i].sentences)):
        for leader, members in groups:
            if containment(texts[i].hashes, texts[leader].hashes) >= candidate:
                matches = _matches(texts[i], texts[leader])
                if _share(matches) >= threshold:
                    members.append((i, matches))
                    break
        else:
            groups.append((i, []))
    return groups


def find_copies(texts: list[Text], threshold: float = 0.5, show: int = 3,
                candidate: float = CANDIDATE) -> tuple[list[Cluster], list[Pair]]:
    """Groups of three or more reports, each sharing at least `threshold` of its sentences with the group's
    representative, largest first; and pairs sharing at least `threshold` of the shorter report's sentences,
    most shared first. Quotes the first `show` shared passages of each."""
    clusters, pairs = [], []
    for family in _families(texts, candidate):
        groups = _split_family(texts, family, threshold, candidate)
        for leader, members in groups:
            if len(members) >= 2:
                clusters.append(_cluster(texts[leader], [(texts[m], x) for m, x in members], show))
            elif members:
                (m, x), = members
                a, b = sorted((leader, m))
                pairs.append(_pair(texts[a], texts[b], texts[m], x, show))
        # a report that joined no group may still copy a member of one (not its leader): check those, once
        alone = [leader for leader, members in groups if not members]
        placed = [m for _, members in groups for m, _ in members]
        for i in alone:
            for j in placed:
                if containment(texts[i].hashes, texts[j].hashes) >= candidate:
                    shorter, longer = sorted((i, j), key=lambda k: len(texts[k].sentences))
                    matches = _matches(texts[shorter], texts[longer])
                    if _share(matches) >= threshold:
                        a, b = sorted((i, j))
                        pairs.append(_pair(texts[a], texts[b], texts[shorter], matches, show))
    return (sorted(clusters, key=lambda c: (-len(c.members), c.representative)),
            sorted(pairs, key=lambda p: (-p.share, p.a, p.b)))
