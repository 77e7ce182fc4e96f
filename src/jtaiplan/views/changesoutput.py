"""``jtai changes`` as text, Markdown, JSON and CSV (from :mod:`jtaiplan.plan.changes`);
``jtai trend`` as JSON and CSV (from :mod:`jtaiplan.plan.trend`)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator

from ..markdown import md_text
from ..plan.changes import KIND_HEADINGS, Changes, Recorded
from ..plan.trend import RAG_ORDER, TrendPoint
from .formats import csv_cell

CSV_COLUMNS = ("kind", "ref", "objective", "date", "by", "changes", "note", "reason",
               "evidence", "impact_evidence")


def _details(item: Recorded) -> Iterator[tuple[str, str]]:
    for key in ("note", "reason", "evidence", "impact_evidence"):
        value = getattr(item.update, key)
        if value:
            yield key.replace("_", " "), value


def _objectives(items: list[Recorded]) -> Iterator[tuple[str, list[Recorded]]]:
    """The items of one kind by objective (they come sorted by objective)."""
    current: str | None = None
    group: list[Recorded] = []
    for item in items:
        plan = f"{item.row.plan}: " if item.row.plan else ""
        heading = f"{plan}Objective {item.row.objective.number}: {item.row.objective.title}"
        if heading != current and group:
            assert current is not None
            yield current, group
            group = []
        current = heading
        group.append(item)
    if group:
        assert current is not None
        yield current, group


def _title(changes: Changes) -> str:
    return (f"Changes {changes.since.isoformat()} to {changes.until.isoformat()}: "
            + changes.headline().split(": ", 1)[1])


def changes_text(changes: Changes) -> str:
    lines = [_title(changes)]
    for kind, items in changes.by_kind():
        lines += ["", f"{KIND_HEADINGS[kind]} ({len(items)})"]
        for heading, group in _objectives(items):
            lines.append(f"  {heading}")
            for item in group:
                what = item.text() or "history entry"
                lines.append(f"    {item.ref}  {item.update.date.isoformat()}  "
                             f"{item.update.by}: {what}")
                lines += [f"      {label}: {value}" for label, value in _details(item)]
    return "\n".join(lines) + "\n"


def changes_markdown(changes: Changes) -> str:
    lines = [f"**{md_text(_title(changes))}**"]
    for kind, items in changes.by_kind():
        lines += ["", f"### {KIND_HEADINGS[kind]} ({len(items)})"]
        for heading, group in _objectives(items):
            lines += ["", f"**{md_text(heading)}**", "",
                      "| Ref | Date | By | Change | Note, reason, evidence |",
                      "| --- | --- | --- | --- | --- |"]
            for item in group:
                details = "; ".join(f"{label}: {value}" for label, value in _details(item))
                lines.append(f"| {md_text(item.ref)} | {item.update.date.isoformat()} | "
                             f"{md_text(item.update.by)} | {md_text(item.text())} | "
                             f"{md_text(details)} |")
    return "\n".join(lines) + "\n"


def changes_json(changes: Changes) -> str:
    return json.dumps(changes.as_dict(), indent=2, ensure_ascii=False) + "\n"


def changes_csv(changes: Changes) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for item in changes.items:
        record = item.record()
        record["changes"] = item.text()
        writer.writerow([csv_cell(record.get(column)) for column in CSV_COLUMNS])
    return out.getvalue()


TREND_COLUMNS = ("date", *(str(r) for r in RAG_ORDER), "overdue", "completed", "total")


def trend_json(points: list[TrendPoint], as_of: str, plan: str,
               filters: dict[str, object]) -> str:
    document = {"as_of": as_of, "plan": plan, "filters": filters,
                "points": [point.as_dict() for point in points]}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def trend_csv(points: list[TrendPoint]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(TREND_COLUMNS)
    for point in points:
        writer.writerow([point.day.isoformat(), *point.progress.values(), point.overdue,
                         point.completed, point.total])
    return out.getvalue()
