"""What the command line's gate is told: waivers (a reason, maybe an expiry) and a baseline (only new gaps
fail), read from their files. verdicts.settle applies them; the exit code still comes from Report.gaps().
"""
from __future__ import annotations

import json
from datetime import date
from fnmatch import fnmatch
from pathlib import Path, PurePath
from typing import Optional

from pydantic import Field, ValidationError

from .errors import AuditorError, RuleErrors
from .model import Report, Status
from .rule_schema import _Strict
from .i18n import _


class Waiver(_Strict):
    path: str = Field(min_length=1)       # a report path or glob, as given on the command line
    rule: str = Field(min_length=1)       # a rule id or glob
    reason: str = Field(min_length=4)     # why the gap is accepted: required
    expires: Optional[date] = None        # after this day the waiver no longer applies


def load_waivers(path: Path) -> list[tuple[Waiver, int]]:
    """The waivers in a YAML file (`waivers: [...]`), each with its line; RuleErrors with E212 on problems."""
    from .ruleset import plain, read_mapping   # here, not at the top: `auditor --help` need not load YAML
    data = read_mapping(path)   # unreadable or invalid YAML: the same one-line errors as a rule file
    items = data.get("waivers")
    if not isinstance(items, list):
        raise RuleErrors([AuditorError("E212", path, 1, reason=_("expected a list under `waivers:`"))])
    waivers, errors = [], []
    for i, item in enumerate(items):
        line = items.lc.item(i)[0] + 1 if hasattr(items, "lc") else None
        try:
            waivers.append((Waiver.model_validate(plain(item)), line))
        except ValidationError as exc:
            err = exc.errors()[0]
            field = ".".join(str(x) for x in err["loc"]) or "waiver"
            errors.append(AuditorError("E212", path, line, reason=f"{field}: {err['msg']}"))
    if errors:
        raise RuleErrors(errors)
    return waivers


class Waivers:
    """The waivers in force today; applied report by report (a batch may stream), stale ones told at the end."""

    def __init__(self, waivers: list[tuple[Waiver, int]], source: Path, today: date | None = None):
        today = today or date.today()
        self.source = source
        self.expired = [(w, line) for w, line in waivers if w.expires and w.expires < today]
        self.active = [(w, line) for w, line in waivers if not (w.expires and w.expires < today)]
        self.used: set[int] = set()

    def apply(self, report: Report) -> None:
        """Mark the report's gaps that a waiver accepts as waived, with its reason."""
        posix = PurePath(report.path).as_posix()
        for f in report.findings:
            k = next((k for k, (w, _line) in enumerate(self.active)
                      if f.status.is_gap and fnmatch(posix, w.path) and fnmatch(f.rule.id, w.rule)), None)
            if k is not None:
                w = self.active[k][0]
                f.note = (_("waived ({status}): {reason}; until {expires}") if w.expires else
                          _("waived ({status}): {reason}")).format(status=f.status.label, reason=w.reason,
                                                                    expires=w.expires)
                f.status = Status.WAIVED
                self.used.add(k)

    def notes(self) -> list[str]:
        """One line per waiver that has expired or matched no gap (stale)."""
        return ([f"{self.source}:{line}: " + _("waiver for {rule} on {path} expired on {expires}; not applied").format(
                    rule=w.rule, path=w.path, expires=w.expires) for w, line in self.expired] +
                [f"{self.source}:{line}: " + _("stale waiver: {rule} on {path} matches no gap").format(
                    rule=w.rule, path=w.path) for k, (w, line) in enumerate(self.active) if k not in self.used])


MAX_BASELINE_MB = 1024   # `-f json` writes about 60 KB a report: some 18,000 reports


def load_baseline(path: Path) -> dict[str, dict[str, Status]]:
    """Report path (as the JSON output shows it) → rule id → status, from an earlier `-f json` output;
    RuleErrors with one line if it cannot be read (E1xx) or is not one (E213)."""
    from .codec import statuses
    from .read import decode_settings, read_limited
    try:
        text = decode_settings(read_limited(path, MAX_BASELINE_MB * 2**20), path)
    except AuditorError as exc:
        raise RuleErrors([exc]) from None
    try:
        doc = json.loads(text)
        return {rep["path"]: statuses(rep) for rep in doc["reports"]}
    except RecursionError:
        reason = _("nested too deeply")
    except (ValueError, KeyError, TypeError) as exc:
        reason = f"{type(exc).__name__}: {exc}"[:200]
    raise RuleErrors([AuditorError("E213", path, reason=_("not a JSON output of `auditor audit -f json` ({reason})").format(
        reason=reason))])


def earlier_of(report: Report, baseline: dict[str, dict[str, Status]]) -> dict[str, Status] | None:
    """The baseline's statuses of this report (keyed by its path as the JSON output shows it); None when the
    baseline does not hold it: every gap is then new."""
    from .shown import name
    return baseline.get(name(report.path))
