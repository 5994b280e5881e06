"""Scores a supervisor can rank by: a report's findings under a scoring scheme (rules/scoring/<id>.yaml) →
得分 of 满分, each finding's points, and the ranking of a batch.

Pure: nothing here reads a file. The scheme says what each rule is worth and what share each status keeps;
not-applicable and waived rules leave the total (a waiver is the supervisor's own decision that the gap does
not count against this report), and a document of another kind (wrong-document-type) gets no rating at all.
"""
from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from .i18n import _
from .model import Finding, Rating, Report, Status
from .rule_schema import Profile, Rule, Scheme

OUT_OF_TOTAL = (Status.NOT_APPLICABLE, Status.WAIVED)   # taken out of 满分
_EPSILON = 1e-9


@dataclass
class Schemes:
    """The schemes of a rules folder and the one used when a profile names none (or no profile applies)."""
    schemes: dict[str, Scheme] = field(default_factory=dict)
    default: str | None = None

    def for_profile(self, profile: Profile | None) -> Scheme | None:
        return self.schemes.get(profile.scoring if profile and profile.scoring else self.default)


def weights(scheme: Scheme, rules: Iterable[Rule]) -> tuple[dict[str, float], list[tuple[tuple, str]]]:
    """Each rule's full points under the scheme (a named rule: its points; the others: their group's points
    left after the named ones, shared evenly), and the problems that make the scheme unusable with these
    rules, each as (where in the scheme file, why)."""
    ids: dict[str, list[str]] = {}
    for rule in rules:
        ids.setdefault(rule.group, []).append(rule.id)
    known = {rid for group in ids.values() for rid in group}
    points, problems = _named_points(scheme, known)
    for group, members in ids.items():
        shared, group_problems = _group_points(scheme, group, members)
        points.update(shared)
        problems += group_problems
    for group in scheme.groups:
        if group not in ids:
            problems.append((("groups", group), _("no rule is in the group '{group}'").format(group=group)))
    return points, problems


def _named_points(scheme: Scheme, known: set[str]) -> tuple[dict[str, float], list[tuple[tuple, str]]]:
    """The points of the rules the scheme names, and a problem for each name that is no rule."""
    points: dict[str, float] = {}
    problems: list[tuple[tuple, str]] = []
    for rid, value in scheme.rules.items():
        if rid in known:
            points[rid] = value
            continue
        close = difflib.get_close_matches(rid, sorted(known), n=1)
        problems.append((("rules", rid), _("no rule '{rule}'{hint}").format(
            rule=rid, hint=_(" (did you mean '{key}'?)").format(key=close[0]) if close else "")))
    return points, problems


def _group_points(scheme: Scheme, group: str, members: list[str]) -> tuple[dict[str, float], list[tuple[tuple, str]]]:
    """The group's points left after its named rules, shared evenly by the rest, and what does not add up."""
    unnamed = [rid for rid in members if rid not in scheme.rules]
    if group not in scheme.groups:
        if not unnamed:
            return {}, []
        return {}, [(("groups",), _("rules {rules} have no points: give the group '{group}' points "
                                    "under groups, or name them under rules").format(
                                        rules=", ".join(unnamed), group=group))]
    total = scheme.groups[group]
    left = total - sum(scheme.rules[rid] for rid in members if rid in scheme.rules)
    problems: list[tuple[tuple, str]] = []
    if left < -_EPSILON:
        problems.append((("groups", group), _("the rules named under rules take {taken:g} points, more than "
                                              "the group's {total:g}").format(taken=total - left, total=total)))
    elif unnamed and left <= _EPSILON < total:   # a group of 0 points is simply not scored
        problems.append((("groups", group), _("rules {rules} get no points: the rules named under rules take "
                                              "all of the group's {total:g}").format(
                                                  rules=", ".join(unnamed), total=total)))
    elif not unnamed and left > _EPSILON:
        problems.append((("groups", group), _("{left:g} of the group's {total:g} points go to no rule: every "
                                              "rule of the group is named under rules").format(
                                                  left=left, total=total)))
    return {rid: max(left, 0.0) / len(unnamed) for rid in unnamed}, problems


def _rounded(value: float, step: float) -> float:
    """Half up to a multiple of `step` (0.5: 87.25 → 87.5), without binary-float leftovers."""
    step_d = Decimal(str(step))
    units = (Decimal(repr(value)) / step_d).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return float(units * step_d)


def score(findings: list[Finding], scheme: Scheme) -> tuple[Rating | None, list[float | None]]:
    """The rating of these findings under the scheme, and the points each finding keeps (None: out of the
    total). No rating for a document of another kind, or when nothing counts."""
    if not findings or any(f.status is Status.WRONG_TYPE for f in findings):
        return None, [None] * len(findings)
    full, _problems = weights(scheme, (f.rule for f in findings))
    kept: list[float | None] = []
    points = total = 0.0
    for f in findings:
        if f.status in OUT_OF_TOTAL:
            kept.append(None)
            continue
        worth = full.get(f.rule.id, 0.0)
        keeps = worth * getattr(scheme.keeps, f.status.value)
        kept.append(round(keeps, 4))
        points += keeps
        total += worth
    if total <= _EPSILON:
        return None, [None] * len(findings)
    return Rating(_rounded(points, scheme.rounding), _rounded(total, scheme.rounding), scheme.id), kept


def rate(report: Report, by=None) -> Report:
    """Set the report's rating and each finding's points, and return it. `by`: a Scheme; or a Pipeline or
    Checklist (anything with `scheme_for(profile id)`), whose scheme for the report's profile is used; or
    None for the scheme the report was rated with before (`report.scheme`). verdicts.settle calls it once
    the statuses are settled; a report not audited (errors) or of another kind gets None."""
    checklist = getattr(by, "checklist", by)
    scheme = checklist.scheme_for(report.profile) if hasattr(checklist, "scheme_for") else (by or report.scheme)
    report.scheme = scheme
    unrated = (None, [None] * len(report.findings))
    rating, kept = score(report.findings, scheme) if scheme and not report.errors else unrated
    report.rating = rating
    for f, points in zip(report.findings, kept):
        f.points = points
    return report


def ranking(reports: Iterable[Report]) -> list[tuple[int, Report]]:
    """The rated reports, best first by 得分/满分 (ties: by file name), each with its rank; equal shares
    share a rank (1, 2, 2, 4). Reports without a rating are left out."""
    rated = sorted((r for r in reports if r.rating), key=lambda r: (-round(r.rating.share, 9), r.path))
    out: list[tuple[int, Report]] = []
    for i, report in enumerate(rated):
        same = out and round(out[-1][1].rating.share, 9) == round(report.rating.share, 9)
        out.append((out[-1][0] if same else i + 1, report))
    return out
