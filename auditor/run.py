"""One `audit` run: the files found, audited (processes or Dask), waivers, baseline and scores applied, the
output written (stdout, a file, or one document per report into a folder), and what a person should know said
on stderr with a summary. Returns the exit code; the command line only declares options and exits with it.

Exit codes: 0 every rule at or above fail-on is met; 1 a gap at or above it; 2 usage, rules or input error
(after the rest of the batch ran).
"""
from __future__ import annotations

import itertools
import re
import sys
from collections import Counter
from importlib import import_module
from pathlib import Path
from types import SimpleNamespace

from . import gate, shown, verdicts
from .errors import AuditorError, RuleErrors
from .i18n import _
from .model import Report
from .settings import FOLDER_FORMATS, Settings

EXIT_OK, EXIT_GAPS, EXIT_ERROR = 0, 1, 2
RANKED = 10   # reports named in the ranking of a batch's summary


class Stop(Exception):
    """End the run with this exit code (what went wrong was already said)."""

    def __init__(self, code: int):
        self.code = code
        super().__init__(code)


def say(line: str) -> None:
    """One line on stderr: a newline or an escape sequence in a file name cannot forge or hide another."""
    print(shown.text(line), file=sys.stderr, flush=True)


def or_exit(load, *args):
    """Run a set-up step; its problems (rules, profiles, model, waivers, baseline, the output file) are one
    line each, then exit 2."""
    from .output import OutputError
    try:
        return load(*args)
    except RuleErrors as exc:
        for e in exc.errors:
            say(e.format())
        raise Stop(EXIT_ERROR) from None
    except (AuditorError, OutputError) as exc:
        say((exc.error if isinstance(exc, OutputError) else exc).format())
        raise Stop(EXIT_ERROR) from None


def fail(reason: str) -> Stop:
    """A usage problem found before any report is read: one E301 line, exit 2."""
    say(AuditorError("E301", reason=reason).format())
    return Stop(EXIT_ERROR)


def audit(paths: list[Path], s: Settings) -> int:
    """Audit the reports under `paths` as `s` says; the exit code."""
    from .output import OutputError, Sink, identities
    from .read import find_reports

    folder = _output(s)
    pipeline = or_exit(s.options.build)
    waived, earlier = _gate(s)
    bodies = _read_roster(Path(s.roster)) if s.roster else None   # a wrong roster said before any audit
    files, skipped, path_errors = find_reports(paths)
    for entry in skipped:   # every entry not audited is said, with why
        say(_("{path}: skipped: {why}").format(path=shown.name(entry.path), why=entry.why))
    audited = _audited(s, files, pipeline)
    late = [Report(path=e.path, errors=[e]) for e in path_errors]   # named but not found: said in order, last
    stream = import_module("auditor.render.jsonl_format").line if s.format == "jsonl" else None
    scheme = _scheme(s.scoring, pipeline)
    reports, summary = [], Summary()
    try:
        with or_exit(Sink, None if s.format in FOLDER_FORMATS else folder, identities(files)) as sink:
            for report in itertools.chain(progress(audited, len(files)), late):
                before = None if earlier is None else gate.earlier_of(report, earlier)
                verdicts.settle(report, scheme, waivers=waived, earlier=None if earlier is None else before or {})
                summary.add(report, s.fail_on, in_baseline=before is not None)
                if stream:   # written as soon as it and all before it are done; not kept
                    sink.write(stream(report))
                else:
                    reports.append(report)
            _say_what_was_left(summary, waived)
            if earlier is not None and summary.files > summary.failed and not summary.in_baseline:
                say(_("{path}: no report of this run is in the baseline (it was made with other paths?); every "
                      "gap counts as new").format(path=shown.name(s.baseline)))
            if not stream:
                _write(s, reports, pipeline.rules, folder, sink)
    except OutputError as exc:   # a full disk, a vanished folder: one line, exit 2, nothing left behind
        say(exc.error.format())
        return EXIT_ERROR
    return _ending(summary, s, bodies)


def _output(s: Settings) -> Path | None:
    """Where the output goes (None: stdout); a folder for the formats that write one document per report."""
    folder = Path(s.output) if s.output else None
    if s.format == "xlsx" and not folder:
        raise fail(_("--format xlsx writes a spreadsheet: give --output FILE.xlsx"))
    return _folder(s.format, folder) if s.format in FOLDER_FORMATS else folder


def _gate(s: Settings):
    """The waivers in force (gate.Waivers, or None) and the baseline's statuses (or None)."""
    waivers, baseline = (Path(s.waivers) if s.waivers else None), (Path(s.baseline) if s.baseline else None)
    accepted = or_exit(gate.load_waivers, waivers) if waivers else []
    earlier = or_exit(gate.load_baseline, baseline) if baseline else None
    return (gate.Waivers(accepted, waivers) if waivers else None), earlier


