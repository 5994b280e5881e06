"""The batch page's matrix cells as HTML: a cell depends only on its rule, its status and whether a person
reviewed it (and the report's id in its link), so each kind of cell is made once per page, not once per cell
through the template (200 reports × 40 rules is 8,000 cells)."""
from __future__ import annotations

from collections.abc import Mapping, Sequence

from markupsafe import Markup, escape

from .. import shown
from .batch_filter import Row


def _cell(rule, status: str | None, reviewed: bool, colours: Mapping[str, str], names: Mapping[str, str],
          marks: Mapping[str, str], reviewed_word: str) -> tuple[str, str | None]:
    """The cell's HTML before the report's id and after it (None: no link, nothing after)."""
    title = escape(shown.text(rule.title))
    style = f' style="background:#{escape(colours[status])}"' if status and colours[status] else ""
    said = escape(names[status] if status else "—") + (escape(f"（{reviewed_word}）") if reviewed else "")
    head = f'<td class="mark{" reviewed" if reviewed else ""}"{style} title="{title}：{said}">'
    if not status:
        return head + "</td>", None
    mark = escape(marks[status]) + ("*" if reviewed else "")
    return head + '<a href="/reports/', f'#rule-{escape(rule.id)}">{mark}</a></td>'


def cells(rows: Sequence[Row], rules: Sequence, colours: Mapping[str, str], names: Mapping[str, str],
          marks: Mapping[str, str], reviewed_word: str) -> list[Markup]:
    """Each row's cells under `rules` (the shown columns), one Markup per row: the status's colour, its mark
    linking to the rule on the report's page, the rule's title and status as a tooltip, a reviewed one starred."""
    made: dict[tuple, tuple[str, str | None]] = {}
    out = []
    for row in rows:
        parts = []
        for rule in rules:
            status = row.statuses.get(rule.id)
            key = (rule.id, status, rule.id in row.reviewed)
            piece = made.get(key)
            if piece is None:
                piece = made[key] = _cell(rule, status, key[2], colours, names, marks, reviewed_word)
            head, tail = piece
            parts.append(head if tail is None else f"{head}{row.id}{tail}")
        out.append(Markup("".join(parts)))
    return out
