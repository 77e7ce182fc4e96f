"""The validated-plan cache's switches, folder check and key, pinned exactly: which words
turn a flag off, when a folder or key is trusted, and how the key file is made (its mode,
its folder's mode, a key another run made first)."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

from jtaiplan.planfile import plancache


@pytest.fixture(autouse=True)
def fresh_cache_state(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(plancache, "_CHECKED", {})
    monkeypatch.setattr(plancache, "_KEYS", {})
    monkeypatch.setattr(plancache, "_REASONS", {})
    monkeypatch.delenv("JTAI_DEBUG", raising=False)


@pytest.mark.parametrize("value", ["", "0", "false", " False ", "FALSE", "no", "No", "NO"])
def test_ci_set_to_a_word_for_off_leaves_the_cache_on(
        value: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JTAI_NO_CACHE", raising=False)
    monkeypatch.setenv("JTAI_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("CI", value)
    assert plancache.cache_folder() == tmp_path / "cache"


@pytest.mark.parametrize("value", ["1", "true", "yes", "XX0XX", "XXfalseXX", "XXnoXX"])
def test_ci_set_to_anything_else_turns_the_cache_off(
        value: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JTAI_NO_CACHE", raising=False)
    monkeypatch.setenv("JTAI_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("CI", value)
    assert plancache.cache_folder() is None


def test_on_windows_only_the_existence_of_a_file_is_checked(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    key = tmp_path / "cache.key"
    key.write_bytes(b"k")
    key.chmod(0o666)
    assert plancache._private(key, 0o077) == (
        f"{key} can be written or read by others (mode 666)")
    monkeypatch.setattr(sys, "platform", "win32")
    assert plancache._private(key, 0o077) is None


def test_a_cache_folder_others_may_only_enter_is_usable(tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    folder.mkdir(mode=0o700)
    folder.chmod(0o711)
    assert plancache._usable(folder) is True
    assert plancache._REASONS == {}


def test_a_cache_folder_others_may_write_is_not_usable(tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    folder.mkdir(mode=0o700)
    folder.chmod(0o702)
    assert plancache._usable(folder) is False
    assert plancache._REASONS == {
        f"{folder} can be written or read by others (mode 702)":
            f"{folder} can be written or read by others (mode 702)"}


def test_a_cache_folder_not_made_yet_is_not_usable_and_looked_at_again(tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    assert plancache._usable(folder) is False
    assert plancache._CHECKED == {}
    folder.mkdir(mode=0o700)
    assert plancache._usable(folder) is True


def test_a_key_is_made_private_in_a_private_folder(tmp_path: Path) -> None:
    os.umask(old := os.umask(0o022))
    try:
        path = tmp_path / "config" / "jtaiplan" / "cache.key"
        key = plancache._read_key(path, True)
        assert key is not None
        assert len(key) == 32
        assert path.read_bytes() == key
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
        assert plancache._read_key(path, True) == key
        assert plancache._read_key(path, False) == key
    finally:
        os.umask(old)


def test_a_key_is_made_in_a_folder_that_is_already_there(tmp_path: Path) -> None:
    path = tmp_path / "cache.key"
    key = plancache._read_key(path, True)
    assert key is not None
    assert path.read_bytes() == key
    assert len(key) == 32


def test_without_create_a_missing_key_is_not_made(tmp_path: Path) -> None:
    path = tmp_path / "config" / "cache.key"
    assert plancache._read_key(path, False) is None
    assert not path.exists()
    assert not path.parent.exists()


def test_a_key_that_cannot_be_made_is_none(tmp_path: Path) -> None:
    (tmp_path / "config").write_text("a file where the folder should be", encoding="utf-8")
    assert plancache._read_key(tmp_path / "config" / "cache.key", True) is None


def test_a_key_another_run_made_first_is_read_not_overwritten(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "cache.key"
    theirs = bytes(range(32))
    real_open = os.open

    def other_run_first(file: str | os.PathLike[str], flags: int, mode: int = 0o777) -> int:
        if not path.exists():
            path.write_bytes(theirs)
            path.chmod(0o600)
        return real_open(file, flags, mode)

    monkeypatch.setattr(plancache.os, "open", other_run_first)
    assert plancache._read_key(path, True) == theirs
    assert path.read_bytes() == theirs


def test_a_key_of_the_wrong_length_is_not_used(tmp_path: Path) -> None:
    path = tmp_path / "cache.key"
    path.write_bytes(b"short")
    path.chmod(0o600)
    assert plancache._read_key(path, False) is None
    assert plancache._read_key(path, True) is None


def test_a_key_open_to_others_turns_the_cache_off_and_says_why(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("JTAI_DEBUG", "1")
    path = tmp_path / "cache.key"
    path.write_bytes(bytes(32))
    path.chmod(0o640)
    assert plancache._read_key(path, False) is None
    reason = f"{path} can be written or read by others (mode 640)"
    assert plancache._REASONS == {reason: reason}
    assert capsys.readouterr().err == f"jtai: cache off for this run: {reason}\n"
