"""rules/**/*.yaml → validated Rule objects. Every problem in every file is reported before any report is read."""
from __future__ import annotations

import difflib
import os
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError

from .errors import AuditorError, RuleErrors
from .model import GROUPS, Profile, Rule, Vocabulary
from .normalize import normalize_phrase


def default_rules_dir() -> Path:
    """$AUDITOR_RULES, else the repository's rules/ (editable install), else the copy inside the wheel."""
    if os.environ.get("AUDITOR_RULES"):
        return Path(os.environ["AUDITOR_RULES"])
    here = Path(__file__).resolve().parent
    repo_rules = here.parent / "rules"
    return repo_rules if repo_rules.is_dir() else here / "rules"


def _line_of(node, loc: tuple) -> int | None:
    """Follow a pydantic error location through the YAML tree to a 1-based line number."""
    line = None
    for key in loc:
        if isinstance(node, CommentedMap) and key in node:
            line = node.lc.key(key)[0] + 1
            node = node[key]
        elif isinstance(node, CommentedSeq) and isinstance(key, int) and key < len(node):
            line = node.lc.item(key)[0] + 1
            node = node[key]
        else:
            break   # pydantic adds union-branch names ("str", "PhraseSpec") to locations
    return line


def _model_for(loc: tuple) -> type[BaseModel]:
    from .model import Context, Example, Examples, MatchSettings, Pattern, PhraseSpec, RuleContext
    if loc[:1] == ("match",):
        return MatchSettings
    if loc[:1] == ("examples",):
        return Example if "Example" in loc else Examples
    if loc[:1] == ("phrases",):
        return PhraseSpec
    if loc[:1] == ("patterns",):
        return Pattern
    if loc[:1] == ("context",):
        return RuleContext
    if loc[:1] == ("contexts",):
        return Context
    return Rule


# union-branch names pydantic puts into error locations; not keys of the file
_BRANCHES = {"str", "PhraseSpec", "Term", "Example"}


