"""A batch's season as the workbench sees it: its reports (the latest round of each, with people's reviews in
force) as roster.Handed, who on the batch's roster has reported, late or not at all, the leader's one-page
numbers, and what the reviews say about each rule (how often people confirmed or overturned the machine).

The roster's matching is roster.check's; a roster line linked to a report by hand (a generic name, 我镇) takes
that report whatever its name. A report is received when its first round was uploaded (files stored before
that was kept: when it was audited); a revision asked for by the supervisor never makes a body late."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Iterable

from sqlalchemy import func, select

from .. import roster
from ..model import COULD_IMPROVE, MUST_FIX, Finding
from ..roster import Handed
from ..shown import name as shown_name
from ..status import Status
from . import rounds
from .compare import superseded
from .reports import latest_reviews
from .store import Batch, File, ReportRow, Review, RosterEntry

LEADER_LIST = 8     # rows of each table on the leader's page: with LEADER_NAMES, 40 reports fit one A4 page
LEADER_NAMES = 12   # names in each of its lists (not reported, late, of another year, of no roster line)
SURE_AFTER = 3      # reviews of a rule before the trust page says anything about it
TRUSTED_SHARE = 0.9   # confirmed at least this often: the machine's verdict on the rule can be taken as it is


@dataclass
class Stored:
    """A report of the batch as the season sees it: its latest round, with people's reviews in force."""
    id: int
    body: str | None
    file: str
    year: int | None
    received: date                  # the day its first round was stored, in the server's time zone
    generic: bool
    profile: str | None
    statuses: dict[str, str] = field(default_factory=dict)   # rule id → status id, reviews in force

    def handed(self, body: str | None = None) -> Handed:
        return Handed(key=self.id, body=self.body if body is None else body, year=self.year,
                      received=self.received, generic=self.generic and body is None)


def local_day(moment: datetime) -> date:
    """A stored (UTC) moment as the day it was where the server is."""
    return moment.replace(tzinfo=timezone.utc).astimezone().date()


def reports(s, batch_id: int) -> list[Stored]:
    """The batch's annual reports in upload order, the latest round of each (an earlier round its revision
    replaces is left out), each received when its first round was."""
    rows = s.execute(
        select(ReportRow.id, ReportRow.kind, ReportRow.body, ReportRow.year,
               func.coalesce(File.created_at, ReportRow.created_at).label("created_at"),
               ReportRow.statuses, File.revises_id, File.original_name,
               func.json_extract(ReportRow.data, "$.profile"),
               func.json_extract(ReportRow.data, "$.metadata.body_generic"))
        .join(File, File.id == ReportRow.file_id).where(ReportRow.batch_id == batch_id)
        .order_by(File.position)).all()
    earlier = {r.id: r.revises_id for r in rows}
    stored = {r.id: r.created_at for r in rows}
    replaced = superseded(s, batch_id)
    reviews = rounds.in_force(s, [r.id for r in rows])[0]   # a later round's carried reviews too
    out = []
    for r in rows:
        if r.kind != "report" or r.id in replaced:
            continue
        first, seen = r.id, {r.id}
        while earlier.get(first) and earlier[first] in stored and earlier[first] not in seen:
            first = earlier[first]
            seen.add(first)
        statuses = dict(r.statuses) if r.statuses is not None else {   # stored before the statuses column
            x["rule"]: x["status"] for x in s.scalar(select(ReportRow.data).where(ReportRow.id == r.id))
            .get("results", [])}
        statuses.update({rule: rv.human_status for rule, rv in latest_reviews(reviews.get(r.id, [])).items()})
        out.append(Stored(r.id, r[2], shown_name(r.original_name), r.year, local_day(stored[first]),
                          bool(r[9]), r[8], statuses))
    return out


def latest_of(s, batch_id: int) -> dict[int, int]:
    """Every report id of the batch → the id of its latest round (a hand link made on round 1 follows it)."""
    rows = s.execute(select(ReportRow.id, File.revises_id).join(File, File.id == ReportRow.file_id)
                     .where(ReportRow.batch_id == batch_id)).all()
    later = {revises: rid for rid, revises in rows if revises}
    out = {}
    for rid, _revises in rows:
        last, seen = rid, {rid}
        while last in later and later[last] not in seen:
            last = later[last]
            seen.add(last)
        out[rid] = last
    return out


@dataclass
class Line:
    """A roster line with what the season found for it."""
    id: int                          # the RosterEntry's id
    body: str                        # as the roster writes it
    state: str                       # roster.REPORTED | LATE | MISSING
    reports: list[Stored]
    by_hand: bool                    # linked to its report by hand


