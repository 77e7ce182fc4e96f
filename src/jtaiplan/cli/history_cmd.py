"""``jtai history``: who changed what, when and why, newest first."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from .common import load, write_out
from .options import DEFAULT_PLAN, PlanOption, TextOrJson


def history(
    ref: Annotated[str | None, typer.Argument(
        help="One action's ref (2.2); all actions without it.")] = None,
    plan: PlanOption = DEFAULT_PLAN,
    output_format: Annotated[TextOrJson, typer.Option("--format", "-f")] = TextOrJson.text,
) -> None:
    """Show the history of one action, or of all, newest first: each update's date, who
    made it, what changed and the note; inside a git repository also the commit that
    brought the entry in and its author.

    --format json prints {"entries": [...]}: ref, date, by, changes ({field: {from, to}}),
    note, reason, evidence, impact_evidence, line, and commit ({sha, author, date, summary},
    or null outside git).

    Examples: jtai history 2.2; jtai history --format json > history.json
    """
    import json

    from ..history.log import changes_text, commit_record, history

    loaded = load(plan)
    entries = history(loaded, ref)
    if output_format is TextOrJson.json:
        document = {"plan": loaded.name, "ref": ref, "entries": [e.record() for e in entries]}
        write_out(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
        return
    out: list[str] = []
    for entry in entries:
        update = entry.update
        what = changes_text(update)
        out.append(f"{entry.ref}  {update.date.isoformat()}  {update.by}"
                   f"{'  ' + what if what else ''}")
        for key in ("note", "reason", "evidence", "impact_evidence"):
            value = getattr(update, key)
            if value:
                out.append(f"    {key.replace('_', ' ')}: {' '.join(value.split())}")
        if entry.commit is not None:
            record = commit_record(entry.commit)
            assert record is not None
            if record["sha"] is None:
                out.append("    commit: not committed yet")
            else:
                out.append(f"    commit {record['sha'][:10]} by {record['author']} on "
                           f"{record['date']}: {record['summary']}")
    write_out("\n".join(out) + ("\n" if out else ""))
    if not entries:
        where = f"{ref}" if ref else "any action"
        print(f"jtai: no history recorded for {where} yet", file=sys.stderr)
