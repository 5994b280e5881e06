"""The only place the stages are chained: read → normalize → sentences → sections → metadata → checklist →
find → parts → judge → Report; then verdicts.settle (waivers, baseline, reviews, the score).

`judge_file` stops before the verdict stage: the command line's workers and the workbench call it and settle
the report once, after what they know of it (waivers, baseline, reviews). `audit_file` does both.

A bad file becomes a Report carrying its error; the batch goes on.
"""
from __future__ import annotations

import bisect
import dataclasses
import re
from collections.abc import Iterator
from pathlib import Path

from . import checks, parts, verdicts
from .explain import say
from .checklist import Checklist
from .errors import AuditorError
from .find import Finder, Hit
from .judge import EVIDENCE, judge
from .metadata import extract
from .model import Evidence, Finding, Outline, Part, Report, Status
from .rule_schema import Rule
from .normalize import Normalized, furniture_text, normalize
from .read import Source, read_source
from .sections import build_outline
from .segment import Segmenter, get_segmenter, sentence_spans

QUOTE_CHARS = 60      # longest quote kept from the original; the hit stays in view
SECTION_CHARS = 30
# Facts rather than slogans: counts (聘请4名, 专题学习4次), percentages, dates, named documents (《…》, 〔2024〕5号).
CONCRETE = re.compile(r"\d+(?:\.\d+)?\s*(?:余|多)?(?:名|次|件|场|个|人|份|期|家|条|项|万|亿|元|篇|户|起|课时|人次|场次|%)"
                      r"|\d{4}年\d{1,2}月|《[^》]{2,}》|〔\d{4}〕")


class _Locator:
    """Normalized offsets → original quotes, 1-based line:column and heading names."""

    def __init__(self, source: Source, norm: Normalized, outline: Outline):
        self.original = source.text
        self.places = source.places
        self.norm = norm
        self.outline = outline
        self._line_starts = [0] + [i + 1 for i, ch in enumerate(self.original) if ch == "\n"]

    def where(self, pos: int) -> tuple[str, dict]:
        """A place a person can find: line:column in a text file, paragraph, table cell or page line."""
        line, col = self.line_col(pos)
        if self.places and line <= len(self.places):
            place = self.places[line - 1]
            return place.label(), place.as_dict()
        return f"{line}:{col}", {"line": line, "column": col}

    def repaired(self, start: int, end: int) -> bool:
        return any(s < end and start < e for s, e in self.norm.repaired)

    def line_col(self, pos: int) -> tuple[int, int]:
        line = bisect.bisect_right(self._line_starts, pos)
        return line, pos - self._line_starts[line - 1] + 1

    def _cut(self, start: int, end: int) -> str:
        """The original between two offsets, without the page furniture and watermarks dropped there."""
        pieces, pos = [], start
        for s, e in self.norm.dropped:
            if e <= pos or s >= end:
                continue
            pieces.append(self.original[pos:max(pos, s)])
            pos = max(pos, e)
        pieces.append(self.original[pos:end])
        return " ".join("".join(pieces).split())

    def quote(self, start: int, end: int, limit: int) -> str:
        text = self._cut(start, end)
        return text if len(text) <= limit else text[:limit - 1] + "…"

    def heading_name(self, i: int) -> str:
        h = self.outline.headings[i]
        return self.quote(*self.norm.original_span(h.start, h.end), SECTION_CHARS)

    def heading_names(self, path: tuple[int, ...]) -> tuple[str, ...]:
        return tuple(self.heading_name(i) for i in path)

    def part(self, i: int, part: str) -> Part:
        h = self.outline.headings[i]
        line, _ = self.line_col(self.norm.original_span(h.start, h.end)[0])
        return Part(h.level, self.heading_name(i), line, part)

    def evidence(self, hit: Hit) -> Evidence:
        sent = self.outline.sentences[hit.sentence]
        hs, he = self.norm.original_span(hit.start, hit.end)
        ss, se = self.norm.original_span(sent.start, sent.end)
        # keep the hit in view: cut the sentence around it when it is long
        room = max(0, QUOTE_CHARS - (he - hs)) // 2
        qs = max(ss, hs - room)
        qe = min(se, max(he + room, qs + QUOTE_CHARS))
        quote = ("…" if qs > ss else "") + self._cut(qs, qe) + ("…" if qe < se else "")
        while qs < qe and self.original[qs].isspace():   # the span holds the quoted words, not a line break
            qs += 1
        while qe > qs and self.original[qe - 1].isspace():
            qe -= 1
        line, col = self.line_col(hs)
        where, place = self.where(hs)
        path = self.heading_names(sent.path)
        return Evidence(quote=quote, line=line, column=col, section=path[-1] if path else "", path=path,
                        phrase=hit.phrase, how=hit.how, score=hit.score, part=hit.part, context=hit.context,
                        concrete=bool(CONCRETE.search(self.norm.text[sent.start:sent.end])),
                        where=where, place=place, repaired=self.repaired(hs, he), roles=dict(hit.roles),
                        span=(qs, qe))


class Pipeline:
    """The loaded pieces every audit needs: the rules, the checklist that binds them per report, the finder
    compiled from them, and the word segmenter. Built once per process (settings.Options.build)."""

    def __init__(self, rules: list[Rule], segmenter: Segmenter | None = None, checklist: Checklist | None = None):
        self.rules = rules
        self.checklist = checklist or Checklist(rules)
        self.segmenter = segmenter or get_segmenter()
        self.finder = Finder(rules, self.segmenter)

    @property
    def dictionary(self) -> frozenset[str]:
        return self.finder.dictionary