def _audited(s: Settings, files: list[Path], pipeline):
    """The judged reports, in input order: processes here, or a Dask cluster."""
    from .batch import audit_batch, audit_dask, default_jobs
    if s.engine != "dask":
        return audit_batch(files, pipeline, s.jobs or default_jobs())
    if not s.scheduler:
        raise fail(_("--engine dask needs --scheduler ADDRESS (tcp://host:8786)"))
    return or_exit(audit_dask, files, pipeline, s.options, s.scheduler)


def _say_what_was_left(summary: "Summary", waived) -> None:
    """Stale waivers, the files that could not be audited, and the documents of another kind: a line each."""
    for note in waived.notes() if waived else []:
        say(note)
    for e in summary.errors:
        say(e.format())
    for r in summary.wrong:
        why = re.split("：|: ", r.findings[0].why or "", maxsplit=1)[-1]   # what showed it, after the rule's message
        say(_("{path}: not audited: a {kind}, not an annual report on building a rule-of-law government "
              "({why})").format(path=r.path, kind=r.wrong_type, why=why))


def _write(s: Settings, reports: list[Report], rules, folder: Path | None, sink) -> None:
    from .render import RENDERERS
    render_options = {"table_format": s.table_format, "width": s.width, "detail": s.detail, "office": s.office}
    if s.format in FOLDER_FORMATS:
        for path in _write_folder(s.format, reports, rules, folder, render_options):
            say(_("wrote {path}").format(path=shown.name(path)))
    else:
        sink.write(RENDERERS[s.format](reports, rules, **render_options))


def _ending(summary: "Summary", s: Settings, bodies: list[str] | None = None) -> int:
    """The batch's summary and ranking, who on the roster has not reported, the count of inputs not audited,
    and the exit code."""
    if summary.files > 1:
        for line in summary.lines(s.width) + summary.ranking(s.width):
            say(line)
    if bodies is not None:
        for line in _roster_lines(summary, s, bodies):
            say(line)
    if summary.errors:
        codes = ", ".join(f"{code} ×{n}" for code, n in sorted(Counter(e.code for e in summary.errors).items()))
        say(_("{failed} of {files} input(s) could not be audited ({codes}); the others were.").format(
            failed=summary.failed, files=summary.files, codes=codes))
        return EXIT_ERROR
    return EXIT_GAPS if summary.gated and not s.exit_zero else EXIT_OK


def _folder(fmt: str, folder: Path | None) -> Path:
    """The folder a letter or review run writes into, created if missing; a file there is an E301 line."""
    if folder is None:
        raise fail(_("--format {format} writes one document per report: give --output FOLDER").format(format=fmt))
    if folder.exists() and not folder.is_dir():
        raise fail(_("--output {path} is not a folder; --format {format} writes one document per report into a "
                     "folder").format(path=shown.name(folder), format=fmt))
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise fail(_("cannot create the folder {path}: {reason}").format(path=shown.name(folder),
                                                                         reason=exc.strerror or exc)) from None
    return folder


def _write_folder(fmt: str, reports, rules, folder: Path, options: dict) -> list[Path]:
    """One document per report (render/letter_format.py, review_format.py); the paths written."""
    from .output import OutputError
    write = import_module(f"auditor.render.{fmt}_format").write
    try:
        return list(write(reports, rules, folder, **options) or [])
    except OSError as exc:
        raise OutputError(AuditorError("E301", str(folder), reason=_("cannot write the output: {reason}").format(
            reason=exc.strerror or exc))) from None


def _scheme(scheme: str | None, pipeline):
    """What rates the reports (verdicts.settle's `by`): the pipeline, whose checklist knows the scheme of each
    report's profile, or a checklist that knows only the scheme named by --scoring / `scoring`."""
    if not scheme:
        return pipeline
    schemes = pipeline.checklist.schemes.schemes
    if scheme not in schemes:
        import difflib
        close = difflib.get_close_matches(scheme, list(schemes), n=1)
        raise fail(_("unknown scoring scheme '{name}'; one of: {names}").format(
            name=scheme, names=", ".join(sorted(schemes)) or _("(none in this rules folder)"))
            + (_(" (did you mean '{key}'?)").format(key=close[0]) if close else ""))
    return SimpleNamespace(scheme_for=lambda _profile: schemes[scheme])


def _handed(report: Report):
    from datetime import date

    from .roster import Handed
    m = report.metadata
    signed = None
    if m and m.date:
        try:
            signed = date.fromisoformat(m.date)
        except ValueError:
            pass
    return Handed(key=report.path, body=m.body if m else None, year=m.year if m else None, received=signed,
                  generic=bool(m and m.body_generic))


