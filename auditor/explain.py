"""Why a verdict is what it is, as a message id with fields: the English message ids here, their Chinese in the
zh_CN catalogue, the fields only data (words quoted from the report, a rule's own texts, names, dates).

`say` returns the explanation in the language in force as a `Said`: a str that keeps its id and fields, so the
codec stores them and a stored verdict is said again in the reader's language (codec.decode). A rule's texts
(title, message, fix, legal basis) are the regulations' words and stay Chinese in every language; the words
around them follow the language.
"""
from __future__ import annotations

from collections.abc import Mapping

from .i18n import N_, _

# {message} is the rule's own gap message (rules/*.yaml `message`), filled in when said.
MESSAGES: dict[str, str] = {
    # element rules (judge.py)
    "components": N_("only {seen} seen, not {lacking}; {message}"),
    "shortcoming": N_("“{phrases}” appears only in the shortcomings part or a negated statement, which does not "
                      "show it was done; {message}"),
    "planned": N_("“{phrases}” appears only in the next year's plans or in future wording; {message}"),
    "arranged": N_("“{phrases}” appears only in {labels}; arranging work is not doing it; {message}"),
    "named": N_("“{phrases}” appears only in {labels}, not as work done; {message}"),
    "others": N_("“{phrases}” is said of {labels}; the body's own work is not seen; {message}"),
    "outdated": N_("“{phrases}” is the wording of {era}; this report is for {year}; {message}"),
    "near-miss": N_("only similar wording (“{phrase}”, similarity {score:.0f}, below {min_score:.0f}); {message}"),
    "related": N_("only related wording ({phrases}); {message}"),
    # the checklist: a rule that does not bind this report
    "years": N_("this rule applies to {years}; this report is for {year}"),
    "profile": N_("the profile “{profile}” ({id}) does not check {group}"),
    "era-unknown": N_("the report's year is unknown: the wordings of every period are accepted"),
    # metadata checks (checks.py)
    "year-named": N_("the year {year} ({where})"),
    "year-guessed": N_("{message}; the year {year} inferred from the date"),
    "body-generic": N_("the body is incomplete: only “{body}” is written, not its name; {message}"),
    "signed": N_("{body}, {date}"),
    "unsigned": N_("{message} (missing: {missing})"),
    "no-title": N_("{message} (no title seen)"),
    "title-accepted": N_("an accepted but irregular name ({word}): {title}"),
    "title-wrong": N_("{message}: {title}"),
    "deadline-unknown": N_("cannot tell: {missing}"),
    "deadline-met": N_("dated {date}, due {due}"),
    "deadline-late": N_("{message}: dated {date}, later than {due}"),
    "years-differ": N_("{message}: the title says {year}, the opening speaks of {opening_year}"),
    "named-kind": N_("{message}: the {where} shows this is {kind} ({name})"),
    "named-kind-and-text": N_("{message}: the {where} shows this is {kind} ({name}); the text reads like one too "
                              "({found})"),
    "text-kind": N_("{message}: the text reads like {kind} ({found})"),
}

# Words of ours that stand in a field (a part of the report, what is missing, where a year was read): marked
# here for the catalogue; a field's words are said in the reader's language with the explanation (the words
# of other tables, labels.GROUPS and doctype.NAME_LABELS, are marked where they are defined).
WORDS = [N_("the shortcomings part"), N_("the next year's plans"), N_("future wording"), N_("in the title"),
         N_("in the opening"), N_("signature"), N_("date written"), N_("the date written is missing"),
         N_("the report's year is unknown"), N_("reports up to {year}"), N_("reports from {year} on"),
         N_("reports for {first}—{last}")]
LIST = N_(", ")   # joins the items of a list field


class Said(str):
    """An explanation as said in the language in force, keeping its message id and fields."""
    id: str
    fields: dict

    def __new__(cls, id: str, fields: Mapping):
        said = super().__new__(cls, render(id, fields))
        said.id, said.fields = id, dict(fields)
        return said

    def __getnewargs__(self):   # pickled (a worker's report): said again on the other side
        return self.id, self.fields


def say(id: str, /, **fields) -> Said:
    """The explanation `id` with these fields (a list field: its items, each said in the reader's language)."""
    return Said(id, fields)


def years(first: int | None, last: int | None) -> dict:
    """The years a rule or a wording is for, as a field (2019—2025年度, 2019年度起, 2018年度及以前)."""
    if first and last:
        return {"text": "reports for {first}—{last}", "first": first, "last": last}
    return {"text": "reports from {year} on", "year": first} if first else {"text": "reports up to {year}", "year": last}


def said_years(first: int | None, last: int | None) -> str:
    """The years as the language in force says them (2019—2025年度)."""
    return _field(years(first, last))


def render(id: str, fields: Mapping) -> str:
    return _(MESSAGES[id]).format(**{k: _field(v) for k, v in fields.items()})


def _field(value):
    if isinstance(value, (list, tuple)):
        return _(LIST).join(_field(v) for v in value)
    if isinstance(value, dict):   # a word of ours with its own fields: {"text": "reports from {year}", "year": 2019}
        return _(value["text"]).format(**{k: v for k, v in value.items() if k != "text"})
    return _(value) if isinstance(value, str) else value   # data is never a message id: it passes unchanged


def again(id: str | None, fields: Mapping | None, message: str | None, said: str | None) -> str | None:
    """A stored explanation said again in the language in force, with the rule's message as it is now; the
    stored text when it has no id (a person's review, a text from before ids)."""
    if not id or id not in MESSAGES:
        return said
    fields = dict(fields or {})
    if "message" in fields and message is not None:
        fields["message"] = message
    try:
        return Said(id, fields)
    except (KeyError, IndexError, ValueError, TypeError):   # fields of an older wording: the stored text stands
        return said
