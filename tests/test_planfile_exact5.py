"""The plan file's readers and writers pinned to their exact behaviour (fifth set): what
`jtai fmt` refuses and says, date fields rewritten ISO, the folders locks and caches live
in, a write that fails half-way, how one value is written, and staged edits' outcomes."""

from __future__ import annotations

import hashlib
import inspect
import os
import re
import sys
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from yaml.composer import Composer
from yaml.nodes import MappingNode, Node
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.scanner import Scanner

from helpers_cache import own_cache
from jtaiplan.errors import CannotRun, PlanInvalid, UpdateRefused
from jtaiplan.findings import Finding, Severity
from jtaiplan.planfile import atomicfile, canonical, lockplace, plancache, yamlread
from jtaiplan.planfile.blockyaml import Unwritable, scalar
from jtaiplan.planfile.datefields import iso_dates
from jtaiplan.planfile.edit import EditResult
from jtaiplan.planfile.loader import LoadedPlan
from jtaiplan.planfile.portfolio import plan_files
from jtaiplan.planfile.textedit import Document, Splice, apply_splices
from jtaiplan.planfile.textfile import SourceText, decode_source
from jtaiplan.planfile.writer import change_plans
from jtaiplan.planfile.yamlemit import scalar_text


def _source(text: str, name: str = "plan.yaml") -> SourceText:
    return SourceText(path=Path(name), text=text, raw=text.encode("utf-8"))


def _fmt_refused(text: str) -> list[Finding]:
    with pytest.raises(PlanInvalid) as caught:
        canonical.canonical_text(_source(text))
    return caught.value.findings


# -- jtai fmt ---------------------------------------------------------------------------

_FMT_HINT = "fix what `jtai validate` reports (or this line), then run jtai fmt again"


def test_fmt_refuses_a_file_whose_top_level_is_not_a_mapping_at_its_first_line() -> None:
    assert _fmt_refused("- a\n- b\n") == [Finding(
        "JTAI001", Severity.ERROR, "jtai fmt formats plans, whose top level is a mapping of "
        "keys; this file's is not, so it was left as it is", "plan.yaml", line=1, column=1,
        hint="`jtai validate` says what the file needs")]


def test_fmt_refuses_a_tab_after_a_value_at_the_tab_with_ruamels_words() -> None:
    assert _fmt_refused("inspection: b\t\nc: d\n") == [Finding(
        "JTAI001", Severity.ERROR,
        "jtai fmt cannot reformat this file: found character '\\t' that cannot start any token",
        "plan.yaml", line=1, column=14, hint=_FMT_HINT)]


def test_fmt_refuses_a_day_that_does_not_exist_without_a_place() -> None:
    assert _fmt_refused("inspection:\n  start: 2025-02-31\n") == [Finding(
        "JTAI001", Severity.ERROR, "jtai fmt cannot reformat this file: day is out of range "
        "for month", "plan.yaml", hint=_FMT_HINT)]


def test_fmt_writes_a_date_in_another_form_as_an_unquoted_iso_date() -> None:
    text = ("inspection:\n  start: 31/03/2026\nobjectives:\n  - actions:\n"
            "      - complete_by: 1 April 2026\n")
    assert canonical.canonical_text(_source(text)) == (
        "inspection:\n  start: 2026-03-31\nobjectives:\n  - actions:\n"
        "      - complete_by: 2026-04-01\n")


