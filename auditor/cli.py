"""Command line: options → settings → the run → exit code. No domain logic here; the audit itself is run.py.

Everything shown is in the language of `--lang` (zh by default; also `lang` in the settings file and
$AUDITOR_LANG). Help texts are built when this module is imported, so the language is chosen first, from the
command line as typed, the environment and the settings file (_early_language).
"""
from __future__ import annotations

import os
import sys
from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from . import __version__, config, i18n, settings, shown, usage
from .errors import AuditorError
from .run import EXIT_ERROR, EXIT_GAPS, EXIT_OK, Stop, fail, or_exit, say


def _early_language(argv: list[str]) -> str:
    """The language of this run, before any help text is built: --lang as typed, else $AUDITOR_LANG, else the
    settings file's lang, else zh. A wrong value is left for the option itself to refuse."""
    lang = None
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(argv):
            lang = argv[i + 1]
        elif arg.startswith("--lang="):
            lang = arg.split("=", 1)[1]
    if lang not in settings.LANGS:
        lang = os.environ.get(i18n.ENV)
    if lang not in settings.LANGS:
        lang = config.language()
    lang = lang if lang in settings.LANGS else i18n.DEFAULT
    i18n.set_language(lang)
    return lang


_early_language(sys.argv[1:])
_ = i18n._


def _tabulate(*args, **kwargs) -> str:
    from tabulate import tabulate   # here, not at start-up: a JSON audit never draws a table
    return tabulate(*args, **kwargs)


FLEX_MIN = 20   # display columns a wrapped column needs to stay readable; below it a table changes its layout


def _fitted(headers: list[str], rows: list[list[str]], flexible: tuple[int, ...], below: int | None = None) -> str:
    """A plain table (columns two apart, dashes under the headers) no wider than the terminal ($COLUMNS, else
    its width, else 80), Chinese characters counting two columns: the `flexible` columns wrap; when they would be
    narrower than FLEX_MIN, the `below` column moves under each row, wrapped to the width; narrower still, each
    row is a block of `header：value` lines."""
    from .render.table import columns, terminal_width, wrap
    width = terminal_width({})
    natural = [max([columns(headers[i])] + [columns(r[i]) for r in rows]) for i in range(len(headers))]

    def widths(shown: list[int]) -> dict[int, int] | None:
        room = width - 2 * (len(shown) - 1) - sum(natural[i] for i in shown if i not in flexible)
        out = {i: natural[i] for i in shown}
        wrapped = sorted((i for i in shown if i in flexible), key=lambda i: natural[i])
        for n, i in enumerate(wrapped):   # the narrowest first: what one does not need, the others get
            out[i] = min(natural[i], room // (len(wrapped) - n))
            if out[i] < min(natural[i], FLEX_MIN):
                return None
            room -= out[i]
        return out

    def line(cells: list[str], sizes: list[int]) -> str:
        return "  ".join(c + " " * (w - columns(c)) for c, w in zip(cells, sizes)).rstrip()

    def drawn(shown: list[int], fit: dict[int, int]) -> list[str]:
        sizes = [fit[i] for i in shown]
        out = [line([headers[i] for i in shown], sizes), line(["-" * w for w in sizes], sizes)]
        for row in rows:
            cells = [wrap(row[i], fit[i]) if i in flexible else [row[i]] for i in shown]
            for k in range(max(len(c) for c in cells)):
                out.append(line([c[k] if k < len(c) else "" for c in cells], sizes))
            if len(shown) < len(headers) and row[below]:
                out += labelled(headers[below], row[below])
        return out

    def labelled(label: str, value: str) -> list[str]:
        return ["  " + x for x in wrap(_("{label}: {value}").format(label=label, value=value), width - 2, "  ")]

    every = list(range(len(headers)))
    for shown in (every, [i for i in every if i != below] if below is not None else None):
        fit = widths(shown) if shown else None
        if fit:
            return "\n".join(drawn(shown, fit))
    blocks = []
    for row in rows:   # too narrow for columns: one block per row
        blocks += wrap(row[0], width, "  ")
        blocks += [x for i in every[1:] if row[i] for x in labelled(headers[i] or "-", row[i])]
    return "\n".join(blocks)


app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                  help=_("Audit annual reports on building a rule-of-law government (法治政府建设年度报告) against "
                         "the checklist in rules/ and print the gap table."))
rules_app = typer.Typer(no_args_is_help=True, rich_markup_mode=None,
                        help=_("List the rules, or validate them and run their examples."))