def _roster_lines(summary: "Summary", s: Settings, bodies: list[str]) -> list[str]:
    """Who on the roster has not reported, who reported late (signed after --deadline), the reports of another
    year than most and those of no roster body: a line each, names wrapped to the width."""
    from datetime import date

    from . import roster
    from .render.table import wrap
    deadline = date.fromisoformat(s.deadline) if s.deadline else None
    years = Counter(h.year for h in summary.handed if h.year)
    season_year = years.most_common(1)[0][0] if years else None
    season = roster.check(bodies, summary.handed, deadline=deadline, year=season_year)
    reported = season.of(roster.REPORTED)
    lines = [_("roster: {n} bodies, {reported} reported, {late} late, {missing} not reported").format(
        n=len(season.entries), reported=len(reported), late=len(season.of(roster.LATE)),
        missing=len(season.of(roster.MISSING)))]

    def listed(title: str, names: list[str]) -> None:
        if names:
            lines.extend(wrap(f"{title}：" + "、".join(shown.text(n) for n in names), s.width, "  "))
    listed(_("not reported"), [e.body for e in season.of(roster.MISSING)])
    listed(_("reported late (signed after {deadline})").format(deadline=s.deadline),
           [e.body for e in season.of(roster.LATE)])
    listed(_("of another year than {year}").format(year=season_year),
           [f"{shown.name(h.key)}（{h.year}）" for h in season.off_year])
    listed(_("on no line of the roster"), [f"{shown.name(h.key)}（{h.body or _('body unknown')}）"
                                           for h in season.unmatched])
    return lines


def _read_roster(path: Path) -> list[str]:
    from .roster import read
    try:
        return read(path)
    except ValueError as exc:
        raise fail(str(exc))


class Summary:
    """What a batch found, counted as reports go by (a streamed batch keeps no reports)."""

    def __init__(self):
        self.files = self.failed = 0
        self.in_baseline = 0   # reports the --baseline holds
        self.errors: list = []
        self.wrong: list[Report] = []
        self.gaps: Counter = Counter()   # rule name (its short name, else its title) → reports with a gap
        self.gated = False
        self.rated: list[SimpleNamespace] = []   # path and rating of every rated report (not the report)
        self.handed: list = []   # roster.Handed of every annual report (who, which year, signed when)

    def add(self, report: Report, fail_on: str, in_baseline: bool = False) -> None:
        self.files += 1
        self.in_baseline += in_baseline
        if report.errors:
            self.failed += 1
            self.errors += report.errors
            return
        if report.wrong_type:
            self.wrong.append(report)
        else:
            self.handed.append(_handed(report))
        self.gaps.update(f.rule.short or f.rule.title for f in report.findings if f.status.is_gap)
        self.gated = self.gated or bool(report.gaps(fail_on))
        if getattr(report, "rating", None):
            self.rated.append(SimpleNamespace(path=report.path, rating=report.rating,
                                              body=report.metadata.body if report.metadata else None))

    def lines(self, width: int = 80) -> list[str]:
        """What the batch came to, in lines that fit the width: files audited, then the rules most often
        not met (by name, how many reports)."""
        from .render.table import wrap
        audited = self.files - self.failed
        line = _("audited {audited} of {files} file(s)").format(audited=audited, files=self.files)
        if self.wrong:
            line += _("; {n} not an annual report").format(n=len(self.wrong))
        if not self.gaps:
            return [line + _("; no gaps")]
        top = "  ".join(f"{name} {n}" for name, n in self.gaps.most_common(8)) + ("  …" if len(self.gaps) > 8 else "")
        return [line, *wrap(_("gaps per rule (reports): {top}").format(top=top), width, "  ")]

    def ranking(self, width: int = 80) -> list[str]:
        """The rated reports of a batch, best first (得分 of 满分, the body, the file), as scoring.ranking ranks
        them, in lines that fit the width."""
        from .render.table import wrap
        from .scoring import ranking
        if len(self.rated) < 2:
            return []
        ranked = ranking(self.rated)
        lines = [_("ranking by score ({n} report(s)):").format(n=len(ranked))]
        for place, r in ranked[:RANKED]:
            prefix = f"  {place:>3}. "
            entry = "  ".join([_("{points:g} of {max:g}").format(points=r.rating.points, max=r.rating.max),
                               *([shown.text(r.body)] if r.body else []), shown.name(r.path)])
            wrapped = wrap(entry, width - len(prefix), "")
            lines += [prefix + wrapped[0], *(" " * len(prefix) + more for more in wrapped[1:])]
        if len(ranked) > RANKED:
            lines.append("  " + _("… and {n} more").format(n=len(ranked) - RANKED))
        return lines


def progress(batch, total: int):
    """A progress bar on stderr for a batch in a terminal; nothing in pipes and CI."""
    if total > 1 and sys.stderr.isatty():
        import click
        with click.progressbar(batch, length=total, label=_("auditing"), file=sys.stderr) as bar:
            yield from bar
    else:
        yield from batch
