"""Finding and loading report templates; rendering them in Jinja's sandbox.

The defaults live in the repository's top-level ``templates/`` and ship inside the wheel
as ``jtaiplan/templates``. A user's folder (``--templates DIR``, or ``templates/`` beside
the plan) overrides any of them, and an override can build on a default with
``{% extends "default:report.html.j2" %}``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import CannotRun

if TYPE_CHECKING:
    from jinja2 import Environment

TEMPLATE_NAMES = ("report.html.j2", "report.md.j2")


def default_template_dir() -> Path:
    """The installed copy (a wheel), else the repository's (an editable install)."""
    package = Path(__file__).resolve().parent.parent  # jtaiplan/, above views/
    for candidate in (package / "templates", package.parent.parent / "templates"):
        if (candidate / TEMPLATE_NAMES[0]).is_file():
            return candidate
    raise CannotRun("jtai's report templates are missing from this installation",
                    hint="reinstall jtaiplan")


@cache
def _sandbox_class() -> type[Environment]:
    from jinja2.sandbox import SandboxedEnvironment

    dict_attributes = frozenset(dir(dict))

    class Sandbox(SandboxedEnvironment):
        """The sandbox, with a record's fields read first as the dict items they are.

        Jinja reads ``record.field`` as an attribute first, and a dict has none of that
        name: the AttributeError raised and caught on every field of every page took a fifth
        of ``jtai site``'s rendering. A plain dict's attributes are exactly ``dir(dict)``, so
        for any other name the item is what Jinja would have found anyway.
        """

        def getattr(self, obj: Any, attribute: str) -> Any:
            if type(obj) is dict and attribute not in dict_attributes:
                try:
                    return obj[attribute]
                except KeyError:
                    pass
            return super().getattr(obj, attribute)

    return Sandbox


def environment(user_dirs: Sequence[Path], *, markdown: bool,
                filters: dict[str, Callable[..., Any]]) -> Environment:
    from jinja2 import ChoiceLoader, FileSystemLoader, PrefixLoader, StrictUndefined

    default = default_template_dir()
    search = [str(d) for d in user_dirs if d.resolve() != default.resolve()] + [str(default)]
    loader = ChoiceLoader([
        FileSystemLoader(search, encoding="utf-8"),
        PrefixLoader({"default": FileSystemLoader(str(default), encoding="utf-8")},
                     delimiter=":"),
    ])
    env = _sandbox_class()(
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
        raise CannotRun(f"{_user_frame(exc) or 'template ' + name}: {exc}") from None
    except (ArithmeticError, LookupError, TypeError, ValueError, RecursionError) as exc:
        # A user's template did arithmetic on text, indexed past the end, or hit one of the
        # sandbox's limits (range() of more than 100,000 is an OverflowError): the user's
        # mistake, not a bug in jtai, unless no user template is on the stack.
        where = _user_frame(exc)
        if where is None:
            raise
        raise CannotRun(f"{where}: template error: {type(exc).__name__}: {exc}") from None


def _user_frame(exc: BaseException) -> str | None:
    """``file:line`` of the innermost frame of a user's template in the traceback, if any.

    Jinja rewrites tracebacks so that template frames carry the template's file and line.
    """
    import traceback

    default = default_template_dir().resolve()
    where = None
    for frame in traceback.extract_tb(exc.__traceback__):
        path = Path(frame.filename)
        if path.suffix == ".j2" and not path.resolve().is_relative_to(default):
            where = f"{path.as_posix()}:{frame.lineno}"
    return where