app.add_typer(rules_app, name="rules")

Format = Enum("Format", {name: name for name in settings.FORMATS}, type=str)
FailOn = Enum("FailOn", {name: name for name in settings.FAIL_ON}, type=str)
Lang = Enum("Lang", {name: name for name in settings.LANGS}, type=str)


class SegmenterName(str, Enum):
    pkuseg = "pkuseg"
    char = "char"


class Engine(str, Enum):
    local = "local"
    dask = "dask"


RulesOption = typer.Option(None, "--rules", metavar="DIR", readable=False,
                           help=_("Folder of rule files (default: the bundled rules/)."))
ModelOption = typer.Option(None, "--model", metavar="DIR", readable=False, envvar="AUDITOR_MODEL", show_envvar=True,
                           help=_("spaCy pipeline folder with the pkuseg model (default: the one bundled with the "
                                  "auditor; scripts/build_model.py --full builds pkuseg's full default model)."))
ProfileOption = typer.Option("auto", "--profile", metavar="NAME",
                             help=_("Rule profile: auto (from each report's inferred level: township, county, city, "
                                    "province, department), none (every rule as written), or a profile id from "
                                    "rules/profiles (see `auditor rules profiles`)."))
SegmenterOption = typer.Option(SegmenterName.pkuseg, "--segmenter",
                               help=_("Word segmenter for token-level phrases: pkuseg, or char (every character a "
                                      "word: faster start, but 述法 then also counts inside 上述法律)."))
FormatOption = typer.Option(Format.table, "--format", "-f",
                            help=_("Output format; letter and review write one Word document per report into "
                                   "--output FOLDER."))
FailOnOption = typer.Option(FailOn.error, "--fail-on", help=_("Exit 1 when a rule of this severity or higher is not met."))
WaiversOption = typer.Option(None, "--waivers", metavar="FILE", readable=False,
                             help=_("YAML list of accepted gaps (path glob, rule, reason, optional expires); waived "
                                    "gaps do not fail; stale waivers are reported."))
BaselineOption = typer.Option(None, "--baseline", metavar="FILE", readable=False,
                              help=_("An earlier `-f json` output: only gaps new since then fail; the table marks "
                                     "new / unchanged / fixed."))
JobsOption = typer.Option(0, "--jobs", "-j", metavar="N", min=0,
                          help=_("Worker processes for a batch (default 0: one per CPU core)."))
OfficeOption = typer.Option(None, "--office", metavar="NAME",
                            help=_("The reviewing office that signs --format letter (default: a blank to fill in)."))
ScoringOption = typer.Option(None, "--scoring", metavar="NAME",
                             help=_("Scoring scheme from rules/scoring (default: the one the rules name)."))

# flag parameter → settings key: what a flag typed on the command line overrides in the settings file
FLAGS = {"profile": "profile", "fail_on": "fail-on", "waivers": "waivers", "baseline": "baseline",
         "format": "format", "scoring": "scoring", "jobs": "jobs", "rules_dir": "rules", "model": "model",
         "office": "office"}


def _version(value: bool) -> None:
    if value:
        typer.echo(f"auditor {__version__}")
        raise typer.Exit()


def _lang(value: Optional[Lang]) -> Optional[Lang]:
    if value is not None:
        i18n.set_language(value.value)
    return value


@app.callback()
def _main(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                       help=_("Print the version and exit.")),
          lang: Optional[Lang] = typer.Option(None, "--lang", callback=_lang, is_eager=True,
                                              help=_("Language of everything shown: zh (Chinese, the default) or en; "
                                                     "also `lang` in the settings file and $AUDITOR_LANG."))) -> None:
    pass


def _resolve(ctx: typer.Context, **flags) -> tuple[dict, config.Config]:
    """Every setting with its value and source: flags typed > environment > settings file > default."""
    from typer._click.core import ParameterSource
    found = or_exit(config.load)
    given = {}
    for name, key in FLAGS.items():
        if name in flags and ctx.get_parameter_source(name) is ParameterSource.COMMANDLINE:
            value = flags[name]
            given[key] = value.value if isinstance(value, Enum) else str(value) if isinstance(value, Path) else value
    root = ctx.find_root()
    if root.params.get("lang") is not None and root.get_parameter_source("lang") is ParameterSource.COMMANDLINE:
        given["lang"] = root.params["lang"].value
    resolved = settings.resolve(given, found.values, str(found.path) if found.path else None, found.lines,
                                dict(os.environ))
    i18n.set_language(resolved["lang"][0])
    return resolved, found


