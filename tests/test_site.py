"""`jtai site`: the plan as a static website.

The site of the real plan (as of 2025-07-01), of a synthetic plan with history and a
succession (tests/helpers_plans.py) and of several plans: every file it should have, every
page passing the report's accessibility checks (tests/test_report.py), every link and
anchor resolving to a file of the site, nothing referring outside it, two builds
byte-identical, and the folder rules (a non-empty folder refused, a previous site rebuilt).
Expected values are worked out from plan.yaml and the YAML written here, never from jtai's
own output. tests/test_site_browser.py opens every page type in headless Chromium.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
import yaml

import test_report as report_checks  # its checks, called here (not collected twice)
from conftest import REAL_PLAN, REPO, Invoke
from helpers_plans import make_plan
from test_report import (
    ALL_REFS,
    AS_OF,
    EPOCH,
    OVERDUE,
    Page,
    contrast,
    css_rules,
)

AGENCIES = ["BFfC", "BWSCP", "KCC", "RBC", "TVP"]
REAL_FILES = sorted(
    [".jtai-site", "style.css", "index.html", "changes.html", "key.html"]
    + [f"objective-{n}.html" for n in range(1, 11)]
    + [f"agency-{code}.html" for code in AGENCIES]
    + [f"action-{ref}.html" for ref in ALL_REFS])
# PROB (Probation Service) is succeeded by SCP on 2025-06-01 in the history plan.
SUCCESSION = ("  - code: PROB\n    name: Probation Service\n",
              "  - code: PROB\n    name: Probation Service\n    succeeded_by: SCP\n"
              "    succeeded_on: 2025-06-01\n")
HISTORY_AS_OF = "2025-07-31"


MEETINGS = ("meetings:\n  - date: 2025-06-09\n    name: MASA Monitoring Group\n"
            "  - date: 2025-09-10\n    name: Board\n")


def history_plan_text() -> str:
    text = make_plan(30, seed=3)
    assert SUCCESSION[0] in text and text.count("\nobjectives:\n") == 1
    text = text.replace("\nobjectives:\n", "\n" + MEETINGS + "objectives:\n", 1)
    return text.replace(SUCCESSION[0], SUCCESSION[1], 1)


def raw_updates(path: Path, first: str, last: str) -> list[tuple[str, str]]:
    """(date, ref) of every update dated ``first`` to ``last``, read from the YAML."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return sorted((str(u["date"]), a["ref"]) for o in raw["objectives"] for a in o["actions"]
                  for u in a.get("updates", []) if first <= str(u["date"]) <= last)


