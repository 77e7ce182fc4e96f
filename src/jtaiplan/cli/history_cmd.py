"""``jtai history``: who changed what, when and why, newest first."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from .common import load_plans, write_out
from .options import PlansOption, TextOrJson


def history(
    ref: Annotated[str | None, typer.Argument(
        help="One action's ref (2.2, or PLAN:2.2 among several plans); all actions "
             "without it.")] = None,
    plan: PlansOption = None,
    output_format: Annotated[TextOrJson, typer.Option("--format", "-f")] = TextOrJson.text,
) -> None:
    """Show the history of one action, or of all, newest first: each update's date, who
    made it, what changed and the note; inside a git repository also the commit that
    brought the entry in and its author.

    --format json prints {"entries": [...]}: ref, date, by, changes ({field: {from, to}}),
    note, reason, evidence, impact_evidence, line, and commit ({sha, author, date, summary},
    or null outside git).

    Several plans (--plan plans/): a ref is written PLAN:REF (a bare ref is enough while
    only one plan has it); without a ref, the entries of every plan, newest first, each
    with its qualified ref. JSON then lists "plans" ({id, file}) and gives each entry its
    "plan".

    Examples: jtai history 2.2; jtai history --format json > history.json;
    jtai history --plan plans/ reading-jtai:2.2
    """
    import json

    from ..history.log import commit_record, history_across
    from ..plan.fieldnames import changes_text
    from ..plan.refs import qualified

    portfolio = load_plans(plan)
    entries = history_across(portfolio, ref)
    if output_format is TextOrJson.json:
        document: dict[str, object] = {"plan": portfolio.entries[0].loaded.name}
        if portfolio.several:
            document = {"plans": [{"id": e.id, "file": e.loaded.name}
                                  for e in portfolio.entries]}
        document["ref"] = ref
        document["entries"] = [dict(e.record(), **({"plan": e.plan} if e.plan else {}))
                               for e in entries]
        write_out(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
        return
    out: list[str] = []
    for entry in entries:
        update = entry.update
        what = changes_text(update.changes)
        out.append(f"{qualified(entry.plan, entry.ref)}  {update.date.isoformat()}  {update.by}"
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
