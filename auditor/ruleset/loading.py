"""rules/**/*.yaml → validated Rule objects, profiles, scoring schemes and the shared vocabulary. Every problem
in every file is reported before any report is read."""
from __future__ import annotations

import difflib
import os
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ValidationError

from ..errors import AuditorError, RuleErrors
from ..i18n import _
from ..rule_schema import (FALLBACK_VOCABULARY, GROUPS, Concept, Context, Example, Examples, Keeps, MatchSettings, Pattern,
                           PhraseSpec, Profile, Rule, RuleContext, Scheme, Vocabulary, WordClasses, is_class_name)
from ..normalize import normalize_phrase
from ..scoring import Schemes, weights
from .cache import cached, fingerprint
from .yaml_files import key_line, line_of, plain, read_mapping


def default_rules_dir() -> Path:
    """$AUDITOR_RULES, else the repository's rules/ (editable install), else the copy inside the wheel."""
    if os.environ.get("AUDITOR_RULES"):
        return Path(os.environ["AUDITOR_RULES"])
    here = Path(__file__).resolve().parent.parent   # the package folder, auditor/
    repo_rules = here.parent / "rules"
    return repo_rules if repo_rules.is_dir() else here / "rules"


def _model_for(loc: tuple) -> type[BaseModel]:
    if loc[:1] == ("match",):
        return MatchSettings
    if loc[:1] == ("examples",):
        return Example if "Example" in loc else Examples
    if loc[:1] == ("phrases",):
        return PhraseSpec
    if loc[:1] == ("patterns",):
        return Pattern
    if loc[:1] == ("concepts",):
        return Concept
    if loc[:1] == ("context",):
        return RuleContext
    if loc[:1] == ("contexts",):
        return Context
    if loc[:1] == ("keeps",):
        return Keeps
    return Rule


# union-branch names pydantic puts into error locations; not keys of the file
_BRANCHES = {"str", "PhraseSpec", "Term", "Example"}


def _errors_from_validation(exc: ValidationError, data, path: str,
                            model: type[BaseModel] | None = None) -> list[AuditorError]:
    """One error per problem, each at its line; `model`: what the file holds at its top level (a rule by
    default), for the did-you-mean of an unknown top-level key."""
    out = []
    for err in exc.errors():
        loc = err["loc"]
        line = line_of(data, loc)
        shown = ".".join(str(p) for p in loc if p not in _BRANCHES)
        if err["type"] == "extra_forbidden":
            key = str(loc[-1])
            fields = (model if model and len(loc) == 1 else _model_for(loc)).model_fields
            close = difflib.get_close_matches(key, list(fields), n=1)
            hint = _(" (did you mean '{key}'?)").format(key=close[0]) if close else ""
            out.append(AuditorError("E203", path, line, key=key, hint=hint))
        elif err["type"] == "missing":
            out.append(AuditorError("E207", path, line or 1, key=shown))
        else:
            out.append(AuditorError("E204", path, line, field=shown, reason=err["msg"]))
    # a union error is reported once per branch; keep each place and text once
    return list({e.format(): e for e in out}.values())


def load_rule_file(path: Path) -> Rule:
    """One YAML file → one Rule; raises RuleErrors listing every problem in the file."""
    shown = str(path)
    data = read_mapping(path)
    try:
        rule = Rule.model_validate(plain(data))
    except ValidationError as exc:
        raise RuleErrors(_errors_from_validation(exc, data, shown)) from None
    if rule.id != path.stem:
        raise RuleErrors([AuditorError("E205", shown, line_of(data, ("id",)), rule_id=rule.id, stem=path.stem)])
    rule._path = shown
    rule._example_lines = {(kind, i): line_of(data, ("examples", kind, i))
                           for kind in ("met", "not_met") for i in range(len(getattr(rule.examples, kind)))}
    rule._concept_lines = {(i, role): line_of(data, ("concepts", i, role))
                           for i, c in enumerate(rule.concepts) for role in [r for r, _w in c.roles()] + ["exclude"]}
    problems = [AuditorError("E208", shown, line_of(data, ("phrases", i)), reason=reason)
                for i, reason in _never_matching(rule)]
    if problems:
        raise RuleErrors(problems)
    return rule


