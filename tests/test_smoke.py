from __future__ import annotations

import json
from pathlib import Path

from conftest import Invoke


def test_status_json_on_real_plan(jtai: Invoke, real_plan: Path) -> None:
    result = jtai("status", "--plan", str(real_plan), "--as-of", "2025-07-01", "--format", "json")
    assert result.exit_code == 0, result.stderr
    refs = [a["ref"] for a in json.loads(result.stdout)["actions"]]
    assert len(refs) == 20
