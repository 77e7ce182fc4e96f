"""Raw objectives and actions (cells) -> the plan's data, in plan.yaml's key order.

Every value is read by :mod:`.values`; what needed a guess or could not be read becomes a
:class:`~.layouts.Note` with the cell's location. Nothing the source does not carry is
invented: a missing theme, plan type, lead, risk or characteristics stays empty.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ...plan.dates import BadDate, parse_date
from ...plan.model import RAG
from ...plan.textpolicy import trim
from .agencynames import Registry, review, vague_wording
from .celltext import action_text, put_text
from .grid import Cell
from .planrows import plan_values, under
from .raw import Extract, Head, Note, RawAction, RawObjective
from .values import (
    Unreadable,
    complete_by_of,
    html_blocks,
    is_fragment,
    numbered_items,
    plain,
    rag_of,
    ref_of,
)

_TYPE_AND_AREA = re.compile(r"([A-Z][A-Z0-9]{1,11}):\s*(\S.*)\Z")
"""The title line an export writes for an inspection with no name: its type and area."""


@dataclass
class Built:
    data: dict[str, Any]
    notes: list[Note]
    actions: int = 0
    created: list[dict[str, Any]] = field(default_factory=list)
    words: list[str] = field(default_factory=list)
    absent: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    """Inspection details neither the source nor the options give: area, start."""
    defaulted: list[str] = field(default_factory=list)
    """Fields the source does not carry that the plan cannot leave empty, and the value
    given them."""
    comments: dict[int, dict[str, str]] = field(default_factory=dict)
    refs: dict[str, str] = field(default_factory=dict)
    """Each ref read so far, and where."""
    """id() of a mapping -> key -> the ``# import:`` comment to put after that key."""


@dataclass
class _Declared:
    themes: list[str] = field(default_factory=list)
    plan_types: list[str] = field(default_factory=list)
    words: list[str] = field(default_factory=list)
    risk_levels: dict[str, str] = field(default_factory=dict)

    def add(self, values: list[str], value: str) -> None:
        if value not in values:
            values.append(value)


@dataclass
class Overrides:
    area: str | None = None
    start: date | None = None
    end: date | None = None


def build(extract: Extract, registry: Registry, overrides: Overrides) -> Built:
    notes = list(extract.notes)
    built = Built({}, notes)
    declared = _Declared()
    data: dict[str, Any] = {"version": 1}
    head = extract.head
    sheet = plan_values(head.fields, notes)
    data["inspection"] = _inspection(head, under(sheet, "inspection"), overrides, notes,
                                     built.missing)
    if ("area_for_priority_action",) in sheet:
        data["area_for_priority_action"] = sheet[("area_for_priority_action",)]
    elif head.area_for_priority_action is not None:
        put_text(data, "area_for_priority_action", head.area_for_priority_action,
                 plain(head.area_for_priority_action.text), built.notes)
    if summary := under(sheet, "summary_of_change"):
        data["summary_of_change"] = {key: summary[key] for key in
                                     ("heading", "introduction", "areas") if key in summary}
    elif head.summary is not None:
        data["summary_of_change"] = _summary(head.summary)
    if ("characteristics_of_good",) in sheet:
        data["characteristics_of_good"] = sheet[("characteristics_of_good",)]
    elif head.characteristics is not None:
        put_text(data, "characteristics_of_good", head.characteristics,
                 plain(head.characteristics.text), built.notes)
    # Lists the plan declares come first, in its order; what the rows use is added to them.
    declared.themes[:] = sheet.get(("themes",), [])
    declared.plan_types[:] = sheet.get(("plan_types",), [])
    declared.words[:] = sheet.get(("complete_by_words",), [])
    declared.risk_levels.update(sheet.get(("risk_levels",), {}))
    if head.rag_key:
        data["rag_key"] = {RAG.parse(word.text).value: plain(meaning.text)
                           for word, meaning in head.rag_key}
    objectives = [_objective(raw, registry, declared, built)
                  for _n, raw in sorted(extract.objectives.items())]
    if not objectives:
        notes.append(Note("", "no objectives or actions were found", gap=True))
    for key, values in (("risk_levels", declared.risk_levels), ("themes", declared.themes),
                        ("plan_types", declared.plan_types),
                        ("complete_by_words", declared.words)):
        if values:
            data[key] = values
    data["objectives"] = objectives
    review(data, registry, notes)
    data["agencies"] = registry.agencies
    data["objectives"] = data.pop("objectives")  # after the agencies, as plan.yaml has them
    built.data, built.created, built.words = data, registry.created, declared.words
    built.absent = _absent(extract, objectives)
    if "multi_agency" not in extract.columns_seen and not any(
            a["multi_agency"] for o in objectives for a in o["actions"]):
        # The model has no "unknown": say what was assumed rather than assume in silence.
        built.defaulted.append("multi-agency: not in the source, left false (no "
                               "Multi-agency column, no 'MULTI-AGENCY:' before an action)")
    _ambiguous_refs(objectives, notes)
    return built


