"""What each agency is sent: a pack out, a chaser, a reminder; as plain text and as HTML.

One :class:`Body` says it once; the text is written here and the HTML by the template
``email.html.j2``, rendered in Jinja's sandbox with autoescaping as reports are.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from ...plan.contacts import Contact
from ...plan.query import Row
from ..packs.content import Pack, PackRow, given_text
from ..packs.layout import FILLED
from .message import Letter


@dataclass(frozen=True)
class MailRow:
    ref: str
    action: str
    complete_by: str
    progress: str
    impact: str | None
    overdue: bool = False


@dataclass(frozen=True)
class Section:
    heading: str
    caption: str
    rows: tuple[MailRow, ...]


@dataclass(frozen=True)
class Body:
    title: str
    greeting: str
    paragraphs: tuple[str, ...]
    sections: tuple[Section, ...]
    footer: str
    steps_heading: str = ""
    steps: tuple[str, ...] = ()
    closing: tuple[str, ...] = field(default=(
        "Please do not name or identify any child or family in your reply.",))


def long_date(day: date) -> str:
    """``14 July 2025``: the form people read in a letter."""
    return f"{day.day} {day.strftime('%B %Y')}"


def pack_letter(pack: Pack, contact: Contact, filename: str, workbook: bytes, *,
                chase_since: date | None = None) -> Letter:
    """The pack out (or, with ``chase_since``, the chaser that sends it again)."""
    when = long_date(pack.return_by)
    rows = tuple(_pack_row(row, pack.as_of) for row in pack.rows)
    if chase_since is None:
        kind = "pack"
        subject = f"{pack.plan_title}: update for {pack.agency_name}, return by {when}"
        asked = (f"Please update us on the {_count(rows)} {pack.agency_name} owns in the "
                 f"{pack.plan_title}, by {when}. The pack is attached ({filename}).")
    else:
        kind = "chase"
        subject = (f"Reminder: {pack.plan_title}: update for {pack.agency_name} awaited, "
                   f"return by {when}")
        asked = (f"We have not had an update from {pack.agency_name} since "
                 f"{long_date(chase_since)}. Please update us on the {_count(rows)} it owns "
                 f"in the {pack.plan_title}, by {when}. The pack is attached again "
                 f"({filename}).")
    body = Body(
        title=f"{pack.plan_title}: update for {pack.agency_name}",
        greeting=f"Dear {contact.name or pack.agency_name},",
        paragraphs=(asked, "Each action is listed below as the plan holds it now."),
        sections=(Section("Your actions", f"Actions owned by {pack.agency_name}", rows),),
        steps_heading="How to fill in the pack",
        steps=(f"Open {filename} and go to the Return sheet.",
               "For each action, fill in only what has changed since the last update, in "
               "the white columns: " + ", ".join(c.header for c in FILLED) + ".",
               "Leave the grey columns as they are, and do not rename, move or add "
               "columns.",
               f"Save the workbook and send it back as an attachment by {when}."),
        footer=f"Made by jtai from {pack.plan_file} as of {pack.as_of.isoformat()}.")
    letter = _letter(kind, pack.plan_id or pack.plan_title, pack.agency, pack.agency_name,
                     contact, subject, body, pack.return_by.isoformat(), (filename, workbook))
    return replace(letter, content=";".join(f"{r.ref}={r.fingerprint}" for r in pack.rows))


def reminder_letter(plan_id: str, plan_title: str, plan_file: str, agency: str,
                    agency_name: str, contact: Contact, due: Sequence[Row],
                    overdue: Sequence[Row], as_of: date, within: int) -> Letter:
    """Actions due within the window, and those overdue; nothing attached."""
    until = date.fromordinal(as_of.toordinal() + within)
    sections = []
    if overdue:
        sections.append(Section("Overdue", f"{agency_name}: actions past their complete-by "
                                f"date as of {long_date(as_of)}",
                                tuple(_query_row(r) for r in overdue)))
    if due:
        sections.append(Section(f"Due by {long_date(until)}", f"{agency_name}: actions due "
                                f"within {within} days of {long_date(as_of)}",
                                tuple(_query_row(r) for r in due)))
    said = [f"{len(due)} due by {long_date(until)}"] if due else []
    said += [f"{len(overdue)} overdue"] if overdue else []
    subject = f"{plan_title}: {agency_name}: " + " and ".join(said)
    body = Body(
        title=f"{plan_title}: dates coming up for {agency_name}",
        greeting=f"Dear {contact.name or agency_name},",
        paragraphs=(f"A reminder of the actions {agency_name} owns in the {plan_title} that "
                    f"are overdue or due within {within} days, as of {long_date(as_of)}.",
                    "If an action is done or its date has to move, please tell us with "
                    "your next update."),
        sections=tuple(sections),
        footer=f"Made by jtai from {plan_file} as of {as_of.isoformat()}.")
    return _letter("remind", plan_id, agency, agency_name, contact, subject, body,
                   as_of.isoformat(), None)


def _letter(kind: str, plan_id: str, agency: str, agency_name: str, contact: Contact,
            subject: str, body: Body, dated: str, attachment: tuple[str, bytes] | None
            ) -> Letter:
    fields = [("subject", subject)]
    if contact.name:
        fields.append(("contact name", contact.name))
    fields += [(f"action {row.ref}", row.action) for s in body.sections for row in s.rows]
    return Letter(kind=kind, plan_id=plan_id, agency=agency, agency_name=agency_name,
                  contact=contact, subject=subject, text=body_text(body),
                  html=body_html(body, subject), dated=dated, attachment=attachment,
                  fields=tuple(fields))


def body_text(body: Body) -> str:
    out = [body.greeting, ""]
    for paragraph in body.paragraphs:
        out += [paragraph, ""]
    for section in body.sections:
        out += [section.heading, "-" * len(section.heading), ""]
        for row in section.rows:
            rating = f"progress {row.progress}, impact {row.impact or 'not rated'}"
            late = ", OVERDUE" if row.overdue else ""
            out += [f"{row.ref}: {_plain(row.action)}",
                    f"    complete by {row.complete_by}{late}; {rating}", ""]
    if body.steps:
        out += [body.steps_heading, "-" * len(body.steps_heading), ""]
        out += [f"{i}. {step}" for i, step in enumerate(body.steps, 1)]
        out.append("")
    for paragraph in body.closing:
        out += [paragraph, ""]
    out.append(body.footer)
    return "\n".join(out) + "\n"


def body_html(body: Body, subject: str) -> str:
    from ...views.report import rag_class
    from ...views.templating import environment, render

    env = environment([], markdown=False, filters={"rag_class": rag_class})
    context: dict[str, Any] = {"subject": subject, **body.__dict__}
    return render(env, "email.html.j2", context)


def _pack_row(row: PackRow, as_of: date) -> MailRow:
    late = isinstance(row.complete_by, date) and row.complete_by < as_of
    return MailRow(row.ref, row.action, given_text(row.complete_by) or "not set",
                   str(row.progress), given_text(row.impact) or None, late)


def _query_row(row: Row) -> MailRow:
    action = row.action
    return MailRow(action.ref, action.action, given_text(action.complete_by) or "not set",
                   str(action.progress), str(action.impact) if action.impact else None,
                   row.overdue)


def _count(rows: tuple[MailRow, ...]) -> str:
    return f"{len(rows)} action{'s' if len(rows) != 1 else ''}"


def _plain(text: str) -> str:
    return " ".join(text.split())


def pack_letters(packs: Sequence[Pack], contacts: dict[str, Contact], *,
                 chase_since: date | None = None) -> list[tuple[Letter, bytes]]:
    """Each pack's letter, with the workbook it attaches (to be written beside it)."""
    from ..packs.make import PackFormat, render_pack

    out = []
    for pack in packs:
        workbook = render_pack(pack, PackFormat.xlsx)
        out.append((pack_letter(pack, contacts[pack.agency], f"{pack.agency}.xlsx", workbook,
                                chase_since=chase_since), workbook))
    return out
