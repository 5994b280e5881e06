"""Which rules bind a report, and how strictly: the profile (named, or picked by the report's level), its
overrides of rule fields, the groups it checks, and each rule's own applicability (years, levels).

Nothing here reads a report; it answers from a level and a year. A batch worker's results re-attach their
rules by id through `rules_for(profile id)`, without compiling anything.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from . import labels
from .explain import say
from .rule_schema import Profile, Rule, Scheme
from .ruleset import override
from .scoring import Schemes


@dataclass
class Binding:
    """The checklist for one report: the profile applied, the rules as it applies them (in rule order), and
    why each rule that does not bind is left out."""
    profile: Profile | None
    rules: list[Rule]
    outside: dict[str, str] = field(default_factory=dict)   # rule id → why it is not applicable

    @property
    def profile_id(self) -> str | None:
        return self.profile.id if self.profile else None


class Checklist:
    def __init__(self, rules: list[Rule], fixed: Profile | None = None, profiles: dict[str, Profile] | None = None,
                 schemes: Schemes | None = None):
        """`fixed`: applied to every report; else `profiles`: each report gets the one for its level.
        `schemes`: the scoring schemes (by default those the loaded profiles carry, ruleset.Profiles)."""
        self.rules = rules
        self.fixed = fixed
        self.profiles = profiles or {}
        self.schemes = schemes if schemes is not None else getattr(profiles, "schemes", None) or Schemes()
        self._applied: dict[str | None, list[Rule]] = {}

    def profile_for(self, level: str | None) -> Profile | None:
        """The fixed profile, else the one whose levels include this level (None: rules as written)."""
        if self.fixed or not level:
            return self.fixed
        base = level.split(":")[0]
        return next((p for p in self.profiles.values() if base in p.levels), None)

    def _profile(self, profile_id: str | None) -> Profile | None:
        if profile_id is None:
            return None
        if self.fixed and self.fixed.id == profile_id:
            return self.fixed
        return self.profiles.get(profile_id)   # a profile removed since the audit: the rules as written

    def applied(self, profile: Profile | None) -> list[Rule]:
        """Every rule as a profile applies it (its overrides in), in rule order; cached per profile."""
        key = profile.id if profile else None
        if key not in self._applied:
            self._applied[key] = [override(r, profile.overrides[r.id]) if profile and r.id in profile.overrides
                                  else r for r in self.rules]
        return self._applied[key]

    def scheme_for(self, profile_id: str | None) -> Scheme | None:
        """The scoring scheme of the named profile (its `scoring`, else the default); None: nothing is rated."""
        return self.schemes.for_profile(self._profile(profile_id))

    def rules_for(self, profile_id: str | None) -> dict[str, Rule]:
        """Rule id → the rule as the named profile applies it (None: as written)."""
        return {r.id: r for r in self.applied(self._profile(profile_id))}

    def bind(self, level: str | None, year: int | None) -> Binding:
        """The checklist for a report of this level and year."""
        profile = self.profile_for(level)
        rules = self.applied(profile)
        outside = {}
        for rule in rules:
            why = _left_out(profile, rule) or rule.outside(year, level)
            if why:
                outside[rule.id] = why
        return Binding(profile, rules, outside)


def _left_out(profile: Profile | None, rule: Rule) -> str | None:
    if profile and rule.group not in profile.groups:
        return say("profile", profile=profile.title, id=profile.id, group=labels.GROUPS[rule.group])
    return None
