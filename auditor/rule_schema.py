"""The rule schema: what a rule, a profile, a scoring scheme and the shared vocabulary may say, validated from
the YAML of rules/ (unknown keys are errors). Loading them is ruleset's job; results are model's."""
from __future__ import annotations

from typing import Annotated, Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator, model_validator

from .explain import say, years
from .i18n import _
from .status import Status


SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}


# The vocabulary of a rule built outside the loader (a test's, an override's): the bundled one, which the
# loader registers here when it is imported, so the schema does not import its loader.
FALLBACK_VOCABULARY: list = []


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PhraseSpec(_Strict):
    """A phrase with conditions: context words nearby (法制审核 of a 规范性文件), words that must not be nearby
    (备案审查 of 党内规范性文件), or the report years its wording belongs to (七五普法: 2016–2020); outside those
    years it is only related (outdated) wording. `token`: the phrase counts only as whole words of the
    segmented sentence (述法, not 上述法律); by default true for phrases of one or two characters."""
    text: str = Field(min_length=1)
    near: list[str] = []
    not_near: list[str] = []
    window: int | None = Field(default=None, ge=1)
    years: tuple[Optional[int], Optional[int]] = (None, None)
    token: Optional[bool] = None


LEVELS = ("township", "county", "city", "province", "department")


class Applies(_Strict):
    """Which reports a rule binds; a report outside is not-applicable (known year or level only)."""
    from_year: Optional[int] = None
    to_year: Optional[int] = None
    levels: list[Literal["township", "county", "city", "province", "department"]] = list(LEVELS)


class MatchSettings(_Strict):
    scorer: Literal["partial_ratio", "ratio"] = "partial_ratio"
    min_score: float = Field(default=90, ge=50, le=100)
    near_miss: Optional[float] = Field(default=None, ge=50, le=100)   # from here to min_score: partial
    min_length: int = Field(default=6, ge=2)       # shorter phrases are matched exactly only
    context_window: int = Field(default=15, ge=1)  # characters either side searched for `near` words
    opener_window: int = Field(default=40, ge=1)   # an opener must start within this many characters of a sentence


class Term(_Strict):
    """One variant of a pattern part; `token: true` counts it only as whole words (调解, not inside 协调解决).
    `same`: in a word class, the word this one is another name for (集体决策 for 集体讨论决定), so that two roles
    drawn from one class are not filled by one thing named twice."""
    text: str = Field(min_length=1)
    token: bool = False
    same: Optional[str] = None


class Pattern(_Strict):
    """Parts that must all occur within one clause (or `window` characters of one sentence), in any order:
    由法律顾问审查决策事项的合法性 is [合法性] + [审查]. Each part lists its variants."""
    all: list[list[Union[str, Term]]] = Field(min_length=2)
    window: Optional[int] = Field(default=None, ge=2)   # None: the parts share one clause
    count: list[str] = []     # units; the clause must also hold a number with one (审核规范性文件9件)
    exclude: list[str] = []   # any of these in the clause (or window) vetoes it
    years: tuple[Optional[int], Optional[int]] = (None, None)

    @field_validator("all")
    @classmethod
    def _parts_have_variants(cls, value):
        if any(not part for part in value):
            raise ValueError("every part of a pattern lists at least one variant")
        return value


ROLES = ("who", "act", "object", "setting")
CLASS_NAME = r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$"   # a word class of rules/vocabulary/words.yaml; anything else is a word
RoleWords = Union[str, list[Union[str, Term]]]


def is_class_name(item) -> bool:
    import re
    return isinstance(item, str) and re.match(CLASS_NAME, item) is not None


class Concept(_Strict):
    """Who does what to what, in one clause (or `window` characters of one sentence), in any order: 党组 +
    学习 + 宪法 is leaders studying law. Each role names word classes of rules/vocabulary/words.yaml (a
    lower-case id) or lists words of its own; every role given must be filled."""
    who: Optional[RoleWords] = None
    act: Optional[RoleWords] = None
    object: Optional[RoleWords] = None
    setting: Optional[RoleWords] = None   # what the act happens in or goes into: a meeting, the assessment, a list
    window: Optional[int] = Field(default=None, ge=2)   # None: the roles share one clause
    count: list[str] = []     # units; the clause must also hold a number with one (化解矛盾纠纷38件)
    exclude: list[str] = []   # any of these words (or of these word classes) in the clause or window vetoes it
    years: tuple[Optional[int], Optional[int]] = (None, None)

    @model_validator(mode="after")
    def _two_roles(self):
        if sum(getattr(self, r) is not None for r in ROLES) < 2:
            raise ValueError("a concept fills at least two of who, act, object, setting")
        for r in ROLES:
            if getattr(self, r) == []:
                raise ValueError(f"{r} names no word class and no word")
        return self

    def roles(self) -> list[tuple[str, list]]:
        """(role, its word classes and words), for the roles given, in the order who, act, object, setting."""
        return [(r, v if isinstance(v, list) else [v]) for r in ROLES if (v := getattr(self, r)) is not None]


