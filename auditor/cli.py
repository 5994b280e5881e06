"""Command line: options → audit → renderer → exit code. No domain logic here.

Exit codes: 0 every rule at or above --fail-on is met; 1 a gap at or above it; 2 usage, rules or input error
(after the rest of the batch ran). Data goes to stdout, diagnostics to stderr, whatever the format.
"""
from __future__ import annotations

import itertools
import sys
from collections import Counter
from importlib import import_module
from enum import Enum
from pathlib import Path
from typing import Optional

import click
import typer

from . import __version__, gate, i18n, shown
from .i18n import _
from .errors import AuditorError, RuleErrors
from .model import Report


def _tabulate_formats() -> list[str]:
    from tabulate import tabulate_formats
    return tabulate_formats


def _tabulate(*args, **kwargs) -> str:
    from tabulate import tabulate   # here, not at start-up: a JSON audit never draws a table
    return tabulate(*args, **kwargs)

EXIT_OK, EXIT_GAPS, EXIT_ERROR = 0, 1, 2

app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                  help="Audit 法治政府建设年度报告 against the checklist in rules/ and print the gap table.")
rules_app = typer.Typer(no_args_is_help=True, help="List the rules, or validate them and run their examples.")
app.add_typer(rules_app, name="rules")


class Format(str, Enum):
    table = "table"
    json = "json"
    markdown = "markdown"
    csv = "csv"
    sarif = "sarif"
    junit = "junit"
    xlsx = "xlsx"
    html = "html"
    jsonl = "jsonl"


class SegmenterName(str, Enum):
    pkuseg = "pkuseg"
    char = "char"


class Engine(str, Enum):
    local = "local"
    dask = "dask"


class FailOn(str, Enum):
    error = "error"
    warning = "warning"
    info = "info"
    never = "never"


RulesOption = typer.Option(None, "--rules", metavar="DIR", readable=False, help="Folder of rule files (default: the bundled rules/).")
ModelOption = typer.Option(None, "--model", metavar="DIR", readable=False, envvar="AUDITOR_MODEL", show_envvar=True,
                           help="spaCy pipeline folder with the pkuseg model (default: the one bundled with the "
                                "auditor; scripts/build_model.py --full builds pkuseg's full default model).")
ProfileOption = typer.Option("auto", "--profile", metavar="NAME",
                             help="Rule profile: auto (from each report's inferred level: township, county, city, "
                                  "province, department), none (every rule as written), or a profile id from "
                                  "rules/profiles (e.g. provincial-guide-department, parts-only).")
SegmenterOption = typer.Option(SegmenterName.pkuseg, "--segmenter",
                               help="Word segmenter for token-level phrases: pkuseg, or char (every character a "
                                    "word: faster start, but 述法 then also counts inside 上述法律).")


def _say(line: str) -> None:
    """One line on stderr: a newline or an escape sequence in a file name cannot forge or hide another."""
    typer.echo(shown.text(line), err=True)


def _or_exit(load, *args):
    """Run a set-up step; its problems (rules, profiles, model, waivers, baseline, the output file) are one
    line each, then exit 2."""
    from .output import OutputError
    try:
        return load(*args)
    except RuleErrors as exc:
        for e in exc.errors:
            _say(e.format())
        raise typer.Exit(EXIT_ERROR)
    except (AuditorError, OutputError) as exc:
        _say((exc.error if isinstance(exc, OutputError) else exc).format())
        raise typer.Exit(EXIT_ERROR)


def _load_rules(directory: Optional[Path]):
    from .ruleset import load_rules
    return _or_exit(load_rules, directory)


def _load_profiles(rules, directory: Optional[Path]):
    from .ruleset import load_profiles
    return _or_exit(load_profiles, rules, directory)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"auditor {__version__}")
        raise typer.Exit()


@app.callback()
def _main(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                       help="Print the version and exit.")) -> None:
    pass


