"""Apply one of the hand-written mutants, run its tests, put the source back: issue 17's
six, and one for each of issue 25's eight behaviours (tests/test_data_paths_pinned.py).

    .venv/bin/python bench/hand_mutants.py            # all of them, one after another
    .venv/bin/python bench/hand_mutants.py revised-always-zero

Each mutant is an exact text replacement in one source file (it must match once, or the
mutant is stale and the script says so). The original bytes are restored whatever happens.
Exit status 0 means every mutant applied made at least one test fail (it was killed).
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SRC = REPO / "src" / "jtaiplan"


@dataclass(frozen=True)
class Mutant:
    name: str
    file: str
    original: str
    mutated: str
    tests: tuple[str, ...]


MUTANTS: tuple[Mutant, ...] = (
    Mutant("personal-data-note-only", "planfile/edit.py",
           "    personal = next(scan(value), None)\n",
           "    personal = next(scan(value), None) if option == \"--note\" else None\n",
           ("tests/test_mutation_guards.py", "tests/test_edge_cases.py")),
    Mutant("jtai106-ignores-blue", "lint/evidence.py",
           "if action.impact in (RAG.GREEN, RAG.BLUE) and not action.impact_evidence:",
           "if action.impact in (RAG.GREEN,) and not action.impact_evidence:",
           ("tests/test_mutation_guards.py", "tests/test_lint_rules.py")),
    Mutant("jtai105-any-earlier-note", "lint/evidence.py",
           "if action.progress is RAG.RED and (latest is None or not latest.note):",
           "if action.progress is RAG.RED and not any(u.note for u in action.updates):",
           ("tests/test_mutation_guards.py", "tests/test_lint_rules.py")),
    Mutant("revised-always-zero", "plan/query.py",
           "revised=sum(r.action.date_revised for r in rows),",
           "revised=0,",
           ("tests/test_mutation_guards.py", "tests/test_status.py")),
    Mutant("due-soon-counts-blue", "plan/query.py",
           "<= due_soon_days and r.action.progress is not RAG.BLUE),",
           "<= due_soon_days),",
           ("tests/test_mutation_guards.py", "tests/test_status.py")),
    Mutant("source-date-epoch-exit-2", "views/report.py",
           "            pass  # beyond the calendar: ignore it, as reproducible-build tools do\n",
           "            from ..errors import CannotRun\n"
           "            raise CannotRun('SOURCE_DATE_EPOCH is out of range') from None\n",
           ("tests/test_mutation_guards.py",
            "tests/test_hostile.py::test_source_date_epoch_beyond_the_calendar_is_ignored",
            "tests/test_report.py")),
)

PINNED = "tests/test_data_paths_pinned.py::"
"""Issue 25's eight behaviours: each mutant is the bug its test exists for."""

MUTANTS += (
    Mutant("apply-skips-bad-returns", "office/packs/apply.py",
           "    problems = [p for r in returns for p in r.problems]\n",
           "    problems: list[Problem] = []  # a bad return is skipped, the others applied\n",
           (PINNED + "test_a_clean_return_applied_with_a_bad_one_is_refused_too",)),
    Mutant("text-limit-one-short", "plan/constraints.py",
           "OptionalText = Annotated[StrictStr, StringConstraints(max_length=MAX_TEXT),",
           "OptionalText = Annotated[StrictStr, StringConstraints(max_length=MAX_TEXT - 1),",
           (PINNED + "test_a_note_of_exactly_the_limit_is_accepted_by_update",)),
    # The return's cells are held to the one text policy's limit (plan/textpolicy.py).
    Mutant("return-note-limit-one-short", "plan/textpolicy.py",
           "    if len(text) > limit:\n",
           "    if len(text) >= limit:\n",
           (PINNED + "test_a_note_of_exactly_the_limit_is_accepted_from_a_return",)),
    Mutant("added-column-named-first-past-the-pack", "office/packs/read.py",
           "found.problem(f\"{RETURN_SHEET}!{column_letter(column)}{HEADER_ROW}\",",
           "found.problem(f\"{RETURN_SHEET}!{column_letter(len(HEADERS))}{HEADER_ROW}\",",
           (PINNED + "test_a_column_added_by_hand_is_named_at_its_own_header_cell",)),
    Mutant("rag-letter-a-unknown", "office/intake/values.py",
           '    "amber": RAG.AMBER, "a": RAG.AMBER,\n',
           '    "amber": RAG.AMBER,\n',
           (PINNED + "test_a_rag_given_as_a_bare_letter_imports_as_its_colour",)),
    Mutant("timescales-header-unknown", "office/intake/columns.py",
           '"Timescale", "Timescales", ',
           '"Timescale", ',
           (PINNED + "test_the_timescales_header_maps_to_complete_by",)),
    Mutant("one-day-inspection-refused", "office/intake/build.py",
           "    return (start, end) if start <= end else None\n",
           "    return (start, end) if start < end else None\n",
           (PINNED + "test_a_one_day_inspection_is_accepted_from_inspected",
            PINNED + "test_a_one_day_inspection_is_accepted_from_a_title_line")),
    Mutant("cache-stamp-size-only", "planfile/plancache.py",
           'parts.append(f"{path}:{stat.st_size}:{stat.st_mtime_ns}")',
           'parts.append(f"{path}:{stat.st_size}")',
           (PINNED + "test_a_same_size_change_to_a_deciding_module_invalidates_the_cache",)),
    Mutant("cache-forgets-textpolicy", "planfile/plancache.py",
           '"plan/textpolicy.py", ',
           "",
           (PINNED + "test_a_same_size_change_to_a_deciding_module_invalidates_the_cache",)),
    Mutant("holder-from-the-day-after", "plan/agencies.py",
           "            if step.on > as_of:\n                break\n",
           "            if step.on >= as_of:\n                break\n",
           (PINNED + "test_on_the_succession_day_json_held_by_names_the_successor",)),
    Mutant("owner-note-from-the-day-after", "plan/agencies.py",
           "            if steps and steps[0].on <= as_of:\n",
           "            if steps and steps[0].on < as_of:\n",
           (PINNED + "test_on_the_succession_day_the_owner_note_says_the_successor_holds_them",)),
)


def run(mutant: Mutant) -> bool:
    """True when the mutant was killed (some test failed)."""
    path = SRC / mutant.file
    original = path.read_bytes()
    text = original.decode("utf-8")
    if text.count(mutant.original) != 1:
        raise SystemExit(f"{mutant.name}: the original text is not in {mutant.file} exactly "
                         "once; update the mutant")
    try:
        path.write_text(text.replace(mutant.original, mutant.mutated), encoding="utf-8")
        result = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
             "--no-header", "-rf", *mutant.tests],
            cwd=REPO, capture_output=True, text=True, check=False)
    finally:
        path.write_bytes(original)
    failed = [line for line in result.stdout.splitlines() if line.startswith("FAILED ")]
    verdict = "killed" if result.returncode == 1 and failed else "SURVIVED"
    print(f"{mutant.name} ({mutant.file}): {verdict}")
    for line in failed:
        print(f"    {line[:160]}")
    return verdict == "killed"


def main(names: list[str]) -> int:
    chosen = [m for m in MUTANTS if not names or m.name in names]
    unknown = set(names) - {m.name for m in MUTANTS}
    if unknown:
        print(f"unknown mutants: {', '.join(sorted(unknown))}; known: "
              f"{', '.join(m.name for m in MUTANTS)}", file=sys.stderr)
        return 2
    killed = [run(m) for m in chosen]  # every mutant runs, even after a survivor
    return 0 if all(killed) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
