"""Making plan text safe inside GitHub-flavoured Markdown tables and comments."""

from __future__ import annotations

import re

_MENTION = re.compile(r"(?<![\w`])@(?=[A-Za-z0-9])")
# "&" is escaped only where it would start an entity, so "Police & CSC" reads as typed.
_ENTITY_START = re.compile(r"&(?=#?\w+;)")
_CELL_ESCAPES = str.maketrans({
    "|": "\\|", "<": "&lt;", ">": "&gt;", "\\": "\\\\", "`": "\\`",
    "*": "\\*", "_": "\\_", "[": "\\[", "]": "\\]",
})


def md_text(text: object) -> str:
    """Plan text for a Markdown table cell: one line, no table breaks, no mentions, no HTML."""
    if text is None:
        return ""
    value = _ENTITY_START.sub("&amp;", str(text)).translate(_CELL_ESCAPES)
    value = " ".join(part.strip() for part in value.splitlines() if part.strip()) \
        if "\n" in value or "\r" in value else value
    # A zero-width joiner after @ stops GitHub from notifying a user or team.
    return _MENTION.sub("@\u200d", value)