MEANS = ("planned", "shortcoming", "named", "others")


class Listed(_Strict):
    """A bare list: at least `items` items joined by 、 in the hit's scope that each name a task or a system
    (`chars` characters or more, starting with one of `starts` or ending with one of `ends`), the hit inside
    one item of the list at least `chars` long, and no number in that scope (a count would make it a report of
    work done)."""
    items: int = Field(default=3, ge=2)
    chars: int = Field(default=5, ge=1)
    starts: list[str] = []    # a task named by its verb: 完善依法行政制度体系、推进行政决策科学化…
    ends: list[str] = []      # a system named by its kind: 政务公开制度、法律顾问制度、学法制度


class Context(_Strict):
    """Words around a hit that say the work was not reported as done: planned (将进一步…, …作出安排部署),
    a shortcoming (尚未…), only named (a meeting's topic list, a law's title in a study list) or done by
    others (督促各部门…). Each of before / after / around is a list of word groups: one word of every group
    must occur there (a flat list is one group)."""
    means: Literal[MEANS]
    label: str                            # what the why calls it: 会议议题, 学习的法律名称, …
    scope: Literal["clause", "sentence"] = "clause"
    before: list[list[str]] = []          # in the scope, before the hit
    after: list[list[str]] = []           # in the scope, after the hit
    around: list[list[str]] = []          # anywhere in the scope
    unless: list[str] = []                # any of these in the scope cancels it (将…纳入: 将 as 把, not "will")
    quoted: bool = False                  # the hit stands inside 《》 (the title of a law or document)
    made: list[str] = []                  # with quoted: the title right after one of these is the body's own (调整《…》)
    later_year: bool = False              # a year after the report year stands before the hit (2024年将… in 2023)
    listed: Optional["Listed"] = None     # the hit is one item of a bare list: 完善A制度、B制度、C制度
    unless_counted: bool = False          # a count in the sentence (全市审核文件32件) says the work was done
    adjacent: bool = False                # `after` words must begin right where the hit ends (行政复议|法)
    in_heading: bool = False              # the hit stands in a heading's title (with text under it)
    # a word of `around` inside a problem named as dealt with (督察指出的执法不规范问题，已整改): followed by 问题/现象,
    # with one of these elsewhere in its clause; it counts only if the sentence says so outside such a problem too
    named_problem: list[str] = []
    fixed_by: list[str] = []              # with named_problem: one of these must stand in the sentence (…，已整改)
    # with in_heading and unless_counted: not when the text under the heading reports work done with a count
    default: bool = True                  # applies to every element rule unless the rule ignores it

    @field_validator("before", "after", "around", mode="before")
    @classmethod
    def _groups(cls, value):
        """A flat list is one group; a word class named on its own (other-bodies) is a group of its words."""
        if isinstance(value, list) and value and all(isinstance(v, str) for v in value) \
                and not all(is_class_name(v) for v in value):
            return [value]
        if isinstance(value, list):
            return [v if isinstance(v, list) else [v] for v in value]
        return value


class WordClass(_Strict):
    """One shared class of words a concept's role draws on (rules/vocabulary/words.yaml): the body's leading
    organs, acts of study, laws … named once, used by every rule."""
    label: str                                          # what evidence calls it: 本机关领导机构, 学习, 法律 …
    words: list[Union[str, Term]] = Field(min_length=1)


class WordClasses(_Strict):
    """rules/vocabulary/words.yaml."""
    classes: dict[str, WordClass]

    @field_validator("classes")
    @classmethod
    def _names(cls, value):
        bad = [name for name in value if not is_class_name(name)]
        if bad:
            raise ValueError(f"word class names are lower-case ids joined by '-': {', '.join(bad)}")
        return value


