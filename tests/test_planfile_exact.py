"""The plan file's readers, cache and writers pinned to their exact behaviour: the shared
agency registry and contacts.yaml name file:line:col and how to fix each problem, the
validated-plan cache takes only its own signed entries, and sizes, paths and locks are
exactly as documented."""

from __future__ import annotations

import hashlib
import os
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from conftest import REAL_PLAN
from helpers_cache import own_cache
from helpers_plans import SMALL_PLAN
from jtaiplan.errors import CannotRun, PlanInvalid
from jtaiplan.findings import Finding, Severity
from jtaiplan.plan.model import AgencyRegistry, Plan
from jtaiplan.planfile import agencyfile, plancache
from jtaiplan.planfile.agency_edit import RegistryEdit, change_registry
from jtaiplan.planfile.contactsfile import ContactsInvalid, load_contacts
from jtaiplan.planfile.edit import EditResult
from jtaiplan.planfile.loader import LoadedPlan, load_plan
from jtaiplan.planfile.meeting_edit import add_meeting
from jtaiplan.planfile.objective_edit import NewObjective, add_objective
from jtaiplan.planfile.textfile import SourceText, read_source

PLAN = SMALL_PLAN.replace("agencies:\n", "agencies_from: shared/missing.yaml\nagencies:\n", 1)

REGISTRY = "version: 1\nagencies:\n  - code: TVP\n    name: Thames Valley Police\n"


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache of the test's own, with a key of its own."""
    return own_cache(tmp_path, monkeypatch)


# -- the shared agency registry ------------------------------------------------------------


def test_a_missing_shared_registry_is_reported_at_the_plans_agencies_from(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "plan.yaml").write_text(PLAN, encoding="utf-8")
    with pytest.raises(PlanInvalid) as caught:
        load_plan(Path("plan.yaml"))
    assert caught.value.findings == [Finding(
        "JTAI001", Severity.ERROR, "agencies_from: no such file shared/missing.yaml",
        "plan.yaml", line=3, column=16, path=("agencies_from",),
        hint="the path is relative to the plan's own folder, e.g. ../agencies.yaml")]


