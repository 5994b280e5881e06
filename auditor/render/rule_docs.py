"""Rule documentation generated from the rule files, never written by hand: the rule index and the status
table in README.md (between markers) and docs/rules/<id>.md per rule. `make docs` rewrites both; tests check they are current;
`auditor rules show ID` prints a rule's page."""
from __future__ import annotations

import re
import sys
from pathlib import Path

from tabulate import tabulate

from .. import labels
from ..i18n import _
from ..explain import said_years
from ..rule_schema import GROUPS, LEVELS, Concept, PhraseSpec, Profile, Rule, is_class_name
from ..status import STATUSES, Status

START, END = "<!-- rules:start", "<!-- rules:end -->"
STATUS_START, STATUS_END = "<!-- statuses:start", "<!-- statuses:end -->"
DOCS = Path("docs") / "rules"
_CJK_GAP = re.compile(r"(?<=[^\x00-\x7f]) (?=[^\x00-\x7f])")   # a folded YAML line break between Chinese


def markdown(rules: list[Rule]) -> str:
    """The README index: one row per rule, grouped, each linking to its page."""
    rows = [[GROUPS[r.group], f"[`{r.id}`](docs/rules/{r.id}.md)", r.severity, r.title, "；".join(r.legal_basis)]
            for r in rules]
    return tabulate(rows, headers=["group", "id", "severity", "title", "legal basis"], tablefmt="github")


def statuses() -> str:
    """The README status table, from auditor/status.py."""
    rows = [[f"`{s.value}`", s.label, info.mark, "yes" if info.gap else "no", info.meaning]
            for s, info in STATUSES.items()]
    return tabulate(rows, headers=["status", "label", "mark", "gap", "meaning"], tablefmt="github")


def _block(readme: str, start: str, end: str, content: str) -> str:
    pattern = re.compile(rf"({re.escape(start)}[^\n]*\n).*?({re.escape(end)})", re.S)
    return pattern.sub(lambda m: m.group(1) + content + "\n" + m.group(2), readme)


def with_index(readme: str, rules: list[Rule]) -> str:
    """README text with the generated blocks (the rule index, the status table) replaced by current ones."""
    return _block(_block(readme, START, END, markdown(rules)), STATUS_START, STATUS_END, statuses())


def _phrase(p: str | PhraseSpec) -> str:
    if isinstance(p, str):
        return f"`{p}`"
    notes = []
    if p.near:
        notes.append(_("only with {words} within {window} characters").format(
            words=_(", ").join(p.near), window=p.window or _("some")))
    if p.years != (None, None):
        notes.append(_era(p.years))
    if p.token:
        notes.append(_("a whole word only"))
    return f"`{p.text}`" + (_notes(notes) if notes else "")


def _era(span) -> str:
    return _("wording of {years}").format(years=said_years(*span))


def _notes(notes: list[str]) -> str:
    return _("({notes})").format(notes=_("; ").join(notes))


def _window(window: int | None) -> str:
    return _("within {n} characters").format(n=window) if window else _("in one clause")


def _pattern(p) -> str:
    parts = " + ".join("|".join(v if isinstance(v, str) else v.text for v in part) for part in p.all)
    notes = [_window(p.window)]
    if p.count:
        notes.append(_("with a count ({words})").format(words=_(", ").join(p.count)))
    if p.exclude:
        notes.append(_("not with {words}").format(words=_(", ").join(p.exclude)))
    if p.years != (None, None):
        notes.append(_era(p.years))
    return f"`{parts}`" + _notes(notes)


def _concept(c: Concept, vocabulary) -> str:
    """主体（本机关领导机构…）+ 行为（学习）+ 对象（法律…）, with the words each class holds in the page's glossary."""
    roles = []
    for role, items in c.roles():
        named = "｜".join(vocabulary.classes[x].label if is_class_name(x) and x in vocabulary.classes
                         else getattr(x, "text", x) for x in items)
        roles.append(f"{labels.role(role)}（{named}）")
    notes = [_window(c.window)]
    if c.count:
        notes.append(_("with a count ({words})").format(words=_(", ").join(c.count)))
    if c.exclude:
        notes.append(_("not with {words}").format(words=_(", ").join(
            vocabulary.classes[x].label if x in vocabulary.classes else x for x in c.exclude)))
    return " + ".join(roles) + _notes(notes)


def _classes(rule: Rule, vocabulary) -> list[str]:
    """The word classes a rule's concepts name, each with its words."""
    names = dict.fromkeys(x for c in rule.concepts for _r, items in c.roles() + [("exclude", c.exclude)]
                          for x in items if is_class_name(x) and x in vocabulary.classes)
    return [f"- {vocabulary.classes[n].label}（`{n}`）：" + "、".join(w if isinstance(w, str) else w.text
                                                                  for w in vocabulary.classes[n].words) for n in names]


