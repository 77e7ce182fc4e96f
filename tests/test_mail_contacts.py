"""contacts.yaml: agency codes matched as owners are, addresses checked, every problem
located (file:line:col); which agencies have no contact."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import REAL_PLAN
from jtaiplan.plan.contacts import Contact, valid_address, without_contact
from jtaiplan.planfile.contactsfile import ContactsInvalid, contacts_path, load_contacts
from jtaiplan.planfile.loader import load_plan


@pytest.fixture(scope="module")
def plan():  # type: ignore[no-untyped-def]
    return load_plan(REAL_PLAN).plan


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "contacts.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_codes_and_aliases_in_any_case_one_address_or_a_list(tmp_path: Path, plan) -> None:  # type: ignore[no-untyped-def]
    path = write(tmp_path, "tvp: {to: safeguarding@tvp.example.org, name: TVP lead}\n"
                           "children's social care:\n"
                           "  to: [a@bffc.example.org, b@bffc.example.org]\n"
                           "  cc: [c@bffc.example.org]\n")
    contacts = load_contacts(path, plan)
    assert contacts.of("TVP") == Contact("TVP", ("safeguarding@tvp.example.org",), (),
                                         "TVP lead")
    assert contacts.of("BFfC") == Contact("BFfC", ("a@bffc.example.org", "b@bffc.example.org"),
                                          ("c@bffc.example.org",), None)
    assert without_contact(["BFfC", "TVP", "KCC", "RBC"], contacts) == ["KCC", "RBC"]
    assert without_contact(["TVP"], None) == ["TVP"]


def test_every_problem_located(tmp_path: Path, plan) -> None:  # type: ignore[no-untyped-def]
    path = write(tmp_path, "TVP: {to: [ok@tvp.example.org, 'Jo <jo@x.org>']}\n"
                           "NHS: {to: a@nhs.example.org}\n"
                           "KCC:\n"
                           "  cc: kent@kent.example.org\n"
                           "BW: {to: partners@bw.example, colour: red}\n")
    with pytest.raises(ContactsInvalid) as caught:
        load_contacts(path, plan)
    got = [(f.where(), f.message) for f in caught.value.findings]
    name = path.as_posix()
    assert [(w.replace(name, "F"), m) for w, m in got] == [
        ("F:1:32", "TVP: to: 'Jo <jo@x.org>' is not an email address"),
        ("F:2:1", "unknown agency 'NHS'"),
        ("F:4:3", "KCC: no 'to' address"),
        ("F:5:31", "BW: unknown key 'colour'"),
    ]
    assert caught.value.exit_code == 1
    assert "known agencies: BFfC (Brighter Futures" in caught.value.findings[1].hint


def test_a_contacts_file_that_is_not_a_mapping_is_named_as_given(
        tmp_path: Path, plan) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "addresses.yaml"
    path.write_text("- safeguarding@tvp.example.org\n", encoding="utf-8")
    with pytest.raises(ContactsInvalid) as caught:
        load_contacts(path, plan)
    assert [(f.where(), f.message, f.hint) for f in caught.value.findings] == [
        (f"{path.as_posix()}:1:1", "a contacts file is a mapping of agency codes to addresses",
         "e.g. TVP: {to: [safeguarding@example.org]}")]


@pytest.mark.parametrize(("text", "ok"), [
    ("safeguarding@example.org", True), ("first.last+tag@sub.example.co.uk", True),
    ("no-at-sign.example.org", False), ("a@localhost", False), ("a@@b.org", False),
    ("a b@c.org", False), ("Jo <jo@x.org>", False), ("jö@x.org", False), (".a@x.org", False),
])
def test_addresses(text: str, ok: bool) -> None:
    assert valid_address(text) is ok


def test_default_path_beside_the_plan(tmp_path: Path) -> None:
    assert contacts_path(tmp_path / "plan.yaml", None) == tmp_path / "contacts.yaml"
    assert contacts_path(tmp_path / "plan.yaml", Path("x.yaml")) == Path("x.yaml")


def test_missing_file_says_how_to_make_one(tmp_path: Path, plan) -> None:  # type: ignore[no-untyped-def]
    from jtaiplan.errors import CannotRun

    with pytest.raises(CannotRun, match="no such file") as caught:
        load_contacts(tmp_path / "contacts.yaml", plan)
    assert "TVP: {to: [safeguarding@example.org]" in caught.value.hint
