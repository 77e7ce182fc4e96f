"""A plan with history across several months, built by real jtai commands (issue 23)."""

from __future__ import annotations

from pathlib import Path

from conftest import Invoke

# Each a jtai command, run with --by "Jo Smith" in this order.
HISTORY: tuple[tuple[str, ...], ...] = (
    ("update", "2.2", "--progress", "red", "--note", "Workshop postponed", "--on", "2025-08-01"),
    ("update", "1.2", "--impact", "green", "--on", "2025-08-01"),
    ("add", "2", "--action", "Audit strategy meeting attendance", "--owner", "BFfC",
     "--theme", "Service Delivery and Design", "--plan-type", "Operational",
     "--due", "2025-12-31", "--on", "2025-09-01"),
    ("update", "2.2", "--due", "2026-01-31", "--reason", "Trainer unavailable",
     "--on", "2025-09-15"),
    ("complete", "2.3", "--evidence", "Kent peer review report", "--on", "2025-10-20"),
    ("update", "2.2", "--progress", "amber", "--note", "Workshop booked", "--on", "2025-11-03"),
    ("update", "3.1", "--due", "2025-05-31", "--reason", "Done sooner", "--on", "2025-11-03"),
)


def build_history(jtai: Invoke, plan: Path) -> Path:
    for args in HISTORY:
        result = jtai(*args, "--by", "Jo Smith", "--plan", str(plan))
        assert result.exit_code == 0, result.stderr
    return plan
