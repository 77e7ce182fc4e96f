"""A batch of letters checked before anything goes, then written as drafts or listed.

Checked first, all of them: every agency has a contact, and no text that goes out looks
like personal data (the scan the plan's own text passes, lint rule JTAI301). A problem
anywhere stops the whole batch: nothing written, nothing sent.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path

from ...lint.personal_data import scan
from ...plan.agencies import AgencyIndex
from ...plan.contacts import Contact, Contacts, without_contact
from ...planfile.loader import LoadedPlan
from ..packs.content import Pack, plan_key, plan_title
from .due import due_by_agency
from .letters import pack_letters, reminder_letter
from .message import Letter, MailRefused, to_email


def contacts_for(codes: Iterable[str], contacts: Contacts, names: dict[str, str]
                 ) -> dict[str, Contact]:
    """Each agency's contact, or MailRefused naming every agency without one."""
    wanted = list(codes)
    missing = without_contact(wanted, contacts)
    if missing:
        listed = ", ".join(f"{code} ({names.get(code, code)})" for code in missing)
        raise MailRefused(f"no contact in {contacts.file} for {listed}",
                          hint="add each to the contacts file, e.g. "
                               f"{missing[0]}: {{to: [role-mailbox@example.org]}}")
    return {code: c for code in wanted if (c := contacts.of(code)) is not None}


def pack_mail(packs: Sequence[Pack], contacts: Contacts, *, chase_since: date | None = None
              ) -> list[tuple[Letter, bytes]]:
    """Each pack's letter (a chaser with ``chase_since``) and its workbook, checked."""
    addresses = contacts_for([p.agency for p in packs], contacts,
                             {p.agency: p.agency_name for p in packs})
    made = pack_letters(packs, addresses, chase_since=chase_since)
    check_personal_data([letter for letter, _workbook in made])
    return made


def reminder_mail(loaded: LoadedPlan, contacts: Contacts, as_of: date, within: int
                  ) -> list[Letter]:
    """Each agency's reminder of what is due within ``within`` days and overdue, checked;
    none for an agency with nothing due."""
    plan = loaded.plan
    found = due_by_agency(plan, as_of, within)
    index = AgencyIndex.of(plan)
    names = {item.agency: index.name_of(item.agency) for item in found}
    addresses = contacts_for(names, contacts, names)
    letters = [reminder_letter(plan_key(plan), plan_title(plan), loaded.path.name,
                               item.agency, names[item.agency], addresses[item.agency],
                               item.due, item.overdue, as_of, within) for item in found]
    check_personal_data(letters)
    return letters


def check_personal_data(letters: Sequence[Letter]) -> None:
    problems = [f"{letter.agency}: {name} contains what looks like {pattern.name} (at "
                f"character {position})"
                for letter in letters for name, text in letter.fields
                for pattern, position in scan(text)]
    if problems:
        raise MailRefused("personal data in the outgoing post: " + "; ".join(problems),
                          hint="remove it from the plan (or the contacts file's name:): "
                               "mail must not identify a child or family")


def draft_name(letter: Letter) -> str:
    """``TVP.eml`` beside ``TVP.xlsx``; ``TVP-chase.eml``; ``TVP-remind.eml``."""
    return f"{letter.agency}.eml" if letter.kind == "pack" else \
        f"{letter.agency}-{letter.kind}.eml"


def write_drafts(letters: Sequence[Letter], folder: Path, *, sender: str | None = None
                 ) -> list[Path]:
    """Each letter as an ``.eml`` Outlook opens as a draft (``X-Unsent: 1``)."""
    from ...planfile.atomicfile import write_atomic

    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for letter in letters:
        target = folder / draft_name(letter)
        write_atomic(target, to_email(letter, sender=sender).as_bytes())
        written.append(target)
    return written


def listing(letters: Sequence[Letter], already: set[str] = frozenset()  # type: ignore[assignment]
            ) -> list[str]:
    """``TVP: to a@x.org, cc b@x.org: Subject``, one line a letter (``--dry-run``)."""
    out = []
    for letter in letters:
        cc = f", cc {', '.join(letter.contact.cc)}" if letter.contact.cc else ""
        attached = f" [{letter.attachment[0]} attached]" if letter.attachment else ""
        sent = " (already sent: not again)" if letter.message_id in already else ""
        out.append(f"{letter.agency}: to {', '.join(letter.contact.to)}{cc}: "
                   f"{letter.subject}{attached}{sent}")
    return out