def test_a_registry_that_is_not_a_mapping_is_reported_at_its_first_line(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("agencies.yaml").write_text("- code: TVP\n", encoding="utf-8")
    with pytest.raises(PlanInvalid) as caught:
        agencyfile.load_registry(Path("agencies.yaml"))
    assert caught.value.findings == [Finding(
        "JTAI001", Severity.ERROR,
        "a shared agency registry is a mapping with an agencies: list", "agencies.yaml",
        line=1, column=1, hint="`jtai schema --agencies` prints its JSON Schema")]


def test_a_registry_entry_with_a_wrong_key_is_reported_at_its_lines(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("agencies.yaml").write_text("version: 1\nagencies:\n  - code: TVP\n    nam: x\n",
                                     encoding="utf-8")
    with pytest.raises(PlanInvalid) as caught:
        agencyfile.load_registry(Path("agencies.yaml"))
    assert caught.value.findings == [
        Finding("JTAI002", Severity.ERROR, "missing required key 'name'", "agencies.yaml",
                line=3, column=5, path=("agencies", 0, "name"), hint="add 'name:' to this entry"),
        Finding("JTAI002", Severity.ERROR, "unknown key 'nam'", "agencies.yaml", line=4,
                column=5, path=("agencies", 0, "nam"), hint="did you mean 'name'?")]


def test_a_registry_with_a_duplicate_key_is_reported_in_the_registry_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("agencies.yaml").write_text(REGISTRY + "version: 1\n", encoding="utf-8")
    with pytest.raises(PlanInvalid) as caught:
        agencyfile.load_registry(Path("agencies.yaml"))
    assert [(f.where(), f.message) for f in caught.value.findings] == [
        ("agencies.yaml:5:1",
         "duplicate key 'version' (first on line 1): YAML would keep only the last one")]


def test_a_registry_that_cannot_be_read_says_it_is_the_shared_registry(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(CannotRun) as caught:
        agencyfile.load_registry(Path("agencies.yaml"))
    assert caught.value.message == "shared agency registry: agencies.yaml: no such file"
    assert caught.value.hint == ("run jtai in the folder that holds plan.yaml, or pass --plan "
                                 "PATH (or set JTAI_PLAN); `jtai init` writes a new plan")


def test_a_registry_read_again_unchanged_comes_from_the_cache_without_validating(
        tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "agencies.yaml"
    path.write_text(REGISTRY, encoding="utf-8")
    parsed: list[str] = []
    real = agencyfile.parse_registry

    def counting(source: SourceText) -> AgencyRegistry:
        parsed.append(source.path.name)
        return real(source)

    monkeypatch.setattr(agencyfile, "parse_registry", counting)
    first = agencyfile.load_registry(path)
    second = agencyfile.load_registry(path)
    assert parsed == ["agencies.yaml"]
    assert first == second
    assert [(a.code, a.name) for a in second] == [("TVP", "Thames Valley Police")]


# -- contacts.yaml -------------------------------------------------------------------------


KNOWN = ("known agencies: BFfC (Brighter Futures for Children), TVP (Thames Valley Police), "
         "BWSCP (Berkshire West Safeguarding Children Partnership), KCC (Kent County Council), "
         "RBC (Reading Borough Council)")


@pytest.fixture(scope="module")
def real() -> Plan:
    return load_plan(REAL_PLAN).plan


def _contacts_refusal(text: str, plan: Plan, name: str = "contacts.yaml") -> ContactsInvalid:
    Path(name).write_text(text, encoding="utf-8")
    with pytest.raises(ContactsInvalid) as caught:
        load_contacts(Path(name), plan)
    return caught.value


def test_a_missing_contacts_file_says_what_it_is_for_and_how_to_write_one(
        tmp_path: Path, real: Plan, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(CannotRun) as caught:
        load_contacts(Path("nope.yaml"), real)
    assert caught.value.message == ("nope.yaml: no such file: the addresses for email come "
                                    "from a contacts file")
    assert caught.value.hint == (
        "each line is an agency code with its addresses, e.g. TVP: {to: "
        "[safeguarding@example.org], name: TVP safeguarding lead} (or --contacts PATH)")


def test_contacts_yaml_that_does_not_parse_says_it_could_not_be_read(
        tmp_path: Path, real: Plan, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    refused = _contacts_refusal("TVP: [\n", real)
    assert refused.message == "contacts.yaml could not be read"
    assert refused.findings == [Finding(
        "JTAI001", Severity.ERROR,
        "YAML syntax error: did not find expected node content (while parsing a flow node)",
        "contacts.yaml", line=2, column=1,
        hint="check the YAML syntax on this line and the line before")]
    assert refused.exit_code == 1


def test_one_contacts_problem_is_counted_singular_and_located(
        tmp_path: Path, real: Plan, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    refused = _contacts_refusal("TVP: {to: a@b.org, name: [x]}\n", real)
    assert refused.message == "1 problem in contacts.yaml"
    assert refused.hint == "fix the contacts file and run again"
    assert refused.findings == [Finding("JTAI001", Severity.ERROR, "TVP: name is text",
                                        "contacts.yaml", line=1, column=26,
                                        path=("TVP", "name"))]


def test_two_contacts_problems_are_counted_plural_each_with_its_hint(
        tmp_path: Path, real: Plan, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    refused = _contacts_refusal("TVP: {to: 3}\nNHS: {to: c@b.org}\n", real)
    assert refused.message == "2 problems in contacts.yaml"
    assert refused.findings == [
        Finding("JTAI001", Severity.ERROR, "TVP: to is an address or a list of them",
                "contacts.yaml", line=1, column=11, path=("TVP", "to")),
        Finding("JTAI001", Severity.ERROR, "unknown agency 'NHS'", "contacts.yaml", line=2,
                column=1, path=("NHS",), hint=KNOWN)]


def test_a_duplicate_contact_key_is_named_in_the_contacts_file(
        tmp_path: Path, real: Plan, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    refused = _contacts_refusal("TVP: {to: a@b.org}\nTVP: {to: c@b.org}\n", real)
    assert refused.message == "contacts.yaml could not be read"
    assert [(f.where(), f.message) for f in refused.findings] == [
        ("contacts.yaml:2:1",
         "duplicate key 'TVP' (first on line 1): YAML would keep only the last one")]


def test_a_contacts_file_of_another_name_is_named_by_its_own_name(
        tmp_path: Path, real: Plan, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("addresses.yaml").write_text("TVP: {to: a@b.org}\n", encoding="utf-8")
    contacts = load_contacts(Path("addresses.yaml"), real)
    assert contacts.file == "addresses.yaml"
    refused = _contacts_refusal("- a\n", real, "addresses.yaml")
    assert refused.message == "1 problem in addresses.yaml"
    # (the finding's message says contacts.yaml whatever the file's name: reported)
    assert [(f.where(), f.hint) for f in refused.findings] == [
        ("addresses.yaml:1:1", "e.g. TVP: {to: [safeguarding@example.org]}")]


# -- the validated-plan cache --------------------------------------------------------------


def _source(path: Path, text: str) -> SourceText:
    return SourceText(path=path, text=text, raw=text.encode("utf-8", "surrogatepass"))


def _registry(path: Path) -> tuple[SourceText, AgencyRegistry]:
    path.write_text(REGISTRY, encoding="utf-8")
    source = read_source(path)
    return source, agencyfile.parse_registry(source)


def test_a_registry_entry_holding_anything_but_what_write_stores_is_a_miss(
        tmp_path: Path, cache: Path) -> None:
    source, registry = _registry(tmp_path / "agencies.yaml")
    plancache.write(source, "agencies", None, registry)
    assert plancache.read(source, "agencies") == (None, registry)
    plancache.write(source, "agencies", {"version": 1}, registry)  # signed, wrong shape
    assert plancache.read(source, "agencies") is None
    plancache.write(source, "agencies", None, {"agencies": []})
    assert plancache.read(source, "agencies") is None
    plancache.write(source, "agencies", None, (registry,))
    assert plancache.read(source, "agencies") is None


def test_a_signed_entry_moved_under_another_texts_header_is_a_miss(
        tmp_path: Path, cache: Path) -> None:
    """The signature covers the header too: an entry of one text never serves another."""
    source, registry = _registry(tmp_path / "agencies.yaml")
    plancache.write(source, "agencies", None, registry)
    entry = plancache._entry(source, "agencies")
    assert entry is not None
    blob = entry.read_bytes()
    other = _source(source.path, REGISTRY + "  - code: KCC\n    name: Kent\n")
    digest = hashlib.sha256(other.text.encode("utf-8")).digest()
    start = len(plancache._MAGIC) + 32
    entry.write_bytes(blob[:start] + digest + blob[start + 32:])
    assert plancache.read(other, "agencies") is None
    assert plancache.read(source, "agencies") is None


def test_text_with_a_lone_surrogate_is_cached_and_told_apart(
        tmp_path: Path, cache: Path) -> None:
    """Text edited in memory may hold what no file can: it is stored and found, and two
    such texts are two entries' worth apart."""
    _, registry = _registry(tmp_path / "agencies.yaml")
    one = _source(tmp_path / "agencies.yaml", "# \udcff\n" + REGISTRY)
    two = _source(tmp_path / "agencies.yaml", "# \udcfe\n" + REGISTRY)
    plancache.write(one, "agencies", None, registry)
    assert plancache.read(one, "agencies") == (None, registry)
    assert plancache.read(two, "agencies") is None


@pytest.mark.parametrize(("platform", "env", "expected"), [
    ("win32", {"APPDATA": "roaming"}, "roaming/jtaiplan/cache.key"),
    ("win32", {}, "home/AppData/Roaming/jtaiplan/cache.key"),
    ("darwin", {"XDG_CONFIG_HOME": "xdg"},
     "home/Library/Application Support/jtaiplan/cache.key"),
    ("linux", {"XDG_CONFIG_HOME": "xdg"}, "xdg/jtaiplan/cache.key"),
    ("linux", {}, "home/.config/jtaiplan/cache.key"),
])
def test_the_cache_key_lives_in_each_platforms_configuration_folder(
        platform: str, env: dict[str, str], expected: str, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("APPDATA", "XDG_CONFIG_HOME"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, str(tmp_path / value))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setattr(sys, "platform", platform)
    assert plancache.key_file() == tmp_path / expected


def _fake_pydantic(folder: Path, version: str) -> None:
    (folder / "pydantic").mkdir(parents=True, exist_ok=True)
    (folder / "pydantic" / "version.py").write_text(f"VERSION = {version!r}\n")


def _stamp_now(monkeypatch: pytest.MonkeyPatch) -> bytes:
    monkeypatch.setattr(plancache, "_STAMPS", {})
    return plancache._stamp("plan")


def _assert_stamp_follows_pydantic(site: Path, entry: str,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """A new pydantic found through the import path entry ``entry`` (at ``site``) changes
    the stamp."""
    _fake_pydantic(site, "2.0")
    monkeypatch.setattr(sys, "path", [entry])
    before = _stamp_now(monkeypatch)
    _fake_pydantic(site, "2.10.1")
    assert _stamp_now(monkeypatch) != before


def test_the_stamp_follows_the_pydantic_found_along_the_import_path(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = tmp_path / "site"
    _assert_stamp_follows_pydantic(site, str(site), monkeypatch)


def test_an_empty_import_path_entry_is_the_working_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    _assert_stamp_follows_pydantic(tmp_path, "", monkeypatch)


def test_without_pydantic_on_the_import_path_the_stamp_is_still_made(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "path", [str(tmp_path / "empty")])
    stamp = _stamp_now(monkeypatch)
    assert len(stamp) == 32
    assert _stamp_now(monkeypatch) == stamp


@pytest.mark.skipif(sys.platform != "linux", reason="a file name that is not UTF-8")
def test_an_import_path_that_is_not_utf8_still_makes_a_stamp(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = tmp_path / os.fsdecode(b"site-\xff")
    _assert_stamp_follows_pydantic(site, str(site), monkeypatch)


def test_pruning_passes_over_entries_it_cannot_age_or_remove(
        tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(plancache, "KEEP", 1)
    cache.mkdir(mode=0o700)
    dangling = cache / ("jtai-" + "a" * 40 + ".cache")
    dangling.symlink_to(tmp_path / "gone")
    stuck = cache / ("jtai-" + "b" * 40 + ".cache")
    stuck.mkdir()
    os.utime(stuck, ns=(1, 1))
    source, registry = _registry(tmp_path / "agencies.yaml")
    plancache.write(source, "agencies", None, registry)
    entry = plancache._entry(source, "agencies")
    assert sorted(p.name for p in cache.iterdir()) == sorted(
        [dangling.name, stuck.name, entry.name if entry else ""])
    assert plancache.read(source, "agencies") == (None, registry)


# -- how YAML is written, sizes, a write that fails ----------------------------------------


def test_text_in_a_flow_list_that_pyyaml_would_misread_is_quoted_and_only_there() -> None:
    from ruamel.yaml.comments import CommentedSeq

    from jtaiplan.planfile.yamlemit import dump

    owners = CommentedSeq(["TVP", "why?", "it's ok?", "no"])
    owners.fa.set_flow_style()
    assert dump({"owners": owners, "block": ["why?", "x"]}) == (
        "owners: [TVP, 'why?', \"it's ok?\", 'no']\nblock:\n  - why?\n  - x\n")


def _too_big(size: int, limit: int, monkeypatch: pytest.MonkeyPatch) -> str:
    path = Path("plan.yaml")
    with path.open("wb") as handle:
        handle.truncate(size)  # sparse: the size is what counts
    monkeypatch.setenv("JTAI_MAX_BYTES", str(limit))
    with pytest.raises(CannotRun) as caught:
        read_source(path)
    assert caught.value.hint == "set JTAI_MAX_BYTES to raise the limit if the file really is a plan"
    return caught.value.message


def test_sizes_over_the_limit_are_said_in_bytes_kb_or_mb_at_their_boundaries(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert _too_big(10_000, 9_999, monkeypatch) == (
        "plan.yaml is 10 kB; plans are limited to 9,999 bytes")
    assert _too_big(10_000_000, 9_999_999, monkeypatch) == (
        "plan.yaml is 10 MB; plans are limited to 10,000 kB")
    assert _too_big(11_500_001, 10_000, monkeypatch) == (
        "plan.yaml is 12 MB; plans are limited to 10 kB")


def test_a_write_into_a_missing_folder_says_why_and_that_nothing_changed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from jtaiplan.planfile.atomicfile import write_atomic

    monkeypatch.chdir(tmp_path)
    with pytest.raises(CannotRun) as caught:
        write_atomic(Path("gone") / "plan.yaml", b"version: 1\n")
    assert caught.value.message == ("cannot write gone/plan.yaml: No such file or directory; "
                                    "it was left as it was")


# -- jtai agency: the registry edited in place ----------------------------------------------


AGENCY_PLAN = """\
version: 1
inspection: {type: JTAI, area: Reading, start: 2025-02-24, end: 2025-03-10}
agencies:
  - code: TVP
    name: TVP
    note: police
  - code: Police
    name: Police
  - code: Old
    name: Old police
    succeeded_by: Police
    succeeded_on: 2025-01-01
  - code: BFfC
    name: Brighter Futures for Children
    aliases: [CSC]
lint: {due_soon_days: 10}
objectives:
  - number: 1
    title: Voice
    lead: Police
    actions:
      - ref: "1.1"
        action: Joint visits
        owners: [Police, CSC]
        progress: Green
  - number: 2
    title: Help
    lead: Police
    actions:
      - ref: "2.1"
        action: Early help
        owners: [Police]
        owners_as_written: the police
        progress: Green
  - number: 3
    title: Leads
    actions:
      - ref: "3.1"
        action: Nobody leads
        owners: [BFfC]
        progress: Green
"""
SHARED = """\
version: 1
agencies:
  - code: TVP
    name: TVP
  - code: Police
    name: Police
  - code: Old
    name: Old police
    succeeded_by: Police
    succeeded_on: 2025-01-01
  - code: BFfC
    name: Brighter Futures for Children
"""
SHARED_PLAN = """\
version: 1
agencies_from: agencies.yaml
inspection: {type: JTAI, area: Reading, start: 2025-02-24, end: 2025-03-10}
lint: {due_soon_days: 10}
objectives:
  - number: 1
    title: Voice
    lead: Police
    actions:
      - ref: "1.1"
        action: Joint visits
        owners: [Police, BFfC]
        progress: Green
"""


def _agency(tmp_path: Path, change: Callable[[RegistryEdit], str], plan: str = AGENCY_PLAN,
            shared: str | None = None) -> tuple[str, str, str | None]:
    """The change made: its summary, the plan's text and the shared registry's after it."""
    path = tmp_path / "plan.yaml"
    path.write_text(plan, encoding="utf-8")
    if shared is not None:
        (tmp_path / "agencies.yaml").write_text(shared, encoding="utf-8")
    outcome = change_registry(path, change)
    after = (tmp_path / "agencies.yaml").read_text(encoding="utf-8") if shared else None
    return outcome.summary, path.read_text(encoding="utf-8"), after


def _agency_refusal(tmp_path: Path, change: Callable[[RegistryEdit], str]) -> CannotRun:
    path = tmp_path / "plan.yaml"
    path.write_text(AGENCY_PLAN, encoding="utf-8")
    with pytest.raises(CannotRun) as caught:
        change_registry(path, change)
    assert path.read_text(encoding="utf-8") == AGENCY_PLAN
    return caught.value


TAKEN = "`jtai agency list` shows every code, name and alias"
KNOWN_HERE = ("known agencies: TVP (TVP), Police (Police), Old (Old police), "
              "BFfC (Brighter Futures for Children)")


@pytest.mark.parametrize(("change", "message", "hint"), [
    (lambda e: e.add("ICB", " ", []), "--name must not be empty", ""),
    (lambda e: e.add("ICB", "Integrated Care Board", [" "]), "--alias must not be empty", ""),
    (lambda e: e.add("TVP", "Thames", []), "CODE: 'TVP' already names TVP (TVP)", TAKEN),
    (lambda e: e.alias("NHS", ["Health"]), "CODE: unknown agency 'NHS'", KNOWN_HERE),
    (lambda e: e.alias("TVP", [" "]), "ALIAS must not be empty", ""),
    (lambda e: e.alias("TVP", ["CSC"]),
     "ALIAS: 'CSC' already names BFfC (Brighter Futures for Children)", TAKEN),
    (lambda e: e.rename("NHS", None, "Health"), "CODE: unknown agency 'NHS'", KNOWN_HERE),
    (lambda e: e.rename("TVP", None, " "), "--name must not be empty", ""),
    (lambda e: e.rename("TVP", None, "CSC"),
     "--name: 'CSC' already names BFfC (Brighter Futures for Children)", TAKEN),
    (lambda e: e.rename("TVP", " ", None), "--code must not be empty", ""),
])
def test_agency_refusals_name_the_option_and_the_agency_holding_the_name(
        tmp_path: Path, change: Callable[[RegistryEdit], str], message: str,
        hint: str) -> None:
    refused = _agency_refusal(tmp_path, change)
    assert (refused.message, refused.hint) == (message, hint)


def test_a_merge_repoints_leads_owners_and_successors_and_records_it_after_the_agencies(
        tmp_path: Path) -> None:
    summary, text, _ = _agency(tmp_path, lambda e: e.merge("Police", "TVP", "Ann",
                                                           date(2025, 7, 1)))
    note = "agency Police (Police) merged into TVP (TVP): 2 action(s), 2 objective(s)"
    assert summary == note
    assert text == AGENCY_PLAN.replace(
        "    note: police\n  - code: Police\n    name: Police\n",
        "    aliases: [Police]\n    note: police\n").replace(
        "    succeeded_by: Police\n", "    succeeded_by: TVP\n").replace(
        "lint:", "updates:\n  - date: 2025-07-01\n    by: Ann\n    changes:\n      agency:\n"
        f"        from: Police\n        to: TVP\n    note: '{note}'\nlint:").replace(
        "lead: Police", "lead: TVP").replace(
        "        owners: [Police, CSC]\n",
        "        owners: [TVP, CSC]\n        owners_as_written: Police, CSC\n").replace(
        "        owners: [Police]\n", "        owners: [TVP]\n")


def test_a_merge_in_a_shared_registry_is_recorded_after_agencies_from(tmp_path: Path) -> None:
    summary, text, shared = _agency(
        tmp_path, lambda e: e.merge("Police", "TVP", "Ann", date(2025, 7, 1)),
        SHARED_PLAN, SHARED)
    note = "agency Police (Police) merged into TVP (TVP): 1 action(s), 1 objective(s)"
    assert summary == note
    assert text == SHARED_PLAN.replace(
        "agencies_from: agencies.yaml\n",
        "agencies_from: agencies.yaml\nupdates:\n  - date: 2025-07-01\n    by: Ann\n"
        "    changes:\n      agency:\n        from: Police\n        to: TVP\n"
        f"    note: '{note}'\n").replace("lead: Police", "lead: TVP").replace(
        "        owners: [Police, BFfC]\n",
        "        owners: [TVP, BFfC]\n        owners_as_written: Police, BFfC\n")
    assert shared == SHARED.replace(
        "    name: TVP\n  - code: Police\n    name: Police\n",
        "    name: TVP\n    aliases: [Police]\n").replace(
        "succeeded_by: Police", "succeeded_by: TVP")


def test_an_agency_added_beside_a_shared_registry_goes_just_before_the_objectives(
        tmp_path: Path) -> None:
    summary, text, shared = _agency(
        tmp_path, lambda e: e.add("ICB", "Integrated Care Board", []), SHARED_PLAN, SHARED)
    assert summary == "agency ICB (Integrated Care Board) added"
    assert text == SHARED_PLAN.replace(
        "objectives:", "agencies:\n  - code: ICB\n    name: Integrated Care Board\nobjectives:")
    assert shared == SHARED


def test_merging_a_plans_only_agency_leaves_an_empty_agencies_list(tmp_path: Path) -> None:
    plan = SHARED_PLAN.replace("lint:", "agencies:\n  - code: KCC\n    name: Kent\nlint:")
    summary, text, shared = _agency(
        tmp_path, lambda e: e.merge("KCC", "TVP", "Ann", date(2025, 7, 1)), plan, SHARED)
    note = "agency KCC (Kent) merged into TVP (TVP): 0 action(s), 0 objective(s)"
    assert summary == note
    assert text == SHARED_PLAN.replace(
        "lint:", "agencies: []\nupdates:\n  - date: 2025-07-01\n    by: Ann\n    changes:\n"
        f"      agency:\n        from: KCC\n        to: TVP\n    note: '{note}'\nlint:")
    assert shared == SHARED.replace("    name: TVP\n", "    name: TVP\n    aliases: [KCC, Kent]\n")


def test_aliases_added_go_after_the_name_and_are_listed_in_the_summary(
        tmp_path: Path) -> None:
    summary, text, _ = _agency(tmp_path, lambda e: e.alias("TVP", ["Thames", "Valley"]))
    assert summary == "TVP: alias Thames, Valley added"
    assert text == AGENCY_PLAN.replace("    name: TVP\n",
                                       "    name: TVP\n    aliases: [Thames, Valley]\n")


def test_renaming_to_its_own_alias_takes_the_alias_away(tmp_path: Path) -> None:
    summary, text, _ = _agency(tmp_path, lambda e: e.rename("BFfC", None, "csc"))
    assert summary == "BFfC renamed: named csc"
    assert text == AGENCY_PLAN.replace(
        "    name: Brighter Futures for Children\n    aliases: [CSC]\n",
        "    name: csc\n    aliases: []\n")
    summary, text, _ = _agency(tmp_path, lambda e: e.rename("BFfC", "CSC", "Kids"))
    assert summary == "BFfC renamed: named Kids, code CSC (the old code kept as an alias)"
    assert text == AGENCY_PLAN.replace(
        "  - code: BFfC\n    name: Brighter Futures for Children\n    aliases: [CSC]\n",
        "  - code: CSC\n    name: Kids\n    aliases: [BFfC]\n").replace(
        "owners: [BFfC]", "owners: [CSC]")


def test_a_new_code_repoints_only_what_names_the_old_code_not_its_aliases(
        tmp_path: Path) -> None:
    summary, text, _ = _agency(tmp_path, lambda e: e.rename("BFfC", "Kids", None))
    assert summary == "BFfC renamed: code Kids (the old code kept as an alias)"
    assert text == AGENCY_PLAN.replace(
        "  - code: BFfC\n    name: Brighter Futures for Children\n    aliases: [CSC]\n",
        "  - code: Kids\n    name: Brighter Futures for Children\n    aliases: [CSC, BFfC]\n"
    ).replace("owners: [BFfC]", "owners: [Kids]")
    summary, text, _ = _agency(tmp_path, lambda e: e.rename("Police", "TV", None))
    assert summary == "Police renamed: code TV (the old code kept as an alias)"
    assert text == AGENCY_PLAN.replace(
        "  - code: Police\n    name: Police\n",
        "  - code: TV\n    name: Police\n    aliases: [Police]\n").replace(
        "succeeded_by: Police", "succeeded_by: TV").replace(
        "lead: Police", "lead: TV").replace("[Police, CSC]", "[TV, CSC]").replace(
        "owners: [Police]", "owners: [TV]")


# -- jtai meeting add, jtai add-objective ---------------------------------------------------

MEETINGS = "meetings:\n  - date: 2025-07-09\n    name: Board\n  - date: 2025-08-01\n"
RISKY_PLAN = AGENCY_PLAN.replace(
    "lint:", "risk_levels:\n  high: High risk\n  moderate: Moderate\nlint:") + MEETINGS


@pytest.fixture
def risky(tmp_path: Path) -> LoadedPlan:
    path = tmp_path / "plan.yaml"
    path.write_text(RISKY_PLAN, encoding="utf-8")
    return load_plan(path)


@pytest.mark.parametrize(("day", "name", "summary"), [
    (date(2025, 7, 9), "Board", "meeting 2025-07-09 (Board) is already recorded"),
    (date(2025, 8, 1), None, "meeting 2025-08-01 is already recorded"),
])
def test_a_meeting_recorded_already_changes_nothing(
        risky: LoadedPlan, day: date, name: str | None, summary: str) -> None:
    assert add_meeting(risky, day, name) == EditResult(RISKY_PLAN, day.isoformat(), summary,
                                                       changed=False)


@pytest.mark.parametrize(("day", "name", "summary", "added"), [
    (date(2025, 7, 9), None, "meeting 2025-07-09 recorded", "  - date: 2025-07-09\n"),
    (date(2025, 8, 1), "Board", "meeting 2025-08-01 (Board) recorded",
     "  - date: 2025-08-01\n    name: Board\n"),
])
def test_a_meeting_on_a_recorded_day_under_another_name_is_recorded(
        risky: LoadedPlan, day: date, name: str | None, summary: str, added: str) -> None:
    assert add_meeting(risky, day, name) == EditResult(RISKY_PLAN + added, day.isoformat(),
                                                       summary, changed=True)


def test_the_first_meeting_makes_the_meetings_list(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(AGENCY_PLAN, encoding="utf-8")
    result = add_meeting(load_plan(path), date(2025, 9, 1), "MASA")
    assert result == EditResult(
        AGENCY_PLAN + "meetings:\n  - date: 2025-09-01\n    name: MASA\n", "2025-09-01",
        "meeting 2025-09-01 (MASA) recorded", changed=True)


@pytest.mark.parametrize(("name", "message", "hint"), [
    (" ", "--name must not be empty", ""),
    ("a\x07", "--name contains U+0007 (control character) at character 2",
     "retype the text, or delete it and paste it again as plain text"),
])
def test_a_meeting_name_that_is_not_plan_text_is_refused(
        risky: LoadedPlan, name: str, message: str, hint: str) -> None:
    with pytest.raises(CannotRun) as caught:
        add_meeting(risky, date(2025, 9, 1), name)
    assert (caught.value.message, caught.value.hint) == (message, hint)


NEW_OBJECTIVE = ("  - number: 4\n    title: Transitions\n    risk: high\n    lead: BFfC\n")


def test_an_objective_is_numbered_next_with_the_plans_own_risk_and_lead_spelling(
        risky: LoadedPlan) -> None:
    result = add_objective(risky, NewObjective("Transitions", "HIGH", "csc"))
    assert result == EditResult(RISKY_PLAN.replace("meetings:", NEW_OBJECTIVE + "meetings:"),
                                "4", "objective 4 added: Transitions", changed=True)


def test_an_objective_given_a_number_and_what_good_looks_like_keeps_both(
        risky: LoadedPlan) -> None:
    result = add_objective(risky, NewObjective("Transitions", "moderate", "TVP", 7,
                                               "Every move planned"))
    assert result == EditResult(RISKY_PLAN.replace(
        "meetings:", "  - number: 7\n    title: Transitions\n    risk: moderate\n"
        "    lead: TVP\n    characteristics_of_good: Every move planned\nmeetings:"),
        "7", "objective 7 added: Transitions", changed=True)


@pytest.mark.parametrize(("new", "message", "hint"), [
    (NewObjective("Transitions", "high", "TVP", 2), "objective 2 is already in the plan",
     "leave out the number to add objective 4"),
    (NewObjective(" ", "high", "TVP"), "--title must not be empty", ""),
    (NewObjective("Transitions", "high", "TVP", None, " "), "--good must not be empty", ""),
    (NewObjective("Transitions", "severe", "TVP"),
     "--risk: 'severe' is not one of the plan's values", "use one of: high, moderate"),
    (NewObjective("Transitions", "high", "Nobody"), "--lead: unknown agency 'Nobody'",
     KNOWN_HERE),
])
def test_an_objective_refused_says_which_option_and_why(
        risky: LoadedPlan, new: NewObjective, message: str, hint: str) -> None:
    with pytest.raises(CannotRun) as caught:
        add_objective(risky, new)
    assert (caught.value.message, caught.value.hint) == (message, hint)


# -- where locks go without a cache, which files a folder holds, where an edit lands -------


@pytest.mark.parametrize(("username", "folder"), [
    ("ann", "jtaiplan-locks-ann"), (None, "jtaiplan-locks-user")])
def test_without_a_cache_or_runtime_folder_locks_go_in_a_temporary_folder_per_user(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, username: str | None,
        folder: str) -> None:
    import tempfile

    from jtaiplan.planfile.lockplace import user_lock_folder

    for name in ("JTAI_CACHE_DIR", "XDG_RUNTIME_DIR", "USERNAME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("JTAI_NO_CACHE", "1")
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    if hasattr(os, "getuid"):
        assert user_lock_folder() == tmp_path / f"jtaiplan-locks-{os.getuid()}"
        monkeypatch.delattr(os, "getuid")
    if username is not None:
        monkeypatch.setenv("USERNAME", username)
    assert user_lock_folder() == tmp_path / folder


def test_a_folders_plan_is_recognised_by_objectives_in_its_first_mebibyte(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from jtaiplan.planfile.portfolio import plan_files

    monkeypatch.chdir(tmp_path)
    folder = Path("plans")
    folder.mkdir()
    (folder / "a.yaml").write_text("version: 1\nobjectives: []\n", encoding="utf-8")
    (folder / "late.yaml").write_text("#" * (1 << 20) + "\nobjectives: []\n",
                                      encoding="utf-8")
    found = plan_files([folder])
    assert found.paths == [folder / "a.yaml"]
    assert found.notes == ["skipped plans/late.yaml: not a jtai plan (no top-level objectives:)"]


def test_a_folders_file_that_cannot_be_opened_is_left_to_the_loader(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from jtaiplan.planfile.portfolio import plan_files

    (tmp_path / "locked.yaml").write_text("objectives: []\n", encoding="utf-8")
    real_open = Path.open

    def refusing(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self.name == "locked.yaml":
            raise PermissionError(13, "Permission denied")
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refusing)
    assert plan_files([tmp_path]).paths == [tmp_path / "locked.yaml"]


def test_what_follows_a_block_scalar_goes_after_its_last_text_not_its_blank_lines() -> None:
    import yaml

    from jtaiplan.planfile.textedit import Document

    text = "note: |\n  one\n\n  two\n\n\nnext: 1\n"
    root = yaml.compose(text)
    assert isinstance(root, yaml.MappingNode)
    doc = Document(text, root)
    assert text[:doc.after(root.value[0][1])] == "note: |\n  one\n\n  two\n"
