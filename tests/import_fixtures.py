"""Office files the import tests build themselves from the seed's content.

The seed (tests/data/seed_reading_2025.txt) is the text of the partnership's Word document;
plan.yaml is its transcription. The Word document is rebuilt from the seed's own lines, its
merged cells as the seed shows them; the trackers and CSV files from plan.yaml's objectives
and actions, written the way trackers write them (owners and leads as written, refs as
numbers, dates as date cells or day-first text, some RAGs only as a fill colour).
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "tests" / "data" / "seed_reading_2025.txt"
PLAN = REPO / "plan.yaml"
_REF = re.compile(r"\d+\.\d+\Z")

HEAD_LINES = ["Joint Targeted Area Inspection: Reading", "24th February - 10th March 2025",
              "Multi-Agency Improvement Plan"]
TRACKER_HEADER = ["Objective", "Objective title", "Ref", "Action", "Complete by", "Owners",
                  "Theme", "Plan type", "Progress", "Impact"]
FILLS = {"Blue": "0070C0", "Green": "00B050", "Amber": "FFC000", "Red": "FF0000"}


def plan_data() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(PLAN.read_text(encoding="utf-8"))
    return data


def _lead_as_written(number: int) -> str:
    # The seed writes BFFC for objectives 2 and 3's lead.
    lead: str = {2: "BFFC", 3: "BFFC"}.get(number) or next(
        o["lead"] for o in plan_data()["objectives"] if o["number"] == number)
    return lead


def tracker_rows(date_form: str = "cell") -> list[list[Any]]:
    """One row per action, as TRACKER_HEADER; dates as ``cell`` (datetime) or text forms."""
    rows = []
    forms = ["%d.%m.%y", "%d/%m/%Y", "%-d %B %Y", "%d.%m.%Y"]
    for objective in plan_data()["objectives"]:
        for k, action in enumerate(objective["actions"]):
            due = action["complete_by"]
            if isinstance(due, date):
                due = datetime(due.year, due.month, due.day) if date_form == "cell" \
                    else due.strftime(forms[k % len(forms)])
            text = ("MULTI-AGENCY: " if action["multi_agency"] else "") + action["action"]
            rows.append([
                objective["number"], objective["title"], action["ref"], text, due,
                action.get("owners_as_written") or ", ".join(action["owners"]),
                action["theme"], action["plan_type"], action["progress"],
                action["impact"] or "",
            ])
    return rows


def objectives_rows() -> list[list[Any]]:
    data = plan_data()
    return [[o["number"], o["title"], _lead_as_written(o["number"]),
             data["risk_levels"][o["risk"]], o["characteristics_of_good"]]
            for o in data["objectives"]]


def write_tracker(path: Path) -> Path:
    """An Excel tracker: title rows above the header, refs as numbers, date cells, the
    progress of objective 6's actions given only by fill colour, an "Objectives" sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import PatternFill

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Tracker"
    for line in HEAD_LINES:
        sheet.append([line])
    sheet.append([])
    sheet.append(TRACKER_HEADER)
    for row in tracker_rows():
        row = list(row)
        row[2] = float(row[2])  # as Excel stores a typed 2.1
        sheet.append(row)
        if row[0] == 6:
            cell = sheet.cell(sheet.max_row, 9)
            cell.fill = PatternFill("solid", fgColor=FILLS[cell.value])
            cell.value = None
    objectives = book.create_sheet("Objectives")
    objectives.append(["Number", "Title", "Lead", "Risk", "Characteristics of good"])
    for values in objectives_rows():
        objectives.append(values)
    book.save(path)
    return path


