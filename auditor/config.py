"""The settings file an office keeps with its reports: `.auditor.toml`, or `[tool.auditor]` in a pyproject.toml,
found by walking up from the current folder as Vale finds `.vale.ini`. The first folder that has one wins, and
one file serves the whole run, whatever paths are audited. Values are checked here against the same choices
as the flags, and paths are made relative to the file; settings.resolve() lets flags override them.

    # .auditor.toml
    profile = "auto"
    fail-on = "warning"
    waivers = "waivers.yaml"
    lang = "zh"
"""
from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .errors import AuditorError
from .i18n import _
from .settings import KEYS

NAMES = (".auditor.toml", "pyproject.toml")
SECTION = ("tool", "auditor")
MAX_BYTES = 1 << 20   # a settings file is a few lines; a huge one is a mistake, not settings


@dataclass
class Config:
    """The settings file of this run: its path (None: no file), its values by key and the line of each."""
    path: Path | None = None
    values: dict[str, object] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)


def find(start: Path | None = None) -> tuple[Path, bool] | None:
    """The settings file for a run started in `start`: (path, is_pyproject), walking up to the root.
    A pyproject.toml counts only when it has a [tool.auditor] table."""
    try:
        here = (start or Path.cwd()).resolve()
    except OSError:   # the current folder was removed under us: no settings to find
        return None
    for folder in (here, *here.parents):
        own = folder / NAMES[0]
        if own.is_file():
            return own, False
        project = folder / NAMES[1]
        if project.is_file() and _has_section(project):
            return project, True
    return None


def load(start: Path | None = None) -> Config:
    """The settings found from `start`, checked. Raises AuditorError (one line with the file and the line:
    E203 an unknown key with a did-you-mean, E204 a value that is not one of the choices or not TOML)."""
    found = find(start)
    if found is None:
        return Config()
    path, is_project = found
    text = _read(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = int(m.group(1)) if (m := re.search(r"line (\d+)", str(exc))) else None
        raise AuditorError("E204", path, line, field="TOML", reason=str(exc)) from None
    if is_project:
        for key in SECTION:
            data = data.get(key, {})
    lines = _key_lines(text, ".".join(SECTION) if is_project else None)
    config = Config(path)
    for key, value in data.items():
        name = key.replace("_", "-")
        line = lines.get(key)
        if name not in KEYS:
            close = difflib.get_close_matches(name, list(KEYS), n=1)
            hint = _(" (did you mean '{key}'?)").format(key=close[0]) if close else \
                _("; the keys are: {keys}").format(keys=", ".join(KEYS))
            raise AuditorError("E203", path, line, key=key, hint=hint)
        config.values[name] = _check(name, value, path, line)
        config.lines[name] = line
    return config


def language(start: Path | None = None) -> str | None:
    """The file's `lang`, read before the command line is built (its help is in that language); a broken
    file is said later, by the command that reads the settings."""
    try:
        return load(start).values.get("lang")   # type: ignore[return-value]
    except (AuditorError, OSError):
        return None


def _check(key: str, value: object, path: Path, line: int | None):
    kind, choices, _default = KEYS[key]

    def bad(reason: str):
        return AuditorError("E204", path, line, field=key, reason=reason)

    if kind == "count":
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise bad(_("a whole number, 0 or more, expected; found {value!r}").format(value=value))
        return value
    if not isinstance(value, str) or not value.strip():
        raise bad(_("a text value expected; found {value!r}").format(value=value))
    if kind == "choice" and value not in choices:
        close = difflib.get_close_matches(value, choices, n=1)
        raise bad(_("'{value}' is not one of: {choices}").format(value=value, choices=", ".join(choices))
                  + (_(" (did you mean '{key}'?)").format(key=close[0]) if close else ""))
    if kind == "path":
        return str((path.parent / Path(value).expanduser()).resolve())
    return value


def _read(path: Path) -> str:
    """The file's text, read as every settings file is (regular files only, at most 1 MB, UTF-8 or a marked
    UTF-16/32); E101, E102, E111, E115 or E116 otherwise."""
    from .read import decode_settings, read_limited
    return decode_settings(read_limited(path, MAX_BYTES), path)


def _has_section(path: Path) -> bool:
    try:
        text = _read(path)
    except AuditorError as exc:
        return exc.code == "E111"   # too large: said by load; unreadable: not this office's settings
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:   # broken: ours when it names the table (and then said by load)
        return bool(re.search(r"^\s*\[\s*tool\s*\.\s*auditor\s*\]", text, re.M))
    return isinstance(data.get("tool"), dict) and "auditor" in data["tool"]


_HEADER = re.compile(r"^\s*\[\s*([^\]]+?)\s*\]")
_KEY = re.compile(r"""^\s*(?:"([^"]+)"|'([^']+)'|([A-Za-z0-9_-]+))\s*=""")


def _key_lines(text: str, table: str | None) -> dict[str, int]:
    """key → its line in the settings table (top level, or [tool.auditor]); tomllib keeps no places."""
    lines, current = {}, None
    for number, line in enumerate(text.splitlines(), 1):
        if header := _HEADER.match(line):
            current = re.sub(r"\s+", "", header.group(1)).replace('"', "")
            continue
        if current == table and (key := _KEY.match(line)):
            lines.setdefault(next(g for g in key.groups() if g), number)
    return lines