@app.command()
def audit(
    paths: list[Path] = typer.Argument(..., metavar="PATH", readable=False,
                                       help="Report files or folders (searched recursively)."),
    format: Format = typer.Option(Format.table, "--format", "-f", help="Output format."),
    table_format: str = typer.Option("grid", "--table-format", metavar="NAME",
                                     help="tabulate style for --format table: grid, github, pipe, simple, …"),
    fail_on: FailOn = typer.Option(FailOn.error, "--fail-on",
                                   help="Exit 1 when a rule of this severity or higher is not met."),
    rules_dir: Optional[Path] = RulesOption,
    profile: str = ProfileOption,
    output: Optional[Path] = typer.Option(None, "--output", "-o", metavar="FILE", readable=False,
                                          help="Write the output to FILE (atomically: a failed run leaves no "
                                               "half-written file) instead of stdout."),
    exit_zero: bool = typer.Option(False, "--exit-zero", help="Exit 0 even when gaps are found (input and rule "
                                                                "errors still exit 2)."),
    waivers: Optional[Path] = typer.Option(None, "--waivers", metavar="FILE", readable=False,
                                           help="YAML list of accepted gaps (path glob, rule, reason, optional "
                                                "expires); waived gaps do not fail; stale waivers are reported."),
    baseline: Optional[Path] = typer.Option(None, "--baseline", metavar="FILE", readable=False,
                                            help="An earlier `-f json` output: only gaps new since then fail; "
                                                 "the table marks new / unchanged / fixed."),
    jobs: int = typer.Option(0, "--jobs", "-j", metavar="N", min=0,
                             help="Worker processes for a batch (default 0: one per CPU core)."),
    engine: Engine = typer.Option(Engine.local, "--engine",
                                  help="local: worker processes on this machine; dask: the workers of a Dask "
                                       "cluster (--scheduler)."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", metavar="ADDRESS",
                                            help="Dask scheduler address, e.g. tcp://10.0.0.5:8786."),
    model: Optional[Path] = ModelOption,
    segmenter: SegmenterName = SegmenterOption,
) -> None:
    """Audit reports and print each one's gap table (and a summary matrix for several)."""
    from .batch import audit_batch, audit_dask, default_jobs
    from .output import OutputError, Sink, identities
    from .read import find_reports
    from .render import RENDERERS
    from .settings import Options

    if format is Format.table and table_format not in (tabulate_formats := _tabulate_formats()):
        raise typer.BadParameter(f"unknown table format {table_format!r}; one of: {', '.join(tabulate_formats)}",
                                 param_hint="--table-format")
    if format.value == "xlsx" and not output:
        _say(AuditorError("E301", reason="--format xlsx writes a spreadsheet: give --output FILE.xlsx").format())
        raise typer.Exit(EXIT_ERROR)
    options = Options(str(rules_dir) if rules_dir else None, profile, str(model) if model else None, segmenter.value)
    pipeline = _or_exit(options.build)
    rules = pipeline.rules
    accepted = _or_exit(gate.load_waivers, waivers) if waivers else []
    earlier = _or_exit(gate.load_baseline, baseline) if baseline else None
    files, skipped, path_errors = find_reports(paths)
    for entry in skipped:   # every entry not audited is said, with why
        _say(f"{shown.name(entry.path)}: skipped: {entry.why}")
    waived = gate.Waivers(accepted, waivers) if waivers else None
    if engine is Engine.dask:
        if not scheduler:
            _say(AuditorError("E301", reason="--engine dask needs --scheduler ADDRESS (tcp://host:8786)").format())
            raise typer.Exit(EXIT_ERROR)
        audited = _or_exit(audit_dask, files, pipeline, options, scheduler)
    else:
        audited = audit_batch(files, pipeline, jobs or default_jobs())
    late = [Report(path=e.path, errors=[e]) for e in path_errors]   # named but not found: said in order, last
    stream = import_module("auditor.render.jsonl_format").line if format is Format.jsonl else None
    reports, summary = [], _Summary()
    try:
        with _or_exit(Sink, output, identities(files)) as sink:
            for report in itertools.chain(_progress(audited, len(files)), late):
                if waived:
                    waived.apply(report)
                if earlier is not None:
                    gate.apply_baseline(report, earlier)
                summary.add(report, fail_on.value)
                if stream:   # written as soon as it and all before it are done; not kept
                    sink.write(stream(report))
                else:
                    reports.append(report)
            for note in waived.notes() if waived else []:
                _say(note)
            for e in summary.errors:
                _say(e.format())
            for r in summary.wrong:
                _say(f"{r.path}: not audited: a {r.wrong_type}, not a 法治政府建设年度报告 "
                     f"({(r.findings[0].why or '').split('：', 1)[-1]})")
            if not stream:
                sink.write(RENDERERS[format.value](reports, rules, table_format=table_format))
    except OutputError as exc:   # a full disk, a vanished folder: one line, exit 2, nothing left behind
        _say(exc.error.format())
        raise typer.Exit(EXIT_ERROR)
    if summary.files > 1:
        _say(summary.text())
    if summary.errors:
        codes = Counter(e.code for e in summary.errors)
        _say(f"{summary.failed} of {summary.files} input(s) could not be audited ("
             + ", ".join(f"{code} ×{n}" for code, n in sorted(codes.items())) + "); the others were.")
        raise typer.Exit(EXIT_ERROR)
    raise typer.Exit(EXIT_GAPS if summary.gated and not exit_zero else EXIT_OK)