@dataclass
class Season:
    year: int | None                 # the season's year: the batch's, else the most common of its reports
    year_given: bool                 # set on the batch, not inferred
    deadline: date | None
    lines: list[Line]                # empty: the batch has no roster
    unmatched: list[Stored]          # on no roster line (only with a roster)
    off_year: list[Stored]           # of another year than the season's
    reports: list[Stored]

    def of(self, state: str) -> list[Line]:
        return [x for x in self.lines if x.state == state]

    def late(self, report: Stored) -> bool:
        return self.deadline is not None and report.received > self.deadline


def season(s, batch: Batch) -> Season:
    """Who on the batch's roster has reported (in time or late) and who has not, the reports of no roster line
    and those of another year than the season's."""
    stored = reports(s, batch.id)
    years = Counter(r.year for r in stored if r.year)
    year = batch.season_year or (years.most_common(1)[0][0] if years else None)
    entries = list(s.scalars(select(RosterEntry).where(RosterEntry.batch_id == batch.id)
                             .order_by(RosterEntry.position, RosterEntry.id)))
    latest = latest_of(s, batch.id)
    by_id = {r.id: r for r in stored}
    linked = {latest.get(e.report_id): e for e in entries if e.report_id and latest.get(e.report_id) in by_id}
    # a report linked by hand is handed in under its line's own name: check() then puts it on that line
    handed = [r.handed(linked[r.id].body if r.id in linked else None) for r in stored]
    found = roster.check([e.body for e in entries], handed, deadline=batch.deadline, year=year)
    lines = [Line(e.id, e.body, x.state, [by_id[h.key] for h in x.reports], any(linked.get(h.key) is e
                                                                              for h in x.reports))
             for e, x in zip(entries, found.entries)]
    return Season(year, batch.season_year is not None, batch.deadline, lines,
                  [by_id[h.key] for h in found.unmatched] if entries else [],
                  [by_id[h.key] for h in found.off_year], stored)


def set_roster(s, batch_id: int, names: list[str]) -> None:
    """The batch's roster replaced by `names`; a line naming the same body as before keeps its hand link."""
    old = {roster.key(e.body): e.report_id for e in s.scalars(select(RosterEntry)
                                                                .where(RosterEntry.batch_id == batch_id))}
    for e in s.scalars(select(RosterEntry).where(RosterEntry.batch_id == batch_id)):
        s.delete(e)
    s.flush()
    for i, name in enumerate(names):
        s.add(RosterEntry(batch_id=batch_id, position=i, body=name, report_id=old.get(roster.key(name))))


def link(s, entry: RosterEntry, report_id: int | None) -> None:
    """The roster line linked by hand to the report (None: the link undone); the report leaves any other line
    of the batch it was linked to."""
    if report_id:
        for other in s.scalars(select(RosterEntry).where(RosterEntry.batch_id == entry.batch_id,
                                                         RosterEntry.report_id == report_id,
                                                         RosterEntry.id != entry.id)):
            other.report_id = None
    entry.report_id = report_id


# --- the leader's page ------------------------------------------------------------------------------------------

@dataclass
class Behind:
    body: str
    report_id: int
    must_fix: int
    could_improve: int


@dataclass
class Leader:
    season: Season
    must_fix: int                    # reports with at least one 必须整改 gap
    could_improve: int               # reports whose gaps are all 建议完善
    clean: int                       # reports without a gap
    common: list[tuple[str, int]]    # a rule's name → the reports it must be fixed in, most first
    behind: list[Behind]             # the reports with the most must-fix gaps, then the most gaps
    more_common: int = 0             # rules left off `common` (the page says how many)


def tiers(report: Stored, rules: dict) -> Counter:
    """MUST_FIX / COULD_IMPROVE → the report's gaps of that tier (model.Finding.tier: the rule's severity after
    the report's profile)."""
    out: Counter = Counter()
    for rule_id, status in report.statuses.items():
        rule = rules.get(rule_id)
        if rule is not None:
            tier = Finding(rule, Status(status), 0.0).tier
            if tier:
                out[tier] += 1
    return out