def _applies(rule: Rule, profiles: dict[str, Profile]) -> list[str]:
    a = rule.applies
    years = said_years(a.from_year, a.to_year) if (a.from_year or a.to_year) else _("every year")
    bodies = (_("{levels} (no other body)").format(levels=_(", ").join(labels.level(x) for x in a.levels))
              if set(a.levels) != set(LEVELS) else _("every level (township, county, city, province, department)"))
    lines = ["- " + _("Report year: {years}").format(years=years), "- " + _("Reporting body: {bodies}").format(bodies=bodies)]
    for p in profiles.values():
        if rule.group not in p.groups:
            lines.append("- " + _("profile `{id}` ({title}) does not check this rule").format(id=p.id, title=p.title))
        elif rule.id in p.overrides:
            changed = labels.override(p.overrides[rule.id])
            lines.append("- " + _("profile `{id}` ({title}): {changed}").format(id=p.id, title=p.title, changed=changed))
    return lines


def page(rule: Rule, profiles: dict[str, Profile]) -> str:
    """One rule's page: what it checks, why, which wordings count and which do not, where it applies, the fix."""
    out = [f"# `{rule.id}` — {rule.title}", "",
           f"{labels.group(rule.group)} · {labels.kind(rule.kind)} · **{labels.severity(rule.severity)}**", "",
           "## " + _("What it checks"), "", rule.message + "。" if not rule.message.endswith("。") else rule.message, ""]
    out += _what_counts(rule) + _what_does_not(rule)
    out += ["## " + _("Why"), "", _CJK_GAP.sub("", rule.rationale), "", _("Legal basis:"), "",
            *[f"- {b}" for b in rule.legal_basis], "",
            "## " + _("Examples"), "", _("Met:"), "", *[f"- {_example(t)}" for t in rule.examples.met], "",
            _("Not met:"), "", *[f"- {_example(t)}" + (f" → {Status(status).label}" if status else "")
                                 for kind, _i, t, status in rule.examples.cases() if kind == "not_met"], "",
            "## " + _("Where it applies"), "", *_applies(rule, profiles), "",
            "## " + _("How to fix a gap"), "", rule.fix, ""]
    return "\n".join(out)


def _what_counts(rule: Rule) -> list[str]:
    """The page's lines on what meets the rule: a form check, phrases, clause patterns, concepts, parts."""
    out: list[str] = []
    if rule.check:
        out += [_("A form check (`{check}`), reading the report's title, dates and body as a whole.").format(
            check=rule.check), ""]
    if rule.phrases:
        out += [(_("Any of these counts (by itself):") if rule.all_of else _("Any of these counts:")), "",
                *[f"- {_phrase(p)}" for p in rule.phrases], ""]
    if rule.patterns:
        out += [_("Or these parts together in one clause, in any order (`how: clause`):"), "",
                *[f"- {_pattern(p)}" for p in rule.patterns], ""]
    if rule.concepts:
        vocabulary = rule.vocabulary()
        out += [_("Or who does what to what, in one stretch of a sentence (the words of each role in "
                  "rules/vocabulary/words.yaml):"), "", *[f"- {_concept(c, vocabulary)}" for c in rule.concepts], "",
                *_classes(rule, vocabulary), ""]
    if rule.all_of:
        out += [_("All of these together count; some of them make the rule partly met:"), "",
                *[f"- {c.name}: " + "、".join([_phrase(p) for p in c.phrases] + [_pattern(p) for p in c.patterns])
                  for c in rule.all_of], ""]
    return out


def _what_does_not(rule: Rule) -> list[str]:
    """The page's lines on what does not meet it: other kinds of document, related wording, near misses."""
    out: list[str] = []
    for kind in rule.wrong_types:
        named = [f"`{t}`" for t in kind.title] + [f"`…{t}`" for t in kind.title_end]
        out += [f"- 其他文件：{kind.name}" + (f"（标题含 {'、'.join(named)}）" if named else "")]
    if rule.wrong_types:
        out.append("")
    if rule.related:
        out += [_("Only related wording (the rule is then partly met): ") + "、".join(f"`{x}`" for x in rule.related), ""]
    if rule.exclude:
        out += [_("Never counts (near misses): ") + "、".join(f"`{x}`" for x in rule.exclude), ""]
    return out


def _example(text: str) -> str:
    return " / ".join(line for line in text.splitlines() if line.strip())


def write_all(root: Path, rules: list[Rule], profiles: dict[str, Profile]) -> None:
    """README index and docs/rules/*.md under a checkout; pages of rules that no longer exist are removed."""
    readme = root / "README.md"
    readme.write_text(with_index(readme.read_text(encoding="utf-8"), rules), encoding="utf-8")
    folder = root / DOCS
    folder.mkdir(parents=True, exist_ok=True)
    for stale in set(folder.glob("*.md")) - {folder / f"{r.id}.md" for r in rules}:
        stale.unlink()
    for rule in rules:
        (folder / f"{rule.id}.md").write_text(page(rule, profiles), encoding="utf-8")


if __name__ == "__main__":
    from ..ruleset import load_profiles, load_rules
    rules = load_rules()
    write_all(Path(sys.argv[1] if len(sys.argv) > 1 else "."), rules, load_profiles(rules))
