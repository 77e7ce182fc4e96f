"""``jtai rules``: what each lint rule checks and why."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from ..errors import CannotRun
from .common import write_out
from .options import TextOrJson

if TYPE_CHECKING:
    from ..lint.registry import Rule


def _marks(rule: Rule) -> str:
    return (" (date)" if rule.uses_date else "") + (" (--base)" if rule.needs_base else "")



def rules(
    code: Annotated[str | None, typer.Argument(
        metavar="CODE", help="A rule code, e.g. JTAI101.")] = None,
    output_format: Annotated[TextOrJson, typer.Option("--format", "-f")] = TextOrJson.text,
) -> None:
    """List the lint rules, or explain one: code, severity, what it checks and how to fix."""
    import json

    from ..lint.registry import all_rules

    registry = all_rules()
    chosen = list(registry.values())
    if code is not None:
        rule = registry.get(code.upper())
        if rule is None:
            raise CannotRun(f"no rule {code}", hint=f"rules: {', '.join(registry)}")
        chosen = [rule]
    if output_format is TextOrJson.json:
        write_out(json.dumps([{
            "code": r.code, "name": r.name, "severity": str(r.severity), "summary": r.summary,
            "explanation": r.explanation, "uses_date": r.uses_date, "integrity": r.integrity,
        } for r in chosen], indent=2) + "\n")
        return
    if code is None:
        width = max(len(r.name) for r in chosen)
        lines = [f"{r.code}  {r.severity:<7}  {r.name:<{width}}  {r.summary}{_marks(r)}"
                 for r in chosen]
        lines += ["", "(date): depends on the as-of date, so `jtai validate` and the "
                  "jtai-validate hook skip it.",
                  "(--base): compares with a git revision; runs under `jtai lint --base REV`.",
                  "`jtai rules CODE` explains one."]
        write_out("\n".join(lines) + "\n")
        return
    rule = chosen[0]
    flags = [f for f, on in (
        ("depends on the as-of date", rule.uses_date),
        ("integrity: must pass before the plan is shown or changed", rule.integrity),
        ("compares with a git revision: runs under `jtai lint --base REV`", rule.needs_base),
    ) if on]
    # Explanations are docstrings, where code is ``quoted`` for Sphinx; people read `quoted`.
    text = [f"{rule.code} {rule.name} ({rule.severity})", "", rule.summary, "",
            rule.explanation.replace("``", "`")]
    if flags:

        text += ["", *(f"- {flag}" for flag in flags)]
    write_out("\n".join(text) + "\n")