class Vocabulary(_Strict):
    """rules/vocabulary/: the shared context words (context.yaml), tried in file order (the first that fits a
    hit decides how it is read), and the word classes concepts draw on (words.yaml)."""
    contexts: dict[str, Context]
    classes: dict[str, WordClass] = {}


class RuleContext(_Strict):
    """Which shared contexts (rules/vocabulary/context.yaml) a rule reads beyond the defaults, and which not."""
    use: list[str] = []                   # contexts that are off by default (others: 督促各部门…)
    ignore: list[str] = []                # default contexts that do not apply (law-studied for 学法 rules)
    counts_when_negated: list[str] = []   # negated statements that still report on the element (全年无行政复议案件)


class Deadline(_Strict):
    """When a report on year Y is due: month-day in year Y+1 (厅字〔2019〕28号: 4月1日; 纲要2015: first quarter)."""
    due: str = Field(default="04-01", pattern=r"^\d{2}-\d{2}$")
    due_before_2019: str = Field(default="03-31", pattern=r"^\d{2}-\d{2}$")


CHECKS = ("names-year", "names-body", "signed-and-dated", "title", "deadline", "consistent-year", "document-type")
# How the table groups the checklist, in this order.
GROUPS = {"statutory-parts": "法定报告内容", "core-elements": "核心要素", "gangyao-areas": "纲要任务领域",
          "form": "形式要求"}


class Component(_Strict):
    """One of several things a rule needs all of (行政执法公示, 执法全过程记录, 重大执法决定法制审核)."""
    name: str
    phrases: list[Union[str, PhraseSpec]] = Field(min_length=1)
    patterns: list[Pattern] = []


class Sign(_Strict):
    """Wording that tells what kind of document a text is (document-type check): any of `words`, or a regular
    expression `pattern` written against the normalized text (simplified script, half-width ,:;()). It counts
    `weight` once however often it occurs, and only when it occurs `min_count` times; `within`: only in the
    first so many characters; `where: title`: in the title (or, with none, the words the text opens with);
    `required`: a kind with required signs is this kind only when one of them is found (news has a dateline)."""
    words: list[str] = []
    pattern: Optional[str] = None
    weight: int = Field(default=1, ge=1)
    min_count: int = Field(default=1, ge=1)
    within: Optional[int] = Field(default=None, ge=1)
    where: Literal["text", "title"] = "text"
    required: bool = False

    @model_validator(mode="after")
    def _one_form(self):
        import re
        if bool(self.words) == bool(self.pattern):
            raise ValueError("a sign has either words or a pattern")
        if self.pattern:
            try:
                re.compile(self.pattern)
            except re.error as exc:
                raise ValueError(f"pattern {self.pattern!r} is not a regular expression: {exc}") from None
        return self


class TopicBalance(_Strict):
    """Another subject outweighs this report's: `words` found at least `ratio` times as often as `against`
    (default: the rule's phrases) plus one, and at least `min` times, count `weight` for the kind."""
    words: list[str] = Field(min_length=1)
    against: list[str] = []
    ratio: float = Field(default=3, gt=0)
    min: int = Field(default=6, ge=1)
    weight: int = Field(default=6, ge=1)


class WrongType(_Strict):
    """Another kind of document handed in by mistake, told by its title (or, without one, by how the text
    describes itself, 现将…如下) and by the wording of its body (`signs`, `topic`), weighed against what
    speaks for an annual report (`against`: the report's own wording, its subject, or nothing but the title)."""
    name: str
    title: list[str] = []                      # any of these in the title
    title_end: list[str] = []                  # or the title ends with one of these (…的通知)
    unless: list[str] = []                     # not when the title also has one of these (…工作总结及工作计划)
    form: bool = False                         # the form decides over the topic: 法治政府建设工作要点 is a plan
    against: Literal["voice", "topic", "none"] = "voice"
    signs: list[Union[str, Sign]] = []         # body (or title) wording of this kind
    topic: Optional[TopicBalance] = None       # or its subject outweighs this report's
    min_score: int = Field(default=4, ge=1)    # the weight a kind needs before it can be this kind at all

    @field_validator("title_end")
    @classmethod
    def _told_by_title(cls, value, info):
        if not value and not info.data.get("title"):
            raise ValueError("a wrong document type names title words (title or title_end)")
        return value