def _settings(ctx: typer.Context, **flags) -> settings.Settings:
    """The settings of a command that reads only some of them (rules, model, profile, jobs)."""
    return settings.Settings.of(_resolve(ctx, **flags)[0])


def _path(value: Optional[str]) -> Optional[Path]:
    return Path(value) if value else None


def _check_date(value: str) -> None:
    from datetime import date
    try:
        date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(_("{value!r} is not a date like 2025-01-31").format(value=value),
                                 param_hint="--deadline") from None


@app.command(help=_("Audit reports and print each one's gap table (and a summary matrix for several)."))
def audit(
    ctx: typer.Context,
    paths: list[Path] = typer.Argument(..., metavar="PATH", readable=False,
                                       help=_("Report files or folders (searched recursively).")),
    format: Format = FormatOption,
    table_format: str = typer.Option("psql", "--table-format", metavar="NAME",
                                     help=_("Table style for --format table: psql (one line per rule), grid (a rule between rows), "
                                            "github, pipe, simple, …")),
    detail: bool = typer.Option(False, "--detail", help=_("Show each rule's legal basis and fix in the table.")),
    fail_on: FailOn = FailOnOption,
    rules_dir: Optional[Path] = RulesOption,
    profile: str = ProfileOption,
    output: Optional[Path] = typer.Option(None, "--output", "-o", metavar="PATH", readable=False,
                                          help=_("Write the output to this file (atomically: a failed run leaves no "
                                                 "half-written file) instead of stdout; for letter and review, the "
                                                 "folder to write into (created if missing).")),
    exit_zero: bool = typer.Option(False, "--exit-zero", help=_("Exit 0 even when gaps are found (input and rule "
                                                                  "errors still exit 2).")),
    waivers: Optional[Path] = WaiversOption,
    baseline: Optional[Path] = BaselineOption,
    scoring: Optional[str] = ScoringOption,
    office: Optional[str] = OfficeOption,
    jobs: int = JobsOption,
    engine: Engine = typer.Option(Engine.local, "--engine",
                                  help=_("local: worker processes on this machine; dask: the workers of a Dask "
                                         "cluster (--scheduler).")),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", metavar="ADDRESS",
                                            help=_("Dask scheduler address, e.g. tcp://10.0.0.5:8786.")),
    model: Optional[Path] = ModelOption,
    segmenter: SegmenterName = SegmenterOption,
    roster: Optional[Path] = typer.Option(None, "--roster", metavar="FILE", readable=False,
                                          help=_("The bodies expected to report (.xlsx or .csv with a 单位 column, or "
                                                 "one per line): the run ends with who has not reported, who "
                                                 "reported late and the reports of another year.")),
    deadline: Optional[str] = typer.Option(None, "--deadline", metavar="YYYY-MM-DD",
                                           help=_("With --roster: a report signed after this date is late.")),
) -> None:
    from . import run
    if deadline is not None:
        _check_date(deadline)
    resolved, _found = _resolve(ctx, format=format, fail_on=fail_on, rules_dir=rules_dir, profile=profile,
                                waivers=waivers, baseline=baseline, scoring=scoring, jobs=jobs, model=model,
                                office=office)
    chosen = settings.Settings.of(resolved, segmenter=segmenter.value, table_format=table_format,
                                  output=str(output) if output else None, exit_zero=exit_zero, engine=engine.value,
                                  scheduler=scheduler, detail=detail, width=settings.width(),
                                  roster=str(roster) if roster else None, deadline=deadline)
    if chosen.format == "table":
        from tabulate import tabulate_formats
        if table_format not in tabulate_formats:
            raise typer.BadParameter(_("unknown table format {name!r}; one of: {names}").format(
                name=table_format, names=", ".join(tabulate_formats)), param_hint="--table-format")
    raise typer.Exit(run.audit(paths, chosen))


@app.command("config", help=_("Print the settings in force for a run started here: each value and where it comes "
                               "from (default, the settings file and line, the command line, the environment)."))