def _era_note(rule: Rule, year: int | None) -> str | None:
    eras = any(not isinstance(p, str) and p.years != (None, None) for p in rule.phrases)
    return say("era-unknown") if year is None and eras else None


def judge_source(source: Source, pipeline: Pipeline) -> Report:
    """Text already read into memory, judged rule by rule; not yet rated (verdicts.settle)."""
    norm = normalize(source.text)
    outline = build_outline(norm.text, sentence_spans(norm.text))
    locator = _Locator(source, norm, outline)
    meta = extract(norm.text, outline, furniture_text(source.text, norm))
    binding = pipeline.checklist.bind(meta.level, meta.year)
    quality = {**source.notes, **norm.changes}
    form = [checks.run(rule, meta, norm.text, binding.outside.get(rule.id))
            for rule in binding.rules if rule.kind == "metadata"]
    wrong = next((f for f in form if f.status is Status.WRONG_TYPE), None)
    if wrong:   # another kind of document: one finding says so; auditing it would list gaps that mean nothing
        return Report(path=source.path, encoding=source.encoding, findings=[wrong], metadata=meta,
                      quality=quality, wrong_type=wrong.note, profile=binding.profile_id)
    hits, view = pipeline.finder.find(norm.text, outline)
    hits = parts.years_decide(outline, pipeline.rules, hits, meta.year)
    sentence_parts, heading_parts, hits = parts.from_hits(norm.text, outline, pipeline.rules, hits, meta.year)
    findings: list[Finding] = []
    for rule in binding.rules:
        if rule.kind == "metadata":
            continue
        if rule.id in binding.outside:
            findings.append(Finding(rule, Status.NOT_APPLICABLE, 0.0, why=binding.outside[rule.id]))
            continue
        finding, decisive = judge(rule, hits[rule.id], norm.text, outline, sentence_parts, meta.year)
        finding.note = _era_note(rule, meta.year)
        finding.evidence = [locator.evidence(h) for h in decisive[:EVIDENCE]]
        findings.append(finding)
    findings += form
    outline_parts = [locator.part(i, heading_parts.get(i, "")) for i, h in enumerate(outline.headings)
                     if h.level <= 4]
    report = Report(path=source.path, encoding=source.encoding, findings=findings, outline=outline_parts,
                    metadata=meta, quality=quality,
                    damaged_lines=sorted({locator.line_col(p)[0] for p in (*norm.damaged, *source.damaged)}),
                    segmenter={**pipeline.segmenter.describe(), "sentences": len(view.segmented)},
                    profile=binding.profile_id)
    return report


def judge_file(path: Path | str, pipeline: Pipeline, name: str | None = None) -> Report:
    """One file judged; a file that cannot be read, or a bug, is a Report carrying its error line. `name`: what
    the report and its errors call the file (the workbench: the uploaded name of a stored file)."""
    shown_as = name or str(path)
    try:
        source = read_source(Path(path))
        return judge_source(dataclasses.replace(source, path=shown_as) if name else source, pipeline)
    except AuditorError as exc:
        if name:
            exc.path = name
        return Report(path=shown_as, errors=[exc])
    except Exception as exc:   # a bug must not cost the rest of a batch, nor show a user a traceback
        reason = f"{type(exc).__name__}: {exc}"[:160]
        return Report(path=shown_as, errors=[AuditorError("E199", shown_as, reason=reason)])


def audit_source(source: Source, pipeline: Pipeline) -> Report:
    """Text already read into memory, judged and rated: the machine's verdicts."""
    return verdicts.settle(judge_source(source, pipeline), pipeline)


def audit_file(path: Path | str, pipeline: Pipeline) -> Report:
    """One file judged and rated (no waivers, baseline or reviews: see verdicts.settle)."""
    return verdicts.settle(judge_file(path, pipeline), pipeline)


def audit_paths(paths: list[Path], pipeline: Pipeline) -> Iterator[Report]:
    """Reports in input order; a file that cannot be read yields a Report with its error."""
    for path in paths:
        yield audit_file(path, pipeline)


def example_status(rule: Rule, text: str, pipeline: Pipeline | None = None) -> Status:
    """The status one rule gives a one-line example text (what `rules check` and the tests run)."""
    report = audit_source(Source("<example>", text, "utf-8"), pipeline or Pipeline([rule]))
    return next(f.status for f in report.findings if f.rule.id == rule.id)


def check_examples(rules: list[Rule], segmenter=None) -> tuple[int, list[AuditorError]]:
    """Run every example of every rule; an example that does not behave as declared (met; not met; or the
    status it names) is an E209 error."""
    count, errors = 0, []
    for rule in rules:
        pipeline = Pipeline([rule], segmenter)
        for kind, i, text, expected in rule.examples.cases():
            count += 1
            got = example_status(rule, text, pipeline)
            if not example_ok(got, expected):
                errors.append(AuditorError("E209", rule._path, rule._example_lines.get((kind, i)), example=text,
                                           expected=expected or "not met", got=got.value))
    return count, errors


def example_ok(got: Status, expected: str | None) -> bool:
    """An example's status against what it declares: a status id, or None for "anything but met"."""
    return got is not Status.MET if expected is None else got.value == expected