def test_fmt_refuses_a_result_whose_data_would_differ(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(canonical, "dump", lambda data: "inspection: other\n")
    assert _fmt_refused("inspection: b\n") == [Finding(
        "JTAI001", Severity.ERROR, "formatting would change the plan's data; the file was "
        "left as it is", "plan.yaml", hint="please report this file as a bug in jtai fmt")]


# -- date fields ------------------------------------------------------------------------


def _dated() -> dict[str, Any]:
    return {"inspection": {"start": "31/03/2026", "end": "2026-04-01"}, "lead": "x",
            "objectives": [{"actions": [{"complete_by": "31 March 2026"},
                                        {"complete_by": "In place"}, {}]}, "junk"],
            "meetings": [{"date": "1/2/2026"}, {}], "lint": "off"}


def test_every_date_field_in_another_form_is_rewritten_iso_and_counted() -> None:
    data = _dated()
    assert iso_dates(data) == 3
    assert data == {"inspection": {"start": "2026-03-31", "end": "2026-04-01"}, "lead": "x",
                    "objectives": [{"actions": [{"complete_by": "2026-03-31"},
                                                {"complete_by": "In place"}, {}]}, "junk"],
                    "meetings": [{"date": "2026-02-01"}, {}], "lint": "off"}


def test_dates_rewritten_for_ruamel_are_date_objects() -> None:
    data = _dated()
    assert iso_dates(data, as_date=True) == 3
    assert data["inspection"] == {"start": date(2026, 3, 31), "end": "2026-04-01"}
    assert data["objectives"][0]["actions"][0] == {"complete_by": date(2026, 3, 31)}
    assert data["meetings"][0] == {"date": date(2026, 2, 1)}


# -- decoding ---------------------------------------------------------------------------


def test_utf16_big_endian_without_a_bom_is_named_utf16_not_binary() -> None:
    raw = "a: 1\nb: 2\n".encode("utf-16-be")
    with pytest.raises(PlanInvalid) as caught:
        decode_source(Path("p.yaml"), raw)
    assert caught.value.findings == [Finding(
        "JTAI001", Severity.ERROR, "the file is UTF-16, not UTF-8", "p.yaml", line=1,
        column=1, hint="save the file as UTF-8 (in Notepad: Save As, Encoding: UTF-8)")]


def test_a_conflict_marker_says_how_to_resolve_it() -> None:
    with pytest.raises(PlanInvalid) as caught:
        decode_source(Path("p.yaml"), b"a: 1\n<<<<<<< HEAD\n")
    assert caught.value.findings == [Finding(
        "JTAI001", Severity.ERROR, "git merge-conflict marker '<<<<<<<' on line 2: the file "
        "is half-merged", "p.yaml", line=2, column=1,
        hint="resolve the conflict (keep one side between <<<<<<< and >>>>>>>), remove the "
        "markers, then run `jtai validate`")]


def test_a_file_that_says_it_is_empty_but_never_ends_is_stopped_at_the_limit(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """/dev/zero (or a pipe) reports size 0: reading stops one byte past the limit."""
    from jtaiplan.planfile.textfile import read_source

    monkeypatch.chdir(tmp_path)
    Path("zero.yaml").symlink_to("/dev/zero")
    monkeypatch.setenv("JTAI_MAX_BYTES", "10000")
    with pytest.raises(CannotRun) as caught:
        read_source(Path("zero.yaml"))
    assert (caught.value.message, caught.value.hint) == (
        "zero.yaml is over 10 kB, the limit for plans",
        "set JTAI_MAX_BYTES to raise the limit if the file really is a plan")


# -- the YAML reader --------------------------------------------------------------------


def _read_refused(text: str) -> list[Finding]:
    with pytest.raises(PlanInvalid) as caught:
        yamlread.to_python(yamlread.compose(_source(text)), "plan.yaml")
    return caught.value.findings


def test_a_number_too_long_for_int_is_refused_at_its_place() -> None:
    assert _read_refused("a:\n  b: " + "1" * 5000 + "\n") == [Finding(
        "JTAI001", Severity.ERROR, "a number of 5,000 digits is too large for a plan",
        "plan.yaml", line=2, column=6, hint="quote it if it is text")]


def test_a_key_that_is_a_list_is_refused_at_its_place_in_a_nested_mapping() -> None:
    assert _read_refused("a:\n  b:\n    [x, y]: 1\n") == [Finding(
        "JTAI001", Severity.ERROR, "a key must be a plain word, not a list or mapping",
        "plan.yaml", line=3, column=5, hint="write the key as text followed by ':'")]


def test_a_character_the_yaml_reader_refuses_is_a_yaml_error_of_the_file() -> None:
    with pytest.raises(PlanInvalid) as caught:
        yamlread.compose(_source("a: \x07\n"))
    [finding] = caught.value.findings
    assert (finding.code, finding.severity, finding.file, finding.line) == (
        "JTAI001", Severity.ERROR, "plan.yaml", None)
    assert finding.message.startswith("YAML error: unacceptable character #x0007")


class _PurePythonComposer(Reader, Scanner, Parser, Composer):
    """The reader jtai falls back on where PyYAML was built without libyaml."""

    def __init__(self, stream: str) -> None:
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)
        Composer.__init__(self)

    def resolve(self, kind: type[Node], value: Any, implicit: Any) -> str:
        return yamlread._TAGS[kind]

    def descend_resolver(self, parent: Any, index: Any) -> None:
        return None

    def ascend_resolver(self) -> None:
        return None


def test_yaml_nested_past_the_interpreters_recursion_is_refused(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamlread, "_Composer", _PurePythonComposer)
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(len(inspect.stack()) + 150)
    try:
        with pytest.raises(PlanInvalid) as caught:
            yamlread.compose(_source("a: " + "[" * 400 + "]" * 400 + "\n"))
    finally:
        sys.setrecursionlimit(limit)
    assert caught.value.findings == [Finding(
        "JTAI001", Severity.ERROR, "the YAML is nested too deeply to be a plan", "plan.yaml")]


# -- how one value is written -----------------------------------------------------------


def test_a_value_only_ruamel_writes_is_handed_back_in_the_refusal() -> None:
    with pytest.raises(Unwritable) as caught:
        scalar(1.5)
    assert caught.value.args == (1.5,)


def test_a_value_with_a_line_break_is_double_quoted_unless_it_is_a_key() -> None:
    assert scalar("two\nlines") == '"two\\nlines"'
    with pytest.raises(Unwritable):
        scalar("two\nlines", key=True)


@pytest.mark.parametrize(("text", "written"), [
    ("a: b", "'a: b'"), ("a:", "'a:'"), ("ab: c", "'ab: c'"), ("a:b", "a:b")])
def test_text_with_a_colon_and_a_space_is_quoted_wherever_the_colon_is(
        text: str, written: str) -> None:
    assert scalar(text) == written


@pytest.mark.parametrize(("value", "style", "written"), [
    ("plain", '"', '"plain"'), ("plain", "'", "'plain'"), ("plain", "", "plain"),
    ("two\nlines", "", '"two\\nlines"'), ("two\nlines", "'", '"two\\nlines"')])
def test_a_value_keeps_its_quote_style_and_line_breaks_are_double_quoted(
        value: str, style: str, written: str) -> None:
    assert scalar_text(value, style) == written


# -- files, links, locks and caches -----------------------------------------------------


def test_a_symlinked_plan_is_its_target_and_a_plain_path_is_kept_as_given(
        tmp_path: Path) -> None:
    target = tmp_path / "plan.yaml"
    target.write_text("a: 1\n", encoding="utf-8")
    link = tmp_path / "link.yaml"
    link.symlink_to(target)
    assert atomicfile.real_path(link) == target.resolve()
    assert atomicfile.real_path(Path("plan.yaml")) == Path("plan.yaml")


def test_a_write_stages_a_hidden_temporary_file_named_for_the_plan(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "plan.yaml"
    seen: list[list[str]] = []
    real_fsync = os.fsync

    def spy(fd: int) -> None:
        seen.append(sorted(p.name for p in tmp_path.iterdir()))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", spy)
    atomicfile.write_atomic(target, b"a: 1\n")
    [staged] = seen[0]  # the temporary file's own fsync, before the rename
    assert re.fullmatch(r"\.plan\.yaml\.[^.]+\.tmp", staged), staged
    assert target.read_bytes() == b"a: 1\n"


def test_a_write_that_fails_at_the_rename_says_why_and_leaves_no_temporary_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    folder = Path("plan.yaml")
    folder.mkdir()
    (folder / "inside").write_text("x", encoding="utf-8")
    with pytest.raises(CannotRun) as caught:
        atomicfile.write_atomic(folder, b"a: 1\n")
    assert caught.value.message == "cannot write plan.yaml: Is a directory; it was left as it was"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.yaml"]


def test_a_lock_for_a_path_that_is_not_utf8_is_named_for_its_bytes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JTAI_CACHE_DIR", str(tmp_path / "cache"))
    where = os.path.realpath(tmp_path / "caf\udce9.yaml")
    key = hashlib.sha256(where.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    assert lockplace.lock_file(Path(where)) == tmp_path / "cache" / "locks" / (
        f"caf\udce9.yaml-{key}.lock")


def test_locks_go_in_the_runtime_folder_when_there_is_one(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JTAI_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path))
    assert lockplace.user_lock_folder() == tmp_path / "jtaiplan" / "locks"


@pytest.mark.parametrize(("platform", "folder"), [
    ("win32", ("AppData", "Local", "jtaiplan", "Cache")),
    ("darwin", ("Library", "Caches", "jtaiplan")), ("linux", (".cache", "jtaiplan"))])
def test_the_cache_lives_in_each_platforms_cache_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, platform: str,
        folder: tuple[str, ...]) -> None:
    for name in ("JTAI_CACHE_DIR", "JTAI_NO_CACHE", "CI", "LOCALAPPDATA", "XDG_CACHE_HOME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setattr(sys, "platform", platform)
    assert plancache.cache_folder() == tmp_path.joinpath(*folder)


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache of the test's own, with a key of its own."""
    return own_cache(tmp_path, monkeypatch)


def _cached_source(tmp_path: Path) -> SourceText:
    path = tmp_path / "plan.yaml"
    path.write_text("a: 1\n", encoding="utf-8")
    return SourceText(path=path, text="a: 1\n", raw=b"a: 1\n")


def test_the_cache_folder_is_made_private_and_holds_its_entries_itself(
        tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "no such folder"))
    source = _cached_source(tmp_path)
    plancache.write(source, "plan", {"a": 1}, "checked")
    assert (cache.stat().st_mode & 0o777) == 0o700
    entry = plancache._entry(source, "plan")
    assert entry is not None
    assert sorted(p.name for p in cache.iterdir()) == [entry.name]


def test_data_too_deep_to_pickle_is_not_cached_and_not_an_error(
        tmp_path: Path, cache: Path) -> None:
    deep: list[Any] = []
    for _ in range(100_000):
        deep = [deep]
    source = _cached_source(tmp_path)
    plancache.write(source, "plan", deep, None)
    assert plancache.read(source, "plan") is None


# -- folders of plans -------------------------------------------------------------------


def test_a_folder_without_plans_says_so_and_how_to_make_one(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("empty").mkdir()
    with pytest.raises(CannotRun) as caught:
        plan_files([Path("empty")])
    assert (caught.value.message, caught.value.hint) == (
        "empty: no plan files in this folder",
        "a plan is a .yaml file with objectives:; `jtai init` writes one")


# -- staged edits -----------------------------------------------------------------------


_PLAN_TEXT = "objectives: []\n"


def _unchanged(loaded: LoadedPlan) -> EditResult:
    return EditResult(loaded.source.text, "", "nothing", changed=False)


def test_an_edit_that_changes_nothing_is_not_written_dry_run_or_not(
        real_plan: Path, tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_bytes(real_plan.read_bytes())
    assert [o.written for o in change_plans([(plan, _unchanged)], dry_run=True)] == [False]
    assert [o.written for o in change_plans([(plan, _unchanged)])] == [False]


def _appending(line: str) -> Any:
    def edit(loaded: LoadedPlan) -> EditResult:
        return EditResult(loaded.source.text + line, "", "appended", changed=True)
    return edit


def test_an_edit_that_changes_the_plan_is_written_and_said_written(
        real_plan: Path, tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_bytes(real_plan.read_bytes())
    [outcome] = change_plans([(plan, _appending("# more\n"))])
    assert outcome.written is True
    assert plan.read_bytes() == real_plan.read_bytes() + b"# more\n"


def test_an_edit_that_would_make_the_plan_invalid_is_refused_with_its_findings(
        real_plan: Path, tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_bytes(real_plan.read_bytes())
    with pytest.raises(UpdateRefused) as caught:
        change_plans([(plan, _appending("objectives: again\n"))])
    assert caught.value.message == "the change would make the plan invalid"
    assert plan.read_bytes() == real_plan.read_bytes()


def test_a_plan_changed_on_disk_during_the_edit_is_refused_with_what_to_do(
        real_plan: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    plan = Path("plan.yaml")
    plan.write_bytes(real_plan.read_bytes())

    def edit(loaded: LoadedPlan) -> EditResult:
        plan.write_bytes(real_plan.read_bytes() + b"# someone else\n")
        return EditResult(loaded.source.text + "# mine\n", "", "appended", changed=True)

    with pytest.raises(UpdateRefused) as caught:
        change_plans([(plan, edit)])
    assert (caught.value.message, caught.value.hint) == (
        "plan.yaml changed on disk while jtai was working",
        "run the command again: it will start from the new file")
    assert plan.read_bytes() == real_plan.read_bytes() + b"# someone else\n"


# -- text edits -------------------------------------------------------------------------


def _document(text: str) -> tuple[Document, MappingNode]:
    root = yamlread.compose(_source(text))
    assert isinstance(root, MappingNode)
    return Document(text, root), root


def test_a_key_is_not_added_to_a_mapping_written_on_one_line() -> None:
    document, _root = _document("a: {b: 1}\n")
    inner = document.path("a")
    assert isinstance(inner, MappingNode)
    with pytest.raises(CannotRun) as caught:
        document.add_key(inner, "c", 2)
    assert caught.value.message == (
        "this entry is written as a {flow, mapping} on one line; write it as one "
        "'key: value' per line, then try again")


def test_an_empty_list_under_a_mappings_only_key_becomes_a_block_list() -> None:
    text = "Xs: []\n"
    document, root = _document(text)
    splice = document.append_item(root, "Xs", "X ray")
    assert splice == Splice(0, 7, "Xs:\n  - X ray\n")
    assert apply_splices(text, [splice]) == "Xs:\n  - X ray\n"


def test_a_block_scalar_replaced_by_one_value_sits_on_its_keys_line() -> None:
    text = "a: |\n  one\n  two\nb: 2\n"
    document, root = _document(text)
    splice = document.set_value(root, "a", "three")
    assert splice == Splice(1, 17, ": three\n")
    assert apply_splices(text, [splice]) == "a: three\nb: 2\n"


def test_a_worktrees_git_file_is_read_as_utf8_whatever_the_locale(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """git writes the .git file's path in UTF-8; a Windows locale would misread "café"."""
    import io

    git_folder = tmp_path / "café.git"
    git_folder.mkdir()
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / ".git").write_bytes(f"gitdir: {git_folder}\n".encode())
    monkeypatch.setattr(io, "text_encoding",
                        lambda encoding, stacklevel=2: encoding or "cp1252")
    lock = lockplace.lock_file(tree / "plan.yaml")
    assert lock.parent == git_folder / lockplace._GIT_SUBFOLDER
