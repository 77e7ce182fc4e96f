"""`jtai report`: golden files, content, options, user templates, escaping and accessibility.

Golden files: tests/golden/report-2025-07-01.html and .md are the real plan's reports as of
2025-07-01 with SOURCE_DATE_EPOCH=1751360400 (2025-07-01 09:00 UTC), rendered from the
repository root so the plan is named ``plan.yaml``. After an intended change to the
templates or the report's data, regenerate them and review the diff before committing::

    UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_report.py -k golden
    git diff tests/golden/

The content tests below do not trust the golden files: they check the headline counts,
lists, headings and key against values worked out by hand (and, where it is a count, again
from the raw YAML), so a golden file regenerated from a broken report is still caught.

The hostile plan (tests/fixtures/report/hostile.yaml) puts HTML, script, Markdown table
pipes, links, images, @mentions, entities and line breaks into every text field.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime
from html.parser import HTMLParser
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import REPO, Invoke

AS_OF = "2025-07-01"
EPOCH = "1751360400"
STAMP = "Generated 2025-07-01 09:00 UTC"
GOLDEN = Path(__file__).resolve().parent / "golden"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "report"
HOSTILE = FIXTURES / "hostile.yaml"
FORMATS = {"html": "html", "markdown": "md"}

OVERDUE = ["1.2", "2.2", "2.4", "2.5", "3.1", "4.1", "5.1", "6.1", "6.2", "6.3", "7.1", "8.1",
           "9.1", "10.1", "10.2"]
ALL_REFS = ["1.1", "1.2", "1.3", "2.1", "2.2", "2.3", "2.4", "2.5", "3.1", "3.2", "4.1", "5.1",
            "6.1", "6.2", "6.3", "7.1", "8.1", "9.1", "10.1", "10.2"]
OBJECTIVES = [
    "Objective 1: VOICE AND EXPERIENCE OF INDIVIDUAL CHILDREN",
    "Objective 2: STRATEGY MEETINGS",
    "Objective 3: INFORMATION SHARING",
    "Objective 4: THRESHOLD OF NEED",
    "Objective 5: CUMULATIVE IMPACT",
    "Objective 6: USE OF DATA",
    "Objective 7: COMMISSIONED SERVICES",
    "Objective 8: MARAC ARRANGEMENTS",
    "Objective 9: CHALLENGE AND ESCALATION",
    "Objective 10: STRATEGIC GOVERNANCE ARRANGEMENTS",
]
MODERATE = "Moderate risk: Activity is necessary"
HIGH = "High risk: Urgent activity required"
TVP = "TVP (Thames Valley Police)"
BFFC = "BFfC (Brighter Futures for Children)"
# Risk wording and accountable lead of objectives 1 to 10, read off plan.yaml by hand.
RISK_AND_LEAD = [(MODERATE, TVP), (HIGH, BFFC), (MODERATE, BFFC), (HIGH, BFFC), (MODERATE, TVP),
                 (HIGH, BFFC), (HIGH, TVP), (MODERATE, TVP), (MODERATE, BFFC), (HIGH, BFFC)]
RAG_KEY = [
    ["Blue", "Completed"],
    ["Green", "On track"],
    ["Amber", "Emerging possibility that action will not be completed on time, attention needed"],
    ["Red", "Highly likely action will not be completed on time, urgent action needed"],
]
OWNER_GROUPS = {
    "BFfC: Brighter Futures for Children":
        ["1.1", "2.1", "2.2", "2.4", "2.5", "3.1", "4.1", "5.1", "6.1"],
    "BWSCP: Berkshire West Safeguarding Children Partnership":
        ["1.2", "1.3", "2.3", "3.2", "6.2", "6.3", "7.1", "9.1", "10.1", "10.2"],
    "KCC: Kent County Council": ["2.3"],
    "TVP: Thames Valley Police": ["1.1", "5.1", "8.1"],
}
THEME_GROUPS = {
    "Information Sharing": ["3.2", "6.1", "6.2", "6.3"],
    "Learning and Training": ["2.1", "2.2", "3.1", "8.1"],
    "Service Delivery and Design":
        ["1.1", "1.2", "1.3", "2.3", "2.4", "2.5", "4.1", "5.1", "7.1", "9.1"],
    "Strategic Partnership (MASA)": ["10.1", "10.2"],
}
HOSTILE_BITS = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "@everyone",
                "@some-user", "[link](javascript:x)", "![img](http://example.com/x.png)"]


# --- reading the output back ------------------------------------------------------------------

def _squash(text: str) -> str:
    return " ".join(text.split())


class Page(HTMLParser):
    """Just enough of an HTML report's structure to test: tags, headings, tables, RAG tags."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.headings: list[tuple[int, str]] = []
        self.tables: list[dict[str, Any]] = []
        self.rag_tags: list[tuple[str, str]] = []
        self.text_parts: list[str] = []
        self._heading: tuple[int, list[str]] | None = None
        self._cell: list[str] | None = None
        self._caption: list[str] | None = None
        self._rag: tuple[str, list[str]] | None = None
        self._table_open = False
        self._first_child_pending = False
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if self._first_child_pending:
            self.tables[-1]["first_child"] = tag
            self._first_child_pending = False
        if re.fullmatch(r"h[1-6]", tag):
            self._heading = (int(tag[1]), [])
        elif tag == "table":
            self.tables.append({"caption": None, "first_child": None, "rows": [], "th": []})
            self._table_open = True
            self._first_child_pending = True
        elif tag == "caption":
            self._caption = []
        elif tag == "tr":
            self.tables[-1]["rows"].append([])
        elif tag in ("th", "td"):
            self._cell = []
            if tag == "th":
                self.tables[-1]["th"].append(attributes)
        elif tag == "span" and "rag" in (attributes.get("class") or "").split():
            self._rag = (attributes.get("class") or "", [])

    def handle_endtag(self, tag: str) -> None:
        if re.fullmatch(r"h[1-6]", tag) and self._heading:
            self.headings.append((self._heading[0], _squash("".join(self._heading[1]))))
            self._heading = None
        elif tag == "caption" and self._caption is not None:
            self.tables[-1]["caption"] = _squash("".join(self._caption))
            self._caption = None
        elif tag in ("th", "td") and self._cell is not None:
            self.tables[-1]["rows"][-1].append(_squash("".join(self._cell)))
            self._cell = None
        elif tag == "span" and self._rag is not None:
            self.rag_tags.append((self._rag[0], _squash("".join(self._rag[1]))))
            self._rag = None
        elif tag == "table":
            self._table_open = False

    def handle_data(self, data: str) -> None:
        self.text_parts.append(data)
        for buffer in (self._heading[1] if self._heading else None, self._cell, self._caption,
                       self._rag[1] if self._rag else None):
            if buffer is not None:
                buffer.append(data)

    @property
    def text(self) -> str:
        return "".join(self.text_parts)

    def table(self, caption: str) -> list[list[str]]:
        matches = [t["rows"] for t in self.tables if t["caption"] == caption]
        assert len(matches) == 1, f"one table captioned {caption!r}; captions: " \
            f"{[t['caption'] for t in self.tables]}"
        rows: list[list[str]] = matches[0]
        return rows

    def h3(self) -> list[str]:
        return [text for level, text in self.headings if level == 3]


