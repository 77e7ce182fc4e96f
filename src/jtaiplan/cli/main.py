"""``jtai``: the app, its error handling, and the list of commands. Only parses and dispatches."""

from __future__ import annotations

import gc
import inspect
import os
import sys
from collections.abc import Iterable, Sequence
from importlib import import_module
from typing import Annotated, Any

import typer
from typer.core import TyperGroup
from typer.exceptions import TyperException

try:  # typer 0.29 vendors click; earlier releases depend on it
    from typer._click.exceptions import UsageError
except ImportError:  # pragma: no cover
    from click import UsageError  # type: ignore[no-redef, import-not-found, assignment, unused-ignore]

from .. import __version__
from ..errors import JtaiError
from .helpformat import JtaiCommand
from .messages import report_bug, report_error
from .params import install as install_plain_params

EXIT_BUG = 3

install_plain_params()

# "\b" keeps click from rewrapping the examples into one paragraph.
HELP = """\
Keep a JTAI multi-agency improvement plan in one version-controlled YAML file.

Every command reads ./plan.yaml unless --plan PATH (or JTAI_PLAN) says otherwise, and judges
dates as of today in England unless --as-of DATE (or JTAI_AS_OF) says otherwise: then the
plan as its history records it at the end of that day. Dates are day first: 2026-03-31,
31/03/2026, 31.03.26, 31-03-2026 or 31 March 2026.

Exit codes: 0 fine, 1 the plan has problems, 2 could not run (no file, bad option),
3 a bug in jtai.

Examples:

\b
  jtai status --owner BFfC             what Brighter Futures for Children owes
  jtai status --overdue --format json  overdue actions, for a script
  jtai show 2.2                        one action in full
  jtai lint --as-of 2025-07-01         what CI would report on that day
  jtai changes --since last-meeting    what moved since the monitoring group last met
  jtai init --help                     start a plan for your partnership
  jtai new --help                      or its whole repository, CI included
"""


class JtaiGroup(TyperGroup):
    """Turns the library's errors into exit codes and one clear message, never a traceback.

    Every command in :data:`COMMANDS` is listed, built or not: ``jtai --help`` lists them
    from their docstrings without typer building each one's options, which cost a third of
    its run.
    """

    def list_commands(self, ctx: typer.Context) -> list[str]:  # type: ignore[override]
        return list(COMMANDS)

    def get_command(self, ctx: typer.Context, cmd_name: str) -> Any:  # type: ignore[override]
        built = super().get_command(ctx, cmd_name)
        if built is not None or cmd_name not in COMMANDS:
            return built
        return _listed(cmd_name)

    def resolve_command(self, ctx: typer.Context, args: list[str]) -> Any:  # type: ignore[override]
        try:
            return super().resolve_command(ctx, args)
        except UsageError as exc:
            # typer suggests among the commands built, which for a typo is none of them.
            import difflib

            matches = difflib.get_close_matches(args[0], list(COMMANDS)) if args else []
            if matches and "Did you mean" not in exc.message:
                exc.message = (f"{exc.message.rstrip('.')}. Did you mean "
                               f"{', '.join(repr(m) for m in matches)}?")
            raise

    def invoke(self, ctx: typer.Context) -> Any:  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except JtaiError as exc:
            report_error(exc)
            raise typer.Exit(exc.exit_code) from None
        except (TyperException, typer.Exit, typer.Abort):
            raise
        except KeyboardInterrupt:
            raise typer.Exit(130) from None
        except BrokenPipeError:
            # `jtai status | head`: the reader left; nothing more to say.
            raise typer.Exit(0) from None
        except Exception as exc:
            report_bug(exc, bool(ctx.meta.get("jtai.debug")))
            raise typer.Exit(EXIT_BUG) from None


def _listed(name: str) -> JtaiCommand:
    """A command as the group's help lists it: its name and docstring, nothing to run."""
    module, function = COMMANDS[name]
    callback = getattr(import_module(f"{__package__}.{module}"), function)
    return JtaiCommand(name=name, help=inspect.getdoc(callback))


def _version(value: bool) -> None:
    if value:
        print(f"jtai {__version__}")
        raise typer.Exit(0)


def root(
    ctx: typer.Context,
    debug: Annotated[bool, typer.Option("--debug", envvar="JTAI_DEBUG",
                                        help="On an internal error, show its traceback.")]
    = False,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    ctx.meta["jtai.debug"] = debug
    if debug:
        # The library's own debug notes (such as why the cache is off) read it.
        os.environ["JTAI_DEBUG"] = "1"


# name -> (module in jtaiplan.cli, function). Data, so that a run imports and builds only
# the command it runs: typer builds every registered command's options on each start.
COMMANDS: dict[str, tuple[str, str]] = {
    "status": ("status_cmd", "status"),
    "show": ("status_cmd", "show"),
    "validate": ("lint_cmd", "validate"),
    "lint": ("lint_cmd", "lint"),
    "rules": ("rules_cmd", "rules"),
    "report": ("report_cmd", "report"),
    "site": ("site_cmd", "site"),
    "export": ("export_cmd", "export"),
    "diff": ("diff_cmd", "diff"),
    "update": ("change_cmds", "update"),
    "complete": ("change_cmds", "complete"),
    "add": ("change_cmds", "add"),
    "add-objective": ("objective_cmd", "add_objective"),
    "init": ("change_cmds", "init"),
    "fmt": ("change_cmds", "fmt"),
    "schema": ("plan_cmds", "schema"),
    "pack": ("pack_cmd", "pack"),
    "apply": ("pack_cmd", "apply"),
    "remind": ("remind_cmd", "remind"),
    "history": ("history_cmd", "history"),
    "changes": ("changes_cmd", "changes"),
    "meeting": ("changes_cmd", "meeting"),
    "trend": ("changes_cmd", "trend"),
    "calendar": ("calendar_cmd", "calendar"),
    "import": ("import_cmd", "import_"),
    "new": ("new_cmd", "new"),
    "agency": ("agency_cmd", "agency"),
}


def make_app(names: Iterable[str] | None = None) -> typer.Typer:
    """The ``jtai`` app with the named commands, or all of them."""
    app = typer.Typer(
        name="jtai",
        cls=JtaiGroup,
        help=HELP,
        no_args_is_help=True,
        add_completion=True,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
        context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    )
    app.callback()(root)
    wanted = set(COMMANDS) if names is None else set(names)
    for name, (module, function) in COMMANDS.items():
        if name in wanted:
            command = getattr(import_module(f"{__package__}.{module}"), function)
            app.command(name, cls=JtaiCommand)(command)
    return app


def commands_to_build(args: Sequence[str]) -> list[str] | None:
    """The commands a command line needs built: the one it runs (the root's own options,
    --debug, --version and --help, take no values, so the first other word names it), none
    for the root's help (the group lists them unbuilt), or all (None) for shell completion,
    which lists every command's options."""
    if any(key.endswith("_COMPLETE") for key in os.environ):
        return None
    word = next((arg for arg in args if not arg.startswith("-")), None)
    return [word] if word in COMMANDS else []


def __getattr__(name: str) -> Any:
    """``app``: every command, built on first use (tests and documentation tools)."""
    if name == "app":
        globals()["app"] = made = make_app()
        return made
    raise AttributeError(name)


def main() -> None:
    # A short-lived command builds many small acyclic objects; reference counting frees
    # them, and the cyclic collector's passes would cost more than the work on a big plan.
    gc.disable()
    make_app(commands_to_build(sys.argv[1:]))(prog_name="jtai")
