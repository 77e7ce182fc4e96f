"""``jtai``: the app, its error handling, and the list of commands. Only parses and dispatches."""

from __future__ import annotations

import gc
from typing import Annotated, Any

import typer
from typer.core import TyperGroup
from typer.exceptions import TyperException

from .. import __version__
from ..errors import JtaiError
from . import (
    calendar_cmd,
    change_cmds,
    diff_cmd,
    export_cmd,
    history_cmd,
    import_cmd,
    lint_cmd,
    objective_cmd,
    pack_cmd,
    plan_cmds,
    report_cmd,
    rules_cmd,
    status_cmd,
)
from .helpformat import JtaiCommand
from .messages import report_bug, report_error
from .params import install as install_plain_params

EXIT_BUG = 3

install_plain_params()

# "\b" keeps click from rewrapping the examples into one paragraph.
HELP = """\
Keep a JTAI multi-agency improvement plan in one version-controlled YAML file.

Every command reads ./plan.yaml unless --plan PATH (or JTAI_PLAN) says otherwise, and judges
dates as of today in England unless --as-of DATE (or JTAI_AS_OF) says otherwise. Dates are
day first: 2026-03-31, 31/03/2026, 31.03.26, 31-03-2026 or 31 March 2026.

Exit codes: 0 fine, 1 the plan has problems, 2 could not run (no file, bad option),
3 a bug in jtai.

Examples:

\b
  jtai status --owner BFfC             what Brighter Futures for Children owes
  jtai status --overdue --format json  overdue actions, for a script
  jtai show 2.2                        one action in full
  jtai lint --as-of 2025-07-01         what CI would report on that day
  jtai init --help                     start a plan for your partnership
"""


class JtaiGroup(TyperGroup):
    """Turns the library's errors into exit codes and one clear message, never a traceback."""

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


def _version(value: bool) -> None:
    if value:
        print(f"jtai {__version__}")
        raise typer.Exit(0)


@app.callback()
def root(
    ctx: typer.Context,
    debug: Annotated[bool, typer.Option("--debug", envvar="JTAI_DEBUG",
                                        help="On an internal error, show its traceback.")]
    = False,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    ctx.meta["jtai.debug"] = debug


COMMANDS = (
    ("status", status_cmd.status),
    ("show", status_cmd.show),
    ("validate", lint_cmd.validate),
    ("lint", lint_cmd.lint),
    ("rules", rules_cmd.rules),
    ("report", report_cmd.report),
    ("export", export_cmd.export),
    ("diff", diff_cmd.diff),
    ("update", change_cmds.update),
    ("complete", change_cmds.complete),
    ("add", change_cmds.add),
    ("add-objective", objective_cmd.add_objective),
    ("init", change_cmds.init),
    ("fmt", change_cmds.fmt),
    ("schema", plan_cmds.schema),
    ("pack", pack_cmd.pack),
    ("apply", pack_cmd.apply),
    ("history", history_cmd.history),
    ("calendar", calendar_cmd.calendar),
    ("import", import_cmd.import_),
)
for _name, _function in COMMANDS:
    app.command(_name, cls=JtaiCommand)(_function)


def main() -> None:
    # A short-lived command builds many small acyclic objects; reference counting frees
    # them, and the cyclic collector's passes would cost more than the work on a big plan.
    gc.disable()
    app(prog_name="jtai")
