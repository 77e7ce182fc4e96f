"""Who each agency's post goes to: ``contacts.yaml``, kept apart from the plan.

The plan is shared and may be published; addresses are not, so they live in their own
file beside it. This module is the model and its checks as plain data; reading the file
(and locating its problems) is ``planfile/contactsfile.py``'s.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .agencies import AgencyIndex

# An addr-spec as mail servers take it without SMTPUTF8: dot-atom local part, a domain of
# at least two labels. A display name ("A <a@b>") is refused: the name goes in `name:`.
_ADDRESS = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}")
KEYS = ("to", "cc", "name")


@dataclass(frozen=True)
class Contact:
    agency: str
    """The agency's code as the plan's registry spells it."""
    to: tuple[str, ...]
    cc: tuple[str, ...] = ()
    name: str | None = None


@dataclass(frozen=True)
class Problem:
    """One thing wrong in the file, at a path of its YAML (keys and list indices)."""

    path: tuple[str | int, ...]
    message: str
    hint: str = ""
    at_key: bool = False
    """Located at the key itself (an unknown agency code), not its value."""


@dataclass(frozen=True)
class Contacts:
    file: str
    by_agency: Mapping[str, Contact]

    def of(self, code: str) -> Contact | None:
        return self.by_agency.get(code)


def valid_address(text: str) -> bool:
    return _ADDRESS.fullmatch(text) is not None


def parse_contacts(data: object, index: AgencyIndex, file: str
                   ) -> tuple[Contacts, list[Problem]]:
    """The file's plain data to contacts, and every problem in it (all of them, not the
    first): agency codes matched as owners are (code, name or alias, any case)."""
    problems: list[Problem] = []
    found: dict[str, Contact] = {}
    if data is None:
        data = {}
    if not isinstance(data, dict):
        # The file may have any name (--contacts): the location names it.
        problems.append(Problem((), "a contacts file is a mapping of agency codes to "
                                "addresses", "e.g. TVP: {to: [safeguarding@example.org]}"))
        return Contacts(file, found), problems
    for key, entry in data.items():
        code = index.resolve(str(key))
        if code is None:
            problems.append(Problem((key,), f"unknown agency '{key}'",
                                    f"known agencies: {index.describe()}", at_key=True))
            continue
        if code in found:
            problems.append(Problem((key,), f"'{key}' is {code} again (given once already)",
                                    "give each agency once", at_key=True))
            continue
        contact = _contact(code, key, entry, problems)
        if contact is not None:
            found[code] = contact
    return Contacts(file, found), problems


def _contact(code: str, key: str, entry: object, problems: list[Problem]) -> Contact | None:
    if isinstance(entry, str | list):
        entry = {"to": entry}
    if not isinstance(entry, dict):
        problems.append(Problem((key,), f"{key}: expected {{to: ..., cc: ..., name: ...}}"))
        return None
    before = len(problems)
    for unknown in (k for k in entry if k not in KEYS):
        problems.append(Problem((key, unknown), f"{key}: unknown key '{unknown}'",
                                "the keys are to, cc and name", at_key=True))
    to = _addresses(entry.get("to"), (key, "to"), problems)
    if not to and "to" in entry and len(problems) == before:
        problems.append(Problem((key, "to"), f"{key}: 'to' names no address"))
    elif "to" not in entry:
        problems.append(Problem((key,), f"{key}: no 'to' address",
                                "add to: [role-mailbox@example.org]"))
    cc = _addresses(entry.get("cc"), (key, "cc"), problems)
    name = entry.get("name")
    if name is not None and not isinstance(name, str):
        problems.append(Problem((key, "name"), f"{key}: name is text"))
        name = None
    if len(problems) != before:
        return None
    return Contact(code, tuple(to), tuple(cc), name.strip() if name else None)


def _addresses(value: object, path: tuple[str, str], problems: list[Problem]) -> list[str]:
    if value is None:
        return []
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list):
        problems.append(Problem(path, f"{path[0]}: {path[1]} is an address or a list of them"))
        return []
    out: list[str] = []
    for i, item in enumerate(items):
        where = path if isinstance(value, str) else (*path, i)
        if not isinstance(item, str) or not valid_address(item.strip()):
            problems.append(Problem(where, f"{path[0]}: {path[1]}: '{item}' is not an email "
                                    "address", "write the bare address, e.g. "
                                    "safeguarding@example.org (a name goes in name:)"))
            continue
        out.append(item.strip())
    return out


def without_contact(codes: Iterable[str], contacts: Contacts | None) -> list[str]:
    """The agencies (codes, in the order given) that have no contact: what `jtai agency
    list` marks, and why a batch is refused before anything is sent."""
    return [code for code in codes if contacts is None or contacts.of(code) is None]
