"""How each command's --help reads: ``Usage: jtai update [OPTIONS] REF``, not ``{ref}``.

typer's plain help writes required arguments as ``{ref}`` and adds a type to each (``ref
<str>``, ``objective <int range>``): noise to a person reading it. Arguments declare a
metavar (REF, OBJECTIVE); this class shows it alone.
"""

from __future__ import annotations

from typing import Any

from typer.core import TyperArgument, TyperCommand


class JtaiCommand(TyperCommand):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for param in self.params:
            if isinstance(param, TyperArgument):
                # The metavar says what to type; the Python type is for us.
                setattr(param, "display_type_rich", _no_type)  # noqa: B010

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        return [piece[1:-1] if piece.startswith("{") and piece.endswith("}") else piece
                for piece in super().collect_usage_pieces(ctx)]


def _no_type(ctx: Any) -> str | None:
    return None
