"""Issue 14 follow-up: export, calendar, pack, apply and history across several plans.

The portfolio is test_portfolio's three plans (Reading's real plan as ``reading-jtai``,
``wberks-cspr`` and ``wokingham-ilacs`` with a shared agencies file). Expected refs are
worked out by hand: TVP owns Reading 1.1 (Blue, "In place"), 5.1 and 8.1 (Green, due
2025-06-30); wberks-cspr 1.2 ([Police], Green, 2025-08-31); wokingham-ilacs 1.1 (Amber,
2025-06-30) and 2.1 (Blue).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from conftest import Invoke
from jtaiplan.planfile.writer import unified_diff
from test_portfolio import AS_OF, TVP_EVERYWHERE, folder, snapshot  # noqa: F401 (fixture)

TVP_OPEN = ["reading-jtai:5.1", "reading-jtai:8.1", "wberks-cspr:1.2", "wokingham-ilacs:1.1"]
ON = "2025-07-10"


@pytest.fixture
def here(folder: Path, monkeypatch: pytest.MonkeyPatch) -> Path:  # noqa: F811
    monkeypatch.chdir(folder.parent)
    return Path("plans")


def ok(jtai: Invoke, *args: str) -> str:
    result = jtai(*args)
    assert result.exit_code == 0, result.stderr
    return result.stderr


# --- export -----------------------------------------------------------------------------

def test_export_csv_has_the_plan_column_first(jtai: Invoke, here: Path) -> None:
    ok(jtai, "export", "--plan", "plans", "-o", "tvp.csv", "--owner", "TVP", "--as-of", AS_OF)
    text = Path("tvp.csv").read_bytes().decode("utf-8")
    assert text.startswith("\ufeffPlan id,Objective,Objective title,Ref,Action,Complete by,")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert [(r["Plan id"], r["Ref"]) for r in rows] == TVP_EVERYWHERE


def test_an_export_of_several_plans_is_refused_by_import(jtai: Invoke, here: Path) -> None:
    """A plan file holds one plan: the several-plan export's "Plan id" column is named, not
    read as the plan-type column (the seed's "Plan") nor dropped."""
    ok(jtai, "export", "--plan", "plans", "-o", "all.xlsx", "--as-of", AS_OF)
    result = jtai("import", "all.xlsx", "--agencies", "plans/reading-jtai.yaml", "-o", "x.yaml")
    assert result.exit_code == 1, result.stderr
    assert ("Actions!A1: cannot read: column 'Plan id': this is an export of several plans; "
            "a plan file holds one: export one plan (jtai export --plan FILE) and import "
            "that") in result.stderr
    assert not Path("x.yaml").exists()


def test_export_of_one_plan_has_no_plan_column(jtai: Invoke, here: Path) -> None:
    ok(jtai, "export", "--plan", "plans/reading-jtai.yaml", "-o", "one.csv", "--as-of", AS_OF)
    header = Path("one.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert header.startswith("Objective,Objective title,Ref,")


def test_export_xlsx_names_the_plan_on_every_sheet(jtai: Invoke, here: Path) -> None:
    # Recorded on the as-of day: a later entry is not in the plan as of that day (issue 23).
    ok(jtai, "update", "--plan", "plans", "wokingham-ilacs:1.1", "--note", "Rota agreed",
       "--by", "B Lead", "--on", AS_OF)
    err = ok(jtai, "export", "--plan", "plans", "-o", "tvp.xlsx", "--owner", "TVP",
             "--as-of", AS_OF)
    assert "3 plans, 6 actions in 6 objectives, 1 history entry" in err
    book = load_workbook("tvp.xlsx")
    actions = list(book["Actions"].iter_rows(values_only=True))
    assert actions[0][:4] == ("Plan id", "Objective", "Objective title", "Ref")
    assert [(r[0], r[3]) for r in actions[1:]] == TVP_EVERYWHERE
    objectives = list(book["Objectives"].iter_rows(values_only=True))
    assert [(r[0], r[1]) for r in objectives] == [
        ("Plan id", "Number"), ("reading-jtai", 1), ("reading-jtai", 5), ("reading-jtai", 8),
        ("wberks-cspr", 1), ("wokingham-ilacs", 1), ("wokingham-ilacs", 2)]
    history = list(book["History"].iter_rows(values_only=True))
    assert [r[:4] for r in history[1:]] == [("wokingham-ilacs", "1.1", history[1][2], "B Lead")]


def test_export_docx_has_one_section_per_plan(jtai: Invoke, here: Path) -> None:
    import docx

    ok(jtai, "export", "--plan", "plans", "-o", "tvp.docx", "--owner", "TVP", "--as-of", AS_OF)
    document = docx.Document("tvp.docx")
    texts = [p.text for p in document.paragraphs]
    assert [p.text for p in document.paragraphs if p.style.name == "Heading 1"] == [
        "Joint Targeted Area Inspection: Reading", "ILACS: West Berkshire", "ILACS: Wokingham"]
    assert [t for t in texts if t.startswith("Plan ")] == [
        "Plan reading-jtai", "Plan wberks-cspr", "Plan wokingham-ilacs"]
    breaks = document.element.body.xpath('.//w:br[@w:type="page"]')
    assert len(breaks) == 2
    # Reading's summary table, 3 + 1 + 2 objective tables, then the key once.
    assert len(document.tables) == 8
    assert texts.count("KEY") == 1


# --- calendar ---------------------------------------------------------------------------

def uid_part(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]


def events(ics: str) -> list[tuple[str, str]]:
    unfolded = ics.replace("\r\n", "\n").replace("\n ", "")
    uids = [line[4:] for line in unfolded.splitlines() if line.startswith("UID:")]
    summaries = [line[8:].split(" due:")[0] for line in unfolded.splitlines()
                 if line.startswith("SUMMARY:")]
    return list(zip(summaries, uids, strict=True))


def test_calendar_has_every_plans_events_with_uids_per_plan_id_and_ref(
        jtai: Invoke, here: Path) -> None:
    result = jtai("calendar", "--plan", "plans", "--owner", "TVP", "--as-of", AS_OF)
    assert result.exit_code == 0, result.stderr
    reading, wberks, wok = (uid_part("JTAI|Reading|2025-02-24"),
                            uid_part("ILACS|West Berkshire|2025-01-13"),
                            uid_part("ILACS|Wokingham|2025-01-13"))
    assert events(result.stdout) == [
        ("reading-jtai:5.1", f"jtai-{reading}-reading-jtai-5.1@jtaiplan"),
        ("reading-jtai:8.1", f"jtai-{reading}-reading-jtai-8.1@jtaiplan"),
        ("wberks-cspr:1.2", f"jtai-{wberks}-wberks-cspr-1.2@jtaiplan"),
        ("wokingham-ilacs:1.1", f"jtai-{wok}-wokingham-ilacs-1.1@jtaiplan")]
    assert "X-WR-CALNAME:3 plans (reading-jtai, wberks-cspr, wokingham-ilacs): complete-by " \
           "dates" in result.stdout.replace("\r\n", "\n").replace("\n ", "")
    later = jtai("calendar", "--plan", "plans", "--owner", "TVP", "--as-of", "2025-08-01")
    assert [uid for _s, uid in events(later.stdout)] == [uid for _s, uid in
                                                        events(result.stdout)]


def test_calendar_of_one_plan_keeps_its_uids(jtai: Invoke, here: Path) -> None:
    result = jtai("calendar", "--plan", "plans/reading-jtai.yaml", "--owner", "TVP",
                  "--as-of", AS_OF)
    reading = uid_part("JTAI|Reading|2025-02-24")
    assert events(result.stdout) == [("5.1", f"jtai-{reading}-5.1@jtaiplan"),
                                     ("8.1", f"jtai-{reading}-8.1@jtaiplan")]


# --- history ----------------------------------------------------------------------------

@pytest.fixture
def updated(jtai: Invoke, here: Path) -> Path:
    ok(jtai, "update", "--plan", "plans", "reading-jtai:2.2", "--progress", "red", "--note",
       "Audit slipped", "--by", "A Manager", "--on", "2025-07-02")
    ok(jtai, "update", "--plan", "plans", "wokingham-ilacs:1.2", "--note", "Workshop held",
       "--by", "B Lead", "--on", "2025-07-05")
    return here


def test_history_of_a_qualified_ref(jtai: Invoke, updated: Path) -> None:
    result = jtai("history", "--plan", "plans", "reading-jtai:2.2")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "reading-jtai:2.2  2025-07-02  A Manager  progress Green → Red"
    assert lines[1] == "    note: Audit slipped"
    assert len([line for line in lines if not line.startswith("    ")]) == 1
    document = json.loads(jtai("history", "--plan", "plans", "reading-jtai:2.2",
                               "--format", "json").stdout)
    assert [(e["plan"], e["ref"], e["by"]) for e in document["entries"]] == [
        ("reading-jtai", "2.2", "A Manager")]
    assert [p["id"] for p in document["plans"]] == ["reading-jtai", "wberks-cspr",
                                                    "wokingham-ilacs"]


def test_history_of_every_plan_newest_first(jtai: Invoke, updated: Path) -> None:
    result = jtai("history", "--plan", "plans")
    heads = [line.split("  ")[0] for line in result.stdout.splitlines()
             if not line.startswith("    ")]
    assert heads == ["wokingham-ilacs:1.2", "reading-jtai:2.2"]


def test_history_ambiguous_bare_ref(jtai: Invoke, updated: Path) -> None:
    result = jtai("history", "--plan", "plans", "1.1")
    assert result.exit_code == 2
    assert result.stderr.endswith(
        "jtai: ref 1.1 is ambiguous: 3 plans have it\n"
        "    hint: write one of: reading-jtai:1.1, wberks-cspr:1.1, wokingham-ilacs:1.1\n")


# --- pack and apply ---------------------------------------------------------------------

def make_pack(jtai: Invoke, name: str = "tvp.xlsx") -> Path:
    err = ok(jtai, "pack", "--plan", "plans", "--owner", "TVP", "-o", name, "--as-of", AS_OF)
    assert err.endswith(f"jtai: wrote {name}: 4 actions for TVP\n")
    return Path(name)


def fill(pack: Path, out: str, cells: dict[str, object]) -> Path:
    book = load_workbook(pack)
    for name, value in cells.items():
        book["Return"][name] = value
    book.save(out)
    return Path(out)


def test_pack_covers_the_agency_in_every_plan(jtai: Invoke, here: Path) -> None:
    book = load_workbook(make_pack(jtai))
    refs = [row[0] for row in book["Return"].iter_rows(min_row=2, values_only=True)]
    assert refs == TVP_OPEN
    record = {row[0]: row[1] for row in book["jtai"].iter_rows(values_only=True, max_col=2)
              if row[0] is not None}
    assert json.loads(record["plans"]) == [
        {"id": "reading-jtai", "file": "reading-jtai.yaml",
         "plan_id": "JTAI Reading 2025-02-24"},
        {"id": "wberks-cspr", "file": "wberks-cspr.yaml",
         "plan_id": "ILACS West Berkshire 2025-01-13"},
        {"id": "wokingham-ilacs", "file": "wok.yaml",
         "plan_id": "ILACS Wokingham 2025-01-13"}]
    assert book["jtai"].sheet_state == "hidden"


def test_pack_all_writes_one_pack_per_agency(jtai: Invoke, here: Path) -> None:
    ok(jtai, "pack", "--plan", "plans", "--all", "-o", "packs", "--as-of", AS_OF)
    names = sorted(p.name for p in Path("packs").iterdir())
    # Reading's open owners, then the small plans' (CCG, ICB, WBC, WOK; TVP already).
    assert names == sorted(["BFfC.xlsx", "TVP.xlsx", "BWSCP.xlsx", "KCC.xlsx", "WBC.xlsx",
                            "ICB.xlsx", "WOK.xlsx", "CCG.xlsx"])
    wok = load_workbook("packs/WOK.xlsx")
    assert [r[0] for r in wok["Return"].iter_rows(min_row=2, values_only=True)] == [
        "wokingham-ilacs:1.2"]


WOK_DIFF = """\
--- a/plans/wok.yaml
+++ b/plans/wok.yaml
@@ -21,7 +21,15 @@
         owners: [TVP]
         theme: Data
         plan_type: Operational
-        progress: Amber
+        progress: Red
+        updates:
+          - date: 2025-07-10
+            by: Thames Valley Police (return)
+            changes:
+              progress:
+                from: Amber
+                to: Red
+            note: Stalled
       - ref: "1.2"
         action: Do 1.2 in Wokingham
         complete_by: 2025-09-30
"""


def test_apply_changes_each_plans_own_file(jtai: Invoke, here: Path) -> None:
    before = snapshot(here)
    returned = fill(make_pack(jtai), "ret.xlsx", {"H2": "Amber", "J2": "Slipped",
                                                 "H5": "Red", "J5": "Stalled"})
    result = jtai("apply", "--plan", "plans", str(returned), "--on", ON)
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines()[1:] == [
        "jtai: reading-jtai: ret.xlsx: 5.1: progress Green → Amber, note recorded",
        "jtai: updated plans/reading-jtai.yaml: 1 action updated from 1 return(s)",
        "jtai: wokingham-ilacs: ret.xlsx: 1.1: progress Amber → Red, note recorded",
        "jtai: updated plans/wok.yaml: 1 action updated from 1 return(s)"]
    after = snapshot(here)
    assert after["wberks-cspr.yaml"] == before["wberks-cspr.yaml"]
    assert after["agencies.yaml"] == before["agencies.yaml"]
    assert unified_diff(before["wok.yaml"].decode(), after["wok.yaml"].decode(),
                        "plans/wok.yaml") == WOK_DIFF
    reading = unified_diff(before["reading-jtai.yaml"].decode(),
                           after["reading-jtai.yaml"].decode(), "r")
    assert [line for line in reading.splitlines() if line[:1] in "+-"
            and line[:3] not in ("+++", "---")][:2] == ["-        progress: Green",
                                                         "+        progress: Amber"]
    again = jtai("apply", "--plan", "plans", str(returned), "--on", ON)
    assert again.stderr.splitlines()[-1] == (
        "jtai: nothing to apply: the returns hold no changes the plans do not already have; "
        "nothing written")
    assert snapshot(here) == after


def test_a_bad_cell_in_one_plans_row_changes_no_file(jtai: Invoke, here: Path) -> None:
    returned = fill(make_pack(jtai), "bad.xlsx", {"H2": "Amber", "J2": "Slipped",
                                                 "H4": "Purple"})
    before = snapshot(here)
    result = jtai("apply", "--plan", "plans", str(returned), "--on", ON)
    assert result.exit_code == 1
    assert "bad.xlsx: Return!H4: New progress: 'Purple' is not a RAG rating\n" in result.stderr
    assert "jtai: refused: 1 problem in the returns across 3 plans; no plan file was changed\n" \
        in result.stderr
    assert snapshot(here) == before


def test_a_conflict_in_one_plan_leaves_the_other_plans_file_unchanged(
        jtai: Invoke, here: Path) -> None:
    pack = make_pack(jtai)
    ok(jtai, "update", "--plan", "plans", "wokingham-ilacs:1.1", "--progress", "green",
       "--by", "B Lead", "--on", "2025-07-03")
    returned = fill(pack, "ret.xlsx", {"H2": "Amber", "J2": "Slipped", "H5": "Red"})
    before = snapshot(here)
    result = jtai("apply", "--plan", "plans", str(returned), "--on", ON)
    assert result.exit_code == 1
    assert "ret.xlsx: Return!A5: 1.1 changed in the plan since the pack was made: progress " \
           "Amber → Green" in result.stderr
    assert snapshot(here) == before  # Reading's row 2 was fine, and is not applied either
    forced = jtai("apply", "--plan", "plans", str(returned), "--on", ON, "--skip-conflicts")
    assert forced.exit_code == 0, forced.stderr
    assert snapshot(here)["wok.yaml"] == before["wok.yaml"]
    assert snapshot(here)["reading-jtai.yaml"] != before["reading-jtai.yaml"]


def test_a_one_plan_pack_applies_to_its_plan_among_several(jtai: Invoke, here: Path) -> None:
    ok(jtai, "pack", "--plan", "plans/reading-jtai.yaml", "--owner", "TVP", "-o", "one.xlsx",
       "--as-of", AS_OF)
    returned = fill(Path("one.xlsx"), "one-ret.xlsx", {"H2": "Amber", "J2": "Slipped"})
    before = snapshot(here)
    result = jtai("apply", "--plan", "plans", str(returned), "--on", ON)
    assert result.exit_code == 0, result.stderr
    assert "jtai: reading-jtai: one-ret.xlsx: 5.1: progress Green → Amber, note recorded" \
        in result.stderr.splitlines()
    after = snapshot(here)
    assert [name for name in before if before[name] != after[name]] == ["reading-jtai.yaml"]


def test_a_several_plan_pack_needs_every_plan_it_fills(jtai: Invoke, here: Path) -> None:
    returned = fill(make_pack(jtai), "ret.xlsx", {"H2": "Amber", "H5": "Red"})
    before = snapshot(here)
    result = jtai("apply", "--plan", "plans/reading-jtai.yaml", str(returned), "--on", ON)
    assert result.exit_code == 1
    assert "ret.xlsx: Return!A5: wokingham-ilacs:1.1: the plan 'wokingham-ilacs' (made from " \
           "wok.yaml) is not among the plans read\n    hint: add its file or folder with " \
           "--plan\n" in result.stderr
    assert snapshot(here) == before
