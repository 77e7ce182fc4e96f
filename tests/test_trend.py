"""The report's trend and "Since the last meeting", and ``jtai trend`` (issue 23)."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

import test_report as report_checks
from conftest import Invoke
from history_plans import build_history
from test_report import Page, md_tables

AS_OF = "2025-12-31"


@pytest.fixture
def history_plan(jtai: Invoke, plan_copy: Path) -> Path:
    build_history(jtai, plan_copy)
    for day in ("2025-07-09", "2025-10-01"):
        assert jtai("meeting", "add", day, "--name", "MASA Monitoring Group",
                    "--plan", str(plan_copy)).exit_code == 0
    return plan_copy


def trend_points(jtai: Invoke, plan: Path, *args: str) -> list[dict[str, object]]:
    result = jtai("trend", "--plan", str(plan), "--as-of", AS_OF, *args)
    assert result.exit_code == 0, result.stderr
    points: list[dict[str, object]] = json.loads(result.stdout)["points"]
    return points


def as_rows(points: list[dict[str, object]]) -> list[list[str]]:
    rows = []
    for point in points:
        progress = point["progress"]
        assert isinstance(progress, dict)
        rows.append([str(point["date"]), *(str(progress[w]) for w in
                                           ("Blue", "Green", "Amber", "Red")),
                     str(point["overdue"]), str(point["completed"]), str(point["total"])])
    return rows


def test_trend_series_from_the_history(jtai: Invoke, history_plan: Path) -> None:
    rows = as_rows(trend_points(jtai, history_plan))
    assert rows == [
        ["2025-03-31", "2", "11", "7", "0", "0", "2", "20"],
        ["2025-04-30", "2", "11", "7", "0", "0", "2", "20"],
        ["2025-05-31", "2", "11", "7", "0", "4", "2", "20"],
        ["2025-06-30", "2", "11", "7", "0", "4", "2", "20"],
        ["2025-07-31", "2", "11", "7", "0", "16", "2", "20"],
        # 2.2 Red on 08-01; 2.6 added on 09-01; 2.2's date moved on 09-15.
        ["2025-08-31", "2", "10", "7", "1", "16", "2", "20"],
        ["2025-09-30", "2", "11", "7", "1", "15", "2", "21"],
        # 1.3 overdue from 10-01; 2.3 completed on 10-20; 2.2 Amber and 3.1's date earlier
        # on 11-03; 2.6, due 12-31, is not overdue on its day.
        ["2025-10-31", "3", "10", "7", "1", "16", "3", "21"],
        ["2025-11-30", "3", "10", "8", "0", "16", "3", "21"],
        ["2025-12-31", "3", "10", "8", "0", "16", "3", "21"],
    ]
    table = jtai("trend", "--plan", str(history_plan), "--as-of", AS_OF, "--format", "csv")
    assert list(csv.reader(io.StringIO(table.stdout)))[1:] == rows
    owned = as_rows(trend_points(jtai, history_plan, "--objective", "2"))
    assert [row[-1] for row in owned] == ["5"] * 6 + ["6"] * 4


def test_html_trend_table_equals_jtai_trend(jtai: Invoke, history_plan: Path) -> None:
    html = jtai("report", "--plan", str(history_plan), "--as-of", AS_OF).stdout
    page = Page(html)
    table = page.table("Trend: actions at each month's end")
    assert table[0] == ["Date", "Blue", "Green", "Amber", "Red", "Overdue", "Completed",
                        "Total"]
    assert table[1:] == as_rows(trend_points(jtai, history_plan))
    markdown = jtai("report", "--plan", str(history_plan), "--as-of", AS_OF,
                    "--format", "markdown").stdout
    assert md_tables(markdown)["Trend"][2:] == as_rows(trend_points(jtai, history_plan))


def test_trend_chart_is_accessible(jtai: Invoke, history_plan: Path) -> None:
    html = jtai("report", "--plan", str(history_plan), "--as-of", AS_OF, "--since",
                "last-meeting").stdout
    # The report's own accessibility checks, on a report with the new sections.
    report_checks.test_html_is_self_contained(html)
    report_checks.test_tables_have_captions_and_header_scopes(html)
    report_checks.test_headings_in_order(html)
    report_checks.test_every_rag_tag_carries_its_word(html)
    svg = html.split('<h2 id="trend">', 1)[1].split("</svg>", 1)[0]
    assert re.search(r'<svg [^>]*role="img"', svg)
    assert 'aria-label="Trend of the actions\' progress RAG, overdue and completed, at each ' \
           "month's end from 2025-03-31 to 2025-12-31\"" in svg.replace("&#39;", "'")
    assert "<title id=\"trend-title\">Trend: actions by progress RAG at each month's end" \
           "</title>" in svg.replace("&#39;", "'")
    desc = svg.split('<desc id="trend-desc">', 1)[1].split("</desc>", 1)[0]
    assert desc.startswith("2025-03-31: 2 Blue, 11 Green, 7 Amber; 0 overdue; 2 completed. ")
    assert "2025-08-31: 2 Blue, 10 Green, 7 Amber, 1 Red; 16 overdue; 2 completed." in desc
    # Each bar part says its count and rating in words, not by colour alone.
    assert '>1R</text>' in svg and "<title>1 Red on 2025-08-31</title>" in svg
    assert "16 overdue, 2 completed of 20</text>" in svg


def test_since_the_last_meeting(jtai: Invoke, history_plan: Path) -> None:
    html = jtai("report", "--plan", str(history_plan), "--as-of", AS_OF, "--since",
                "last-meeting").stdout
    page = Page(html)
    headings = [text for _level, text in page.headings]
    assert headings[headings.index("Since the last meeting") + 1:][:4] == [
        "Better", "Completed", "Dates moved", "Progress by objective"]
    section = html.split('<h2 id="since">', 1)[1].split("</section>", 1)[0]
    items = [re.sub(r"<[^>]+>", "", li) for li in re.findall(r"<li>(.*?)</li>", section)]
    assert items == [
        "2.2 2025-11-03, Jo Smith: progress Red → Amber (Workshop booked)",
        "2.3 2025-10-20, Jo Smith: progress Green → Blue, completed on — → 2025-10-20 "
        "(Kent peer review report)",
        "3.1 2025-11-03, Jo Smith: complete by 2025-06-30 → 2025-05-31 (Done sooner)",
    ]
    assert "Since the MASA Monitoring Group on 2025-10-01 to 2025-12-31: 1 better, " \
           "1 completed, 1 date moved." in page.text
    plain = jtai("report", "--plan", str(history_plan), "--as-of", AS_OF)
    assert 'id="since"' not in plain.stdout


def test_the_report_names_the_meeting_it_is_for(jtai: Invoke, history_plan: Path) -> None:
    assert jtai("meeting", "add", "2026-01-14", "--name", "Board", "--plan",
                str(history_plan)).exit_code == 0
    markdown = jtai("report", "--plan", str(history_plan), "--as-of", AS_OF, "--format",
                    "markdown").stdout
    assert "\nFor the Board on 2026-01-14.\n" in markdown
    after = jtai("report", "--plan", str(history_plan), "--as-of", "2026-01-15", "--format",
                 "markdown").stdout
    assert "For the " not in after


def test_the_portfolio_report_adds_up_the_plans_trends(jtai: Invoke, history_plan: Path,
                                                       real_plan: Path, tmp_path: Path
                                                       ) -> None:
    folder = tmp_path / "plans"
    folder.mkdir()
    (folder / "a.yaml").write_bytes(history_plan.read_bytes())
    (folder / "b.yaml").write_bytes(real_plan.read_bytes())
    both = [as_rows(trend_points(jtai, folder / name)) for name in ("a.yaml", "b.yaml")]
    summed = [[a[0], *(str(int(x) + int(y)) for x, y in zip(a[1:], b[1:], strict=True))]
              for a, b in zip(*both, strict=True)]
    assert summed[-1] == ["2025-12-31", "5", "21", "15", "0", "33", "5", "41"]
    markdown = jtai("report", "--plan", str(folder), "--as-of", AS_OF, "--format",
                    "markdown").stdout
    assert md_tables(markdown)["Trend"][2:] == summed
    html = jtai("report", "--plan", str(folder), "--as-of", AS_OF).stdout
    assert Page(html).table("Trend: actions at each month's end")[1:] == summed
    report_checks.test_tables_have_captions_and_header_scopes(html)
    report_checks.test_headings_in_order(html)
