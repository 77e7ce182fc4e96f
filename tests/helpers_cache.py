"""A validated-plan cache of a test's own, for the tests of the cache itself."""

from __future__ import annotations

from pathlib import Path

import pytest

from jtaiplan.planfile import plancache


def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache folder and a key of the test's own, on even under CI, with the module's
    per-process state forgotten; the folder is returned."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("JTAI_CACHE_DIR", str(folder))
    monkeypatch.delenv("JTAI_NO_CACHE", raising=False)
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setattr(plancache, "_CHECKED", {})
    monkeypatch.setattr(plancache, "_KEYS", {})
    monkeypatch.setattr(plancache, "_REASONS", {})
    monkeypatch.setattr(plancache, "_PRUNED", set())
    return folder