def config_(ctx: typer.Context, format: Format = FormatOption, fail_on: FailOn = FailOnOption,
            rules_dir: Optional[Path] = RulesOption, profile: str = ProfileOption,
            waivers: Optional[Path] = WaiversOption, baseline: Optional[Path] = BaselineOption,
            scoring: Optional[str] = ScoringOption, office: Optional[str] = OfficeOption,
            jobs: int = JobsOption, model: Optional[Path] = ModelOption) -> None:
    resolved, found = _resolve(ctx, format=format, fail_on=fail_on, rules_dir=rules_dir, profile=profile,
                               waivers=waivers, baseline=baseline, scoring=scoring, jobs=jobs, model=model,
                               office=office)
    typer.echo(_("settings file: {path}").format(path=shown.name(found.path)) if found.path
               else _("settings file: none (no .auditor.toml or [tool.auditor] in pyproject.toml here or above)"))
    rows = [[key, _("(none)") if value is None else value, source.text()] for key, (value, source) in resolved.items()]
    typer.echo(_tabulate(rows, headers=[_("setting"), _("value"), _("source")], tablefmt="simple",
                         disable_numparse=True))


class Split(str, Enum):
    all = "all"
    tune = "tune"
    test = "test"


@app.command("eval", help=_("Compare verdicts with hand labels: per-rule TP/FP/FN/TN, precision, recall, F1 and the "
                             "micro average; every disagreement with its evidence, false `met` (a hidden gap) first. "
                             "Exit 1 on any disagreement."))
def eval_(ctx: typer.Context, labels: Path = typer.Argument(..., metavar="LABELS.tsv", readable=False,
                                        help=_("Hand labels: file, rule, expected (`met`, `not-met` or `?`), note; "
                                               "tab-separated, # comments.")),
          docs: list[Path] = typer.Argument(..., metavar="DOCS_DIR", readable=False,
                                            help=_("Where the labelled files are; a further .tsv file here is more "
                                                   "labels of the same files.")),
          split: Split = typer.Option(Split.all, "--split",
                                      help=_("Which labelled reports: all, tune (the part rules are tuned on) or test "
                                             "(every third report by its number, 003, 006, …: only measured).")),
          summary: bool = typer.Option(False, "--summary", help=_("Only the figures, not the disagreements.")),
          rules_dir: Optional[Path] = RulesOption, profile: str = ProfileOption,
          jobs: int = typer.Option(0, "--jobs", "-j", metavar="N", min=0, help=_("Worker processes (0: one per core).")),
          model: Optional[Path] = ModelOption) -> None:
    from .batch import audit_batch, default_jobs
    from .evaluate import evaluate
    from .read import find_reports
    chosen = _settings(ctx, rules_dir=rules_dir, profile=profile, jobs=jobs, model=model)
    rows, docs = _labelled(labels, docs, split.value)
    pipeline = or_exit(chosen.options.build)
    files, _skipped, path_errors = find_reports(docs)
    wanted = {label.file for label in rows}
    files = [f for f in files if f.name in wanted]
    verdicts = {}
    for report in audit_batch(files, pipeline, chosen.jobs or default_jobs()):
        for e in report.errors:
            say(e.format())
        verdicts.update({(Path(report.path).name, f.rule.id): f for f in report.findings})
    for e in path_errors:
        say(e.format())
    ev = evaluate(rows, verdicts)
    _echo_figures(ev)
    if not summary:
        _echo_disagreements(ev)
    for label in ev.missing:
        say(_("{path}:{line}: {file} {rule} was not audited (file not found or unknown rule)").format(
            path=labels, line=label.line, file=label.file, rule=label.rule))
    if ev.missing or path_errors:
        raise typer.Exit(EXIT_ERROR)
    raise typer.Exit(EXIT_GAPS if ev.disagreements else EXIT_OK)


def _labelled(labels: Path, docs: list[Path], split: str):
    """The labels of the split (from LABELS.tsv and any .tsv among DOCS) and the folders of the labelled files."""
    from .evaluate import in_split, read_labels
    more = [p for p in docs if p.suffix.lower() == ".tsv"]
    folders = [p for p in docs if p.suffix.lower() != ".tsv"]
    if not folders:
        raise fail(_("name the folder of the labelled files after the labels"))
    rows = [label for path in [labels, *more] for label in or_exit(read_labels, path) if in_split(label.file, split)]
    return rows, folders


def _echo_figures(ev) -> None:
    """Per rule and micro-averaged: TP/FP/FN/TN, precision, recall, F1; then what was not scored."""
    from .evaluate import scores
    table = []
    for name, c in [*sorted(ev.per_rule.items()), (_("micro average"), ev.total)]:
        p, r, f1 = scores(c)
        table.append([name, c["TP"], c["FP"], c["FN"], c["TN"], f"{p:.3f}", f"{r:.3f}", f"{f1:.3f}"])
    typer.echo(_tabulate(table, headers=[_("rule"), "TP", "FP", "FN", "TN", _("precision"), _("recall"), "F1"],
                         tablefmt="simple", disable_numparse=True))
    typer.echo("\n" + _("{n} labels scored, {unscored} marked ? and {na} on rules that do not bind the report (its "
                        "level or year) not scored").format(n=sum(ev.total.values()), unscored=ev.unscored,
                                                            na=ev.not_applicable))