_EXPORT_POSITION = re.compile(r"Position as of \d{1,2} \w+ \d{4}\b")
_AREA_IN_TITLE = re.compile(
    r"(?P<area>[A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*){0,3}?) (?:JTAI|joint targeted area "
    r"inspection|multi-agency improvement plan|improvement plan)\b", re.IGNORECASE)
_NOT_AREAS = frozenset({"the", "our", "this", "draft", "final", "updated", "revised",
                        "multi-agency", "jtai", "action", "partnership", "safeguarding"})


def _inspection(head: Head, sheet: dict[str, Any], overrides: Overrides,
                notes: list[Note], built_missing: list[str]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for line in head.lines:
        text = " ".join(line.text.split())
        if _EXPORT_POSITION.match(text):
            continue  # the Word export's own line: the day it describes, not the plan
        if "name" not in found and (m := re.match(r"(.*\binspection\b[^:]*):\s*(.+)\Z", text,
                                                  re.IGNORECASE)):
            found["name"], found["area"] = m[1].strip(), m[2].strip()
            found["type"] = "".join(w[0] for w in m[1].split() if w[0].isupper()) or "JTAI"
        elif "area" not in found and (m := _TYPE_AND_AREA.match(text)):
            found["type"], found["area"] = m[1], m[2].strip()  # "JTAI: Reading", no name
        elif "start" not in found and (dates := _date_range(text)):
            found["start"], found["end"] = dates
        elif "plan_title" not in found and re.search(r"\bplan\b", text, re.IGNORECASE):
            found["plan_title"] = text
        else:
            notes.append(Note(line.where, f"title line '{text}' was not understood; not "
                              "imported", gap=True))
    found.update(sheet)
    if "area" not in found and not overrides.area:
        for line in head.lines:
            text = " ".join(line.text.split())
            if (m := _AREA_IN_TITLE.match(text)) and not _NOT_AREAS & set(
                    m["area"].casefold().split()):
                found["area"] = m["area"]
                notes.append(Note(line.where, f"area '{m['area']}' read from the title "
                                  f"'{text}' (give --area if it is not the area inspected)"))
                break
    if overrides.area:
        found["area"] = overrides.area
    if overrides.start and overrides.end:
        found["start"], found["end"] = overrides.start, overrides.end
    missing = [k for k in ("area", "start") if k not in found]
    built_missing.extend(missing)
    if missing:
        notes.append(Note("", "the source does not say which area was inspected and when "
                          "(a title line such as 'Joint Targeted Area Inspection: Reading' "
                          "and '24th February - 10th March 2025'): give --area and "
                          "--inspected \"24/02/2025 to 10/03/2025\"", gap=True))
    out: dict[str, Any] = {"type": found.get("type", "JTAI")}
    for key in ("name", "area", "start", "end", "plan_title"):
        if key in found:
            out[key] = found[key]
    return out


def _date_range(text: str) -> tuple[date, date] | None:
    m = re.match(r"(.+?)\s+(?:-|–|—|to|until)\s+(.+\d)\Z", text, re.IGNORECASE) or \
        re.match(r"(.+?)\s*(?:-|–|—|\bto\b|\buntil\b)\s*(.+\d{4})\Z", text, re.IGNORECASE)
    if not m:
        return None
    try:
        end = parse_date(m[2])
        try:
            start = parse_date(m[1])
        except BadDate:
            start = parse_date(f"{m[1]} {end.year}")
    except BadDate:
        return None
    return (start, end) if start <= end else None


def parse_range(text: str) -> tuple[date, date]:
    """``--inspected "24/02/2025 to 10/03/2025"``."""
    found = _date_range(" ".join(text.split()))
    if found is None:
        raise BadDate(f"'{text}' is not a date range such as \"24/02/2025 to 10/03/2025\"")
    return found


def _summary(cell: Cell) -> dict[str, Any]:
    # HTML (the seed's one cell of <p> and <ol>), or Word paragraphs: the heading, the
    # introduction, then "1. ...", "2. ..." one paragraph each.
    paragraphs = not is_fragment(cell.text)
    if paragraphs and cell.paragraphs is not None:
        # A Word cell: a block is a paragraph, and a line break inside one (an introduction
        # or an area written over two lines) stays in its text.
        blocks = [trim(text) for text in cell.paragraphs if text.strip()]
    elif paragraphs:
        blocks = [line.strip() for line in cell.text.splitlines() if line.strip()]
    else:
        blocks = html_blocks(cell.text)
    areas = _numbered_tail(blocks) if paragraphs else []
    if len(areas) == 1 and len(numbered_items(blocks[-1])) > 1:
        areas = []  # "1. A 2. B" in one paragraph: split below, as in HTML
    if areas:
        blocks = blocks[:len(blocks) - len(areas)]
    elif blocks and (items := numbered_items(blocks[-1])) and blocks[-1].startswith("1."):
        areas = items
        blocks = blocks[:-1]
    out: dict[str, Any] = {}
    if len(blocks) >= 2:
        out["heading"], out["introduction"] = blocks[0], " ".join(blocks[1:])
    elif blocks:
        out["introduction"] = blocks[0]
    if areas:
        out["areas"] = areas
    return out


def _numbered_tail(blocks: list[str]) -> list[str]:
    """The items of the last blocks when they run "1. ...", "2. ..." to the end."""
    for start in range(len(blocks)):
        items = [re.match(rf"{n}\.\s+(.+)\Z", block, re.DOTALL)
                 for n, block in enumerate(blocks[start:], 1)]
        if all(items):
            return [item[1] for item in items if item]
    return []


def _objective(raw: RawObjective, registry: Registry, declared: _Declared,
               built: Built) -> dict[str, Any]:
    notes = built.notes
    out: dict[str, Any] = {"number": raw.number}
    if raw.title is not None and raw.title.text:
        if not put_text(out, "title", raw.title, plain(raw.title.text), built.notes):
            out["title"] = f"Objective {raw.number}"
    else:
        out["title"] = f"Objective {raw.number}"
        notes.append(Note(raw.where, f"objective {raw.number} has no title in the source; "
                          f"it is called 'Objective {raw.number}' until you name it"))
    if raw.risk is not None:
        wording = plain(raw.risk.text)
        known = {text: key for key, text in declared.risk_levels.items()}
        m = re.match(r"\s*(\w+)\s+risk\b", wording, re.IGNORECASE) or re.match(
            r"\s*(\w+)\s*\Z", wording)
        key = known.get(wording) or (
            m[1].lower() if m else re.sub(r"\W+", "_", wording.lower()).strip("_")[:32])
        declared.risk_levels.setdefault(key, wording)
        out["risk"] = key
    if raw.lead is not None and raw.lead.text:
        out["lead"] = registry.owners(raw.lead.text, raw.lead.where)[0]
    if raw.characteristics is not None:
        put_text(out, "characteristics_of_good", raw.characteristics,
                 plain(raw.characteristics.text), built.notes)
    actions = []
    for action in raw.actions:
        made = _action(action, raw.number, registry, declared, built)
        if made is not None:
            actions.append(made)
    out["actions"] = actions
    built.actions += len(actions)
    return out


def _action(raw: RawAction, number: int, registry: Registry, declared: _Declared,
            built: Built) -> dict[str, Any] | None:
    notes = built.notes
    cells = raw.cells
    out: dict[str, Any] = {}
    comments: dict[str, str] = {}

    def gap(cell: Cell | None, message: str) -> None:
        notes.append(Note(cell.where if cell else raw.where, message, gap=True))

    ref_cell = cells.get("ref")
    try:
        if ref_cell is None:
            raise Unreadable("no ref")
        ref, from_number = ref_of(ref_cell)
    except Unreadable as exc:
        gap(ref_cell, f"{exc}; the row was not imported")
        return None
    if int(ref.split(".")[0]) != number:
        gap(ref_cell, f"ref {ref} is not under objective {number}; the row was not imported")
        return None
    if ref in built.refs:
        gap(ref_cell, f"ref {ref} appears twice (first at {built.refs[ref]}); this row was not "
                      "imported")
        return None
    built.refs[ref] = ref_cell.where
    out["ref"] = ref
    if from_number:
        out["_ref_from_number"] = ref_cell
    text_cell = cells.get("action")
    multi, text, refused = action_text(cells, ref, notes, comments)
    out["multi_agency"] = multi
    if refused is not None:
        gap(text_cell, refused)
        return None
    out["action"] = text
    due_cell = cells.get("complete_by")
    if due_cell is not None:
        try:
            due = complete_by_of(due_cell)
        except Unreadable as exc:
            gap(due_cell, f"{ref} complete-by: {exc}")
            comments["complete_by"] = f"import: could not read '{due_cell.text}'"
            due = None
        if due is not None:
            out["complete_by"] = due.value
            if due.note:
                notes.append(Note(due_cell.where, f"{ref}: {due.note}"))
                comments["complete_by"] = f"written \"{due.written}\""
            if isinstance(due.value, str):
                declared.add(declared.words, due.value)
    base_cell = cells.get("baseline_complete_by")
    if base_cell is not None and (base_cell.text or base_cell.value is not None):
        try:
            base = complete_by_of(base_cell).value
        except Unreadable as exc:
            gap(base_cell, f"{ref} baseline: {exc}")
            base = None
        if isinstance(base, date) and base != out.get("complete_by"):
            out["baseline_complete_by"] = base
    owners_cell = cells.get("owners")
    written = plain(owners_cell.text) if owners_cell else ""
    if not written:
        gap(owners_cell, f"{ref} has no owner; the row was not imported")
        return None
    if owners_cell is not None and not put_text({}, "owners", owners_cell, written, notes):
        return None
    codes = registry.owners(" ".join(written.split()),
                            owners_cell.where if owners_cell else raw.where)
    out["owners"] = codes
    for said in vague_wording(written):
        notes.append(Note(owners_cell.where if owners_cell else raw.where,
                          f"{ref} owners '{written}': {said}"))
    as_written = cells.get("owners_as_written")
    if as_written is not None:  # the export's own column: exactly what the plan held
        if as_written.text:
            put_text(out, "owners_as_written", as_written, plain(as_written.text), notes,
                     comments)
    elif written != ", ".join(codes):
        out["owners_as_written"] = written
    for name, values in (("theme", declared.themes), ("plan_type", declared.plan_types)):
        cell = cells.get(name)
        if cell is not None and cell.text and put_text(out, name, cell, plain(cell.text),
                                                       notes, comments):
            declared.add(values, out[name])
    for name in ("progress", "impact"):
        cell = cells.get(name)
        rag: RAG | None = None
        if cell is not None:
            try:
                rag, note = rag_of(cell)
            except Unreadable as exc:
                gap(cell, f"{ref} {name}: {exc}")
                comments[name] = f"import: could not read '{cell.text or cell.fill}'"
                rag, note = None, None
            if note:
                notes.append(Note(cell.where, f"{ref} {name}: {note}"))
        if rag is None and name == "progress":
            if "progress" not in comments:
                gap(cell, f"{ref} has no progress rating; the row was not imported")
            return None
        out[name] = rag.value if rag is not None else None
    done_cell = cells.get("completed_on")
    if done_cell is not None and done_cell.text:
        try:
            done = complete_by_of(done_cell).value
        except Unreadable:
            done = None
        if isinstance(done, date):
            out["completed_on"] = done
        else:
            gap(done_cell, f"{ref} completed on: '{done_cell.text}' is not a date such as "
                           "30/06/2025")
    for name in ("evidence", "impact_evidence"):
        cell = cells.get(name)
        if cell is not None and cell.text:
            put_text(out, name, cell, plain(cell.text), notes, comments)
    built.comments[id(out)] = comments
    return out


def _absent(extract: Extract, objectives: list[dict[str, Any]]) -> list[str]:
    absent = []
    for key, label in (("theme", "theme"), ("plan_type", "plan type"), ("impact", "impact")):
        if key not in extract.columns_seen:
            absent.append(label)
    for key, label in (("lead", "objective lead"), ("risk", "risk"),
                       ("characteristics_of_good", "characteristics of good")):
        if objectives and not any(key in o for o in objectives):
            absent.append(label)
    return absent


def _ambiguous_refs(objectives: list[dict[str, Any]], notes: list[Note]) -> None:
    """Excel stores 2.10 as 2.1: warn when a numeric x.1 shares an objective with x.9 or more."""
    for objective in objectives:
        tails = [int(a["ref"].split(".")[1]) for a in objective["actions"]]
        for action in objective["actions"]:
            cell = action.pop("_ref_from_number", None)
            if cell is not None and action["ref"].endswith(".1") and max(tails, default=0) >= 9:
                notes.append(Note(cell.where, f"ref {action['ref']} was stored by Excel as a "
                                  f"number, so it may have been {action['ref']}0; write refs "
                                  "as text in the sheet"))