PROFILES = "profiles"   # rules/profiles/<id>.yaml: profiles, not rules
VOCABULARY = "vocabulary"   # rules/vocabulary/context.yaml: the shared context words, not a rule
SCORING = "scoring"     # rules/scoring/<id>.yaml: scoring schemes, not rules
NOT_RULES = (PROFILES, VOCABULARY, SCORING)
# Fields that decide what a rule finds in the text: the same for every profile, so a profile cannot override them.
FIND_FIELDS = frozenset({"id", "kind", "part", "phrases", "patterns", "concepts", "all_of", "related", "openers", "exclude", "match"})


class Profiles(dict):
    """Profile id → Profile, carrying the scoring schemes of the same rules folder (a Checklist reads them)."""

    def __init__(self, items=(), schemes: Schemes | None = None):
        super().__init__(items)
        self.schemes = schemes or Schemes()

    def emptied(self) -> "Profiles":
        """No profile to pick by level, the same schemes (--profile none, or a fixed profile)."""
        return Profiles((), self.schemes)


def _validated(folder: Path, model: type[BaseModel], errors: list[AuditorError]):
    """(file, its YAML, the object) for each <folder>/*.yaml that validates as `model` and whose id is its
    file name; the problems of the others are added to `errors`."""
    for f in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        try:
            data = read_mapping(f)
            item = model.model_validate(plain(data))
        except RuleErrors as exc:
            errors.extend(exc.errors)
            continue
        except ValidationError as exc:
            errors.extend(_errors_from_validation(exc, data, str(f), model))
            continue
        if item.id != f.stem:
            errors.append(AuditorError("E205", str(f), line_of(data, ("id",)) or 1, rule_id=item.id, stem=f.stem))
            continue
        yield f, data, item


def load_schemes(rules: list[Rule], directory: Path | None = None) -> tuple[Schemes, list[AuditorError]]:
    """The scoring schemes in <rules dir>/scoring (none: nothing is rated), each checked against the rules
    (every rule gets points, every rule named exists) and exactly one marked `default: true`; and the
    problems, one error line each."""
    folder = (directory or default_rules_dir()) / SCORING
    schemes: dict[str, Scheme] = {}
    errors: list[AuditorError] = []
    defaults: list[tuple[str, Path]] = []
    for f, data, scheme in _validated(folder, Scheme, errors):
        _weights, problems = weights(scheme, rules)
        errors += [AuditorError("E204", str(f), line_of(data, where), field=".".join(where), reason=why)
                   for where, why in problems]
        if scheme.default:
            defaults.append((scheme.id, f))
        schemes[scheme.id] = scheme
    if schemes and len(defaults) != 1 and not errors:
        where = str(defaults[1][1]) if defaults else str(folder)
        errors.append(AuditorError("E204", where, key_line(Path(where), "default") if defaults else None,
                                   field="default", reason=_("exactly one scoring scheme is marked `default: true` "
                                                             "(found: {found})").format(
                                       found=", ".join(sid for sid, _f in defaults) or "-")))
    return Schemes(schemes, defaults[0][0] if defaults else None), errors


def load_profiles(rules: list[Rule], directory: Path | None = None) -> Profiles:
    """The profiles in <rules dir>/profiles, with `extends` resolved and every override checked against the
    rules (an override must name a rule and leave it valid), and the scoring schemes they name
    (load_schemes). Raises RuleErrors."""
    folder = (directory or default_rules_dir()) / PROFILES
    schemes, errors = load_schemes(rules, directory)
    raw: dict[str, tuple[Profile, str]] = {}
    for f, _data, profile in _validated(folder, Profile, errors):
        raw[profile.id] = (profile, str(f))
    profiles = Profiles((), schemes)
    by_id = {r.id: r for r in rules}
    for pid, (profile, shown) in raw.items():
        if profile.extends and profile.extends not in raw:
            errors.append(AuditorError("E211", shown, reason=_("extends unknown profile '{profile}'").format(
                profile=profile.extends)))
            continue
        if profile.extends:
            base = raw[profile.extends][0]
            merged = {**base.overrides}
            for rid, fields in profile.overrides.items():
                merged[rid] = {**merged.get(rid, {}), **fields}
            given = profile.model_fields_set
            profile = base.model_copy(update={k: getattr(profile, k) for k in given} | {"overrides": merged})
        if profile.scoring and profile.scoring not in schemes.schemes:
            errors.append(AuditorError("E211", shown, key_line(Path(shown), "scoring"),
                                       reason=_("scoring: no scheme '{scheme}' in {folder}; one of: {known}").format(
                                           scheme=profile.scoring, folder=SCORING,
                                           known=", ".join(sorted(schemes.schemes)) or "-")))
        for rid, fields in profile.overrides.items():
            if rid not in by_id:
                errors.append(AuditorError("E211", shown, reason=_("overrides unknown rule '{rule}'").format(rule=rid)))
                continue
            fixed = sorted(set(fields) & FIND_FIELDS)
            if fixed:   # one Finder serves every profile
                errors.append(AuditorError("E211", shown, reason=_("override of '{rule}': a profile cannot change what a rule "
                                                                 "finds ({fields})").format(rule=rid,
                                                                                            fields=", ".join(fixed))))
                continue
            try:
                override(by_id[rid], fields)
            except ValidationError as exc:
                errors.append(AuditorError("E211", shown, reason=_("override of '{rule}': {reason}").format(
                    rule=rid, reason=exc.errors()[0]["msg"])))
        profiles[pid] = profile
    if errors:
        raise RuleErrors(errors)
    return profiles