def leader(s, batch: Batch, pipeline) -> Leader:
    """The leader's numbers for one page: who reported (in time or not), how many reports must be fixed or could
    be better, the most common must-fix gaps and the reports furthest behind; lists at most LEADER_LIST long."""
    found = season(s, batch)
    profiles: dict = {}
    common: Counter = Counter()
    names: dict[str, str] = {}
    behind, counts = [], Counter()
    for report in found.reports:
        if report.profile not in profiles:
            profiles[report.profile] = pipeline.checklist.rules_for(report.profile)
        rules = profiles[report.profile]
        tiered = tiers(report, rules)
        counts["must" if tiered[MUST_FIX] else "could" if tiered[COULD_IMPROVE] else "clean"] += 1
        for rule_id, status in report.statuses.items():
            rule = rules.get(rule_id)
            if rule is not None and Finding(rule, Status(status), 0.0).tier == MUST_FIX:
                common[rule_id] += 1
                names[rule_id] = rule.short or rule.title
        if tiered[MUST_FIX] or tiered[COULD_IMPROVE]:
            behind.append(Behind(report.body or report.file, report.id, tiered[MUST_FIX], tiered[COULD_IMPROVE]))
    behind.sort(key=lambda b: (-b.must_fix, -b.could_improve))
    ranked = common.most_common()
    return Leader(found, counts["must"], counts["could"], counts["clean"],
                  [(names[r], n) for r, n in ranked[:LEADER_LIST]], behind[:LEADER_LIST],
                  max(0, len(ranked) - LEADER_LIST))


# --- what the reviews teach -------------------------------------------------------------------------------------

CONFIRMED, STRICTER, LOOSER, OTHER = "confirmed", "stricter", "looser", "other"


def direction(machine: str, human: str) -> str:
    """How a review went: CONFIRMED (the machine's status kept), STRICTER (the machine saw a gap the reviewer
    did not), LOOSER (the reviewer saw a gap the machine did not), OTHER (another kind of gap, or not applicable
    instead of met)."""
    if machine == human:
        return CONFIRMED
    was, now = Status(machine).is_gap, Status(human).is_gap
    if was and not now:
        return STRICTER
    if now and not was:
        return LOOSER
    return OTHER


@dataclass
class RuleTrust:
    rule: str                        # its id
    name: str                        # its short name or title
    counts: Counter                  # direction → reviews
    changes: Counter                 # (machine status, reviewed status) → reviews that changed it

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def confirmed_share(self) -> float:
        return self.counts[CONFIRMED] / self.total if self.total else 0.0

    @property
    def verdict(self) -> str:
        """Which word the page says about the rule: few (too few reviews), trusted, stricter (its gaps need a
        look), looser (its 满足 need a look) or mixed."""
        if self.total < SURE_AFTER:
            return "few"
        if self.confirmed_share >= TRUSTED_SHARE:
            return "trusted"
        if self.counts[STRICTER] > self.counts[LOOSER] + self.counts[OTHER]:
            return STRICTER
        if self.counts[LOOSER] > self.counts[STRICTER] + self.counts[OTHER]:
            return LOOSER
        return "mixed"


def season_years(s) -> list[int]:
    """The seasons reviews were made in, newest first: a batch's season year, else its report's year."""
    year = func.coalesce(Batch.season_year, ReportRow.year)
    rows = s.execute(select(year).select_from(Review).join(ReportRow, ReportRow.id == Review.report_id)
                     .join(Batch, Batch.id == ReportRow.batch_id).where(year.is_not(None)).distinct()).all()
    return sorted((y for (y,) in rows), reverse=True)


def trust(s, rules: Iterable, year: int | None = None) -> list[RuleTrust]:
    """Per rule, how the newest review of each report went (confirmed, or overturned which way), over the
    reviews of one season (`year`) or all; the rules reviewed most come first, in the rule set's order on ties."""
    query = select(Review).join(ReportRow, ReportRow.id == Review.report_id)
    if year is not None:
        query = query.join(Batch, Batch.id == ReportRow.batch_id).where(
            func.coalesce(Batch.season_year, ReportRow.year) == year)
    by_report: dict[int, list[Review]] = {}
    for review in s.scalars(query):
        by_report.setdefault(review.report_id, []).append(review)
    order = {r.id: (i, r.short or r.title) for i, r in enumerate(rules)}
    found: dict[str, RuleTrust] = {}
    for reviews in by_report.values():
        for rule_id, review in latest_reviews(reviews).items():
            entry = found.setdefault(rule_id, RuleTrust(rule_id, order.get(rule_id, (0, rule_id))[1], Counter(),
                                                        Counter()))
            how = direction(review.machine_status, review.human_status)
            entry.counts[how] += 1
            if how != CONFIRMED:
                entry.changes[(review.machine_status, review.human_status)] += 1
    return sorted(found.values(), key=lambda t: (-t.total, order.get(t.rule, (len(order), ""))[0]))