def _echo_disagreements(ev) -> None:
    """Every disagreement with its evidence, false `met` (a gap hidden from a supervisor) first."""
    for title, cell in ((_("FALSE MET — the auditor says met, the label says not: a gap hidden from a supervisor"), "FP"),
                        (_("MISSED — labelled met, the auditor did not find it"), "FN")):
        wrong = [(label, f) for c, label, f in ev.disagreements if c == cell]
        if wrong:
            typer.echo(f"\n{title} ({len(wrong)}):")
        for label, f in wrong:
            ev_text = f"{f.evidence[0].where} {f.evidence[0].quote}" if f.evidence else (f.why or "")
            typer.echo(f"  {label.file} {label.rule}: {f.status.label} — {ev_text}  " + _(
                "[label line {line}: {note}]").format(line=label.line, note=label.note))


@app.command(help=_("Find reports copied from one another (or last year's handed in again): three or more sharing "
                    "one template form a group, the rest are listed in pairs; the passages they share are quoted "
                    "with their line numbers. Exit 1 when any is found, 2 when a file cannot be read."))
def similar(paths: list[Path] = typer.Argument(..., metavar="PATH", readable=False,
                                               help=_("Report files or folders (searched recursively).")),
            threshold: float = typer.Option(0.5, "--threshold", metavar="SHARE", min=0.05, max=1.0,
                                            help=_("Report two reports when this share of the (shorter) one's "
                                                   "sentences is also in the other.")),
            show: int = typer.Option(3, "--show", metavar="N", min=0,
                                     help=_("Shared passages quoted per finding (table and JSON).")),
            jobs: int = typer.Option(0, "--jobs", "-j", metavar="N", min=0, help=_("Worker processes (0: one per core).")),
            as_json: bool = typer.Option(False, "--json", help=_("Print JSON instead of a table."))) -> None:
    from .batch import default_jobs
    from .read import find_reports
    from .run import progress
    from .similar import find_copies, load_texts
    files, _skipped, path_errors = find_reports(paths)
    for e in path_errors:
        say(e.format())
    texts, unreadable = [], []
    for item in progress(load_texts(files, jobs or default_jobs()), len(files)):
        (unreadable if isinstance(item, AuditorError) else texts).append(item)
    for e in unreadable:
        say(e.format())
    clusters, pairs = find_copies(texts, threshold, show)
    if as_json:
        _echo_copies_json(clusters, pairs, threshold, len(texts))
    else:
        _echo_copies(clusters, pairs, threshold, len(texts))
    if unreadable or path_errors:
        raise typer.Exit(EXIT_ERROR)
    raise typer.Exit(EXIT_GAPS if clusters or pairs else EXIT_OK)


def _echo_copies_json(clusters, pairs, threshold: float, n: int) -> None:
    """The groups and pairs as JSON: names and quotes shown as every output shows them (valid UTF-8)."""
    import json
    typer.echo(json.dumps(shown.tree({"threshold": threshold, "reports": n, "clusters": [
        {"representative": shown.name(c.representative), "size": len(c.members) + 1, "min_share": c.members[-1][1],
         "members": [{"path": shown.name(p), "share": s} for p, s in c.members],
         "passages": [{"line": line, "quote": q, "repeated_by": k} for line, q, k in c.passages]}
        for c in clusters], "pairs": [
        {"a": shown.name(p.a), "b": shown.name(p.b), "share": p.share,
         "passages": [{"line_a": la, "line_b": lb, "quote_a": qa, "quote_b": qb} for la, lb, qa, qb in p.passages]}
        for p in pairs]}), ensure_ascii=False, indent=2))


