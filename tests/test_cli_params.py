"""The plain option conversions (cli/params.py) agree with typer's own, value for value."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import typer
from typer._click import exceptions as click_errors
from typer._coercion import build_runtime_param

from jtaiplan.cli import params
from jtaiplan.cli.main import app

SAMPLES: list[Any] = ["", "x", "BFfC", "amber", "AMBER", "json", "JSON", "table", "markdown",
                      "0", "7", "-1", "30", "3000000", "1.5", "plan.yaml", "a/b.yaml",
                      Path("plan.yaml"), True, False, 3, -2, ["BFfC", "tvp"], ("2", "3"), []]


def every_parameter() -> list[tuple[str, Any]]:
    group = typer.main.get_command(app)
    assert hasattr(group, "commands")
    return [(name, p) for name, command in sorted(group.commands.items())
            for p in command.params if hasattr(p, "type_descriptor")]


def typer_result(parameter: Any, value: Any) -> Any:
    runtime = build_runtime_param(parameter.type_descriptor)
    try:
        return ("ok", runtime._coerce_value(value, parameter, None))
    except (click_errors.BadParameter, click_errors.UsageError, ValueError, TypeError,
            AttributeError):
        return ("refused", None)


@pytest.mark.parametrize(("command", "parameter"), every_parameter(),
                         ids=[f"{c}:{p.name}" for c, p in every_parameter()])
def test_plain_conversion_agrees_with_typer(command: str, parameter: Any) -> None:
    descriptor = parameter.type_descriptor
    for value in SAMPLES:
        ours = params.convert_plain(descriptor.annotation, descriptor.parameter_info, value)
        if ours is params._UNCONVERTED:
            continue  # typer converts it, with its own message
        assert typer_result(parameter, value) == ("ok", ours), (command, parameter.name, value)
        assert type(ours) is type(typer_result(parameter, value)[1])


def test_the_plain_path_is_taken_for_common_options() -> None:
    """Guards against a typer upgrade quietly making every option fall back (no error,
    just the slow path again): the options `jtai status` uses most convert here."""
    by_name = {(c, p.name): p for c, p in every_parameter()}
    cases = [(("status", "plan"), Path("plan.yaml")), (("status", "owner"), ["BFfC"]),
             (("status", "output_format"), "json"), (("status", "due_within"), "30"),
             (("status", "as_of"), "2025-07-01")]
    for key, value in cases:
        descriptor = by_name[key].type_descriptor
        converted = params.convert_plain(descriptor.annotation, descriptor.parameter_info,
                                         value)
        assert converted is not params._UNCONVERTED, key


def test_bad_values_still_get_typers_messages(jtai: Any, real_plan: Path) -> None:
    result = jtai("status", "--plan", str(real_plan), "--due-within", "-1")
    assert result.exit_code == 2
    assert "Invalid value for '--due-within': Input should be greater than or equal to 0" \
        in result.stderr
    result = jtai("status", "--plan", str(real_plan), "--format", "xml")
    assert result.exit_code == 2
    assert "'xml' is not one of 'table', 'json', 'csv', 'markdown'" in result.stderr