def md_cells(line: str) -> list[str]:
    """The cells of a Markdown table row, split at unescaped pipes only (``\\|`` and ``\\\\``
    are escapes, so ``\\\\|`` is an escaped backslash then a real pipe)."""
    assert line.startswith("|") and line.endswith("|"), line
    cells: list[str] = []
    current: list[str] = []
    i = 1
    while i < len(line):
        char = line[i]
        if char == "\\" and i + 1 < len(line):
            current.append(line[i:i + 2])
            i += 2
            continue
        if char == "|":
            cells.append("".join(current).strip())
            current = []
        else:
            current.append(char)
        i += 1
    assert not "".join(current).strip(), f"text after the last pipe: {line!r}"
    return cells


def unescaped(text: str, chars: str) -> list[str]:
    """Characters of ``chars`` in ``text`` that no backslash escapes."""
    found = []
    i = 0
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text[i] in chars:
            found.append(text[max(0, i - 20):i + 20])
        i += 1
    return found


def md_tables(markdown: str) -> dict[str, list[list[str]]]:
    """Each table under the nearest heading above it (tables of one heading are joined)."""
    tables: dict[str, list[list[str]]] = {}
    heading = ""
    for line in markdown.splitlines():
        if line.startswith("#"):
            heading = line.lstrip("#").strip()
        elif line.startswith("|"):
            tables.setdefault(heading, []).append(md_cells(line))
    return tables


def md_table_blocks(markdown: str) -> Iterator[list[str]]:
    block: list[str] = []
    for line in [*markdown.splitlines(), ""]:
        if line.startswith("|"):
            block.append(line)
        elif block:
            yield block
            block = []


def body_refs(rows: list[list[str]]) -> list[str]:
    """First cells of the rows that are not a header or a separator."""
    return [r[0] for r in rows if r[0] not in ("Ref", "---")]


# --- running it -------------------------------------------------------------------------------

@pytest.fixture
def report(jtai: Invoke, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Any:
    """``report("--format", "markdown")``: the real plan's report as of 2025-07-01 as text,
    from the repository root with SOURCE_DATE_EPOCH fixed; the run must succeed."""
    monkeypatch.chdir(REPO)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)

    def run(*args: str, plan: str = "plan.yaml") -> str:
        result = jtai("report", "--plan", plan, "--as-of", AS_OF, *args)
        assert result.exit_code == 0, result.stderr
        assert "Traceback" not in result.stderr
        return result.stdout

    return run


def golden_path(fmt: str) -> Path:
    return GOLDEN / f"report-{AS_OF}.{FORMATS[fmt]}"


# --- 1. golden files and content --------------------------------------------------------------

