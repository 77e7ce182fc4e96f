"""The update pack as text, for an email body: Markdown or plain text.

For owners who reply in words. The reply is read by a person, so the text asks for the
same six answers as the workbook's white columns, in the same words.
"""

from __future__ import annotations

from ...markdown import md_text
from .content import Pack, given_text
from .layout import FILLED


def pack_text(pack: Pack, *, markdown: bool) -> str:
    esc = md_text if markdown else _plain
    when = f"{pack.return_by.day} {pack.return_by.strftime('%B %Y')}"
    out: list[str] = []
    title = f"{pack.plan_title}: update for {pack.agency_name} ({pack.agency})"
    out += [f"# {esc(title)}"] if markdown else [title, "=" * min(len(title), 78)]
    out.append("")
    out += [f"Please reply by {when}. For each action below, answer only what has changed "
            "since the last update; leave the rest blank. Do not name or identify any child "
            "or family.", ""]
    out += ["RAG key:" if not markdown else "**RAG key**", ""]
    for word, meaning in pack.rag_key.items():
        out.append(f"- {word}: {esc(meaning)}")
    out.append("")
    for row in pack.rows:
        heading = f"{row.ref} ({row.objective})"
        out += [f"## {esc(heading)}"] if markdown else [heading, "-" * min(len(heading), 78)]
        out.append("")
        out.append(esc(row.action))
        out.append("")
        facts = [("Complete by", given_text(row.complete_by) or "not set"),
                 ("Progress", str(row.progress)),
                 ("Impact", given_text(row.impact) or "not rated"),
                 ("Last update", row.last_update or "none yet")]
        for label, value in facts:
            out.append(f"- {label}: {esc(value)}")
        out += ["", "Your update:" if not markdown else "**Your update:**", ""]
        out += [f"- {column.header}:" for column in FILLED]
        out.append("")
    out.append(f"(Made by jtai from {pack.plan_file} as of {pack.as_of.isoformat()}.)")
    return "\n".join(out) + "\n"


def _plain(text: object) -> str:
    return " ".join(str(text).split())
