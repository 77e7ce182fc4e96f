"""``jtai site``: the plan as a small static website, for publishing by CI."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from .common import as_of_date, as_recorded, load_plans, write_out
from .options import AsOfOption, PlansOption


def site(
    output: Annotated[Path, typer.Option(
        "--output", "-o", metavar="DIR",
        help="The folder to build the site in. A new or empty folder, or one jtai built "
             "before (it holds a .jtai-site list of its files): then changed pages are "
             "replaced, pages of removed actions deleted, other files kept.")],
    templates: Annotated[Path | None, typer.Option(
        "--templates", metavar="DIR",
        help="A folder of templates overriding the defaults, as for `jtai report`: the "
             "site's are site/home.html.j2, site/objective.html.j2, site/agency.html.j2, "
             "site/action.html.j2, site/changes.html.j2, site/key.html.j2, "
             "site/portfolio.html.j2 and site/style.css.j2. A templates/ folder beside the "
             "plan is used too.")] = None,
    force: Annotated[bool, typer.Option(
        "--force", help="Write into a folder that is not empty and not a jtai site (its "
                        "other files are kept).")] = False,
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", "-n", help="List the files the site would have, and write nothing.")]
    = False,
    output_format: Annotated[str, typer.Option(
        "--format", "-f", metavar="text|json",
        help="What to print: text (a summary on stderr; the files with --dry-run) or json "
             "(every file and what happened to it, on stdout).")] = "text",
    plan: PlansOption = None,
    as_of: AsOfOption = None,
) -> None:
    """Build the plan as a static website: plain HTML files with relative links, one
    stylesheet, no script, readable from any web server or straight from the folder
    (file://), zipped and emailed or put on an intranet.

    Pages: a home page (headline, progress by objective, overdue, due in the next 30 days,
    every objective and agency), one page per objective, per agency (what it holds, overdue
    first, successions noted) and per action (every field, a moved date's baseline and
    reason, evidence, its history with who and when), the changes page (every recorded
    update, newest first, by month) and a page with the RAG key and how to read the site.
    Several plans (--plan plans/): a portfolio home, and each plan in a folder named by its
    id.

    With --as-of, the plan is read as its history records it on that day, as for
    `jtai report`. The home page adds the trend (actions by progress RAG at each month's
    end) and, like the changes page, what changed since the last meeting the plan records
    (`jtai meeting add`).

    The same plan, --as-of date and SOURCE_DATE_EPOCH give byte-identical files, so a
    publishing job can tell whether anything changed; files that did not change are not
    rewritten. Publishing with GitHub Pages: see docs/ci.md.

    Examples:

      jtai site -o site

      jtai site -o public --as-of 2025-07-01 --dry-run

      jtai site --plan plans/ -o site
    """
    from ..errors import CannotRun
    from ..views.site import SiteOptions, SitePlan
    from ..views.sitewrite import build_site, check_folder, write_site
    from .report_cmd import template_dirs

    if output_format not in ("text", "json"):
        raise CannotRun(f"--format: '{output_format}' is not one of text, json")
    day = as_of_date(as_of)
    said: list[str] = []
    portfolio = as_recorded(load_plans(plan), day, as_of, said)
    options = SiteOptions(day, template_dirs(templates, portfolio))
    files = build_site([SitePlan(e.id, e.loaded, _own(said, e.loaded.name, portfolio.several))
                        for e in portfolio.entries], options)
    where = output.as_posix()
    if dry_run:
        check_folder(output, force=force)
        if output_format == "json":
            _json({"output": where, "dry_run": True, "files": sorted(files)})
        else:
            write_out("".join(f"{where}/{name}\n" for name in sorted(files)))
            print(f"jtai: dry run, nothing written: the site would have {len(files)} files "
                  f"in {where}", file=sys.stderr)
        return
    done = write_site(files, output, force=force)
    if output_format == "json":
        _json({"output": where, "dry_run": False, "written": done.written,
               "unchanged": done.unchanged, "removed": done.removed})
        return
    removed = f", {len(done.removed)} removed" if done.removed else ""
    print(f"jtai: wrote the site to {where}: {len(files)} files, {len(done.written)} "
          f"written, {len(done.unchanged)} unchanged{removed}; open {where}/index.html",
          file=sys.stderr)


def _own(notes: list[str], name: str, several: bool) -> list[str]:
    """A plan's own notes: with several plans, as_recorded names each note's plan first."""
    if not several:
        return notes
    return [n.removeprefix(f"{name}: ") for n in notes if n.startswith(f"{name}: ")]


def _json(data: dict[str, object]) -> None:
    import json

    write_out(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