def _vocabulary_file(directory: Path | None, name: str) -> Path:
    """<rules dir>/vocabulary/<name>, or the bundled one when the folder has none."""
    path = (directory or default_rules_dir()) / VOCABULARY / name
    return path if path.is_file() else default_rules_dir() / VOCABULARY / name


def load_vocabulary(directory: Path | None = None) -> Vocabulary:
    """<rules dir>/vocabulary/context.yaml and words.yaml (the bundled ones when the folder has none), words
    normalized like the report. Raises RuleErrors listing the problems of both."""
    found, errors = {}, []
    for name, model in (("context.yaml", Vocabulary), ("words.yaml", WordClasses)):
        path = _vocabulary_file(directory, name)
        try:
            data = read_mapping(path)
            found[name] = model.model_validate(plain(data))
        except RuleErrors as exc:
            errors += exc.errors
        except ValidationError as exc:
            errors += _errors_from_validation(exc, data, str(path), model)
    if errors:
        raise RuleErrors(errors)
    classes = found["words.yaml"].classes
    path = str(_vocabulary_file(directory, "context.yaml"))

    def words(group: list[str], where: str) -> list[str]:
        """A context's word group with the word classes it names written out, normalized like the report."""
        out = []
        for w in group:
            if is_class_name(w) and w not in classes:
                close = difflib.get_close_matches(w, list(classes), n=1)
                errors.append(AuditorError("E204", path, key_line(Path(path), "  " + where.split(".")[1]),
                                           field=where, reason=_("unknown word class '{name}'{hint}; the classes are "
                                                                 "in vocabulary/words.yaml").format(
                                               name=w, hint=_(" (did you mean '{key}'?)").format(key=close[0])
                                               if close else "")))
            for x in (classes[w].words if w in classes else [w]):
                out.append(normalize_phrase(x if isinstance(x, str) else x.text))
        return out
    contexts = {name: c.model_copy(update={**{k: [words(g, f"contexts.{name}.{k}") for g in getattr(c, k)]
                                              for k in ("before", "after", "around")},
                                           "unless": [normalize_phrase(w) for w in c.unless]})
                for name, c in found["context.yaml"].contexts.items()}
    if errors:
        raise RuleErrors(errors)
    return Vocabulary(contexts=contexts, classes=classes)


@lru_cache(maxsize=1)
def bundled_vocabulary() -> Vocabulary:
    return load_vocabulary(None)


FALLBACK_VOCABULARY.append(bundled_vocabulary)   # for a rule built outside the loader (rule_schema)


def choose_profile(profiles: dict[str, Profile], name: str) -> tuple[Profile | None, dict[str, Profile]]:
    """--profile NAME → (the profile applied to every report, the profiles to pick from by level):
    auto → (None, all), none → (None, {}), an id → (it, {}); an unknown name is E301."""
    if name == "auto":
        return None, profiles
    emptied = profiles.emptied() if isinstance(profiles, Profiles) else {}   # the scoring schemes stay
    if name == "none":
        return None, emptied
    if name not in profiles:
        raise AuditorError("E301", reason=_("unknown profile '{name}'; one of: {choices}").format(
            name=name, choices=", ".join(["auto", "none", *sorted(profiles)])))
    return profiles[name], emptied


def override(rule: Rule, fields: dict) -> Rule:
    """The rule with some fields replaced (a mapping such as `deadline` is merged key by key)."""
    data = rule.model_dump()
    for key, value in fields.items():
        data[key] = {**data[key], **value} if isinstance(value, dict) and isinstance(data.get(key), dict) else value
    new = Rule.model_validate(data)
    new._path, new._example_lines, new._vocabulary = rule._path, rule._example_lines, rule._vocabulary
    new._concept_lines = rule._concept_lines
    return new


