"""Which sentences can reach a rule's fuzzy threshold at all, decided for all rules at once with numpy.

partial_ratio ≥ f (as a fraction) between an n-character phrase and a sentence needs at least n·f/(2−f)
characters in common (an alignment window of length m scores 2·L/(n+m) with L ≤ m common characters). A
sentence holding fewer of the phrase's characters (counted with the phrase's multiplicity) cannot score: it is
skipped before rapidfuzz. The test is necessary, never sufficient, so no hit is lost.
"""
from __future__ import annotations

import math

import numpy

_UNICODE = 0x110000
CHUNK = 2048   # sentences scored at a time


class SentenceFilter:
    def __init__(self, rules: list[tuple[int, list[str], float]], whole: set[int] = frozenset()):
        """rules: (rule index, fuzzy phrases, lowest score that counts, 0–100); `whole`: the rules whose
        phrases must align whole inside a sentence (partial_ratio), so a sentence shorter than a phrase
        (less one character) can never hold it."""
        chars = sorted({ch for _, phrases, _ in rules for p in phrases for ch in p})
        self.lookup = numpy.full(_UNICODE, -1, dtype=numpy.int32)
        self.lookup[[ord(ch) for ch in chars]] = numpy.arange(len(chars), dtype=numpy.int32)
        columns = [(ri, p, f) for ri, phrases, f in rules for p in phrases]
        self.weights = numpy.zeros((len(chars), len(columns)), dtype=numpy.int32)
        for j, (_, phrase, _) in enumerate(columns):
            for ch in phrase:
                self.weights[self.lookup[ord(ch)], j] += 1
        self.need = numpy.array([bound(len(p), f) for _, p, f in columns], dtype=numpy.int32)
        self.lengths = numpy.array([len(p) for _, p, _ in columns])
        self.owner = numpy.array([ri for ri, _, _ in columns], dtype=numpy.int32)
        self.whole = numpy.array([ri in whole for ri, _, _ in columns])
        self.rules = sorted({ri for ri, _, _ in rules})

    def candidates(self, text: str, spans: list[tuple[int, int]]) -> dict[int, numpy.ndarray]:
        """rule index → indices of the sentences (spans) that may reach its threshold."""
        if not spans or not self.rules:
            return {ri: numpy.arange(len(spans)) for ri in self.rules}
        codes = numpy.frombuffer(text.encode("utf-32-le"), dtype=numpy.uint32)
        vocab = self.lookup[codes]
        all_starts = numpy.array([s for s, _ in spans])
        all_ends = numpy.array([e for _, e in spans])
        # a sentence too short to hold any whole-aligned phrase is scored only for the other rules
        floor = int(self.lengths[self.whole].min()) - 1 if self.whole.all() else 0
        keep = numpy.flatnonzero(all_ends - all_starts >= floor)
        found: dict[int, list] = {ri: [] for ri in self.rules}
        for chunk in range(0, len(keep), CHUNK):   # a block of sentences at a time: memory stays flat
            rows = keep[chunk:chunk + CHUNK]
            starts, ends = all_starts[rows], all_ends[rows]
            lo, hi = int(starts[0]), int(ends[-1])
            pos = lo + numpy.flatnonzero(vocab[lo:hi] >= 0)
            sent = numpy.searchsorted(starts, pos, side="right") - 1
            inside = (sent >= 0) & (pos < ends[numpy.maximum(sent, 0)])
            present = numpy.zeros((len(rows), self.weights.shape[0]), dtype=numpy.int32)
            present[sent[inside], vocab[pos[inside]]] = 1
            reach = present @ self.weights >= self.need                      # sentences × phrases
            short = (ends - starts)[:, None] < self.lengths[None, :]
            reach |= short & ~self.whole[None, :]                           # shorter: let rapidfuzz judge
            reach &= ~(short & self.whole[None, :]) | ((ends - starts)[:, None] >= self.lengths[None, :] - 1)
            for ri in self.rules:
                found[ri].append(rows[reach[:, self.owner == ri].any(axis=1)])
        return {ri: numpy.concatenate(parts) if parts else numpy.arange(0) for ri, parts in found.items()}


def bound(n: int, score: float) -> int:
    """Characters an n-character phrase must share with a sentence to reach `score` (0–100)."""
    f = score / 100
    return math.ceil(n * f / (2 - f) - 1e-9)