class _Summary:
    """What a batch found, counted as reports go by (a streamed batch keeps no reports)."""

    def __init__(self):
        self.files = self.failed = 0
        self.errors: list = []
        self.wrong: list[Report] = []
        self.gaps: Counter = Counter()   # rule id → reports with a gap
        self.gated = False

    def add(self, report: Report, fail_on: str) -> None:
        self.files += 1
        if report.errors:
            self.failed += 1
            self.errors += report.errors
            return
        if report.wrong_type:
            self.wrong.append(report)
        self.gaps.update(f.rule.id for f in report.findings if f.status.is_gap)
        self.gated = self.gated or bool(report.gaps(fail_on))

    def text(self) -> str:
        audited = self.files - self.failed
        top = ", ".join(f"{rid} {n}" for rid, n in self.gaps.most_common(8))
        return (f"audited {audited} of {self.files} file(s)"
                + (f"; {len(self.wrong)} not an annual report" if self.wrong else "")
                + (f"; gaps per rule: {top}" + (" …" if len(self.gaps) > 8 else "") if top else "; no gaps"))


def _progress(batch, total: int):
    """A progress bar on stderr for a batch in a terminal; nothing in pipes and CI."""
    if total > 1 and sys.stderr.isatty():
        with click.progressbar(batch, length=total, label="auditing", file=sys.stderr) as bar:
            yield from bar
    else:
        yield from batch


@app.command("eval")
def eval_(labels: Path = typer.Argument(..., metavar="LABELS.tsv", readable=False, help="Hand labels: file, rule, expected "
                                        "(met / not-met / ?), note; tab-separated, # comments."),
          docs: list[Path] = typer.Argument(..., metavar="DOCS_DIR", readable=False, help="Where the labelled files are."),
          rules_dir: Optional[Path] = RulesOption, profile: str = ProfileOption,
          jobs: int = typer.Option(0, "--jobs", "-j", min=0, help="Worker processes (0: one per core)."),
          model: Optional[Path] = ModelOption) -> None:
    """Compare verdicts with hand labels: per-rule TP/FP/FN/TN, precision, recall, F1 and the micro average;
    every disagreement with its evidence, false `met` (a hidden gap) first. Exit 1 on any disagreement."""
    from .batch import audit_batch, default_jobs
    from .evaluate import evaluate, read_labels, scores
    from .read import find_reports
    from .settings import Options
    try:
        rows = read_labels(labels)
    except AuditorError as exc:
        _say(exc.format())
        raise typer.Exit(EXIT_ERROR)
    pipeline = _or_exit(Options(str(rules_dir) if rules_dir else None, profile, str(model) if model else None).build)
    files, _, path_errors = find_reports(docs)
    wanted = {label.file for label in rows}
    files = [f for f in files if f.name in wanted]
    verdicts = {}
    for report in audit_batch(files, pipeline, jobs or default_jobs()):
        for e in report.errors:
            _say(e.format())
        for f in report.findings:
            verdicts[(Path(report.path).name, f.rule.id)] = f
    for e in path_errors:
        _say(e.format())
    ev = evaluate(rows, verdicts)
    table = []
    for rid, c in sorted(ev.per_rule.items()):
        p, r, f1 = scores(c)
        table.append([rid, c["TP"], c["FP"], c["FN"], c["TN"], f"{p:.3f}", f"{r:.3f}", f"{f1:.3f}"])
    t = ev.total
    p, r, f1 = scores(t)
    table.append(["micro average", t["TP"], t["FP"], t["FN"], t["TN"], f"{p:.3f}", f"{r:.3f}", f"{f1:.3f}"])
    typer.echo(_tabulate(table, headers=["rule", "TP", "FP", "FN", "TN", "precision", "recall", "F1"],
                        tablefmt="simple", disable_numparse=True))
    typer.echo(f"\n{sum(t.values())} labels scored, {ev.unscored} marked ? and {ev.not_applicable} on rules that do "
               f"not bind the report (its level or year) not scored")
    for title, cell in (("FALSE MET — the auditor says met, the label says not: a gap hidden from a supervisor",
                         "FP"), ("MISSED — labelled met, the auditor did not find it", "FN")):
        wrong = [(label, f) for c, label, f in ev.disagreements if c == cell]
        if wrong:
            typer.echo(f"\n{title} ({len(wrong)}):")
        for label, f in wrong:
            ev_text = f"{f.evidence[0].where} {f.evidence[0].quote}" if f.evidence else (f.why or "")
            typer.echo(f"  {label.file} {label.rule}: {f.status.value} — {ev_text}  [label line {label.line}: "
                       f"{label.note}]")
    for label in ev.missing:
        _say(f"{labels}:{label.line}: {label.file} {label.rule} was not audited (file not found or unknown rule)")
    if ev.missing or path_errors:
        raise typer.Exit(EXIT_ERROR)
    raise typer.Exit(EXIT_GAPS if ev.disagreements else EXIT_OK)


