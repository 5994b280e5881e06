"""One options object that builds the pipeline, for every caller: the CLI, the batch and Dask workers,
`doctor` and the tests. Plain values only, so it pickles to a remote worker, which builds its own pipeline
once per process.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from . import render


@dataclass(frozen=True)
class Options:
    rules_dir: str | None = None   # None: the bundled rules/
    profile: str = "auto"          # auto | none | a profile id
    model: str | None = None       # spaCy pipeline folder; None: $AUDITOR_MODEL, else the bundled one
    segmenter: str = "pkuseg"      # pkuseg | char

    @property
    def rules_path(self) -> Path | None:
        return Path(self.rules_dir) if self.rules_dir else None

    def build(self):
        """Rules, profiles and the segmenter loaded, the finder compiled. Raises RuleErrors (rules,
        profiles) or AuditorError (unknown profile E301, model E401)."""
        from .audit import Pipeline
        from .checklist import Checklist
        from .ruleset import choose_profile, load_ruleset
        from .segment import get_segmenter
        rules, profiles = load_ruleset(self.rules_path)
        fixed, choices = choose_profile(profiles, self.profile)
        return Pipeline(rules, get_segmenter(self.segmenter, self.model), Checklist(rules, fixed, choices))


@lru_cache(maxsize=4)
def pipeline(options: Options):
    """The pipeline for these options, built once per process (a worker audits many files)."""
    return options.build()


# ---- where each setting comes from: flags > environment > the settings file (config.py) > defaults ----

# the output formats are listed once, in the renderers' registry (render/__init__.py)
FORMATS = tuple(render.FORMATS)
FOLDER_FORMATS = render.FOLDER_FORMATS   # one document per report, written into --output DIR
FAIL_ON = ("error", "warning", "info", "never")
LANGS = ("zh", "en")

# key of the settings file (and flag name) → (kind, choices, default)
KEYS: dict[str, tuple[str, tuple[str, ...] | None, object]] = {
    "profile": ("text", None, "auto"),
    "fail-on": ("choice", FAIL_ON, "error"),
    "waivers": ("path", None, None),
    "baseline": ("path", None, None),
    "lang": ("choice", LANGS, "zh"),
    "format": ("choice", FORMATS, "table"),
    "scoring": ("text", None, None),
    "jobs": ("count", None, 0),
    "rules": ("path", None, None),
    "model": ("path", None, None),
    "office": ("text", None, None),   # the reviewing office that signs letters (None: a blank to fill in)
}
ENVIRONMENT = {"lang": "AUDITOR_LANG", "model": "AUDITOR_MODEL"}

DEFAULT, FILE, COMMAND_LINE, ENV = "default", "file", "command line", "environment"


@dataclass(frozen=True)
class Source:
    """Where a setting's value came from: a kind above, and for a file its path and line."""
    kind: str = DEFAULT
    path: str | None = None
    line: int | None = None

    def text(self) -> str:
        from .i18n import _
        if self.kind == FILE:
            return f"{self.path}:{self.line}" if self.line else str(self.path)
        if self.kind == ENV:
            return _("environment variable {name}").format(name=self.path)
        return _("command line") if self.kind == COMMAND_LINE else _("default")


def resolve(given: dict[str, object], file_values: dict[str, object], file_path: str | None,
            file_lines: dict[str, int], environ: dict[str, str]) -> dict[str, tuple[object, Source]]:
    """key → (value, source) for every key: a flag given on the command line, else the environment, else the
    settings file, else the default. `given` holds only the flags the user typed."""
    out = {}
    for key, (_kind, _choices, default) in KEYS.items():
        var = ENVIRONMENT.get(key)
        if key in given:
            out[key] = given[key], Source(COMMAND_LINE)
        elif var and environ.get(var) and (key != "lang" or environ[var] in LANGS):
            out[key] = environ[var], Source(ENV, var)
        elif key in file_values:
            out[key] = file_values[key], Source(FILE, file_path, file_lines.get(key))
        else:
            out[key] = default, Source()
    return out


@dataclass(frozen=True)
class Settings:
    """Everything one `audit` run needs, resolved; `options` is the picklable part the workers rebuild from."""
    profile: str = "auto"
    fail_on: str = "error"
    waivers: str | None = None
    baseline: str | None = None
    lang: str = "zh"
    format: str = "table"
    scoring: str | None = None
    jobs: int = 0
    rules: str | None = None
    model: str | None = None
    office: str | None = None
    segmenter: str = "pkuseg"
    table_format: str = "psql"   # one line per rule: no rule between rows
    output: str | None = None
    exit_zero: bool = False
    engine: str = "local"
    scheduler: str | None = None
    detail: bool = False
    width: int = 80
    roster: str | None = None      # the bodies expected to report (a file); who has not is said at the end
    deadline: str | None = None    # yyyy-mm-dd: a report signed later is late

    @classmethod
    def of(cls, resolved: dict[str, tuple[object, Source]], **extra) -> "Settings":
        return cls(**{key.replace("-", "_"): value for key, (value, _source) in resolved.items()}, **extra)

    @property
    def options(self) -> Options:
        return Options(self.rules, self.profile, self.model, self.segmenter)


def width() -> int:
    """Columns for a renderer: $COLUMNS when set, else the terminal's, else 80."""
    import shutil
    return shutil.get_terminal_size((80, 24)).columns