@pytest.mark.parametrize("fmt", FORMATS)
def test_golden(fmt: str, jtai: Invoke, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(REPO)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    out = tmp_path / f"report.{FORMATS[fmt]}"
    result = jtai("report", "--plan", "plan.yaml", "--as-of", AS_OF, "--format", fmt,
                  "-o", str(out))
    assert result.exit_code == 0, result.stderr
    produced = out.read_bytes()
    golden = golden_path(fmt)
    if os.environ.get("UPDATE_GOLDEN"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_bytes(produced)
    assert golden.is_file(), f"{golden} is missing: run with UPDATE_GOLDEN=1 to create it"
    expected = golden.read_bytes()
    if produced != expected:
        import difflib

        diff = "".join(list(difflib.unified_diff(
            expected.decode().splitlines(True), produced.decode().splitlines(True),
            str(golden), "produced"))[:60])
        pytest.fail(f"the {fmt} report differs from {golden.name} (UPDATE_GOLDEN=1 "
                    f"regenerates it after an intended change):\n{diff}")
    # stdout carries the very same bytes as -o
    again = jtai("report", "--plan", "plan.yaml", "--as-of", AS_OF, "--format", fmt)
    assert again.stdout_bytes == expected


@pytest.mark.parametrize("fmt", FORMATS)
def test_two_runs_in_separate_processes_are_byte_identical(fmt: str) -> None:
    """Different hash seeds and processes: nothing may depend on set order or the clock."""
    outputs = []
    for seed in ("1", "2"):
        env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "PYTHONHASHSEED": seed,
               "NO_COLOR": "1"}
        for name in ("JTAI_PLAN", "JTAI_AS_OF"):
            env.pop(name, None)
        done = subprocess.run(
            [sys.executable, "-m", "jtaiplan", "report", "--plan", "plan.yaml", "--as-of",
             AS_OF, "--format", fmt], cwd=REPO, env=env, capture_output=True, timeout=120,
            check=False)
        assert done.returncode == 0, done.stderr.decode()
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1]
    assert outputs[0] == golden_path(fmt).read_bytes()


def test_golden_files_hold_the_fixed_stamp() -> None:
    for fmt in FORMATS:
        text = golden_path(fmt).read_text(encoding="utf-8")
        assert STAMP in text
        assert "from plan.yaml" in text


