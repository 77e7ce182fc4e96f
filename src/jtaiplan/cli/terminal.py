"""The terminal table for ``jtai status``: rich, imported only when a table is printed."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from ..plan.query import Row, Summary
from ..views.formats import summary_line
from ..views.records import complete_by_text, lead_shown, owners_text, short_text

if TYPE_CHECKING:
    from rich.text import Text

# Dark text on light tints (and white on a dark red): readable, and the word always shows,
# so colour is never the only signal and NO_COLOR loses nothing.
RAG_STYLES = {
    "Blue": "black on #cfe2ff",
    "Green": "black on #d1e7dd",
    "Amber": "black on #ffe69c",
    "Red": "bold white on #9c1c28",
}


# Past this many rows a rich table takes seconds to lay out; plain aligned lines stream.
TABLE_ROW_LIMIT = 300


def print_status_table(rows: Sequence[Row], summary: Summary, as_of: date, title: str) -> None:
    if len(rows) > TABLE_ROW_LIMIT:
        _print_plain_rows(rows, summary, as_of, title)
        return
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console(highlight=False)
    console.print(Text(f"{title} · as of {as_of.isoformat()}", style="bold"))
    current: tuple[str | None, int] | None = None
    table: Table | None = None
    for row in rows:
        if (row.plan, row.objective.number) != current:
            if table is not None:
                console.print(table)
            current = (row.plan, row.objective.number)
            plan = f"{row.plan} · " if row.plan else ""
            table = Table(
                title=f"{plan}Objective {row.objective.number}: {row.objective.title} "
                      f"(lead {lead_shown(row)})",

                title_justify="left", title_style="bold", box=box.SIMPLE_HEAD,
                pad_edge=False, collapse_padding=True, expand=True,
            )
            # Fixed widths for all but the action text, so every objective's table lines up.
            if row.plan:
                table.add_column("Plan", width=12, overflow="fold")
            table.add_column("Ref", width=5, no_wrap=True)
            table.add_column("Action", ratio=1, min_width=16)
            table.add_column("Owners", width=11, overflow="fold")
            table.add_column("Complete by", width=20)

            table.add_column("Progress", width=8, no_wrap=True)
            table.add_column("Impact", width=7, no_wrap=True)
        assert table is not None
        due = Text(complete_by_text(row.action))
        if row.overdue:
            due.append(" OVERDUE", style="bold red")
        table.add_row(
            *((row.plan,) if row.plan else ()),
            row.action.ref,
            short_text(row.action.action),
            owners_text(row),
            due,
            _rag(str(row.action.progress)),
            _rag(str(row.action.impact)) if row.action.impact else Text("—"),
        )
    if table is not None:
        console.print(table)
    console.print(summary_line(summary, as_of))


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


def _rag(word: str) -> Text:
    from rich.text import Text

    return Text(f" {word} ", style=RAG_STYLES.get(word, ""))
