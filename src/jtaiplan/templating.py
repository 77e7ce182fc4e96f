"""Finding and loading report templates; rendering them in Jinja's sandbox.

The defaults live in the repository's top-level ``templates/`` and ship inside the wheel
as ``jtaiplan/templates``. A user's folder (``--templates DIR``, or ``templates/`` beside
the plan) overrides any of them, and an override can build on a default with
``{% extends "default:report.html.j2" %}``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import CannotRun

if TYPE_CHECKING:
    from jinja2 import Environment

TEMPLATE_NAMES = ("report.html.j2", "report.md.j2")


def default_template_dir() -> Path:
    """The installed copy (a wheel), else the repository's (an editable install)."""
    package = Path(__file__).resolve().parent
    for candidate in (package / "templates", package.parent.parent / "templates"):
        if (candidate / TEMPLATE_NAMES[0]).is_file():
            return candidate
    raise CannotRun("jtai's report templates are missing from this installation",
                    hint="reinstall jtaiplan")


def environment(user_dirs: Sequence[Path], *, markdown: bool,
                filters: dict[str, Callable[..., Any]]) -> Environment:
    from jinja2 import ChoiceLoader, FileSystemLoader, PrefixLoader, StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    default = default_template_dir()
    search = [str(d) for d in user_dirs if d.resolve() != default.resolve()] + [str(default)]
    loader = ChoiceLoader([
        FileSystemLoader(search, encoding="utf-8"),
        PrefixLoader({"default": FileSystemLoader(str(default), encoding="utf-8")},
                     delimiter=":"),
    ])
    env = SandboxedEnvironment(
        loader=loader,
        # HTML templates escape everything; the Markdown ones pass every value through the
        # Markdown escaper instead, so no template can forget to.
        autoescape=not markdown,
        finalize=filters["md"] if markdown else None,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(filters)
    return env


def render(env: Environment, name: str, context: dict[str, Any]) -> str:
    from jinja2 import TemplateError, TemplateNotFound, TemplateSyntaxError

    try:
        return env.get_template(name).render(context)
    except TemplateNotFound as exc:
        raise CannotRun(f"template {exc.name} not found") from None
    except TemplateSyntaxError as exc:
        raise CannotRun(f"{exc.filename or exc.name}:{exc.lineno}: template error: "
                        f"{exc.message}") from None
    except TemplateError as exc:
        raise CannotRun(f"template {name}: {exc}") from None
