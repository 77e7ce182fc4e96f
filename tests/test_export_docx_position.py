"""The Word export shows the position: a moved date with its baseline and reason, overdue
actions in words, rows kept whole on a page, the "as of" date and filters on page one."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import docx
from docx.oxml.ns import qn

from conftest import REAL_PLAN, Invoke

AS_OF = "2025-07-01"


def exported(jtai: Invoke, plan: Path, out: Path, *args: str) -> Any:
    result = jtai("export", "--plan", str(plan), "--as-of", AS_OF, "-o", str(out), *args)
    assert result.exit_code == 0, result.stderr
    return docx.Document(str(out))


def row_of(document: Any, ref: str) -> Any:
    return next(row for table in document.tables for row in table.rows
                if row.cells[0].text == ref)


def test_moved_date_shows_baseline_and_reason_and_overdue_is_in_words(
        jtai: Invoke, tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    shutil.copyfile(REAL_PLAN, plan)
    moved = jtai("update", "5.1", "--due", "31/03/2027", "--reason", "Waiting for the new "
                 "perpetrator programme", "--by", "X", "--on", "2025-06-20", "--plan", str(plan))
    assert moved.exit_code == 0, moved.stderr
    document = exported(jtai, plan, tmp_path / "plan.docx")
    row = row_of(document, "5.1")
    assert row.cells[2].text == "31.03.2027"
    assert row.cells[8].text == ("Date moved from 30.06.2025: Waiting for the new "
                                 "perpetrator programme")
    # 2.2 is due 30.06.2025 and Amber on 1 July 2025: overdue, said in words.
    assert row_of(document, "2.2").cells[8].text.startswith("OVERDUE")
    assert row_of(document, "1.1").cells[8].text == ""


def test_rows_never_split_across_pages(jtai: Invoke, tmp_path: Path) -> None:
    document = exported(jtai, REAL_PLAN, tmp_path / "plan.docx")
    for table in document.tables[1:-1]:
        for row in table.rows:
            properties = row._tr.trPr
            assert properties is not None and properties[0].tag == qn("w:cantSplit")


def test_as_of_and_filters_are_on_the_first_page(jtai: Invoke, tmp_path: Path) -> None:
    document = exported(jtai, REAL_PLAN, tmp_path / "tvp.docx", "--owner", "TVP")
    body = [p.text for p in document.paragraphs if p.text]
    assert "Position as of 1 July 2025 · only actions where owners: TVP" in body[:7]


def test_the_export_still_imports_back(jtai: Invoke, tmp_path: Path) -> None:
    exported(jtai, REAL_PLAN, tmp_path / "plan.docx")
    result = jtai("import", str(tmp_path / "plan.docx"), "--agencies", str(REAL_PLAN), "-o",
                  str(tmp_path / "back.yaml"))
    assert result.exit_code == 0, result.stderr
    assert "Position" not in result.stderr
