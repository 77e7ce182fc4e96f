"""Recording a meeting of the monitoring group (``jtai meeting add``) as a text edit."""

from __future__ import annotations

from datetime import date
from typing import Any

from yaml.nodes import MappingNode

from .edit import EditResult, check_text
from .loader import LoadedPlan
from .textedit import Document, apply_splices


def add_meeting(loaded: LoadedPlan, day: date, name: str | None = None) -> EditResult:
    """Append ``{date, name}`` to the plan's ``meetings:`` (made, at the file's end, when
    missing). A meeting already recorded on that day with that name changes nothing."""
    check_text(name, "--name")
    label = f"meeting {day.isoformat()}" + (f" ({name})" if name else "")
    if any(m.date == day and m.name == name for m in loaded.plan.meetings):
        return EditResult(loaded.source.text, day.isoformat(),
                          f"{label} is already recorded", changed=False)
    root = loaded.sourcemap.root
    assert isinstance(root, MappingNode)
    doc = Document(loaded.source.text, root)
    entry: dict[str, Any] = {"date": day}
    if name:
        entry["name"] = name
    splice = doc.append_item(root, "meetings", entry)
    return EditResult(apply_splices(doc.text, [splice]), day.isoformat(),
                      f"{label} recorded", changed=True)
