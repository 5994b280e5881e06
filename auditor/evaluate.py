"""Verdicts against hand labels (../shared/seeds/labels.tsv format: file, rule, expected met|not-met|?, note).

Predicted positive = `met`. A false `met` hides a gap from a supervisor, so those are listed first.
"""
from __future__ import annotations

import csv
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .errors import AuditorError
from .model import Finding, Status
from .i18n import _

COLUMNS = ("file", "rule", "expected")
CELL = {(True, True): "TP", (True, False): "FP", (False, True): "FN", (False, False): "TN"}


SPLITS = ("all", "tune", "test")
TEST_EVERY = 3   # every third labelled report, by the number its file name starts with, is `test`


def split_of(name: str) -> str:
    """The part of the labelled reports a file belongs to: `test` (003.txt, 006.txt, …: only measured, never
    tuned to) or `tune` (the rest). Fixed by the file's number, so anyone can rerun the same split."""
    m = re.match(r"\d+", name)
    return "test" if m and int(m.group()) % TEST_EVERY == 0 else "tune"


def in_split(name: str, split: str) -> bool:
    return split == "all" or split_of(name) == split


@dataclass(frozen=True)
class Label:
    file: str
    rule: str
    expected: str     # met | not-met | ?
    note: str
    line: int


MAX_LABELS_MB = 64   # a label is some 60 bytes: a million labels


def read_labels(path: Path) -> list[Label]:
    """Rows of a labels file (lines starting with # are comments); E1xx when it cannot be read (a missing,
    special or oversized file, not UTF-8/UTF-16 text), E214 names what is wrong inside."""
    from .read import decode_settings, read_limited
    text = decode_settings(read_limited(path, MAX_LABELS_MB * 2**20), path)
    numbered = [(n, ln) for n, ln in enumerate(text.splitlines(), 1) if ln.strip() and not ln.startswith("#")]
    if not numbered:
        raise AuditorError("E214", path, reason=_("no rows"))
    reader = csv.DictReader([ln for _n, ln in numbered], delimiter="\t")
    try:
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    except csv.Error as exc:
        raise AuditorError("E214", path, numbered[0][0], reason=str(exc)) from None
    if missing:
        raise AuditorError("E214", path, numbered[0][0], reason=_("missing column(s) {columns}").format(
            columns=", ".join(missing)))
    labels = []
    rows = iter(reader)
    for n, _line in numbered[1:]:
        try:
            row = next(rows)
        except StopIteration:   # a quoted field ran over several lines
            break
        except csv.Error as exc:   # a field over csv's size limit, a stray quote …
            raise AuditorError("E214", path, n, reason=str(exc)) from None
        cell = lambda key: (row.get(key) or "").strip()
        expected = cell("expected")
        if expected not in ("met", "not-met", "?"):
            raise AuditorError("E214", path, n, reason=_("expected must be met, not-met or ?, found {found!r}").format(
                found=expected[:40]))
        labels.append(Label(cell("file"), cell("rule"), expected, cell("note") or cell("evidence"), n))
    return labels


@dataclass
class Evaluation:
    per_rule: dict[str, Counter] = field(default_factory=dict)
    disagreements: list[tuple[str, Label, Finding | None]] = field(default_factory=list)   # (cell, label, finding)
    unscored: int = 0
    not_applicable: int = 0   # labels on rules that do not bind the report (its level or year): not scored
    missing: list[Label] = field(default_factory=list)   # labelled file or rule not audited

    @property
    def total(self) -> Counter:
        return sum(self.per_rule.values(), Counter())


def scores(c: Counter) -> tuple[float, float, float]:
    """Precision, recall, F1 of `met` (1.0 when there is nothing to get wrong)."""
    p = c["TP"] / (c["TP"] + c["FP"]) if c["TP"] + c["FP"] else 1.0
    r = c["TP"] / (c["TP"] + c["FN"]) if c["TP"] + c["FN"] else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


_CLOSING = "。！？；.!?;”\"’）)》"


def evaluate_sentences(path: Path, pipeline) -> tuple[dict[str, Counter], list[str]]:
    """Each labelled sentence (TSV: rule, expected met|not-met, sentence, why; a written \\n breaks the line: a
    heading over its text) audited alone: confusion counts
    per rule, and one line per disagreement (FP first). A rule that does not bind the year the sentence names
    is not scored."""
    from .audit import audit_source
    from .read import Source
    cells: dict[str, Counter] = {}
    wrong = []
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader((line for line in fh if not line.startswith("#")), delimiter="\t"):
            text = row["sentence"].replace("\\n", "\n")   # a written \n: a heading with its text under it
            if text and text.rstrip()[-1] not in _CLOSING:
                text += "。"   # a sentence written without its full stop is still a sentence, not a heading line
            report = audit_source(Source(path.name, text, "utf-8"), pipeline)
            f = next((f for f in report.findings if f.rule.id == row["rule"]), report.findings[0])   # or wrong type
            if f.status is Status.NOT_APPLICABLE:
                continue   # the rule does not bind that year's report: not scored, as in `auditor eval`
            cell = CELL[(f.status is Status.MET, row["expected"] == "met")]
            cells.setdefault(row["rule"], Counter())[cell] += 1
            if cell in ("FP", "FN"):
                shown = f.why or (f.evidence[0].quote if f.evidence else "")
                wrong.append(f"{cell} {row['rule']}: {f.status.value} ← {row['sentence']}  [{row['why']}] {shown}")
    return cells, sorted(wrong, key=lambda line: not line.startswith("FP"))


def evaluate(labels: list[Label], verdicts: dict[tuple[str, str], Finding]) -> Evaluation:
    ev = Evaluation()
    for label in labels:
        if label.expected == "?":
            ev.unscored += 1
            continue
        finding = verdicts.get((label.file, label.rule))
        if finding is None:
            ev.missing.append(label)
            continue
        if finding.status is Status.NOT_APPLICABLE:
            ev.not_applicable += 1
            continue
        got, want = finding.status is Status.MET, label.expected == "met"
        cell = CELL[(got, want)]
        ev.per_rule.setdefault(label.rule, Counter())[cell] += 1
        if cell in ("FP", "FN"):
            ev.disagreements.append((cell, label, finding))
    return ev
