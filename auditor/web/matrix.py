"""The batch page's matrix cells as HTML: a cell depends only on its rule, its status and whether a person
reviewed it (and the report's id in its link), so each kind of cell is made once per page, not once per cell
through the template (200 reports × 40 rules is 8,000 cells)."""
from __future__ import annotations

from collections.abc import Mapping, Sequence

from markupsafe import Markup, escape

from .. import shown
from ..status import Status
from .batch_filter import Row


def _cell(rule, status: str | None, reviewed: bool, must: bool, colours: Mapping[str, str],
          names: Mapping[str, str], marks: Mapping[str, str], reviewed_word: str,
          tiers: Mapping[str, str]) -> tuple[str, str | None]:
    """The cell's HTML before the report's id and after it (None: no link, nothing after). A gap that must be
    fixed is drawn strong (class must), one that could be better pale (class could): two tiers at a glance."""
    title = escape(shown.text(rule.title))
    style = f' style="background:#{escape(colours[status])}"' if status and colours[status] else ""
    gap = bool(status) and Status(status).is_gap
    tier = ("must" if must else "could") if gap else ""
    said = escape(names[status] if status else "—") + (escape(f"（{reviewed_word}）") if reviewed else "") + (
        escape(f"·{tiers[tier]}") if tier else "")
    classes = " ".join(x for x in ("mark", "reviewed" if reviewed else "", tier) if x)
    head = f'<td class="{classes}"{style} title="{title}：{said}">'
    if not status:
        return head + "</td>", None
    mark = escape(marks[status]) + ("*" if reviewed else "")
    return head + '<a href="/reports/', f'#rule-{escape(rule.id)}">{mark}</a></td>'


def cells(rows: Sequence[Row], rules: Sequence, colours: Mapping[str, str], names: Mapping[str, str],
          marks: Mapping[str, str], reviewed_word: str, tiers: Mapping[str, str]) -> list[Markup]:
    """Each row's cells under `rules` (the shown columns), one Markup per row: the status's colour, its mark
    linking to the rule on the report's page, the rule's title and status as a tooltip, a reviewed one starred."""
    made: dict[tuple, tuple[str, str | None]] = {}
    out = []
    for row in rows:
        parts = []
        for rule in rules:
            status = row.statuses.get(rule.id)
            key = (rule.id, status, rule.id in row.reviewed, rule.id in row.must)
            piece = made.get(key)
            if piece is None:
                piece = made[key] = _cell(rule, status, key[2], key[3], colours, names, marks, reviewed_word, tiers)
            head, tail = piece
            parts.append(head if tail is None else f"{head}{row.id}{tail}")
        out.append(Markup("".join(parts)))
    return out