def write_csv(path: Path, *, delimiter: str = ",", encoding: str = "utf-8",
              date_form: str = "text", repeated: bool = False) -> Path:
    """A CSV tracker; with ``repeated`` each row also repeats its objective's risk and
    characteristics of good."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    extra = ["Risk", "Characteristics of good"] if repeated else []
    writer.writerow(["Objective", "Objective title", "Accountable lead", *extra,
                     *TRACKER_HEADER[2:]])
    by_number = {row[0]: row[3:] for row in objectives_rows()}
    for row in tracker_rows(date_form):
        writer.writerow([row[0], row[1], _lead_as_written(row[0]),
                         *(by_number[row[0]] if repeated else []), *row[2:]])
    path.write_bytes(out.getvalue().encode(encoding))
    return path


def write_docx(path: Path) -> Path:
    """The seed as a Word document: its paragraphs, and its tables with the empty cells
    beside a title, lead or header merged into the cell before them (as in the original);
    the themes of objective 6's three actions are one vertically merged cell, and 8.1's
    progress is given only by the cell's shading."""
    import docx

    document = docx.Document()
    table_rows: list[list[str]] = []

    def flush() -> None:
        if not table_rows:
            return
        width = max(len(r) for r in table_rows)
        table = document.add_table(rows=len(table_rows), cols=width)
        for r, values in enumerate(table_rows):
            row = table.rows[r]
            values = values + [""] * (width - len(values))
            is_action = bool(_REF.match(values[0]))
            c = 0
            while c < width:
                row.cells[c].text = values[c]
                end = c
                if not is_action:
                    while end + 1 < width and not values[end + 1]:
                        end += 1
                if end > c:
                    row.cells[c].merge(row.cells[end])
                    row.cells[c].text = values[c]
                c = end + 1
        for r, values in enumerate(table_rows):
            if values[0] == "8.1":  # the rating only as the cell's shading
                _shade(table.cell(r, 6), FILLS[values[6]])
                table.cell(r, 6).text = ""
        themes = [r for r, values in enumerate(table_rows) if values[0].startswith("6.")]
        if themes:
            top = table.cell(themes[0], 4)
            top.merge(table.cell(themes[-1], 4))
            top.text = table_rows[themes[0]][4]
        table_rows.clear()

    for line in SEED.read_text(encoding="utf-8").splitlines():
        if "\t" in line:
            if line.startswith(("Improvement Objective", "Blue")):
                flush()
            table_rows.append(line.split("\t"))
        elif line.strip():
            flush()
            document.add_paragraph(line)
    flush()
    document.save(str(path))
    return path


def _shade(cell: Any, fill: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def second_tracker(path: Path) -> Path:
    """Another area's tracker, shaped differently: No., Lead agency, By when, RAG, a
    Milestone column jtai does not know, refs past .9, a month alone, "Ongoing"."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Plan"
    sheet.append(["Priority", "Priority title", "No.", "What will be done", "Lead agency",
                  "By when", "RAG", "Milestone", None, None])
    rows = [
        [1, "EARLY HELP", "1.1", "Map early help offers", "Anytown Council", "31/01/2026",
         "G", "Offers mapped"],
        [1, "EARLY HELP", "1.2", "Train staff in the early help assessment",
         "Anytown Council / ICB", "Mar 2026", "Amber", ""],
        [3, "HEALTH", "3.9", "Audit health visitor referrals", "ICB", "Ongoing", "Green", ""],
        [3, "HEALTH", "3.10", "Review GP safeguarding leads", "ICB", datetime(2026, 4, 30),
         "Red", "Leads named"],
        [3, "HEALTH", 3.12, "Publish the health safeguarding dashboard", "ICB & Police",
         "30 June 2026", "Completed", ""],
    ]
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


EXPORT_ACTION_HEADER = ["Objective", "Objective title", "Ref", "Action", "Complete by",
                        "Baseline complete by", "Owners", "Owner names", "Theme", "Plan type",
                        "Progress", "Impact", "Overdue", "Latest update", "Latest update date"]
"""The columns `jtai export` writes (issue 12), so that its files import back."""


def export_rows() -> list[list[Any]]:
    rows = []
    for objective in plan_data()["objectives"]:
        for action in objective["actions"]:
            rows.append([objective["number"], objective["title"], action["ref"],
                         ("MULTI-AGENCY: " if action["multi_agency"] else "") + action["action"],
                         action["complete_by"], None, ", ".join(action["owners"]),
                         "Agency names here", action["theme"], action["plan_type"],
                         action["progress"], action["impact"], "no",
                         "'- workshop held", "2025-07-01"])
    return rows


def write_export_shaped(path: Path) -> Path:
    """A workbook shaped as `jtai export --format xlsx` writes it, or its CSV (by suffix)."""
    data = plan_data()
    if path.suffix == ".csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(EXPORT_ACTION_HEADER)
        for row in export_rows():
            writer.writerow(["" if v is None else v for v in row])
        path.write_bytes(out.getvalue().encode("utf-8-sig"))
        return path
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Actions"
    sheet.append(EXPORT_ACTION_HEADER)
    for row in export_rows():
        due = row[4]
        if isinstance(due, date):
            row[4] = datetime(due.year, due.month, due.day)
        sheet.append(row)
    objectives = book.create_sheet("Objectives")
    objectives.append(["Number", "Title", "Lead", "Risk", "Characteristics of good"])
    for o in data["objectives"]:
        objectives.append([o["number"], o["title"], o["lead"], data["risk_levels"][o["risk"]],
                           o["characteristics_of_good"]])
    history = book.create_sheet("History")
    history.append(["Ref", "Date", "By", "Changes", "Note"])
    history.append(["2.2", "2025-07-01", "A. Person", "progress Green → Amber", "moved"])
    key = book.create_sheet("Key")
    key.append(["Rating", "Meaning"])
    for word, meaning in data["rag_key"].items():
        key.append([word, meaning])
    book.save(path)
    return path