def test_generated_stamp_is_now_without_source_date_epoch(
        report: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    before = datetime.now(UTC).strftime("%Y-%m-%d")
    text = report("--format", "markdown")
    after = datetime.now(UTC).strftime("%Y-%m-%d")
    stamp = re.search(r"Generated (\d{4}-\d\d-\d\d) \d\d:\d\d UTC", text)
    assert stamp and stamp.group(1) in (before, after)


def raw_plan() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((REPO / "plan.yaml").read_text(encoding="utf-8"))
    return data


def test_hand_counts_agree_with_the_raw_yaml() -> None:
    """The hard-coded expectations below, recounted from plan.yaml without jtaiplan."""
    actions = [a for o in raw_plan()["objectives"] for a in o["actions"]]
    assert [a["ref"] for a in actions] == ALL_REFS
    progress = [a["progress"] for a in actions]
    assert [progress.count(w) for w in ("Blue", "Green", "Amber", "Red")] == [2, 11, 7, 0]
    overdue = [a["ref"] for a in actions if a["progress"] != "Blue"
               and isinstance(a["complete_by"], date)
               and a["complete_by"].isoformat() < AS_OF]
    assert overdue == OVERDUE


def test_html_content(report: Any) -> None:
    html = report()
    page = Page(html)
    assert page.headings[0] == (1, "JTAI Reading: Multi-Agency Improvement Plan")
    assert "<title>JTAI Reading: Multi-Agency Improvement Plan, as of 2025-07-01</title>" in html
    meta = _squash(page.text)
    assert ("Joint Targeted Area Inspection, 2025-02-24 to 2025-03-10. Position as of "
            f"2025-07-01. {STAMP} from plan.yaml.") in meta
    assert "Area for priority action" in [t for _, t in page.headings]
    assert "Shortfalls in the multi-agency strategic safeguarding partnership" in meta

    cards = re.findall(r"<li><strong>(\d+)</strong> ([^<]+)</li>", html)
    assert cards == [("20", "actions"), ("15", "overdue"), ("1", "due in the next 30 days"),
                     ("0", "dates revised")]
    assert page.table("Actions by RAG rating") == [
        ["Rating of", "Blue", "Green", "Amber", "Red", "Not rated"],
        ["Progress", "2", "11", "7", "0", "0"],
        ["Impact", "0", "0", "5", "0", "15"],
    ]
    assert body_refs(page.table(f"15 overdue as of {AS_OF}")) == OVERDUE
    assert all(row[3].endswith("OVERDUE") for row in page.table(f"15 overdue as of {AS_OF}")[1:])
    assert page.table(f"1 due by 30 days after {AS_OF}")[1] == [
        "3.2", "Audit the quality, consistency and timeliness of information-sharing between the "
        "partner agencies involved in safeguarding children and domestic abuse.", "BWSCP",
        "2025-07-30", "Green"]

    assert page.h3() == OBJECTIVES
    for heading, (risk, lead) in zip(OBJECTIVES, RISK_AND_LEAD, strict=True):
        section = html.split(f"<h3>{heading}</h3>", 1)[1].split("<h3>", 1)[0]
        assert f"<strong>Risk:</strong> {risk}. <strong>Accountable lead:</strong> {lead}." \
            in section, heading
    refs_by_objective = [body_refs(page.table(f"Actions: {h}")) for h in OBJECTIVES]
    assert [r for refs in refs_by_objective for r in refs] == ALL_REFS
    assert all(r.startswith(f"{n}.") for n, refs in enumerate(refs_by_objective, 1)
               for r in refs)
    assert page.table("What each rating means")[1:] == RAG_KEY

    chart = re.search(r"<desc id=\"chart-desc\">(.*?)</desc>", html, re.S)
    assert chart and chart.group(1).startswith("Objective 1: 1 Blue, 2 Amber. Objective 2: "
                                               "1 Blue, 4 Green. ")


def test_markdown_content(report: Any) -> None:
    md = report("--format", "markdown")
    lines = md.splitlines()
    assert lines[0] == "# JTAI Reading: Multi-Agency Improvement Plan"
    assert lines[2] == ("Joint Targeted Area Inspection, 2025-02-24 to 2025-03-10. Position as "
                        f"of **2025-07-01**. {STAMP} from plan.yaml.")
    assert ("**20** actions · **15** overdue · **1** due in the next 30 days · **0** dates "
            "revised") in lines
    tables = md_tables(md)
    assert tables["Headline"] == [
        ["Rating of", "Blue", "Green", "Amber", "Red", "Not rated"],
        ["---", "---:", "---:", "---:", "---:", "---:"],
        ["Progress", "2", "11", "7", "0", "0"],
        ["Impact", "0", "0", "5", "0", "15"],
    ]
    assert body_refs(tables["Overdue"]) == OVERDUE
    assert all(row[3].endswith("**OVERDUE**") for row in tables["Overdue"][2:])
    assert body_refs(tables["Due in the next 30 days"]) == ["3.2"]
    assert [row[-1] for row in tables["Progress by objective"][2:]] == \
        ["3", "5", "2", "1", "1", "3", "1", "1", "1", "2"]

    headings = [line[4:] for line in lines if line.startswith("### ")]
    assert headings == OBJECTIVES
    for heading, (risk, lead) in zip(OBJECTIVES, RISK_AND_LEAD, strict=True):
        section = md.split(f"### {heading}\n", 1)[1].split("###", 1)[0]
        assert f"Risk: {risk}. Accountable lead: {lead}." in section, heading
    assert [r for h in OBJECTIVES for r in body_refs(tables[h])] == ALL_REFS
    assert tables["RAG key"][2:] == RAG_KEY


# --- 2. options -------------------------------------------------------------------------------

def test_group_by_owner(report: Any) -> None:
    page = Page(report("--group-by", "owner"))
    assert (2, "Actions by owner") in page.headings
    assert page.h3() == list(OWNER_GROUPS)
    for heading, refs in OWNER_GROUPS.items():
        assert body_refs(page.table(f"Actions: {heading}")) == refs
    assert "Risk:" not in page.text
    md = report("--format", "markdown", "--group-by", "owner")
    assert "## Actions by owner" in md.splitlines()
    tables = md_tables(md)
    for heading, refs in OWNER_GROUPS.items():
        assert body_refs(tables[heading]) == refs


def test_group_by_theme(report: Any) -> None:
    page = Page(report("--group-by", "THEME"))
    assert (2, "Actions by theme") in page.headings
    assert page.h3() == list(THEME_GROUPS)
    for heading, refs in THEME_GROUPS.items():
        assert body_refs(page.table(f"Actions: {heading}")) == refs
    tables = md_tables(report("--format", "markdown", "--group-by", "theme"))
    for heading, refs in THEME_GROUPS.items():
        assert body_refs(tables[heading]) == refs


FILTERS = [
    (["--owner", "TVP"], ["1.1", "5.1", "8.1"], "owners TVP"),
    (["--owner", "police"], ["1.1", "5.1", "8.1"], "owners TVP"),
    (["--lead", "TVP"], ["1.1", "1.2", "1.3", "5.1", "7.1", "8.1"], "leads TVP"),
    (["--progress", "amber"], ["1.2", "1.3", "6.1", "6.2", "6.3", "7.1", "9.1"],
     "progress Amber"),
    (["--overdue"], OVERDUE, "overdue"),
    (["--objective", "2"], ["2.1", "2.2", "2.3", "2.4", "2.5"], "objectives 2"),
    (["--theme", "Information Sharing"], ["3.2", "6.1", "6.2", "6.3"],
     "themes Information Sharing"),
    (["--due-within", "30"], ["3.2"], "due within 30"),
    (["--impact", "amber", "--owner", "BFfC"], ["2.1", "2.2", "2.4", "2.5", "3.1"],
     "owners BFfC; impact Amber"),
]


@pytest.mark.parametrize(("args", "refs", "shown"), FILTERS,
                         ids=[" ".join(f[0]) for f in FILTERS])
def test_filters(report: Any, args: list[str], refs: list[str], shown: str) -> None:
    page = Page(report(*args))
    listed = [r for t in page.tables if (t["caption"] or "").startswith("Actions: ")
              for r in body_refs(t["rows"])]
    assert listed == refs
    assert re.search(rf"<li><strong>{len(refs)}</strong> actions</li>", report(*args))
    assert f"Showing only: {shown}." in _squash(page.text)
    tables = md_tables(report("--format", "markdown", *args))
    md_refs = [r for h, rows in tables.items() if h.startswith("Objective ")
               for r in body_refs(rows)]
    assert md_refs == refs


def test_no_filter_no_filter_line(report: Any) -> None:
    assert "Showing only" not in report()
    assert "Showing only" not in report("--format", "markdown")


def test_filter_matching_nothing(report: Any) -> None:
    page = Page(report("--progress", "red"))
    assert "No actions match." in page.text
    assert "No action is overdue as of 2025-07-01." in page.text
    assert re.search(r"<li><strong>0</strong> actions</li>", report("--progress", "red"))
    assert "No actions match." in report("--format", "markdown", "--progress", "red")


def test_output_file(jtai: Invoke, report: Any, tmp_path: Path) -> None:
    for fmt in FORMATS:
        out = tmp_path / "sub dir" / f"r.{FORMATS[fmt]}"
        out.parent.mkdir(exist_ok=True)
        result = jtai("report", "--as-of", AS_OF, "--format", fmt, "-o", str(out))
        assert result.exit_code == 0, result.stderr
        assert result.stdout == ""
        assert f"wrote {out.as_posix()}" in result.stderr
        assert out.read_text(encoding="utf-8") == report("--format", fmt)


BAD_OPTIONS = [
    (["--format", "pdf"], "--format: 'pdf' is not one of html, markdown"),
    (["-f", "md"], "--format: 'md' is not one of html, markdown"),
    (["--group-by", "agency"], "--group-by: 'agency' is not one of objective, owner, theme"),
    (["--group-by", ""], "--group-by: '' is not one of"),
    (["--owner", "NOPE"], "--owner: unknown agency 'NOPE'"),
    (["--templates", "no/such/folder"], "--templates: no/such/folder is not a folder"),
]


@pytest.mark.parametrize(("args", "message"), BAD_OPTIONS, ids=[m for _, m in BAD_OPTIONS])
def test_bad_options_exit_2(jtai: Invoke, args: list[str], message: str,
                            monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(REPO)
    out = tmp_path / "never.html"
    result = jtai("report", "--as-of", AS_OF, *args, "-o", str(out))
    assert result.exit_code == 2, result.stdout
    assert message in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert not out.exists()


# --- 2. user templates ------------------------------------------------------------------------

def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_templates_dir_overrides_markdown(report: Any, tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    write(mine, "report.md.j2", "CUSTOM {{ summary.total }} actions, {{ summary.overdue }} "
          "overdue; {{ plan.title }}\n{% for a in overdue %}{{ a.ref }},{% endfor %}\n")
    md = report("--format", "markdown", "--templates", str(mine))
    assert md == (f"CUSTOM 20 actions, 15 overdue; Multi-Agency Improvement Plan\n"
                  f"{','.join(OVERDUE)},")  # trim_blocks eats the newline after a tag
    # the HTML default is untouched by a Markdown override
    assert Page(report("--templates", str(mine))).h3() == OBJECTIVES


def test_templates_dir_extends_default_html(report: Any, tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    write(mine, "report.html.j2", '{% extends "default:report.html.j2" %}\n'
          '{% block main %}<section><h2>Board summary</h2><p id="custom">{{ summary.total }} '
          'actions, {{ summary.overdue }} overdue, {{ plan.title }}</p></section>'
          '{% endblock %}\n')
    html = report("--templates", str(mine))
    page = Page(html)
    assert '<p id="custom">20 actions, 15 overdue, Multi-Agency Improvement Plan</p>' in html
    assert [h for _, h in page.headings] == ["JTAI Reading: Multi-Agency Improvement Plan",
                                             "Board summary"]
    assert ".rag-amber {" in html  # the default's <head> and styles are kept
    assert "Position as of <strong>2025-07-01</strong>" in html
    assert "Headline" not in html and "<table" not in html


def test_user_partial_overrides_default_partial(report: Any, tmp_path: Path) -> None:
    """A user folder overrides any template, partials included: here the style sheet."""
    mine = tmp_path / "mine"
    write(mine, "_report.css.j2", "body { color: #123456; }\n")
    html = report("--templates", str(mine))
    assert "body { color: #123456; }" in html
    assert ".rag-amber" not in html
    assert Page(html).h3() == OBJECTIVES


def test_templates_beside_the_plan(jtai: Invoke, plan_copy: Path,
                                   monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    write(plan_copy.parent / "templates", "report.md.j2", "BESIDE {{ summary.total }}\n")
    result = jtai("report", "--plan", str(plan_copy), "--as-of", AS_OF, "-f", "markdown")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "BESIDE 20\n"
    # --templates comes before the folder beside the plan
    write(tmp_path / "chosen", "report.md.j2", "CHOSEN {{ summary.overdue }}\n")
    result = jtai("report", "--plan", str(plan_copy), "--as-of", AS_OF, "-f", "markdown",
                  "--templates", str(tmp_path / "chosen"))
    assert result.stdout == "CHOSEN 15\n"
    # the HTML report, not overridden beside the plan, is still the default
    result = jtai("report", "--plan", str(plan_copy), "--as-of", AS_OF)
    assert Page(result.stdout).h3() == OBJECTIVES


UNSAFE = [
    ("{{ ''.__class__.__mro__ }}", "unsafe"),
    ("{{ 'x'.__len__() }}", "unsafe"),
    ("{{ self._TemplateReference__context }}", "unsafe"),
    ("{{ namespace(a=1)._Namespace__attrs.items() }}", "unsafe"),
    ("{{ cycler.__init__.__globals__ }}", "unsafe"),
    ("{{ plan.title.__class__.__base__.__subclasses__() }}", "unsafe"),
    ("{% set x = range(10**7) | list %}{{ x | length }}", "MAX_RANGE"),
    ("{{ summary.total + 'x' }}", "TypeError"),
    ("{{ summary.total / 0 }}", "ZeroDivisionError"),
    ("{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}", "RecursionError"),
    ("{{ no_such_variable }}", "undefined"),
]


@pytest.mark.parametrize(("body", "says"), UNSAFE, ids=[u[0] for u in UNSAFE])
@pytest.mark.parametrize("fmt", FORMATS)
def test_unsafe_or_broken_user_template_exits_2(
        jtai: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str, body: str,
        says: str) -> None:
    monkeypatch.chdir(tmp_path)
    name = "report.md.j2" if fmt == "markdown" else "report.html.j2"
    write(tmp_path / "mine", name, "fine line\n" + body + "\n")
    result = jtai("report", "--plan", str(REPO / "plan.yaml"), "--as-of", AS_OF, "-f", fmt,
                  "--templates", "mine")
    assert result.exit_code == 2, result.stderr
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert f"mine/{name}:2:" in result.stderr  # file and line of the offending expression
    assert says in result.stderr


def test_unsafe_access_in_an_included_template_names_that_file(
        jtai: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "mine", "report.md.j2", 'top\n{% include "part.j2" %}\n')
    write(tmp_path / "mine", "part.j2", "one\ntwo\n{{ ''.__class__ }}\n")
    result = jtai("report", "--plan", str(REPO / "plan.yaml"), "--as-of", AS_OF, "-f",
                  "markdown", "--templates", "mine")
    assert result.exit_code == 2
    assert "mine/part.j2:3: access to attribute '__class__' of 'str' object is unsafe" \
        in result.stderr


@pytest.mark.parametrize(("files", "where"), [
    ({"report.md.j2": "one\ntwo\n{% for a in overdue %}{{ a.ref }}\n"}, "report.md.j2:3"),
    ({"report.md.j2": "{{ plan.title }\n"}, "report.md.j2:1"),
    ({"report.md.j2": 'x\n{% include "part.j2" %}\n', "part.j2": "ok\n{% if %}\n"},
     "part.j2:2"),
])
def test_template_syntax_error_names_file_and_line(
        jtai: Invoke, tmp_path: Path, files: dict[str, str], where: str) -> None:
    for name, text in files.items():
        write(tmp_path / "mine", name, text)
    result = jtai("report", "--plan", str(REPO / "plan.yaml"), "--as-of", AS_OF, "-f",
                  "markdown", "--templates", str(tmp_path / "mine"))
    assert result.exit_code == 2
    assert "Traceback" not in result.stderr
    assert f"{(tmp_path / 'mine').as_posix()}/{where}: template error" in result.stderr


def test_missing_included_template(jtai: Invoke, tmp_path: Path) -> None:
    write(tmp_path / "mine", "report.md.j2", '{% include "nowhere.j2" %}\n')
    result = jtai("report", "--plan", str(REPO / "plan.yaml"), "--as-of", AS_OF, "-f",
                  "markdown", "--templates", str(tmp_path / "mine"))
    assert result.exit_code == 2
    assert "template nowhere.j2 not found" in result.stderr


def test_a_bug_in_jtais_own_templates_is_still_a_bug(
        jtai: Invoke, monkeypatch: pytest.MonkeyPatch) -> None:
    """Only a user's template turns a Python error into exit 2; in the defaults it is exit 3."""
    import jtaiplan.views.report

    def broken(word: str | None) -> str:
        raise TypeError("broken filter")

    monkeypatch.setattr(jtaiplan.views.report, "rag_class", broken)
    result = jtai("report", "--plan", str(REPO / "plan.yaml"), "--as-of", AS_OF)
    assert result.exit_code == 3


# --- 3. hostile text --------------------------------------------------------------------------

GROUPINGS = ["objective", "owner", "theme"]


@pytest.fixture
def hostile(report: Any) -> Any:
    def run(fmt: str, group_by: str) -> str:
        text: str = report("--format", fmt, "--group-by", group_by,
                           plan=str(HOSTILE.relative_to(REPO)))
        return text

    return run


def test_hostile_fixture_reaches_every_field() -> None:
    """The fixture really is hostile everywhere the report reads text."""
    data = yaml.safe_load(HOSTILE.read_text(encoding="utf-8"))
    objective = data["objectives"][0]
    fields = [data["inspection"]["plan_title"], data["area_for_priority_action"],
              data["characteristics_of_good"], data["rag_key"]["Blue"],
              data["risk_levels"]["high"], data["themes"][0], data["agencies"][0]["name"],
              objective["title"], objective["characteristics_of_good"],
              objective["actions"][0]["action"], objective["actions"][0]["owners_as_written"],
              objective["actions"][0]["updates"][0]["note"],
              objective["actions"][1]["updates"][-1]["note"]]
    for value in fields:
        assert all(bit in value for bit in HOSTILE_BITS), value
        assert "\n" in value and "&lt;" in value and "|" in value


ALLOWED_TAGS = {"html", "head", "meta", "title", "style", "body", "header", "main", "section",
                "h1", "h2", "h3", "p", "strong", "small", "br", "ul", "li", "table", "caption",
                "thead", "tbody", "tr", "th", "td", "span", "figure", "figcaption", "svg",
                "desc", "text", "rect"}
# Markers that open each hostile field of the fixture, and the groupings that show it.
EVERY = ("objective", "owner", "theme")
SHOWN = {"TYPE": EVERY, "INSPNAME": EVERY, "AREA ": EVERY, "TITLE": EVERY, "PRIORITY": EVERY,
         "OBJECTIVE": EVERY, "ACTION1": EVERY, "ACTION2": EVERY, "ACTION3": EVERY,
         "WORD": EVERY, "NOTE1": EVERY, "NOTE2": EVERY, "BLUEKEY": EVERY, "GREENKEY": EVERY,
         "AMBERKEY": EVERY, "REDKEY": EVERY, "RISK": ("objective",), "GOOD": ("objective",),
         "LEADAGENCY": ("objective", "owner"), "OTHERNAME": ("owner",), "THEME ": ("theme",),
         "THEME2": ("theme",)}


@pytest.mark.parametrize("group_by", GROUPINGS)
def test_hostile_html_is_escaped(hostile: Any, group_by: str) -> None:
    html = hostile("html", group_by)
    assert not re.search(r"<\s*(script|img|a|iframe|object|link)\b", html, re.I)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "&amp;lt;" in html  # a typed "&lt;" shows as typed, not as "<"
    page = Page(html)
    assert {tag for tag, _ in page.tags} <= ALLOWED_TAGS
    for tag, attributes in page.tags:
        assert not [a for a in attributes if a.startswith("on") or a in ("src", "href")], tag
    # the hostile text is shown, as text
    text = page.text
    for bit in HOSTILE_BITS:
        assert bit in text
    assert "second line &lt; [link](javascript:x)" in text
    for marker, groupings in SHOWN.items():
        assert (marker in text) is (group_by in groupings), marker
    for never in ("PLANGOOD", "WRITTEN", "EVIDENCE", "BY ", "REASON", "SUMMARY", "INTRO"):
        assert never not in text  # fields the report does not show
    assert "first note, superseded" not in text  # only the latest update is shown


@pytest.mark.parametrize("group_by", GROUPINGS)
def test_hostile_markdown_is_neutralised(hostile: Any, group_by: str) -> None:
    md = hostile("markdown", group_by)
    assert "<" not in md and ">" not in md
    assert "@everyone" not in md and "@some-user" not in md
    assert "@\u200deveryone" in md and "@\u200dsome-user" in md
    assert not unescaped(md, "[]"), unescaped(md, "[]")  # no link or image syntax survives
    assert "![" not in md.replace("!\\[", "")
    assert "javascript:x" in md and "&amp;lt;" in md
    assert not [line for line in md.splitlines()
                if line.startswith(("second line", "next line"))]
    blocks = list(md_table_blocks(md))
    assert len(blocks) >= 5
    for block in blocks:
        widths = {len(md_cells(line)) for line in block}
        assert len(widths) == 1, block
    tables = md_tables(md)
    rows = [r for h, t in tables.items() if h not in ("Headline", "Progress by objective",
                                                       "Overdue", "Due in the next 30 days",
                                                       "RAG key", "Trend")
            for r in t if r[0] not in ("Ref", "---")]
    expected = {"objective": 3, "owner": 4, "theme": 3}[group_by]
    assert [r[0] for r in rows] == {"objective": ["1.1", "1.2", "1.3"],
                                    "owner": ["1.1", "1.2", "1.1", "1.3"],
                                    "theme": ["1.1", "1.2", "1.3"]}[group_by]
    assert len(rows) == expected
    assert len(tables["RAG key"]) == 6
    for marker, groupings in SHOWN.items():
        assert (marker in md) is (group_by in groupings), marker
    # an escaped backslash before a pipe does not open a cell
    assert "back\\\\slash\\\\\\|pipe" in md


def test_markdown_cell_splitter_counts_real_pipes_only() -> None:
    assert md_cells(r"| a \| b | c \\| d |") == [r"a \| b", "c \\\\", "d"]
    assert unescaped(r"\[x\] [y]", "[]") == [r"\[x\] [y]", r"\[x\] [y]"]


# --- 4. self-contained and accessible HTML ----------------------------------------------------

VARIANTS = [[], ["--group-by", "owner"], ["--group-by", "theme"], ["--progress", "red"],
            ["--owner", "TVP", "--overdue"]]


@pytest.fixture(params=[*[(v, "plan.yaml") for v in map(tuple, VARIANTS)],
                        ((), "tests/fixtures/report/hostile.yaml")],
                ids=[*(" ".join(v) or "default" for v in VARIANTS), "hostile"])
def html_variant(request: pytest.FixtureRequest, report: Any) -> str:
    args, plan = request.param
    text: str = report(*args, plan=plan)
    return text


def test_html_is_self_contained(html_variant: str) -> None:
    html = html_variant
    lowered = html.lower()
    for needle in ("<script", "src=", "href=", "url(", "@import", "@font-face", "<link",
                   "<iframe", "<object", "<embed", "xlink:"):
        assert needle not in lowered.replace("&lt;img src=x", ""), needle
    assert '<html lang="en-GB">' in html
    assert '<meta charset="utf-8">' in html


def test_tables_have_captions_and_header_scopes(html_variant: str) -> None:
    page = Page(html_variant)
    assert page.tables
    for table in page.tables:
        assert table["first_child"] == "caption", table
        assert table["caption"], table
        assert table["th"], table
        assert all(th.get("scope") in ("col", "row") for th in table["th"]), table
        assert len({len(row) for row in table["rows"]}) == 1, table  # rectangular


def test_headings_in_order(html_variant: str) -> None:
    levels = [level for level, _ in Page(html_variant).headings]
    assert levels[0] == 1 and levels.count(1) == 1
    assert 2 in levels
    assert 3 not in levels[:levels.index(2)]
    for before, after in pairwise(levels):
        assert after <= before + 1, levels


def test_every_rag_tag_carries_its_word(html_variant: str) -> None:
    tags = Page(html_variant).rag_tags
    assert tags
    for classes, text in tags:
        kind = [c for c in classes.split() if c.startswith("rag-")]
        assert len(kind) == 1, classes
        word = kind[0].removeprefix("rag-")
        assert text == ("Not rated" if word == "none" else word.capitalize()), (classes, text)


def test_rag_tag_counts_match_the_plan(report: Any) -> None:
    """Each action's progress tag, in the objectives' tables: Blue 2, Green 11, Amber 7."""
    page = Page(report())
    section = report().split('<h2 id="actions">', 1)[1].split('<h2 id="key">', 1)[0]
    words = [t for c, t in Page(section).rag_tags]
    # two tags per action (progress, impact): impact is 5 Amber and 15 not rated
    assert words.count("Blue") == 2 and words.count("Green") == 11
    assert words.count("Amber") == 7 + 5 and words.count("Red") == 0
    assert words.count("Not rated") == 15
    assert page.rag_tags


def luminance(hex_colour: str) -> float:
    value = hex_colour.lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    channels = []
    for i in (0, 2, 4):
        c = int(value[i:i + 2], 16) / 255
        channels.append(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4)
    return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_contrast_helper() -> None:
    assert round(contrast("#000", "#fff"), 1) == 21.0
    assert round(contrast("#777777", "#ffffff"), 2) == 4.48  # the classic just-too-light grey
    assert contrast("#fff", "#fff") == 1.0


def css_rules(html: str) -> dict[str, dict[str, str]]:
    style = html.split("<style>", 1)[1].split("</style>", 1)[0]
    style = re.sub(r"/\*.*?\*/", "", style, flags=re.S)
    rules: dict[str, dict[str, str]] = {}
    for selector, body in re.findall(r"([^{}]+)\{([^{}]*)\}", style):
        declarations = {k.strip(): v.strip() for k, v in
                        (d.split(":", 1) for d in body.split(";") if ":" in d)}
        for name in selector.split(","):
            rules.setdefault(name.strip(), {}).update(declarations)
    return rules


def test_rag_colours_meet_wcag_aa(report: Any) -> None:
    html = report()
    rules = css_rules(html)
    body = rules["body"]
    pairs = {}
    for word in ("blue", "green", "amber", "red", "none"):
        rule = rules[f".rag-{word}"]
        pairs[word] = (rule["color"], rule.get("background", body["background"]))
    assert set(pairs) == {"blue", "green", "amber", "red", "none"}
    for word, (fg, bg) in pairs.items():
        assert re.fullmatch(r"#[0-9a-fA-F]{3,6}", fg) and re.fullmatch(r"#[0-9a-fA-F]{3,6}", bg)
        assert contrast(fg, bg) >= 4.5, (word, fg, bg, contrast(fg, bg))
    # other text: body, muted text, OVERDUE, and the chart's labels on its bars
    assert contrast(body["color"], body["background"]) >= 4.5
    assert contrast(rules["p.meta"]["color"], body["background"]) >= 4.5
    assert contrast(rules[".overdue"]["color"], body["background"]) >= 4.5
    label = rules["svg text"]["fill"]
    fills = set(re.findall(r'<rect [^>]*fill="(#[0-9a-f]{6})"', html))
    assert len(fills) == 3  # Blue, Green, Amber in the real plan (no Red)
    for fill in fills:
        assert contrast(label, fill) >= 4.5, (label, fill)
