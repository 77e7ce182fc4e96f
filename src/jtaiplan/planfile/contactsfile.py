"""``contacts.yaml`` read from disk: its problems located (file:line:col) as the plan's are."""

from __future__ import annotations

from pathlib import Path

from ..errors import CannotRun, PlanInvalid, UpdateRefused
from ..findings import Finding, Severity
from ..plan.agencies import AgencyIndex
from ..plan.contacts import Contacts, parse_contacts
from ..plan.model import Plan
from .sourcemap import SourceMap
from .textfile import read_source

CONTACTS_FILE = "contacts.yaml"
HINT = ("each line is an agency code with its addresses, e.g. "
        "TVP: {to: [safeguarding@example.org], name: TVP safeguarding lead}")


class ContactsInvalid(UpdateRefused):
    """The contacts file has problems: nothing was written or sent (exit 1)."""

    unchanged = "nothing was written or sent"


def contacts_path(plan_path: Path, given: Path | None) -> Path:
    """``--contacts PATH``, else ``contacts.yaml`` beside the plan."""
    return given if given is not None else plan_path.parent / CONTACTS_FILE


def load_contacts(path: Path, plan: Plan) -> Contacts:
    if not path.is_file():
        raise CannotRun(f"{path.as_posix()}: no such file: the addresses for email come from "
                        "a contacts file", hint=HINT + " (or --contacts PATH)")
    from .yamlread import compose, to_python

    source = read_source(path)
    name = source.display_name
    try:
        root = compose(source)
        data = to_python(root, name)
    except PlanInvalid as exc:
        raise ContactsInvalid(f"{name} could not be read", exc.findings) from None
    contacts, problems = parse_contacts(data, AgencyIndex.of(plan), name)
    if problems:
        where = SourceMap(root)
        findings = []
        for problem in problems:
            at = where.locate_key(problem.path) if problem.at_key else where.locate(problem.path)
            findings.append(Finding("JTAI001", Severity.ERROR, problem.message, name,
                                    line=at.line if at else None,
                                    column=at.column if at else None, path=problem.path,
                                    hint=problem.hint))
        count = len(findings)
        raise ContactsInvalid(f"{count} problem{'s' if count != 1 else ''} in {name}",
                              findings, hint="fix the contacts file and run again")
    return contacts
