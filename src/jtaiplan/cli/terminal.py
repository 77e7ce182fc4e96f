"""The terminal table for ``jtai status``: rich, imported only when a table is printed."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from ..plan.query import Row, Summary
from ..views.formats import summary_line
from ..views.records import complete_by_text, lead_note, owners_text, short_text

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

# The terminal's own four colours: every console (16 colours, 256, true colour) shows them
# as four different backgrounds, where light tints all fell to white or grey. Each pairing
# is readable, and the word always shows, so colour is never the only signal and NO_COLOR
# loses nothing.
RAG_STYLES = {
    "Blue": "bold white on blue",
    "Green": "black on green",
    "Amber": "black on yellow",
    "Red": "bold white on red",
}
# Below this width the table's action column wraps into fragments: one line of facts and
# one of action text per action instead.
COMPACT_BELOW = 100


# Past this many rows a rich table takes seconds to lay out; plain aligned lines stream.
TABLE_ROW_LIMIT = 300


def print_status_table(rows: Sequence[Row], summary: Summary, as_of: date, title: str) -> None:
    if len(rows) > TABLE_ROW_LIMIT:
        _print_plain_rows(rows, summary, as_of, title)
        return
    from rich.console import Console

    console = Console(highlight=False)
    heading = f"{title} · as of {as_of.isoformat()}"
    if console.width < COMPACT_BELOW:
        _print_compact(console, rows, summary, heading, as_of)
        return
    _print_wide(console, rows, summary, heading, as_of)


# The wide table's columns after the action text: (heading, width). Fixed, so every
# objective's block lines up; the action text takes what the terminal has left.
_WIDE_COLUMNS = (("Owners", 11), ("Complete by", 20), ("Progress", 8), ("Impact", 7))
_GAP = "  "
_ACTION_LINES = 4


def _print_wide(console: Console, rows: Sequence[Row], summary: Summary, heading: str,
                as_of: date) -> None:
    """One block per objective: its title, a header, then each action over as many lines
    as its cells need. Laid out here rather than by rich's Table, which measured every cell
    of ten tables twice (a third of ``jtai status``'s time); rich still does the colour."""
    from rich.text import Text

    width = console.width
    plan_width = max((len(row.plan) for row in rows if row.plan), default=0)
    plan_width = max(plan_width, 4) if plan_width else 0
    fixed = sum(w for _, w in _WIDE_COLUMNS) + len(_GAP) * (len(_WIDE_COLUMNS) + 1) + 6
    fixed += plan_width + len(_GAP) if plan_width else 0
    action_width = max(16, width - fixed)
    widths = ([plan_width] if plan_width else []) + [5, action_width] + [
        w for _, w in _WIDE_COLUMNS]
    headings = (["Plan"] if plan_width else []) + ["Ref", "Action"] + [
        h for h, _ in _WIDE_COLUMNS]
    # The action text takes the width there is, over up to this many lines, before "…".
    text_limit = max(70, _ACTION_LINES * action_width)

    def line(cells: Sequence[Text]) -> Text:
        out = Text(" ")
        for i, (cell, cell_width) in enumerate(zip(cells, widths, strict=True)):
            if i:
                out.append(_GAP)
            out.append_text(cell)
            out.append(" " * (cell_width - cell.cell_len))
        out.rstrip()
        return out

    lines = [Text(heading, style="bold")]
    current: tuple[str | None, int] | None = None
    for row in rows:
        if (row.plan, row.objective.number) != current:
            current = (row.plan, row.objective.number)
            plan = f"{row.plan} · " if row.plan else ""
            lines += [
                *([Text("")] if len(lines) > 1 else []),
                *(Text(part, style="bold") for part in textwrap.wrap(
                    f"{plan}Objective {row.objective.number}: {row.objective.title} "
                    f"{lead_note(row)}", width)),
                Text(""),
                line([Text(h, style="bold") for h in headings]),
                Text(" " + "─" * (sum(widths) + len(_GAP) * (len(widths) - 1))),
            ]
        due = Text(complete_by_text(row.action))
        if row.overdue:
            due.append(" OVERDUE", style="bold red")
        texts = ([row.plan or ""] if plan_width else []) + [
            row.action.ref, short_text(row.action.action, text_limit), owners_text(row)]
        wrapped = [textwrap.wrap(text, cell_width, break_long_words=True) or [""]
                   for text, cell_width in zip(texts, widths, strict=False)]
        height = max(len(cells) for cells in wrapped)
        for n in range(height):
            cells = [Text(cells[n] if n < len(cells) else "") for cells in wrapped]
            if n == 0:
                cells += [due, _rag(str(row.action.progress)),
                          _rag(str(row.action.impact)) if row.action.impact else Text(" —")]
            else:
                cells += [Text(""), Text(""), Text("")]
            lines.append(line(cells))
    lines += [Text(""), *(Text(part) for part in textwrap.wrap(summary_line(summary, as_of),
                                                               width))]
    console.print(Text("\n").join(lines), no_wrap=True, overflow="ignore", crop=False)


def _print_plain_rows(rows: Sequence[Row], summary: Summary, as_of: date, title: str) -> None:
    from .common import write_out

    width = max(len(row.plan or "") for row in rows)

    def plan_cell(text: str | None) -> str:
        return f"{text or '':<{max(width, 4)}} " if width else ""

    lines = [f"{title} · as of {as_of.isoformat()} · {len(rows)} actions: plain rows (filter, "
             "or use --format csv, for more)",
             f"{plan_cell('Plan')}{'Ref':<8} {'Complete by':<28} {'Progress':<8} "
             f"{'Impact':<8} {'Owners':<16} Action"]
    for row in rows:
        due = complete_by_text(row.action) + (" OVERDUE" if row.overdue else "")
        lines.append(f"{plan_cell(row.plan)}{row.action.ref:<8} {due:<28} "
                     f"{row.action.progress!s:<8} {row.action.impact or '—'!s:<8} "
                     f"{owners_text(row):<16} {short_text(row.action.action, 60)}")
    lines.append(summary_line(summary, as_of))
    write_out("\n".join(lines) + "\n")


def _print_compact(console: Console, rows: Sequence[Row], summary: Summary, heading: str,
                   as_of: date) -> None:
    """Two lines an action, no padding past the last word: ref, date, ratings, owners; then
    the action's text cut to the width."""
    from rich.text import Text

    width = console.width
    ref_width = max([5, *(len(row.action.ref) for row in rows)])
    due_width = max([19, *(len(_due_text(row)) for row in rows)])
    indent = " " * (ref_width + 2)
    # Headings over the words, which sit one column inside their badges.
    lines = [*(Text(part, style="bold") for part in textwrap.wrap(heading, width)),
             Text(f"{'Ref':<{ref_width}}  {'Complete by':<{due_width}}   Progress Impact "
                  "Owners / action", style="dim")]
    current: tuple[str | None, int] | None = None
    for row in rows:
        if (row.plan, row.objective.number) != current:
            current = (row.plan, row.objective.number)
            plan = f"{row.plan} · " if row.plan else ""
            lines += [Text(""), Text(short_text(
                f"{plan}Objective {row.objective.number}: {row.objective.title} "
                f"{lead_note(row)}", width), style="bold")]
        due = complete_by_text(row.action)
        facts = Text(f"{row.action.ref:<{ref_width}}  {due}")
        if row.overdue:
            facts.append(" OVERDUE", style="bold red")
        facts.append(" " * (due_width - len(_due_text(row)) + 2))
        facts.append_text(_badge(str(row.action.progress), 9))
        facts.append_text(_badge(str(row.action.impact) if row.action.impact else None, 8))
        facts.append(short_text(owners_text(row), max(8, width - facts.cell_len)))
        lines += [facts, Text(indent + short_text(row.action.action, width - len(indent)))]
    # Wrapped here, not by rich, which leaves a space at the end of a wrapped line.
    lines += [Text(""), *(Text(part) for part in textwrap.wrap(summary_line(summary, as_of),
                                                               width))]
    for line in lines:
        line.rstrip()
        console.print(line, no_wrap=True, overflow="ellipsis", crop=True)


def _due_text(row: Row) -> str:
    return complete_by_text(row.action) + (" OVERDUE" if row.overdue else "")


def _badge(word: str | None, width: int) -> Text:
    """A RAG badge (or a dash for none) padded to ``width`` columns."""
    from rich.text import Text

    badge = Text()
    badge.append_text(_rag(word) if word else Text(" —"))
    badge.append(" " * (width - badge.cell_len))
    return badge


def _rag(word: str) -> Text:
    from rich.text import Text

    return Text(f" {word} ", style=RAG_STYLES.get(word, ""))