class ReportForm(_Strict):
    """How an annual report itself reads (document-type check): a title naming the subject (rule phrases) and
    one of `title` (报告, 总结 …) decides for it with `title_weight`, as a title naming another kind does for that
    kind; `signs` are its own wording (现将…报告如下, 一年来, 存在的不足), weighed against notices, plans, news."""
    title: list[str] = Field(min_length=1)
    title_weight: int = Field(default=6, ge=1)
    signs: list[Union[str, Sign]] = []
    # a name run into its body (a PDF copied without line breaks) ends in one of `name_ends` right where a match
    # of `body_starts` (a regular expression: 2023年, 今年以来, 根据 …) begins the body, …
    name_ends: list[str] = []
    body_starts: str = r"(?!)"
    name_starts: list[str] = []                # or it opens like a name (关于) and ends in one of `name_ends`

    @field_validator("body_starts")
    @classmethod
    def _a_pattern(cls, value):
        import re
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"body_starts {value!r} is not a regular expression: {exc}") from None
        return value


# what a not-met example may expect: every gap, or that the rule does not bind (status.py's table)
EXAMPLE_STATUSES = tuple(s.value for s in Status if s.is_gap or s is Status.NOT_APPLICABLE)


class Example(_Strict):
    """A not-met example with the status it must get (partial, planned, shortcoming, missing)."""
    text: str = Field(min_length=1)
    status: Literal[EXAMPLE_STATUSES]


class Examples(_Strict):
    met: list[str] = Field(min_length=1)
    not_met: list[Union[str, Example]] = Field(min_length=1)   # a plain string: any status but met

    def cases(self):
        """(kind, index, text, expected status id or None for "anything but met")."""
        for i, text in enumerate(self.met):
            yield "met", i, text, "met"
        for i, item in enumerate(self.not_met):
            yield ("not_met", i, item, None) if isinstance(item, str) else ("not_met", i, item.text, item.status)


class Rule(_Strict):
    id: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    title: str
    short: Optional[str] = Field(default=None, max_length=8)   # a few characters for matrix columns (合法性审查)
    kind: Literal["element", "section", "metadata"]
    group: Literal[tuple(GROUPS)]
    check: Optional[Literal[CHECKS]] = Field(default=None, validate_default=True)
    severity: Literal["error", "warning", "info"]
    message: str
    rationale: str
    fix: str                                   # how a drafting office closes the gap
    legal_basis: list[str] = Field(min_length=1)
    all_of: list[Component] = []               # element rules: met when every component is reported; some → partial
    patterns: list[Pattern] = []              # element rules: clause patterns (parts in any order)
    concepts: list[Concept] = []              # element rules: who + act + object in one clause, from word classes
    phrases: list[Union[str, PhraseSpec]] = Field(default=[], validate_default=True)
    related: list[str] = []
    openers: list[str] = []
    applies: Applies
    part: Optional[Literal["measures", "leader-duty", "shortcomings", "next-year", "other"]] = Field(
        default=None, validate_default=True)
    match: MatchSettings = MatchSettings()
    context: RuleContext = RuleContext()
    deadline: Deadline = Deadline()
    wrong_types: list[WrongType] = []          # the document-type check: other documents handed in by mistake
    report: Optional[ReportForm] = Field(default=None, validate_default=True)   # document-type: how a report reads
    exclude: list[str] = []
    examples: Examples
    @field_validator("check")
    @classmethod
    def _check_for_metadata(cls, value, info):
        if (value is None) == (info.data.get("kind") == "metadata"):
            raise ValueError(f"a metadata rule names one check ({', '.join(CHECKS)}); other rules have none")
        return value

    @field_validator("phrases")
    @classmethod
    def _phrases_to_match(cls, value, info):
        if not value and not info.data.get("all_of") and not info.data.get("patterns") \
                and not info.data.get("concepts") \
                and info.data.get("kind") in ("element", "section"):
            raise ValueError("an element or section rule needs at least one phrase (or patterns, or all_of components)")
        texts = [p if isinstance(p, str) else p.text for p in value]
        texts += [p if isinstance(p, str) else p.text for c in info.data.get("all_of", []) for p in c.phrases]
        repeated = sorted({t for t in texts if texts.count(t) > 1})
        if repeated:
            raise ValueError(f"phrase listed twice (in phrases or all_of): {', '.join(repeated)}")
        return value

    @field_validator("part")
    @classmethod
    def _part_for_sections(cls, value, info):
        if (value is None) == (info.data.get("kind") == "section"):
            raise ValueError("a section rule names the part it finds (measures, leader-duty, shortcomings, "
                             "next-year, other); an element rule has none")
        return value

    @field_validator("openers")
    @classmethod
    def _openers_need_a_section(cls, value, info):
        if value and info.data.get("kind") == "element":
            raise ValueError("only section rules have openers; an element rule reads every sentence already")
        return value

    def outside(self, year: int | None, level: str | None) -> str | None:
        """Why the rule does not bind a report of this year and level, or None (unknown: it binds)."""
        a = self.applies
        if year is not None and ((a.from_year and year < a.from_year) or (a.to_year and year > a.to_year)):
            return say("years", years=years(a.from_year, a.to_year), year=year)
        base = level.split(":")[0] if level else None
        if base and base not in a.levels:
            from .labels import level as level_label
            return _("this rule does not apply to a report of a {level} body").format(level=level_label(base))
        return None

    @field_validator("patterns", "concepts")
    @classmethod
    def _patterns_for_elements(cls, value, info):
        if value and info.data.get("kind") != "element":
            raise ValueError(f"only element rules have {info.field_name}")
        return value

    @field_validator("report")
    @classmethod
    def _report_form_for_document_type(cls, value, info):
        if (value is None) == (info.data.get("check") == "document-type"):
            raise ValueError("the document-type check says how a report reads (report: title, signs); other rules do not")
        return value

    # set by the loader (not YAML keys): file path, line of each example, the shared context vocabulary
    _path: str = PrivateAttr(default="")
    _example_lines: dict = PrivateAttr(default_factory=dict)
    _concept_lines: dict = PrivateAttr(default_factory=dict)
    _vocabulary: Optional[Vocabulary] = PrivateAttr(default=None)

    def vocabulary(self) -> Vocabulary:
        return self._vocabulary or FALLBACK_VOCABULARY[0]()   # a rule built outside the loader

    def contexts(self) -> list[tuple[str, Context]]:
        """The shared contexts this rule reads, in vocabulary order (defaults, plus `use`, minus `ignore`)."""
        vocabulary = self.vocabulary()
        key = (id(vocabulary), tuple(self.context.use), tuple(self.context.ignore))
        if key not in _CONTEXTS:
            _CONTEXTS[key] = (vocabulary, [(name, c) for name, c in vocabulary.contexts.items()
                                           if (c.default or name in self.context.use) and name not in self.context.ignore])
        return _CONTEXTS[key][1]