@app.command()
def similar(paths: list[Path] = typer.Argument(..., metavar="PATH", readable=False, help="报告文件或文件夹。"),
            threshold: float = typer.Option(0.5, "--threshold", min=0.05, max=1.0,
                                            help="相同句子占（较短）报告句子数的比例达到此值即报告。"),
            show: int = typer.Option(3, "--show", min=0, help="每项发现引用的共同段落数（表格和 JSON）。"),
            jobs: int = typer.Option(0, "--jobs", "-j", min=0, help="工作进程数（0：每个 CPU 核一个）。"),
            as_json: bool = typer.Option(False, "--json", help="输出 JSON 而非表格。")) -> None:
    """查找互相抄袭（或重交上年）的报告：三份以上套用同一模板的为一组，其余成对列出；引用共同段落及其行号。
    有发现时退出码为 1，有文件无法读取时为 2。"""
    import json

    from .batch import default_jobs
    from .read import find_reports
    from .similar import find_copies, load_texts
    files, _, path_errors = find_reports(paths)
    for e in path_errors:
        _say(e.format())
    texts, unreadable = [], []
    for item in _progress(load_texts(files, jobs or default_jobs()), len(files)):
        (unreadable if isinstance(item, AuditorError) else texts).append(item)
    for e in unreadable:
        _say(e.format())
    clusters, pairs = find_copies(texts, threshold, show)
    if as_json:   # names and quotes shown as every output shows them: valid UTF-8, one line each
        typer.echo(json.dumps(shown.tree({"threshold": threshold, "reports": len(texts), "clusters": [
            {"representative": shown.name(c.representative), "size": len(c.members) + 1, "min_share": c.members[-1][1],
             "members": [{"path": shown.name(p), "share": s} for p, s in c.members],
             "passages": [{"line": line, "quote": q, "repeated_by": k} for line, q, k in c.passages]}
            for c in clusters], "pairs": [
            {"a": shown.name(p.a), "b": shown.name(p.b), "share": p.share,
             "passages": [{"line_a": la, "line_b": lb, "quote_a": qa, "quote_b": qb} for la, lb, qa, qb in p.passages]}
            for p in pairs]}), ensure_ascii=False, indent=2))
    else:
        say = lambda line: typer.echo(shown.text(line))   # noqa: E731 - no escape sequence reaches the terminal
        for rank, c in enumerate(clusters, 1):
            least = round(c.members[-1][1] * 1000) // 10   # whole percent, never rounded up: 89.5 % is not "至少 90%"
            say(f"{rank}. 雷同报告 {len(c.members) + 1} 份：每份至少 {least}% 的句子见于代表报告")
            say(f"   代表报告：{shown.name(c.representative)}")
            say("   成员（本报告句子见于代表报告的比例）：")
            for path, share in c.members:
                say(f"     {share:4.0%}  {shown.name(path)}")
            if c.passages:
                say("   共同段落（代表报告行号：原文〔含此句的成员数〕）：")
            for line, quote, k in c.passages:
                say(f"     {line}: {quote[:60]}〔{k}/{len(c.members)}〕")
        for rank, p in enumerate(pairs, len(clusters) + 1):
            say(f"{rank}. 雷同报告 2 份：较短一份 {p.share:.0%} 的句子见于另一份")
            say(f"   {shown.name(p.a)}  ⟷  {shown.name(p.b)}")
            for la, lb, qa, qb in p.passages:
                say(f"     {la}: {qa[:60]}")
                say(f"     {lb}: {qb[:60]}")
        typer.echo(f"共 {len(texts)} 份报告，相同句子达 {threshold:.0%} 的：{len(clusters)} 组"
                   f"（{sum(len(c.members) + 1 for c in clusters)} 份）、{len(pairs)} 对")
    if unreadable or path_errors:
        raise typer.Exit(EXIT_ERROR)
    raise typer.Exit(EXIT_GAPS if clusters or pairs else EXIT_OK)


