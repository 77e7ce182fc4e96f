"""The site's pages rendered through the sandboxed templates, and written to a folder.

A site folder carries a small manifest, ``.jtai-site``, naming every file jtai wrote. It
says "this folder is a jtai site": a rebuild may write into it, replace its pages and
remove the pages of actions that no longer exist, while anything else in the folder (a
``CNAME``, a logo someone added) is left alone. A folder that is not empty and has no
manifest is refused unless forced, so that ``-o .`` by mistake never writes pages all over
a working copy. Files whose bytes are unchanged are not rewritten: a publishing job sees
exactly what changed.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import CannotRun
from ..markdown import md_text
from ..planfile.textfile import display_path
from .report import generated_at, rag_class
from .site import STYLESHEET, SiteOptions, SitePlan, site_pages
from .templating import environment, render

MANIFEST = ".jtai-site"
MANIFEST_HEAD = "# Written by `jtai site`: the files of this site. Do not edit.\n"
STYLE_TEMPLATE = "site/style.css.j2"


@dataclass(frozen=True)
class SiteWrite:
    written: list[str]
    unchanged: list[str]
    removed: list[str]


def build_site(plans: Sequence[SitePlan], options: SiteOptions) -> dict[str, bytes]:
    """Every file of the site by its relative path, the manifest last."""
    env = environment(options.template_dirs, markdown=False,
                      filters={"md": md_text, "rag_class": rag_class})
    # One run renders each template hundreds of times: look at its file once, not each time.
    env.auto_reload = False
    stamp = generated_at().strftime("%Y-%m-%d %H:%M UTC")
    files = {STYLESHEET: render(env, STYLE_TEMPLATE, {}).encode("utf-8")}
    for page in site_pages(plans, options):
        files[page.path] = render(env, page.template,
                                  page.context | {"generated_at": stamp}).encode("utf-8")
    files[MANIFEST] = (MANIFEST_HEAD + "".join(f"{name}\n" for name in sorted(files))
                       ).encode("utf-8")
    return files


def previous_files(folder: Path) -> list[str] | None:
    """The files an earlier build wrote here; None if the folder is not a jtai site."""
    try:
        text = (folder / MANIFEST).read_text(encoding="utf-8")
    except (FileNotFoundError, NotADirectoryError, UnicodeDecodeError):
        return None
    except OSError as exc:
        raise CannotRun(f"cannot read {display_path(folder / MANIFEST)}: "
                        f"{exc.strerror or exc}") from None
    return [line for line in text.splitlines() if line and not line.startswith("#")]


def check_folder(folder: Path, *, force: bool) -> list[str]:
    """May the site go into ``folder``? The files of the previous build there, if any."""
    if folder.exists() and not folder.is_dir():
        raise CannotRun(f"-o {display_path(folder)}: this is a file, not a folder",
                        hint="name a folder for the site, e.g. -o site")
    previous = previous_files(folder)
    if previous is not None or force or not folder.exists():
        return previous or []
    if any(folder.iterdir()):
        raise CannotRun(
            f"-o {display_path(folder)}: this folder is not empty and is not a site jtai "
            f"built (no {MANIFEST} in it); nothing was written",
            hint="name a new or empty folder, or add --force to write the site's files "
                 "into it (other files there are kept)")
    return []


def write_site(files: dict[str, bytes], folder: Path, *, force: bool = False) -> SiteWrite:
    previous = check_folder(folder, force=force)
    root = folder.resolve()
    written: list[str] = []
    unchanged: list[str] = []
    made: set[Path] = set()
    try:
        for name, data in files.items():
            target = folder / name
            if previous and _same(target, data):
                unchanged.append(name)
                continue
            if target.parent not in made:
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(target.parent)
            target.write_bytes(data)
            written.append(name)
        removed = [name for name in previous if name not in files
                   and _remove_within(root, folder / name)]
    except OSError as exc:
        where = display_path(Path(exc.filename)) if exc.filename else display_path(folder)
        raise CannotRun(f"cannot write {where}: {exc.strerror or exc}",
                        hint="the site may be half written: run jtai site again") from None
    return SiteWrite(written, unchanged, removed)


def _same(target: Path, data: bytes) -> bool:
    try:
        return target.stat().st_size == len(data) and target.read_bytes() == data
    except OSError:
        return False


def _remove_within(root: Path, path: Path) -> bool:
    """Remove a page an earlier build wrote (never anything outside the site's folder),
    and its folder if that leaves it empty (a plan no longer in the portfolio)."""
    if not path.resolve().is_relative_to(root) or not path.is_file():
        return False
    path.unlink()
    with contextlib.suppress(OSError):
        if path.parent.resolve() != root:
            path.parent.rmdir()
    return True