def _echo_copies(clusters, pairs, threshold: float, n: int) -> None:
    """The groups, then the pairs, each with the passages they share; then the count."""
    echo = lambda line: typer.echo(shown.text(line))   # noqa: E731 - no escape sequence reaches the terminal
    for rank, c in enumerate(clusters, 1):
        least = round(c.members[-1][1] * 1000) // 10   # whole percent, never rounded up: 89.5 % is not "至少 90%"
        echo(_("{rank}. {n} similar reports: at least {share} of each one's sentences are in the representative "
               "report").format(rank=rank, n=len(c.members) + 1, share=f"{least}%"))
        echo("   " + _("representative report: {path}").format(path=shown.name(c.representative)))
        echo("   " + _("members (share of their sentences found in the representative report):"))
        for path, share in c.members:
            echo(f"     {share:4.0%}  {shown.name(path)}")
        if c.passages:
            echo("   " + _("shared passages (line in the representative report: text [members with it]):"))
        for line, quote, k in c.passages:
            echo(f"     {line}: {quote[:60]}〔{k}/{len(c.members)}〕")
    for rank, p in enumerate(pairs, len(clusters) + 1):
        echo(_("{rank}. 2 similar reports: {share} of the shorter one's sentences are in the other").format(
            rank=rank, share=f"{p.share:.0%}"))
        echo(f"   {shown.name(p.a)}  ⟷  {shown.name(p.b)}")
        for la, lb, qa, qb in p.passages:
            echo(f"     {la}: {qa[:60]}")
            echo(f"     {lb}: {qb[:60]}")
    typer.echo(_("{n} reports; sharing {threshold} of their sentences: {groups} group(s) ({members} reports), "
                 "{pairs} pair(s)").format(n=n, threshold=f"{threshold:.0%}", groups=len(clusters),
                                           members=sum(len(c.members) + 1 for c in clusters), pairs=len(pairs)))


def _load_rules(directory: Optional[Path]):
    from .ruleset import load_rules
    return or_exit(load_rules, directory)


def _load_profiles(rules, directory: Optional[Path]):
    from .ruleset import load_profiles
    return or_exit(load_profiles, rules, directory)


@rules_app.command("list", help=_("Print every rule: id, kind, severity, title and legal basis."))
def rules_list(ctx: typer.Context, rules_dir: Optional[Path] = RulesOption,
               markdown: bool = typer.Option(False, "--markdown",
                                             help=_("A Markdown table (the README's rule index)."))) -> None:
    from .render import rule_docs
    rules = _load_rules(_path(_settings(ctx, rules_dir=rules_dir).rules))
    if markdown:
        typer.echo(rule_docs.markdown(rules))
        return
    from . import labels
    rows = [[r.id, labels.kind(r.kind), labels.severity(r.severity), r.title, "；".join(r.legal_basis)] for r in rules]
    typer.echo(_fitted(["id", _("kind"), _("severity"), _("title"), _("legal basis")], rows, flexible=(3, 4),
                       below=4))


@rules_app.command("show", help=_("Print one rule's documentation: what it checks, why, which wordings count, where "
                                  "it applies, the fix."))
def rules_show(ctx: typer.Context, rule_id: str = typer.Argument(..., metavar="ID"), rules_dir: Optional[Path] = RulesOption) -> None:
    from .render import rule_docs
    rules_dir = _path(_settings(ctx, rules_dir=rules_dir).rules)
    rules = _load_rules(rules_dir)
    rule = next((r for r in rules if r.id == rule_id), None)
    if rule is None:
        import difflib
        close = difflib.get_close_matches(rule_id, [r.id for r in rules], n=3)
        raise fail(_("no rule '{id}'; did you mean {close}?").format(id=rule_id, close=", ".join(close)) if close
                   else _("no rule '{id}'; see `auditor rules list`").format(id=rule_id))
    profiles = _load_profiles(rules, rules_dir)
    typer.echo(rule_docs.page(rule, profiles))


@rules_app.command("profiles", help=_("Print the profiles: which levels pick them, which rule groups they check, what "
                                      "they override."))
def rules_profiles(ctx: typer.Context, rules_dir: Optional[Path] = RulesOption) -> None:
    rules_dir = _path(_settings(ctx, rules_dir=rules_dir).rules)
    rules = _load_rules(rules_dir)
    profiles = _load_profiles(rules, rules_dir)
    short = {r.id: r.short or r.title for r in rules}   # people read the rule's name; its id is in `rules list`
    from . import labels
    rows = [[p.id, p.title, _(", ").join(map(labels.level, p.levels)) or _("(--profile only)"),
             _(", ").join(map(labels.group, p.groups)),
             _("; ").join(f"{short.get(rid, rid)}（{labels.override(fields)}）" for rid, fields in p.overrides.items())]
            for p in profiles.values()]
    typer.echo(_fitted(["id", _("title"), _("picked for"), _("groups"), _("overrides")], rows,
                       flexible=(1, 2, 3, 4), below=4))