_CONTEXTS: dict[tuple, tuple] = {}   # (vocabulary, use, ignore) → the contexts read; the vocabulary kept alive


class Profile(_Strict):
    """Which rule groups bind a kind of body, and how strictly: picked from the report's inferred level
    (`levels`) or named with --profile. `overrides` replaces fields of named rules (severity, deadline, …)."""
    id: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    title: str
    description: str
    extends: Optional[str] = None
    levels: list[Literal["township", "county", "city", "province", "department"]] = []
    groups: list[Literal[tuple(GROUPS)]] = list(GROUPS)
    overrides: dict[str, dict] = {}
    scoring: Optional[str] = Field(default=None, pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")   # rules/scoring/<id>.yaml


Points = Annotated[float, Field(ge=0, le=1000)]
Share = Annotated[float, Field(ge=0, le=1)]


class Keeps(_Strict):
    """The share of a rule's points each status keeps. Not-applicable and waived are not here: they take the
    rule out of the total (满分) instead."""
    met: Share = 1
    partial: Share = 0.5
    planned: Share            # the scheme names these two: how much a plan, or an admitted gap, is worth
    shortcoming: Share
    missing: Share = 0


class Scheme(_Strict):
    """A scoring scheme (rules/scoring/<id>.yaml): the points of each rule (named, or its group's points
    shared evenly by the group's other rules) and the share each status keeps; 得分 and 满分 are rounded
    to `rounding` (0.5: half points)."""
    id: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    title: str
    source: str = Field(min_length=1)         # where the weights come from; unverified points marked [verify]
    default: bool = False                     # the scheme of every profile that names none
    groups: dict[Literal[tuple(GROUPS)], Points] = {}
    rules: dict[str, Points] = {}
    keeps: Keeps
    rounding: float = Field(default=0.5, gt=0, le=10)

    @model_validator(mode="after")
    def _something_scores(self):
        if not self.rules and not self.groups:
            raise ValueError("a scheme gives points to groups, to rules, or to both")
        return self
