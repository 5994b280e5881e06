"""The batch page's matrix cells as HTML: a cell depends only on its rule, its status and whether a person
reviewed it (and the report's id in its link), so each kind of cell is made once per page, not once per cell
through the template (200 reports × 40 rules is 8,000 cells). A cell carries classes, not a tooltip or a style:
the status's colour is one CSS rule per status (`colour_rules`), the rule's title is its column's tooltip and
the marks are in the legend, so the page is a few hundred KB, not a few MB."""
from __future__ import annotations

from collections.abc import Mapping, Sequence

from markupsafe import Markup, escape

from ..status import Status
from .batch_filter import Row


def colour_rules(colours: Mapping[str, str]) -> Markup:
    """One CSS rule per status with a colour: the cells' background by their class s-<status>."""
    return Markup("".join(f"table.matrix td.s-{escape(status)}{{background:#{escape(colour)}}}"
                          for status, colour in colours.items() if colour))


def _cell(rule, status: str | None, reviewed: bool, must: bool, marks: Mapping[str, str]) -> tuple[str, str | None]:
    """The cell's HTML before the report's id and after it (None: no link, nothing after). A gap that must be
    fixed is drawn strong (class must), one that could be better pale (class could): two tiers at a glance."""
    gap = bool(status) and Status(status).is_gap
    tier = ("must" if must else "could") if gap else ""
    classes = " ".join(x for x in ("mark", "reviewed" if reviewed else "", tier, f"s-{escape(status)}" if status
                                   else "") if x)
    head = f'<td class="{classes}">'
    if not status:
        return head + "</td>", None
    mark = escape(marks[status]) + ("*" if reviewed else "")
    return head + '<a href="/reports/', f'#rule-{escape(rule.id)}">{mark}</a></td>'


def cells(rows: Sequence[Row], rules: Sequence, marks: Mapping[str, str]) -> list[Markup]:
    """Each row's cells under `rules` (the shown columns), one Markup per row: the status as a class (its
    colour, see `colour_rules`), its mark linking to the rule on the report's page, a reviewed one starred."""
    made: dict[tuple, tuple[str, str | None]] = {}
    out = []
    for row in rows:
        parts = []
        for rule in rules:
            status = row.statuses.get(rule.id)
            key = (rule.id, status, rule.id in row.reviewed, rule.id in row.must)
            piece = made.get(key)
            if piece is None:
                piece = made[key] = _cell(rule, status, key[2], key[3], marks)
            head, tail = piece
            parts.append(head if tail is None else f"{head}{row.id}{tail}")
        out.append(Markup("".join(parts)))
    return out