@pytest.fixture
def build(jtai: Invoke, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Any:
    """``build(out, *args)``: ``jtai site -o out`` with the pinned stamp; the result."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    monkeypatch.chdir(REPO)

    def run(out: Path, *args: str, code: int = 0) -> Any:
        result = jtai("site", "-o", str(out), *args)
        assert result.exit_code == code, result.stderr
        return result

    return run


@pytest.fixture
def real_site(build: Any, tmp_path: Path) -> Path:
    out = tmp_path / "site"
    build(out, "--plan", "plan.yaml", "--as-of", AS_OF)
    return out


@pytest.fixture
def history_file(tmp_path: Path) -> Path:
    path = tmp_path / "history" / "north.yaml"
    path.parent.mkdir()
    path.write_text(history_plan_text(), encoding="utf-8")
    return path


@pytest.fixture
def history_site(build: Any, tmp_path: Path, history_file: Path) -> Path:
    out = tmp_path / "history-site"
    build(out, "--plan", str(history_file), "--as-of", HISTORY_AS_OF)
    return out


@pytest.fixture
def portfolio_site(build: Any, tmp_path: Path, history_file: Path) -> Path:
    folder = tmp_path / "plans"
    folder.mkdir()
    (folder / "reading.yaml").write_bytes(REAL_PLAN.read_bytes())
    (folder / "north.yaml").write_bytes(history_file.read_bytes())
    out = tmp_path / "portfolio-site"
    build(out, "--plan", str(folder), "--as-of", AS_OF)
    return out


def files_of(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())


def read(site: Path, name: str) -> str:
    return (site / name).read_text(encoding="utf-8")


# --- links -------------------------------------------------------------------------------------

class Links(HTMLParser):
    """Every URL a page refers to (href, src, and url() in inline styles), and its ids."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self.ids: set[str] = set()
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src", "xlink:href", "action", "srcset", "poster", "data"):
                self.urls.append(value or "")
            elif name == "id" and value:
                self.ids.add(value)
            elif name == "style" and value:
                self.urls.extend(re.findall(r"url\(([^)]*)\)", value))


def check_links(site: Path) -> int:
    """Every link of every page resolves to a file of the site (and an id in it, for an
    anchor); nothing points outside. The number of links checked."""
    pages = {name: Links(read(site, name)) for name in files_of(site) if name.endswith(".html")}
    checked = 0
    for name, links in pages.items():
        assert links.urls, name
        for url in links.urls:
            parts = urlsplit(url)
            assert not parts.scheme and not parts.netloc, (name, url)
            assert not url.startswith("/"), (name, url)  # relative: works from file://
            target = (site / name).parent / unquote(parts.path) if parts.path else site / name
            target = target.resolve()
            assert target.is_relative_to(site.resolve()), (name, url)
            assert target.is_file(), (name, url)
            if parts.fragment:
                anchors = pages[target.relative_to(site.resolve()).as_posix()].ids
                assert parts.fragment in anchors, (name, url)
            checked += 1
    return checked


def test_link_checker_fails_on_a_broken_link_an_anchor_and_an_outside_url(
        tmp_path: Path) -> None:
    site = tmp_path / "s"
    site.mkdir()
    good = '<a href="b.html#x">b</a>'
    (site / "b.html").write_text('<p id="x">x</p><a href="b.html">b</a>', encoding="utf-8")
    for page, wrong in (('<a href="c.html">', "c.html"), ('<a href="b.html#y">', "#y"),
                        ('<img src="https://example.org/x.png">', "https"),
                        ('<a href="/b.html">', "/b.html"), ('<a href="../b.html">', "../")):
        (site / "a.html").write_text(good + page, encoding="utf-8")
        with pytest.raises(AssertionError):
            check_links(site)
        assert wrong
    (site / "a.html").write_text(good, encoding="utf-8")
    assert check_links(site) == 2


# --- accessibility, the report's checks on every page ------------------------------------------

def check_page(html: str) -> None:
    """The report's accessibility checks (tests/test_report.py), and the site's own: no
    script, no outside reference, the stylesheet linked."""
    assert html.startswith("<!DOCTYPE html>\n<html lang=\"en-GB\">\n")
    assert '<meta charset="utf-8">' in html
    lowered = html.lower()
    for needle in ("<script", "@import", "<iframe", "<object", "<embed", "<style"):
        assert needle not in lowered, needle
    assert re.search(r'<link rel="stylesheet" href="(\.\./)?style\.css">', html)
    page = Page(html)
    if page.tables:
        report_checks.test_tables_have_captions_and_header_scopes(html)
    report_checks.test_headings_in_order(html)
    if page.rag_tags:
        report_checks.test_every_rag_tag_carries_its_word(html)
    assert "<main id=\"main\">" in html and 'href="#main"' in html


def check_site(site: Path) -> list[str]:
    pages = [name for name in files_of(site) if name.endswith(".html")]
    for name in pages:
        try:
            check_page(read(site, name))
        except AssertionError as exc:
            raise AssertionError(f"{name}: {exc}") from exc
    assert check_links(site) > len(pages)
    return pages


def test_real_plan_site_files_pages_and_links(real_site: Path) -> None:
    assert files_of(real_site) == REAL_FILES
    check_site(real_site)


def test_history_plan_site_passes_every_check(history_site: Path, history_file: Path) -> None:
    raw = yaml.safe_load(history_file.read_text(encoding="utf-8"))
    refs = [a["ref"] for o in raw["objectives"] for a in o["actions"]]
    assert len(refs) == 30
    pages = check_site(history_site)
    assert sorted(p for p in pages if p.startswith("action-")) == \
        sorted(f"action-{ref}.html" for ref in refs)


def test_portfolio_site(portfolio_site: Path) -> None:
    files = files_of(portfolio_site)
    assert [f for f in files if "/" not in f] == [".jtai-site", "index.html", "style.css"]
    assert {f.split("/")[0] for f in files if "/" in f} == {"north", "reading"}
    reading = [f.removeprefix("reading/") for f in files if f.startswith("reading/")]
    assert sorted(reading) == [f for f in REAL_FILES if f not in (".jtai-site", "style.css")]
    check_site(portfolio_site)
    home = read(portfolio_site, "index.html")
    assert '<a href="reading/index.html">reading</a>' in home
    assert '<a href="reading/action-2.2.html">2.2</a>' in home
    assert Page(home).table("Trend: actions at each month's end")[0][0] == "Date"
    plan_home = read(portfolio_site, "reading/index.html")
    assert '<link rel="stylesheet" href="../style.css">' in plan_home
    assert '<li><a href="../index.html">All plans</a></li>' in plan_home
    # What the history cannot vouch for as of the day is said on that plan's home only.
    north = read(portfolio_site, "north/index.html")
    notes = north.split('<ul class="notes">\n', 1)[1].split("</ul>", 1)[0]
    assert notes.startswith("  <li>") and "north.yaml" not in notes
    assert '<ul class="notes">' not in plan_home


def test_stylesheet_is_the_one_file_and_keeps_the_reports_contrast(real_site: Path) -> None:
    css = read(real_site, "style.css")
    assert "url(" not in css and "@import" not in css and "@font-face" not in css
    rules = css_rules(f"<style>{css}</style>")
    body = rules["body"]
    for word in ("blue", "green", "amber", "red", "none"):
        rule = rules[f".rag-{word}"]
        assert contrast(rule["color"], rule.get("background", body["background"])) >= 4.5
    for selector in ("a", "a:visited", "footer", ".overdue"):
        assert contrast(rules[selector]["color"], body["background"]) >= 4.5, selector
    assert "@media print" in css and "nav, .skip { display: none; }" in css


# --- content, against values worked out by hand ------------------------------------------------

def refs_in(html: str, caption: str) -> list[str]:
    return [row[0] for row in Page(html).table(caption)[1:]]


def test_home_page_content(real_site: Path) -> None:
    html = read(real_site, "index.html")
    assert refs_in(html, f"15 overdue as of {AS_OF}") == OVERDUE
    assert refs_in(html, "1 due by 30 days after 2025-07-01") == ["3.2"]
    objectives = Page(html).table("Every objective: its lead and its actions' progress")
    assert [r[0] for r in objectives[1:]][:2] == [
        "Objective 1: VOICE AND EXPERIENCE OF INDIVIDUAL CHILDREN",
        "Objective 2: STRATEGY MEETINGS"]
    assert objectives[2][1:] == ["BFfC", "5", "3", "1", "4", "0", "0"]
    agencies = Page(html).table("What each agency holds")
    assert [r[0] for r in agencies[1:]] == AGENCIES
    assert agencies[1] == ["BFfC", "Brighter Futures for Children", "9", "7", ""]
    assert '<a href="objective-2.html">Objective 2: STRATEGY MEETINGS</a>' in html
    assert '<a href="action-1.2.html">1.2</a>' in html


def test_agency_page_overdue_first_and_succession(real_site: Path, build: Any,
                                                  tmp_path: Path) -> None:
    html = read(real_site, "agency-BFfC.html")
    refs = refs_in(html, "Actions held by BFfC, overdue first")
    # BFfC owns 1.1, 2.1, 2.2, 2.4, 2.5, 3.1, 4.1, 5.1, 6.1; of them 2.2 ... 6.1 are overdue
    assert refs == ["2.2", "2.4", "2.5", "3.1", "4.1", "5.1", "6.1", "1.1", "2.1"]
    assert "is to be succeeded by" in html and "on 2025-10-01" in html
    after = tmp_path / "after"
    build(after, "--plan", "plan.yaml", "--as-of", "2025-10-02")
    rbc = read(after, "agency-RBC.html")
    assert refs_in(rbc, "Actions held by RBC, overdue first")[:1] == ["2.2"]
    assert "(held from BFfC)" in rbc
    assert "RBC took over the actions of" in " ".join(rbc.split())


def test_action_page_fields_and_timeline(history_site: Path, history_file: Path) -> None:
    html = read(history_site, "action-1.2.html")
    assert "<dt>Baseline complete by</dt><dd>2025-11-10 (the date has been moved)</dd>" in html
    assert "<dt>Why the date moved</dt><dd>Awaiting sign-off by the Executive</dd>" in html
    assert "<dt>Complete by</dt><dd>2026-02-15 (revised)</dd>" in html
    # PROB, objective 1's lead, was succeeded by SCP on 2025-06-01
    assert '<dt>Objective lead</dt><dd><a href="agency-PROB.html">PROB</a> (as of 2025-07-31: ' \
        "PROB → SCP)</dd>" in html
    rows = Page(html).table("Updates to action 1.2, newest first")
    assert rows[1][:2] == ["2025-06-23", "Jo Smith"]
    assert rows[2][:3] == ["2025-05-16", "Amira Khan", "complete by: 2025-11-10 → 2026-02-15"]
    assert rows[1][3] == "Evidence: Dip sample of 30 cases done"
    assert "<td><small>Evidence: Dip sample of 30 cases done</small></td>" in html


def test_changes_page_every_update_newest_first_by_month(history_site: Path,
                                                         history_file: Path) -> None:
    """As recorded on the as-of date: the updates dated after it are not there yet."""
    updates = raw_updates(history_file, "0000", HISTORY_AS_OF)
    assert len(raw_updates(history_file, "0000", "9999")) > len(updates)
    html = read(history_site, "changes.html")
    page = Page(html)
    tables = [t for t in page.tables if t["caption"].startswith("Updates in ")]
    shown = [(row[0], row[1]) for t in tables for row in t["rows"][1:]]
    assert len(shown) == len(updates) > 20
    assert [d for d, _ in shown] == sorted((d for d, _ in updates), reverse=True)
    assert sorted(shown) == updates
    months = [h for level, h in page.headings if level == 3 and h[-4:].isdigit()]
    assert months == [t["caption"].removeprefix("Updates in ") for t in tables]
    assert len(months) == len({d[:7] for d, _ in updates})


def since_refs(html: str) -> list[str]:
    section = html.split('<h2 id="since">', 1)[1].split("</section>", 1)[0]
    return re.findall(r'<li><strong><a href="action-([\d.]+)\.html">', section)


def test_since_the_last_meeting_on_home_and_changes(history_site: Path,
                                                     history_file: Path) -> None:
    window = raw_updates(history_file, "2025-06-09", HISTORY_AS_OF)
    assert len(window) == 9
    for name in ("index.html", "changes.html"):
        html = read(history_site, name)
        assert "<h2 id=\"since\">Since the last meeting</h2>" in html
        assert "Since the MASA Monitoring Group on 2025-06-09 to 2025-07-31: " in html
        assert sorted(since_refs(html)) == sorted(ref for _d, ref in window), name
    home = read(history_site, "index.html")
    assert '<p class="meta">For the Board on 2025-09-10.</p>' in home


def test_no_meeting_recorded_says_so(real_site: Path) -> None:
    for name in ("index.html", "changes.html"):
        assert "The plan records no meeting of the monitoring group on or before 2025-07-01" \
            in read(real_site, name)


def test_home_page_trend_at_each_months_end(history_site: Path) -> None:
    """The synthetic plan's inspection ends 2025-03-21; as of 2025-07-31, a month's end."""
    html = read(history_site, "index.html")
    rows = Page(html).table("Trend: actions at each month's end")
    assert [r[0] for r in rows[1:]] == ["2025-03-31", "2025-04-30", "2025-05-31",
                                        "2025-06-30", "2025-07-31"]
    last = rows[-1]
    total = int(last[-1])
    assert sum(int(n) for n in last[1:5]) == total == 30
    assert '<svg width="100%"' in html and "Trend: actions by progress RAG" in html


# --- reproducible ------------------------------------------------------------------------------

def test_two_builds_are_byte_identical(build: Any, tmp_path: Path, history_file: Path) -> None:
    first, second = tmp_path / "one", tmp_path / "two"
    build(first, "--plan", str(history_file), "--as-of", HISTORY_AS_OF)
    build(second, "--plan", str(history_file), "--as-of", HISTORY_AS_OF)
    assert files_of(first) == files_of(second)
    for name in files_of(first):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    assert "Generated 2025-07-01 09:00 UTC" in read(first, "index.html")


def test_rebuild_rewrites_only_what_changed_and_removes_stale_pages(
        build: Any, tmp_path: Path, history_file: Path) -> None:
    out = tmp_path / "site"
    build(out, "--plan", str(history_file), "--as-of", HISTORY_AS_OF)
    (out / "CNAME").write_text("plan.example\n", encoding="utf-8")
    again = build(out, "--plan", str(history_file), "--as-of", HISTORY_AS_OF, "-f", "json")
    done = json.loads(again.stdout)
    assert done["written"] == [] and done["removed"] == []
    assert len(done["unchanged"]) == len(files_of(out)) - 1  # all but CNAME
    text = history_file.read_text(encoding="utf-8")
    last = text.rindex('      - ref: "')
    history_file.write_text(text[:last] + text[text.index("\nlint:", last) + 1:],
                            encoding="utf-8")
    result = build(out, "--plan", str(history_file), "--as-of", HISTORY_AS_OF, "-f", "json")
    done = json.loads(result.stdout)
    [gone] = done["removed"]
    assert gone.startswith("action-") and not (out / gone).exists()
    assert (out / "CNAME").read_text(encoding="utf-8") == "plan.example\n"


def test_non_empty_folder_is_refused_unless_forced(build: Any, tmp_path: Path) -> None:
    out = tmp_path / "work"
    out.mkdir()
    (out / "notes.txt").write_text("mine\n", encoding="utf-8")
    result = build(out, "--plan", "plan.yaml", "--as-of", AS_OF, code=2)
    assert result.stderr.startswith(f"jtai: -o {out.as_posix()}: this folder is not empty and "
                                    "is not a site jtai built (no .jtai-site in it); nothing "
                                    "was written")
    assert files_of(out) == ["notes.txt"]
    build(out, "--plan", "plan.yaml", "--as-of", AS_OF, "--force")
    assert files_of(out) == sorted([*REAL_FILES, "notes.txt"])
    file = tmp_path / "file"
    file.write_text("x", encoding="utf-8")
    result = build(file, "--plan", "plan.yaml", code=2)
    assert "this is a file, not a folder" in result.stderr


def test_dry_run_lists_files_and_writes_nothing(build: Any, tmp_path: Path) -> None:
    out = tmp_path / "site"
    result = build(out, "--plan", "plan.yaml", "--as-of", AS_OF, "--dry-run")
    assert result.stdout.splitlines() == [f"{out.as_posix()}/{n}" for n in REAL_FILES]
    assert "dry run, nothing written: the site would have 40 files" in result.stderr
    assert not out.exists()
    result = build(out, "--plan", "plan.yaml", "--as-of", AS_OF, "-n", "-f", "json")
    assert json.loads(result.stdout)["files"] == REAL_FILES


# --- templates and escaping --------------------------------------------------------------------

def test_user_template_overrides_a_site_page(build: Any, tmp_path: Path) -> None:
    custom = tmp_path / "custom" / "site"
    custom.mkdir(parents=True)
    (custom / "home.html.j2").write_text(
        '{% extends "default:site/home.html.j2" %}{% block since_meeting %}<section>'
        "<h2>Board note</h2><p>Chair: {{ summary.overdue }} overdue</p></section>"
        "{% endblock %}", encoding="utf-8")
    out = tmp_path / "site"
    build(out, "--plan", "plan.yaml", "--as-of", AS_OF, "--templates", str(custom.parent))
    assert "<h2>Board note</h2><p>Chair: 15 overdue</p>" in read(out, "index.html")
    assert "Board note" not in read(out, "changes.html")


def test_hostile_plan_text_is_escaped_on_every_page(build: Any, tmp_path: Path) -> None:
    out = tmp_path / "site"
    build(out, "--plan", "tests/fixtures/report/hostile.yaml", "--as-of", AS_OF)
    for name in files_of(out):
        if name.endswith(".html"):
            html = read(out, name)
            assert "<script" not in html.lower() and "<img" not in html.lower(), name
    check_site(out)


@pytest.mark.parametrize(("args", "message"), [
    (("--format", "xml"), "jtai: --format: 'xml' is not one of text, json\n"),
    (("--templates", "no-such-folder"), "jtai: --templates: no-such-folder is not a folder\n"),
    (("--as-of", "31/02/2025"), "jtai: "),
])
def test_bad_options_exit_2_and_write_nothing(build: Any, tmp_path: Path, args: tuple[str, ...],
                                              message: str) -> None:
    out = tmp_path / "site"
    result = build(out, "--plan", "plan.yaml", *args, code=2)
    assert result.stderr.startswith(message), result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()
