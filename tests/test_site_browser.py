"""The site in a real browser: headless Chromium draws every page type from ``file://`` and
fetches nothing, through the recording proxy and canary of tests/test_report_browser.py
(whose helpers and fixtures are used here, not copied).

docs/site-home.png and docs/site-agency.png (for the README) are drawn by the same code; to
refresh them::

    UPDATE_SCREENSHOT=1 .venv/bin/pytest tests/test_site_browser.py -k docs_screenshots
"""

# The report's browser fixtures (chromium, proxy, canary_html) are imported so that pytest
# finds them here; a test's parameter of the same name is them, not a redefinition.
# ruff: noqa: F811

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from conftest import REPO, Invoke
from test_report_browser import (  # noqa: F401 (fixtures, found by pytest by name)
    MEDIA_BOX,
    Recorder,
    assert_not_blank,
    canary_html,
    chromium,
    print_pdf,
    proxy,
    read_png,
    screenshot,
)
from test_site import AS_OF, EPOCH, HISTORY_AS_OF, check_page, history_plan_text

# One page of each type, from the site of a plan with history and a succession; the home of
# several plans from the portfolio site.
PAGE_TYPES = ["index.html", "objective-1.html", "agency-PROB.html", "action-1.2.html",
              "changes.html", "key.html"]
SHOTS = {"site-home.png": "index.html", "site-agency.png": "agency-BFfC.html"}
SHOT_SIZE = (1200, 900)
MAX_SHOT_BYTES = 200_000


@pytest.fixture
def sites(jtai: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    monkeypatch.chdir(REPO)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    plans = tmp_path / "plans"
    plans.mkdir()
    (plans / "north.yaml").write_text(history_plan_text(), encoding="utf-8")
    shutil.copyfile(REPO / "plan.yaml", plans / "reading.yaml")
    out = {"history": tmp_path / "history", "portfolio": tmp_path / "portfolio",
           "real": tmp_path / "real"}
    for args in (("--plan", str(plans / "north.yaml"), "-o", str(out["history"]),
                  "--as-of", HISTORY_AS_OF),
                 ("--plan", str(plans), "-o", str(out["portfolio"]), "--as-of", AS_OF),
                 ("--plan", "plan.yaml", "-o", str(out["real"]), "--as-of", AS_OF)):
        result = jtai("site", *args)
        assert result.exit_code == 0, result.stderr
    return out


@pytest.mark.browser
def test_every_page_type_is_drawn_and_fetches_nothing(
        chromium: str, proxy: Recorder, canary_html: Path, sites: dict[str, Path],
        tmp_path: Path) -> None:
    screenshot(chromium, canary_html, proxy, tmp_path)
    assert "example.invalid" in proxy.page_hosts(), "the proxy saw no request: no canary"
    proxy.clear()
    pages = [sites["history"] / name for name in PAGE_TYPES]
    pages += [sites["portfolio"] / "index.html", sites["portfolio"] / "north" / "index.html"]
    for page in pages:
        check_page(page.read_text(encoding="utf-8"))
        image = read_png(screenshot(chromium, page, proxy, tmp_path / page.parent.name,
                                    SHOT_SIZE).read_bytes())
        assert (image.width, image.height) == SHOT_SIZE
        assert_not_blank(image)
        # The stylesheet was applied: the header's rule and the RAG tints are drawn.
        assert (0x1D, 0x35, 0x57) in set(image.pixels()), f"{page.name}: unstyled?"
        assert proxy.page_hosts() == set(), f"{page.name} made requests: {proxy.requests}"


@pytest.mark.browser
def test_a_page_prints_on_a4_landscape(chromium: str, proxy: Recorder, sites: dict[str, Path],
                                       tmp_path: Path) -> None:
    pdf = print_pdf(chromium, sites["real"] / "agency-BFfC.html", proxy, tmp_path).read_bytes()
    boxes = {(round(float(w)), round(float(h))) for w, h in MEDIA_BOX.findall(pdf)}
    assert boxes == {(842, 595)}
    assert proxy.page_hosts() == set(), proxy.requests


@pytest.mark.browser
def test_docs_screenshots(chromium: str, proxy: Recorder, sites: dict[str, Path],
                          tmp_path: Path) -> None:
    """The README's pictures of the real plan's site, drawn afresh; UPDATE_SCREENSHOT=1
    saves them in docs/ (fonts differ between machines, so they are not compared)."""
    for name, page in SHOTS.items():
        shot = screenshot(chromium, sites["real"] / page, proxy, tmp_path / name, SHOT_SIZE)
        assert_not_blank(read_png(shot.read_bytes()))
        assert shot.stat().st_size < MAX_SHOT_BYTES, (name, shot.stat().st_size)
        if os.environ.get("UPDATE_SCREENSHOT"):
            shutil.copyfile(shot, REPO / "docs" / name)
        assert (REPO / "docs" / name).is_file(), f"docs/{name} is missing: UPDATE_SCREENSHOT=1"
    assert proxy.page_hosts() == set(), proxy.requests