@rules_app.command("check", help=_("Validate every rule file and run every rule's met / not-met examples."))
def rules_check(ctx: typer.Context, directory: Optional[Path] = typer.Argument(None, metavar="[DIR]",
                                                           help=_("Folder of rule files (default: the bundled "
                                                                  "rules/).")),
                model: Optional[Path] = ModelOption) -> None:
    from .audit import check_examples
    chosen = _settings(ctx, model=model)
    directory = directory or _path(chosen.rules)   # the folder named here, else the settings' rules
    rules = _load_rules(directory)
    _load_profiles(rules, directory)   # profiles are checked against the rules too
    from .segment import get_segmenter
    count, errors = check_examples(rules, or_exit(get_segmenter, "pkuseg", chosen.model))
    for e in errors:
        say(e.format())
    if errors:
        say(_("{n} of {count} examples do not behave as declared").format(n=len(errors), count=count))
        raise typer.Exit(EXIT_ERROR)
    typer.echo(_("{n} rules valid; all {count} examples behave as declared").format(n=len(rules), count=count))


@app.command(help=_("Print what is installed (versions, the model folder and its files) and check that every piece "
                    "loads with the network blocked. Exit 0 when all do, 2 otherwise."))
def doctor(ctx: typer.Context, model: Optional[Path] = ModelOption, rules_dir: Optional[Path] = RulesOption) -> None:
    from . import doctor as doc
    chosen = _settings(ctx, model=model, rules_dir=rules_dir)
    checks, facts = doc.run(_path(chosen.model), _path(chosen.rules))
    from .render.table import terminal_width, wrap
    width = terminal_width({})
    for fact in facts:   # a fact's own indent (the model's files) kept; what wraps goes two further in
        lead = fact[:len(fact) - len(fact.lstrip())]
        typer.echo("\n".join(lead + line for line in wrap(fact.lstrip(), width - len(lead), "  ")))
    typer.echo()
    typer.echo(_fitted([_("offline check"), "", _("detail")],
                       [[c.piece, _("ok") if c.ok else _("FAILED"), c.detail] for c in checks], flexible=(2,)))
    if not all(c.ok for c in checks):
        raise typer.Exit(EXIT_ERROR)


user_app = typer.Typer(no_args_is_help=True, rich_markup_mode=None,
                       help=_("Accounts of the review workbench (needed to serve beyond this computer)."))
app.add_typer(user_app, name="user")


def web_data(value: Optional[Path]) -> Path:
    """The workbench's data folder: the one named, else the user's data folder for the auditor."""
    import platformdirs
    return value or Path(platformdirs.user_data_dir("auditor"))


RoleOption = typer.Option(None, "--role", metavar="ROLE",
                          help=_("admin (administrator: manages accounts, deletes batches, reads the activity log) or "
                                 "reviewer (uploads, reviews, writes letters, audits again); a new account is admin "
                                 "when it is the first, else reviewer; an existing one keeps its role."))
DataOption = typer.Option(None, "--data", metavar="DIR", readable=False,
                          help=_("The workbench's data folder (as for `auditor serve`)."))


@user_app.command("add", help=_("Create an account of the review workbench, or give an existing one a new "
                                "password (asked twice, not shown)."))
def user_add(name: str = typer.Argument(..., metavar="NAME", help=_("The user name people log in with.")),
             data: Optional[Path] = DataOption,
             password_stdin: bool = typer.Option(False, "--password-stdin",
                                                 help=_("Read the password from the first line of stdin (for "
                                                        "scripts).")),
             role: Optional[str] = RoleOption) -> None:
    import getpass

    from .web import security
    from .web.store import Store
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    elif not sys.stdin.isatty():
        raise fail(_("no terminal to ask for the password on; pipe it with --password-stdin"))
    else:
        password = getpass.getpass(_("Password: "))
        if getpass.getpass(_("Password again: ")) != password:
            raise fail(_("the two passwords differ; nothing was changed"))
    folder = web_data(data)
    try:
        created = security.add_user(Store(folder), name, password, role)
    except ValueError as exc:
        raise fail(str(exc)) from None
    typer.echo((_("account {name} created in {folder}") if created else
                _("account {name} in {folder} has a new password")).format(name=name, folder=folder))
    if role and not created:
        typer.echo(_("role of {name}: {role}").format(name=name, role=security.role_label(role)))


@user_app.command("remove", help=_("Remove an account of the review workbench and end its sessions (the last "
                                   "administrator stays)."))
