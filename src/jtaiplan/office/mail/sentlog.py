"""What went: one JSON line per message sent, keyed by its Message-ID, beside the outbox.

Written as each message is accepted (and flushed to disk), so a batch that fails part-way
leaves a log of exactly what went, and a rerun sends only the rest.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path

from ...errors import CannotRun
from .message import Letter

SUFFIX = ".sent-log.jsonl"


def log_path(outbox: Path) -> Path:
    """``outbox/`` -> ``outbox.sent-log.jsonl`` in the same folder as the outbox."""
    folder = outbox.resolve()
    return folder.parent / f"{folder.name}{SUFFIX}"


class SentLog:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.ids: set[str] = set()
        if path.is_file():
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if not line.strip():
                    continue
                try:
                    self.ids.add(str(json.loads(line)["message_id"]))
                except (ValueError, KeyError, TypeError):
                    raise CannotRun(f"{path.as_posix()}:{number}: not a sent-log line",
                                    hint="the file is written by jtai; restore it from "
                                         "backup, or move it away to send everything "
                                         "again") from None

    def has(self, letter: Letter) -> bool:
        return letter.message_id in self.ids

    def record(self, letter: Letter, accepted: list[str]) -> None:
        entry = {"message_id": letter.message_id, "agency": letter.agency,
                 "kind": letter.kind, "to": accepted, "subject": letter.subject,
                 "sent_at": datetime.now(UTC).isoformat(timespec="seconds")}
        with self.path.open("a", encoding="utf-8") as out:
            out.write(json.dumps(entry, ensure_ascii=False) + "\n")
            out.flush()
            os.fsync(out.fileno())
        self.ids.add(letter.message_id)