def _errors_from_validation(exc: ValidationError, data, path: str) -> list[AuditorError]:
    out = []
    for err in exc.errors():
        loc = err["loc"]
        line = _line_of(data, loc)
        shown = ".".join(str(p) for p in loc if p not in _BRANCHES)
        if err["type"] == "extra_forbidden":
            key = str(loc[-1])
            close = difflib.get_close_matches(key, list(_model_for(loc).model_fields), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            out.append(AuditorError("E203", path, line, key=key, hint=hint))
        elif err["type"] == "missing":
            out.append(AuditorError("E207", path, line or 1, key=shown))
        else:
            out.append(AuditorError("E204", path, line, field=shown, reason=err["msg"]))
    # a union error is reported once per branch; keep each place and text once
    return list({e.format(): e for e in out}.values())


def _read_mapping(path: Path) -> CommentedMap:
    """A YAML file holding one mapping (line numbers kept), or RuleErrors."""
    shown = str(path)
    try:
        data = YAML(typ="rt").load(path.read_text(encoding="utf-8"))
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise RuleErrors([AuditorError("E201", shown, line, reason=exc.problem or str(exc))]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleErrors([AuditorError("E102", shown, reason=str(exc))]) from None
    if not isinstance(data, CommentedMap):
        raise RuleErrors([AuditorError("E202", shown, 1, found=type(data).__name__)])
    return data


def load_rule_file(path: Path) -> Rule:
    """One YAML file → one Rule; raises RuleErrors listing every problem in the file."""
    shown = str(path)
    data = _read_mapping(path)
    try:
        rule = Rule.model_validate(_plain(data))
    except ValidationError as exc:
        raise RuleErrors(_errors_from_validation(exc, data, shown)) from None
    if rule.id != path.stem:
        raise RuleErrors([AuditorError("E205", shown, _line_of(data, ("id",)), rule_id=rule.id, stem=path.stem)])
    rule._path = shown
    rule._example_lines = {(kind, i): _line_of(data, ("examples", kind, i))
                           for kind in ("met", "not_met") for i in range(len(getattr(rule.examples, kind)))}
    problems = [AuditorError("E208", shown, _line_of(data, ("phrases", i)), reason=reason)
                for i, reason in _never_matching(rule)]
    if problems:
        raise RuleErrors(problems)
    return rule


PROFILES = "profiles"   # rules/profiles/<id>.yaml: profiles, not rules
VOCABULARY = "vocabulary"   # rules/vocabulary/context.yaml: the shared context words, not a rule
NOT_RULES = (PROFILES, VOCABULARY)
# Fields that decide what a rule finds in the text: the same for every profile, so a profile cannot override them.
FIND_FIELDS = frozenset({"id", "kind", "part", "phrases", "patterns", "all_of", "related", "openers", "exclude", "match"})


def load_profiles(rules: list[Rule], directory: Path | None = None) -> dict[str, Profile]:
    """The profiles in <rules dir>/profiles, with `extends` resolved and every override checked against the
    rules (an override must name a rule and leave it valid). Raises RuleErrors."""
    folder = (directory or default_rules_dir()) / PROFILES
    raw: dict[str, tuple[Profile, str]] = {}
    errors: list[AuditorError] = []
    for f in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        try:
            data = _read_mapping(f)
            profile = Profile.model_validate(_plain(data))
        except RuleErrors as exc:
            errors += exc.errors
            continue
        except ValidationError as exc:
            errors += _errors_from_validation(exc, data, str(f))
            continue
        if profile.id != f.stem:
            errors.append(AuditorError("E205", str(f), _key_line(f), rule_id=profile.id, stem=f.stem))
            continue
        raw[profile.id] = (profile, str(f))
    profiles = {}
    by_id = {r.id: r for r in rules}
    for pid, (profile, shown) in raw.items():
        if profile.extends and profile.extends not in raw:
            errors.append(AuditorError("E211", shown, reason=f"extends unknown profile '{profile.extends}'"))
            continue
        if profile.extends:
            base = raw[profile.extends][0]
            merged = {**base.overrides}
            for rid, fields in profile.overrides.items():
                merged[rid] = {**merged.get(rid, {}), **fields}
            given = profile.model_fields_set
            profile = base.model_copy(update={k: getattr(profile, k) for k in given} | {"overrides": merged})
        for rid, fields in profile.overrides.items():
            if rid not in by_id:
                errors.append(AuditorError("E211", shown, reason=f"overrides unknown rule '{rid}'"))
                continue
            fixed = sorted(set(fields) & FIND_FIELDS)
            if fixed:   # one Finder serves every profile
                errors.append(AuditorError("E211", shown, reason=f"override of '{rid}': a profile cannot change "
                                                                 f"what a rule finds ({', '.join(fixed)})"))
                continue
            try:
                override(by_id[rid], fields)
            except ValidationError as exc:
                errors.append(AuditorError("E211", shown, reason=f"override of '{rid}': {exc.errors()[0]['msg']}"))
        profiles[pid] = profile
    if errors:
        raise RuleErrors(errors)
    return profiles


def load_vocabulary(directory: Path | None = None) -> Vocabulary:
    """<rules dir>/vocabulary/context.yaml (the bundled one when the folder has none), words normalized like
    the report. Raises RuleErrors."""
    path = (directory or default_rules_dir()) / VOCABULARY / "context.yaml"
    if not path.is_file():
        path = default_rules_dir() / VOCABULARY / "context.yaml"
    data = _read_mapping(path)
    try:
        vocabulary = Vocabulary.model_validate(_plain(data))
    except ValidationError as exc:
        raise RuleErrors(_errors_from_validation(exc, data, str(path))) from None
    norm = lambda groups: [[normalize_phrase(w) for w in group] for group in groups]
    return Vocabulary(contexts={name: c.model_copy(update={**{k: norm(getattr(c, k)) for k in ("before", "after", "around")},
                                                           "unless": [normalize_phrase(w) for w in c.unless]})
                                for name, c in vocabulary.contexts.items()})


@lru_cache(maxsize=1)
def bundled_vocabulary() -> Vocabulary:
    return load_vocabulary(None)


def choose_profile(profiles: dict[str, Profile], name: str) -> tuple[Profile | None, dict[str, Profile]]:
    """--profile NAME → (the profile applied to every report, the profiles to pick from by level):
    auto → (None, all), none → (None, {}), an id → (it, {}); an unknown name is E301."""
    if name == "auto":
        return None, profiles
    if name == "none":
        return None, {}
    if name not in profiles:
        raise AuditorError("E301", reason=f"unknown profile '{name}'; one of: auto, none, {', '.join(sorted(profiles))}")
    return profiles[name], {}


def override(rule: Rule, fields: dict) -> Rule:
    """The rule with some fields replaced (a mapping such as `deadline` is merged key by key)."""
    data = rule.model_dump()
    for key, value in fields.items():
        data[key] = {**data[key], **value} if isinstance(value, dict) and isinstance(data.get(key), dict) else value
    new = Rule.model_validate(data)
    new._path, new._example_lines, new._vocabulary = rule._path, rule._example_lines, rule._vocabulary
    return new


def _never_matching(rule: Rule):
    """Phrases that cannot match: empty once normalized, or containing one of the rule's own exclusions."""
    excluded = [normalize_phrase(x) for x in rule.exclude]
    for i, phrase in enumerate(rule.phrases):
        text = normalize_phrase(phrase if isinstance(phrase, str) else phrase.text)
        if not text:
            yield i, f"phrase {i + 1} is empty after normalization"
        for x in excluded:
            if x and x in text:
                yield i, f"phrase '{text}' contains the exclusion '{x}', so every match is excluded"


def _key_line(path: Path, key: str = "id") -> int:
    """The line of a top-level key in a YAML file (1 when absent)."""
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith(f"{key}:"):
            return n
    return 1


def _plain(node):
    """ruamel's round-trip containers → plain dicts and lists for pydantic."""
    if isinstance(node, dict):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    return node


def load_rules(directory: Path | None = None) -> list[Rule]:
    """All rules under a folder, sorted by group (statutory parts, core elements, 纲要 areas, form), then id. Raises RuleErrors with one line per problem."""
    directory = directory or default_rules_dir()
    files = [f for f in sorted(directory.rglob("*.yaml"))
             if not set(NOT_RULES) & set(f.relative_to(directory).parts)] if directory.is_dir() else []
    if not files:
        raise RuleErrors([AuditorError("E210", str(directory))])
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
            errors.append(AuditorError("E206", str(f), _key_line(f), rule_id=rule.id, other=str(seen[rule.id])))
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
            errors.append(AuditorError("E204", rule._path, _key_line(Path(rule._path), "context"), field="context",
                                       reason=f"unknown context {', '.join(unknown)}; one of: "
                                              f"{', '.join(vocabulary.contexts)}"))
    if errors:
        raise RuleErrors(errors)
    groups = list(GROUPS)
    return sorted(rules, key=lambda r: (groups.index(r.group), r.id))