def user_remove(name: str = typer.Argument(..., metavar="NAME", help=_("The user name of the account.")),
                data: Optional[Path] = DataOption) -> None:
    from .web import security
    from .web.store import Store
    folder = web_data(data)
    try:
        security.remove_user(Store(folder), name)
    except ValueError as exc:
        raise fail(str(exc)) from None
    typer.echo(_("account {name} removed from {folder}").format(name=name, folder=folder))


@user_app.command("list", help=_("List the accounts of the review workbench with their roles."))
def user_list(data: Optional[Path] = DataOption) -> None:
    from .web import security
    from .web.store import Store
    accounts = security.users(Store(web_data(data)))
    if not accounts:
        typer.echo(_("no account yet; create one with `auditor user add NAME`"))
        return
    typer.echo(_fitted([_("User name"), _("Role"), _("Created")],
                       [[u.name, security.role_label(u.role), u.created_at.strftime("%Y-%m-%d %H:%M")]
                        for u in accounts], flexible=(0,)))


@app.command(help=_("Start the review workbench in the browser (batches, matrix, reviews, letters); 127.0.0.1 "
                    "needs no login, any other address needs accounts."))
def serve(ctx: typer.Context,
          host: str = typer.Option("127.0.0.1", "--host", metavar="HOST", help=_("Address to listen on.")),
          port: int = typer.Option(8000, "--port", min=1, max=65535, metavar="PORT", help=_("Port to listen on.")),
          data: Optional[Path] = typer.Option(None, "--data", metavar="DIR", readable=False,
                                              help=_("The workbench's data folder (database and uploaded files).")),
          certfile: Optional[Path] = typer.Option(None, "--certfile", metavar="FILE", help=_("TLS certificate (PEM).")),
          keyfile: Optional[Path] = typer.Option(None, "--keyfile", metavar="FILE", help=_("TLS private key (PEM).")),
          max_upload_mb: Optional[int] = typer.Option(None, "--max-upload-mb", min=1, metavar="N",
                                                      help=_("Largest upload in MB (default 1000).")),
          max_files: Optional[int] = typer.Option(None, "--max-files", min=1, metavar="N",
                                                  help=_("Most files in one upload (default 500).")),
          forwarded_allow_ips: Optional[str] = typer.Option(
              None, "--forwarded-allow-ips", metavar="ADDRESSES",
              help=_("The reverse proxy (comma-separated addresses) whose X-Forwarded-For and X-Forwarded-Proto "
                     "headers are believed; by default none, not even this computer's."))) -> None:
    from .web.serve import serve as run_server
    found = _settings(ctx)   # rules, model and the office that signs letters, as `audit` reads them
    raise typer.Exit(run_server(web_data(data), host, port, certfile, keyfile, max_upload_mb, max_files,
                                options=found.options, office=found.office, forwarded_allow_ips=forwarded_allow_ips))


@app.command(help=_("Write a consistent copy of the workbench's data folder (database and stored files) to DEST."))
def backup(dest: Path = typer.Argument(..., metavar="DEST", readable=False),
           data: Optional[Path] = typer.Option(None, "--data", metavar="DIR", readable=False,
                                               help=_("The workbench's data folder (as for `auditor serve`)."))) -> None:
    from .web.serve import backup as run_backup
    raise typer.Exit(run_backup(web_data(data), dest))


def _interrupted(signum, _frame):
    raise KeyboardInterrupt   # SIGTERM ends a run as Ctrl+C does: workers stopped, no temporary file left


def main() -> None:
    """Console-script entry point."""
    import signal

    from typer._click.exceptions import ClickException, UsageError
    from typer.exceptions import Abort
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure") and (stream.encoding or "").lower() not in ("utf-8", "utf8"):
            stream.reconfigure(encoding="utf-8", errors="replace")
    signal.signal(signal.SIGTERM, _interrupted)
    command = usage.localized(typer.main.get_command(app))
    try:
        code = command.main(prog_name="auditor", standalone_mode=False)
    except UsageError as e:
        usage.show(e)
        code = e.exit_code
    except ClickException as e:
        say(_("Error: {message}").format(message=e.format_message()))
        code = e.exit_code
    except Stop as stop:
        code = stop.code
    except Abort:
        say(_("Aborted!"))
        code = 1
    except BrokenPipeError:   # the reader went away (… | head): stop quietly, as other command-line tools do
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = EXIT_OK
    sys.exit(code if isinstance(code, int) else EXIT_OK)