@rules_app.command("list")
def rules_list(rules_dir: Optional[Path] = RulesOption,
               markdown: bool = typer.Option(False, "--markdown", help="A Markdown table (the README's rule index).")) -> None:
    """Print every rule: id, kind, severity, title and legal basis."""
    from .render import rule_docs
    rules = _load_rules(rules_dir)
    if markdown:
        typer.echo(rule_docs.markdown(rules))
        return
    rows = [[r.id, r.kind, r.severity, r.title, "；".join(r.legal_basis)] for r in rules]
    typer.echo(_tabulate(rows, headers=["id", "kind", "severity", "title", "legal basis"], tablefmt="simple",
                        maxcolwidths=[None, None, None, 24, 48]))


@rules_app.command("show")
def rules_show(rule_id: str = typer.Argument(..., metavar="ID"), rules_dir: Optional[Path] = RulesOption) -> None:
    """Print one rule's documentation: what it checks, why, which wordings count, where it applies, the fix."""
    from .render import rule_docs
    rules = _load_rules(rules_dir)
    rule = next((r for r in rules if r.id == rule_id), None)
    if rule is None:
        import difflib
        close = difflib.get_close_matches(rule_id, [r.id for r in rules], n=3)
        _say(AuditorError("E301", reason=f"no rule '{rule_id}'" + (f"; did you mean {', '.join(close)}?" if close
                                                                     else "; see `auditor rules list`")).format())
        raise typer.Exit(EXIT_ERROR)
    profiles = _load_profiles(rules, rules_dir)
    typer.echo(rule_docs.page(rule, profiles))


@rules_app.command("profiles")
def rules_profiles(rules_dir: Optional[Path] = RulesOption) -> None:
    """Print the profiles: which levels pick them, which rule groups they check, what they override."""
    profiles = _load_profiles(_load_rules(rules_dir), rules_dir)
    rows = [[p.id, p.title, ", ".join(p.levels) or "(--profile only)", ", ".join(p.groups),
             "; ".join(f"{rid}: {fields}" for rid, fields in p.overrides.items())] for p in profiles.values()]
    typer.echo(_tabulate(rows, headers=["id", "title", "picked for", "groups", "overrides"], tablefmt="simple",
                        maxcolwidths=[None, 16, 14, 30, 40]))


@rules_app.command("check")
def rules_check(directory: Optional[Path] = typer.Argument(None, metavar="[DIR]",
                                                           help="Folder of rule files (default: the bundled rules/)."),
                model: Optional[Path] = ModelOption) -> None:
    """Validate every rule file and run every rule's met / not-met examples."""
    from .audit import check_examples
    rules = _load_rules(directory)
    _load_profiles(rules, directory)   # profiles are checked against the rules too
    from .segment import get_segmenter
    count, errors = check_examples(rules, _or_exit(get_segmenter, "pkuseg", model))
    for e in errors:
        _say(e.format())
    if errors:
        _say(f"{len(errors)} of {count} examples do not behave as declared")
        raise typer.Exit(EXIT_ERROR)
    typer.echo(f"{len(rules)} rules valid; all {count} examples behave as declared")


@app.command()
def doctor(model: Optional[Path] = ModelOption, rules_dir: Optional[Path] = RulesOption) -> None:
    """Print what is installed (versions, the model folder and its files) and check that every piece loads
    with the network blocked. Exit 0 when all do, 2 otherwise."""
    from . import doctor as doc
    checks, facts = doc.run(model, rules_dir)
    typer.echo("\n".join(facts))
    typer.echo()
    typer.echo(_tabulate([[c.piece, "ok" if c.ok else "FAILED", c.detail] for c in checks],
                        headers=["offline check", "", "detail"], tablefmt="simple", maxcolwidths=[None, None, 80]))
    if not all(c.ok for c in checks):
        raise typer.Exit(EXIT_ERROR)


def _interrupted(signum, _frame):
    raise KeyboardInterrupt   # SIGTERM ends a run as Ctrl+C does: workers stopped, no temporary file left


def main() -> None:
    """Console-script entry point."""
    import signal
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure") and (stream.encoding or "").lower() not in ("utf-8", "utf8"):
            stream.reconfigure(encoding="utf-8", errors="replace")
    signal.signal(signal.SIGTERM, _interrupted)
    try:
        app()
    except BrokenPipeError:   # the reader went away (… | head): stop quietly, as other command-line tools do
        import os
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(EXIT_OK)
