"""What a revised report (round 2, 3 …) inherits from the round it revises: the people's reviews whose reading
still stands. A review of a rule carries to the next round when that round has no review of the rule and the
machine reads the rule there as it did when the person reviewed it (the person's correction still applies);
where the machine now reads it otherwise, the text changed and the review is dropped, and said so."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from .reports import latest_reviews
from .store import File, ReportRow, Review


@dataclass(frozen=True)
class Carried:
    """A review in force on a later round, taken from an earlier one; reads like a Review (pages, scoring)."""
    id: int
    rule: str
    machine_status: str
    human_status: str
    reason: str
    user: str
    created_at: datetime
    from_round: int
    report_id: int


@dataclass(frozen=True)
class Dropped:
    """An earlier round's review not carried: the machine reads the rule otherwise now."""
    review: object
    now: str            # the machine's status on this round
    from_round: int


def in_force(s, report_ids: list[int]) -> tuple[dict[int, list], dict[int, list[Dropped]]]:
    """Report id → its own reviews (oldest first) followed by the ones carried from earlier rounds; and report id
    → the earlier rounds' reviews that were dropped."""
    own: dict[int, list[Review]] = {}
    for r in s.scalars(select(Review).where(Review.report_id.in_(report_ids)).order_by(Review.id)) if report_ids \
            else []:
        own.setdefault(r.report_id, []).append(r)
    facts: dict[int, tuple] = {}   # report id → (revises id, round, machine statuses)
    wanted = list(report_ids)
    while wanted:
        rows = s.execute(select(ReportRow.id, File.revises_id, ReportRow.round, ReportRow.statuses)
                         .join(File, File.id == ReportRow.file_id).where(ReportRow.id.in_(wanted))).all()
        for rid, revises, round_, statuses in rows:
            facts[rid] = (revises, round_, dict(statuses or {}))
        wanted = [f[0] for f in facts.values() if f[0] and f[0] not in facts]
        extra = [w for w in wanted if w not in own]
        for r in s.scalars(select(Review).where(Review.report_id.in_(extra)).order_by(Review.id)) if extra else []:
            own.setdefault(r.report_id, []).append(r)
    memo: dict[int, tuple[list, list]] = {}

    def settle(rid: int, seen: frozenset) -> tuple[list, list]:
        if rid in memo:
            return memo[rid]
        mine = own.get(rid, [])
        revises, _round, statuses = facts.get(rid, (None, 1, {}))
        carried, dropped = [], []
        if revises and revises in facts and revises not in seen:
            earlier_round = facts[revises][1]
            before, _gone = settle(revises, seen | {rid})
            reviewed_here = {r.rule for r in mine}
            for rule, review in latest_reviews(before).items():
                if rule in reviewed_here or rule not in statuses:
                    continue
                if statuses[rule] == review.machine_status:
                    carried.append(Carried(review.id, rule, review.machine_status, review.human_status,
                                           review.reason, review.user, review.created_at,
                                           getattr(review, "from_round", earlier_round), rid))
                else:
                    dropped.append(Dropped(review, statuses[rule], getattr(review, "from_round", earlier_round)))
        memo[rid] = (mine + carried, dropped)
        return memo[rid]

    reviews, dropped = {}, {}
    for rid in report_ids:
        reviews[rid], dropped[rid] = settle(rid, frozenset())
    return {k: v for k, v in reviews.items() if v}, dropped
