"""Checks on free text before it goes into the plan."""

from __future__ import annotations

import re

# Tab and newline are ordinary in text; every other C0 control, DEL and the C1 block
# (U+0080-U+009F, which includes U+0085 NEXT LINE) is invisible trouble.
CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")


def first_control_character(text: str) -> tuple[int, str] | None:
    """The 1-based position and character of the first control character, if any."""
    match = CONTROL_CHARACTER.search(text)
    return (match.start() + 1, match.group(0)) if match else None
