"""plan.yaml must agree, field by field, with the seed it was transcribed from.

The seed (tests/data/seed_reading_2025.txt) is tab-separated text pasted from the
partnership's Word table. It is parsed here on its own terms, without any help from
the transcription, so a slip in plan.yaml shows up as a named failing ref or field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

ROOT = Path(__file__).parent.parent
PLAN_PATH = ROOT / "plan.yaml"
SEED_PATH = Path(__file__).parent / "data" / "seed_reading_2025.txt"

REF_RE = re.compile(r"^\d+\.\d+$")
OBJECTIVE_RE = re.compile(r"^Improvement Objective (\d+): (.+)$")
RISK_RE = re.compile(r"^(?:Moderate|High) risk: .+$")
LEAD_RE = re.compile(r"^Accountable lead: (.+)$")
MARKER_RE = re.compile(r"^MULTI-AGENCY:\s*", re.IGNORECASE)
SEED_DATE_RE = re.compile(r"^(\d{2})\.(\d{2})\.(\d{2}|\d{4})$")
INSPECTION_RE = re.compile(r"^(\d+)(?:st|nd|rd|th) (\w+) - (\d+)(?:st|nd|rd|th) (\w+) (\d{4})$")
TAG_RE = re.compile(r"<[^>]+>")
AREA_RE = re.compile(r"(\d+)\. (.*?)(?=\s+\d+\. |\s*$)")

ACTION_KEYS = [
    "ref",
    "multi_agency",
    "action",
    "complete_by",
    "owners",
    "owners_as_written",
    "theme",
    "plan_type",
    "progress",
    "impact",
]


@dataclass
class SeedAction:
    ref: str
    objective: int
    text: str
    multi_agency: bool
    complete_by: date | str
    owner: str
    theme: str
    plan_type: str
    progress: str
    impact: str | None


@dataclass
class SeedObjective:
    number: int
    title: str
    risk: str
    leads: list[str] = field(default_factory=list)
    characteristics: list[str] = field(default_factory=list)
    has_impact_column: bool = False
    refs: list[str] = field(default_factory=list)


@dataclass
class Seed:
    title_line: str
    dates_line: str
    plan_title: str
    priority_action: str
    summary_heading: str
    summary_introduction: str
    areas: list[str]
    characteristics_of_good: str
    objectives: dict[int, SeedObjective]
    actions: dict[str, SeedAction]
    rag_key: dict[str, str]


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.split("\t")]


def _filled(line: str) -> list[str]:
    return [cell for cell in _cells(line) if cell]


def _strip_tags(html: str) -> str:
    return " ".join(TAG_RE.sub(" ", html).split())


def _seed_date(text: str) -> date | str:
    match = SEED_DATE_RE.match(text)
    if match is None:
        return text
    day, month, year = match.groups()
    full_year = int(year) if len(year) == 4 else 2000 + int(year)
    return date(full_year, int(month), int(day))


def _next_text_line(lines: list[str], start: int) -> str:
    return next(line.strip() for line in lines[start + 1 :] if line.strip())


def _parse_summary(cell: str) -> tuple[str, str, list[str]]:
    paragraphs = re.findall(r"<p>(.*?)</p>", cell)
    heading, introduction = (_strip_tags(p) for p in paragraphs[:2])
    list_text = _strip_tags(cell.split("<ol", 1)[1].split(">", 1)[1])
    numbered = AREA_RE.findall(list_text)
    assert [int(n) for n, _ in numbered] == list(range(1, len(numbered) + 1))
    return heading, introduction, [text for _, text in numbered]


def _parse_action(cells: list[str], objective: int) -> SeedAction:
    ref, raw_text, complete_by, owner, theme, plan_type, progress, *rest = cells
    assert len(rest) <= 1, f"unexpected cells in {ref}: {rest}"
    marker = MARKER_RE.match(raw_text)
    return SeedAction(
        ref=ref,
        objective=objective,
        text=raw_text[marker.end() :] if marker else raw_text,
        multi_agency=marker is not None,
        complete_by=_seed_date(complete_by),
        owner=owner,
        theme=theme,
        plan_type=plan_type,
        progress=progress,
        impact=rest[0] if rest else None,
    )


@cache
def seed() -> Seed:
    lines = SEED_PATH.read_text(encoding="utf-8").splitlines()
    text_lines = [line.strip() for line in lines if line.strip()]

    objectives: dict[int, SeedObjective] = {}
    actions: dict[str, SeedAction] = {}
    rag_key: dict[str, str] = {}
    summary: tuple[str, str, list[str]] | None = None
    characteristics_of_good = ""
    priority_action = ""
    current: SeedObjective | None = None
    in_key = False

    for index, line in enumerate(lines):
        cells = _cells(line)
        filled = _filled(line)
        if not filled:
            continue
        first = cells[0]
        if first == "Area for priority action:":
            priority_action = _next_text_line(lines, index)
        elif first.startswith("<p>SUMMARY OF CHANGE REQUIRED"):
            summary = _parse_summary(first)
            characteristics_of_good = _strip_tags(filled[1])
        elif match := OBJECTIVE_RE.match(first):
            risk = next(cell for cell in filled if RISK_RE.match(cell))
            current = SeedObjective(number=int(match[1]), title=match[2], risk=risk)
            objectives[current.number] = current
        elif match := LEAD_RE.match(first):
            assert current is not None
            current.leads.append(match[1])
            current.characteristics.extend(filled[1:])
        elif first == "REF":
            assert current is not None
            current.has_impact_column = "Impact RAG" in filled
        elif REF_RE.match(first):
            assert current is not None
            action = _parse_action(filled, current.number)
            assert action.ref not in actions, f"duplicate ref {action.ref}"
            actions[action.ref] = action
            current.refs.append(action.ref)
        elif first == "KEY":
            in_key = True
        elif in_key:
            colour, meaning = filled
            rag_key[colour] = meaning

    assert summary is not None
    heading, introduction, areas = summary
    return Seed(
        title_line=text_lines[0],
        dates_line=text_lines[1],
        plan_title=text_lines[2],
        priority_action=priority_action,
        summary_heading=heading,
        summary_introduction=introduction,
        areas=areas,
        characteristics_of_good=characteristics_of_good,
        objectives=objectives,
        actions=actions,
        rag_key=rag_key,
    )


@cache
def plan() -> dict[str, Any]:
    yaml = YAML(typ="safe", pure=True)
    loaded: dict[str, Any] = yaml.load(PLAN_PATH.read_text(encoding="utf-8"))
    return loaded


def plan_objectives() -> dict[int, dict[str, Any]]:
    return {objective["number"]: objective for objective in plan()["objectives"]}


# How the seed's own words name the agencies, read from the seed and written out here rather
# than taken from plan.yaml's aliases (a wrong alias there must fail these tests, not hide).
# "BFfC" and "BFFC": Brighter Futures for Children, spelled both ways in the seed. "CSC":
# children's social care, which BFfC delivers. "Police" and "TVP": Thames Valley Police.
# "Partnership" and "BWSCP": the Berkshire West Safeguarding Children Partnership. "Kent CC":
# Kent County Council, who carry out 2.3's peer review. "with partners" names no one agency.
OWNERS_FROM_SEED: dict[str, list[str]] = {
    "Police and CSC": ["TVP", "BFfC"],
    "BWSCP": ["BWSCP"],
    "BFFC with partners": ["BFfC"],
    "Partnership and Kent CC": ["BWSCP", "KCC"],
    "BFFC": ["BFfC"],
    "BFfC": ["BFfC"],
    "TVP with support from BFfC": ["TVP", "BFfC"],
    "TVP": ["TVP"],
}
LEAD_FROM_SEED: dict[str, str] = {"TVP": "TVP", "BFFC": "BFfC", "BFfC": "BFfC"}


def plan_actions() -> dict[str, tuple[dict[str, Any], dict[str, Any]]]:
    return {
        action["ref"]: (objective, action)
        for objective in plan()["objectives"]
        for action in objective["actions"]
    }


def agency_names() -> dict[str, list[str]]:
    """Each agency code with every name the seed may use for it, code first."""
    return {
        agency["code"]: [agency["code"], *agency.get("aliases", [])]
        for agency in plan()["agencies"]
    }


def agencies_mentioned(wording: str) -> list[str]:
    """Agency codes named in a seed owner or lead cell, in order of first mention."""
    first_mention: dict[str, int] = {}
    for code, names in agency_names().items():
        positions = [
            match.start()
            for name in names
            for match in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", wording)
        ]
        if positions:
            first_mention[code] = min(positions)
    return sorted(first_mention, key=first_mention.__getitem__)


SEED_REFS = list(seed().actions)
SEED_OBJECTIVES = list(seed().objectives)


def test_seed_shape() -> None:
    assert len(SEED_OBJECTIVES) == 10
    assert len(SEED_REFS) == 20


def test_refs_match_seed_exactly() -> None:
    refs = [action["ref"] for objective in plan()["objectives"] for action in objective["actions"]]
    assert all(isinstance(ref, str) for ref in refs)
    assert len(refs) == len(set(refs))
    assert set(refs) == set(SEED_REFS)
    assert refs == SEED_REFS


@pytest.mark.parametrize("ref", SEED_REFS)
def test_action_matches_seed(ref: str) -> None:
    expected = seed().actions[ref]
    objective, action = plan_actions()[ref]

    assert objective["number"] == expected.objective
    assert action["ref"] == ref
    assert action["action"] == expected.text
    assert action["multi_agency"] is expected.multi_agency
    assert action["complete_by"] == expected.complete_by
    assert type(action["complete_by"]) is type(expected.complete_by)
    assert action["theme"] == expected.theme
    assert action["plan_type"] == expected.plan_type
    assert action["progress"] == expected.progress
    assert action["impact"] == expected.impact


@pytest.mark.parametrize("ref", SEED_REFS)
def test_action_owners_match_seed(ref: str) -> None:
    expected = seed().actions[ref]
    _, action = plan_actions()[ref]
    owners = action["owners"]
    assert set(owners) <= set(agency_names())

    assert owners == OWNERS_FROM_SEED[expected.owner]
    if "owners_as_written" in action:
        assert action["owners_as_written"] == expected.owner
        assert [expected.owner] != owners
    else:
        assert owners == [expected.owner]
    # plan.yaml's aliases must read the seed's words the same way.
    assert owners == agencies_mentioned(expected.owner)


def test_every_seed_owner_and_lead_wording_is_mapped() -> None:
    """The mappings above are complete: new wording in the seed needs a reading here."""
    assert {action.owner for action in seed().actions.values()} == set(OWNERS_FROM_SEED)
    assert {lead for objective in seed().objectives.values() for lead in objective.leads} \
        == set(LEAD_FROM_SEED)


@pytest.mark.parametrize("ref", SEED_REFS)
def test_action_keys_and_vocabularies(ref: str) -> None:
    _, action = plan_actions()[ref]
    expected_keys = [key for key in ACTION_KEYS if key != "owners_as_written" or key in action]
    assert list(action) == expected_keys
    assert action["theme"] in plan()["themes"]
    assert action["plan_type"] in plan()["plan_types"]
    assert action["progress"] in plan()["rag_key"]
    assert action["impact"] is None or action["impact"] in plan()["rag_key"]
    if not isinstance(action["complete_by"], date):
        assert action["complete_by"] in plan()["complete_by_words"]


@pytest.mark.parametrize("number", SEED_OBJECTIVES)
def test_objective_matches_seed(number: int) -> None:
    expected = seed().objectives[number]
    objective = plan_objectives()[number]

    assert objective["title"] == expected.title
    assert plan()["risk_levels"][objective["risk"]] == expected.risk
    assert [objective["characteristics_of_good"]] == expected.characteristics
    assert [action["ref"] for action in objective["actions"]] == expected.refs
    for lead in expected.leads:
        assert objective["lead"] == LEAD_FROM_SEED[lead]
        assert agencies_mentioned(lead) == [objective["lead"]]
    if not expected.has_impact_column:
        assert all(action["impact"] is None for action in objective["actions"])


def test_objectives_in_seed_order() -> None:
    assert [objective["number"] for objective in plan()["objectives"]] == SEED_OBJECTIVES


def test_rag_key_matches_seed() -> None:
    assert plan()["rag_key"] == seed().rag_key


def test_summary_of_change_matches_seed() -> None:
    summary = plan()["summary_of_change"]
    assert summary["heading"] == seed().summary_heading
    assert summary["introduction"] == seed().summary_introduction
    assert summary["areas"] == seed().areas
    assert len(summary["areas"]) == 10


def test_characteristics_of_good_matches_seed() -> None:
    assert plan()["characteristics_of_good"] == seed().characteristics_of_good


def test_area_for_priority_action_matches_seed() -> None:
    assert plan()["area_for_priority_action"] == seed().priority_action


def test_inspection_matches_seed() -> None:
    inspection = plan()["inspection"]
    assert f"{inspection['name']}: {inspection['area']}" == seed().title_line
    assert inspection["plan_title"] == seed().plan_title

    match = INSPECTION_RE.match(seed().dates_line)
    assert match is not None
    start_day, start_month, end_day, end_month, year = match.groups()

    def parse(day: str, month: str) -> date:
        return datetime.strptime(f"{day} {month} {year}", "%d %B %Y").date()

    assert inspection["start"] == parse(start_day, start_month)
    assert inspection["end"] == parse(end_day, end_month)