def _unknown_classes(rule: Rule, vocabulary: Vocabulary) -> list[AuditorError]:
    """One E204 line per concept role naming a word class the vocabulary does not have."""
    out = []
    for i, concept in enumerate(rule.concepts):
        for role, items in concept.roles() + [("exclude", concept.exclude)]:
            for name in items:
                if is_class_name(name) and name not in vocabulary.classes:
                    close = difflib.get_close_matches(name, list(vocabulary.classes), n=1)
                    hint = _(" (did you mean '{key}'?)").format(key=close[0]) if close else ""
                    out.append(AuditorError("E204", rule._path, rule._concept_lines.get((i, role)),
                                            field=f"concepts.{i}.{role}",
                                            reason=_("unknown word class '{name}'{hint}; the classes are in "
                                                     "vocabulary/words.yaml").format(name=name, hint=hint)))
    return out


def _never_matching(rule: Rule):
    """Phrases that cannot match: empty once normalized, or containing one of the rule's own exclusions."""
    excluded = [normalize_phrase(x) for x in rule.exclude]
    for i, phrase in enumerate(rule.phrases):
        text = normalize_phrase(phrase if isinstance(phrase, str) else phrase.text)
        if not text:
            yield i, _("phrase {n} is empty after normalization").format(n=i + 1)
        for x in excluded:
            if x and x in text:
                yield i, _("phrase '{phrase}' contains the exclusion '{exclusion}', so every match is excluded").format(
                    phrase=text, exclusion=x)


def load_rules(directory: Path | None = None) -> list[Rule]:
    """All rules under a folder, sorted by group (statutory parts, core elements, 纲要 areas, form), then id.
    Raises RuleErrors with one line per problem. Rules that validated are kept in the user's cache, keyed by
    the bytes of every rule file and of the code that reads them: parsing YAML is most of a cold start, and a
    changed file (or auditor) simply misses the cache."""
    directory, files = _rule_files(directory)
    key = fingerprint(directory, files + sorted((directory / VOCABULARY).glob("*.yaml")))
    return cached(key, lambda: _load_rule_files(directory, files))


def load_ruleset(directory: Path | None = None) -> tuple[list[Rule], dict[str, Profile]]:
    """The rules and the profiles of a folder, checked against each other, cached together (as load_rules)."""
    directory, files = _rule_files(directory)
    key = fingerprint(directory, files + sorted((directory / VOCABULARY).glob("*.yaml"))
                       + sorted((directory / PROFILES).glob("*.yaml"))
                       + sorted((directory / SCORING).glob("*.yaml")), salt=b"profiles")

    def build():
        rules = load_rules(directory)
        return rules, load_profiles(rules, directory)
    return cached(key, build)


def _rule_files(directory: Path | None) -> tuple[Path, list[Path]]:
    directory = (directory or default_rules_dir()).absolute()
    files = [f for f in sorted(directory.rglob("*.yaml"))
             if not set(NOT_RULES) & set(f.relative_to(directory).parts)] if directory.is_dir() else []
    if not files:
        raise RuleErrors([AuditorError("E210", str(directory))])
    return directory, files


def _load_rule_files(directory: Path, files: list[Path]) -> list[Rule]:
    rules: list[Rule] = []
    seen: dict[str, Path] = {}
    errors: list[AuditorError] = []
    for f in files:
        try:
            rule = load_rule_file(f)
        except RuleErrors as exc:
            errors += exc.errors
            continue
        if rule.id in seen:
            errors.append(AuditorError("E206", str(f), key_line(f), rule_id=rule.id, other=str(seen[rule.id])))
            continue
        seen[rule.id] = f
        rules.append(rule)
    try:
        vocabulary = load_vocabulary(directory)
    except RuleErrors as exc:
        errors += exc.errors
        vocabulary = None
    for rule in rules if vocabulary else []:
        rule._vocabulary = vocabulary
        unknown = [n for n in rule.context.use + rule.context.ignore if n not in vocabulary.contexts]
        if unknown:
            errors.append(AuditorError("E204", rule._path, key_line(Path(rule._path), "context"), field="context",
                                       reason=_("unknown context {names}; one of: {choices}").format(
                                           names=", ".join(unknown), choices=", ".join(vocabulary.contexts))))
        errors += _unknown_classes(rule, vocabulary)
    if errors:
        raise RuleErrors(errors)
    groups = list(GROUPS)
    return sorted(rules, key=lambda r: (groups.index(r.group), r.id))
