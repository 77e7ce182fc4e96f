"""``jtai agency``: the agency registry edited in place, with every writer's guarantees.

Each change is a set of text splices, as :mod:`.edit` makes them: an agency's code, name
or aliases on their own lines; owners and leads rewritten where they name the agency; a
merge recorded in the plan's own ``updates:``. The registry may be the plan's own
``agencies:`` or the shared file ``agencies_from:`` names; a change may touch both files.

Both files are locked, the plan is validated against the registry as it would be after
the change, and neither is written if either is refused or changed on disk meanwhile.
The registry is written first: a rename or merge keeps the old code as an alias, so the
plan as it was stays valid against the new registry should its own write then fail.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..errors import CannotRun, PlanInvalid, UpdateRefused
from ..plan.agencies import AgencyIndex
from ..plan.agencies import _fold as _fold  # the registry's own folding of names
from ..plan.model import Agency
from .agencyfile import parse_registry, pending_registry, registry_path
from .atomicfile import locked, write_atomic
from .edit import _flow, check_text
from .loader import LoadedPlan, parse_plan
from .textedit import Document, Splice, apply_splices
from .textfile import SourceText, read_source
from .writer import unified_diff
from .yamlemit import block_text

_AGENCY_KEY_ORDER = ("code", "name", "aliases")


@dataclass
class _File:
    """One file being changed: its text as read, its tree, the splices made so far."""
    source: SourceText
    doc: Document
    splices: list[Splice] = field(default_factory=list)

    @property
    def new_text(self) -> str:
        return apply_splices(self.source.text, self.splices)


@dataclass(frozen=True)
class FileChange:
    path: Path
    diff: str
    written: bool


@dataclass(frozen=True)
class AgencyOutcome:
    summary: str
    files: list[FileChange]


class RegistryEdit:
    """The plan, and its shared registry if it names one, open for one change."""

    def __init__(self, loaded: LoadedPlan) -> None:
        self.loaded = loaded
        self.index = AgencyIndex.of(loaded.plan)
        root = loaded.sourcemap.root
        assert isinstance(root, MappingNode)
        self.plan = _File(loaded.source, Document(loaded.source.text, root))
        self.shared: _File | None = None
        if loaded.plan.agencies_from:
            from .yamlread import compose

            source = read_source(registry_path(loaded.source, loaded.plan.agencies_from))
            shared_root = compose(source)
            assert isinstance(shared_root, MappingNode)
            self.shared = _File(source, Document(source.text, shared_root))

    # -- finding -----------------------------------------------------------------------

    def agency(self, name: str, option: str) -> Agency:
        code = self.index.resolve(name)
        if code is None:
            raise CannotRun(f"{option}: unknown agency '{name}'",
                            hint=f"known agencies: {self.index.describe()}")
        return next(a for a in self.index.agencies if a.code == code)

    def _entry(self, code: str) -> tuple[_File, SequenceNode, MappingNode]:
        """Where ``code`` is defined: the shared registry first, as the index reads them."""
        for file in (self.shared, self.plan):
            if file is None:
                continue
            found = file.doc.entry(_root(file), "agencies")
            if found is None or not isinstance(found[1], SequenceNode):
                continue
            for item in found[1].value:
                if isinstance(item, MappingNode) and _scalar(file.doc, item, "code") == code:
                    if item.flow_style:
                        raise CannotRun(f"agency {code} is written as a {{flow, mapping}} on "
                                        f"one line in {file.source.display_name}; write it as "
                                        "one 'key: value' per line, then try again")
                    return file, found[1], item
        raise CannotRun(f"agency {code} is not written in the plan or its shared registry")

    def _refuse_taken(self, name: str, option: str, allowed: str | None = None) -> None:
        held = self.index.resolve(name)
        if held is not None and held != allowed:
            raise CannotRun(f"{option}: '{name}' already names {held} "
                            f"({self.index.name_of(held)})",
                            hint="`jtai agency list` shows every code, name and alias")

    # -- edits -------------------------------------------------------------------------

    def add(self, code: str, name: str, aliases: list[str]) -> str:
        for value, option in ((code, "CODE"), (name, "--name"), *((a, "--alias") for a in aliases)):
            check_text(value, option)
            self._refuse_taken(value, option)
        record: dict[str, Any] = {"code": code, "name": name}
        if aliases:
            record["aliases"] = _flow(list(dict.fromkeys(aliases)))
        self._append_agency(record)
        return f"agency {code} ({name}) added"

    def _append_agency(self, record: dict[str, Any]) -> None:
        file = self.plan
        root = _root(file)
        if file.doc.entry(root, "agencies") is None:
            before = _key_before(root, "objectives")
            file.splices.append(file.doc.add_key(root, "agencies", [record],
                                                 insert_after=before))
        else:
            file.splices.append(file.doc.append_item(root, "agencies", record))

    def alias(self, name: str, aliases: list[str]) -> str:
        agency = self.agency(name, "CODE")
        for alias in aliases:
            check_text(alias, "ALIAS")
            self._refuse_taken(alias, "ALIAS", allowed=agency.code)
        new = [a for a in dict.fromkeys(aliases) if self.index.resolve(a) is None]
        if not new:
            return f"{agency.code} already has every alias given"
        self._set_aliases(agency, [*agency.aliases, *new])
        return f"{agency.code}: alias {', '.join(new)} added"

    def rename(self, name: str, new_code: str | None, new_name: str | None) -> str:
        agency = self.agency(name, "CODE")
        file, _seq, item = self._entry(agency.code)
        said = []
        aliases = list(agency.aliases)
        if new_name is not None and new_name != agency.name:
            check_text(new_name, "--name")
            self._refuse_taken(new_name, "--name", allowed=agency.code)
            file.splices.append(file.doc.set_value(item, "name", new_name))
            aliases = [a for a in aliases if _fold(a) != _fold(new_name)]
            said.append(f"named {new_name}")
        if new_code is not None and new_code != agency.code:
            check_text(new_code, "--code")
            self._refuse_taken(new_code, "--code", allowed=agency.code)
            file.splices.append(file.doc.set_value(item, "code", new_code))
            aliases = [a for a in aliases if _fold(a) != _fold(new_code)]
            if _fold(new_code) != _fold(agency.code):
                aliases.append(agency.code)
            self._repoint({agency.code}, new_code, match_aliases=False)
            said.append(f"code {new_code} (the old code kept as an alias)")
        if not said:
            return f"{agency.code}: nothing to change"
        if aliases != list(agency.aliases):
            self._set_aliases(agency, aliases)
        return f"{agency.code} renamed: {', '.join(said)}"

    def merge(self, source: str, target: str, by: str, on: date) -> str:
        gone = self.agency(source, "FROM")
        into = self.agency(target, "INTO")
        if gone.code == into.code:
            raise CannotRun(f"{source} and {target} are one agency ({into.code})")
        check_text(by, "--by")
        kept = {_fold(n) for n in (into.code, into.name, *into.aliases)}
        extra = [n for n in dict.fromkeys((gone.code, gone.name, *gone.aliases))
                 if _fold(n) not in kept]
        owners, leads = self._repoint({gone.code}, into.code, match_aliases=True)
        self._remove(gone.code)
        self._set_aliases(into, [*into.aliases, *extra])
        note = (f"agency {gone.code} ({gone.name}) merged into {into.code} ({into.name}): "
                f"{owners} action(s), {leads} objective(s)")
        self._history({"date": on, "by": by,
                       "changes": {"agency": {"from": gone.code, "to": into.code}},
                       "note": note})
        return note

    def split(self, name: str, alias: str, new_code: str | None) -> str:
        """Undo a match: ``alias`` of an agency becomes an agency of its own, and the
        actions whose owners as written name it are owned by it."""
        agency = self.agency(name, "CODE")
        kept = [a for a in agency.aliases if _fold(a) != _fold(alias)]
        if len(kept) == len(agency.aliases):
            raise CannotRun(f"'{alias}' is not an alias of {agency.code}",
                            hint=f"its aliases: {', '.join(agency.aliases) or 'none'}")
        code = new_code or re.sub(r"[^A-Za-z0-9_-]", "", alias)[:32]
        if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]{0,31}", code):
            raise CannotRun(f"'{alias}' cannot be a code", hint="give one with --code")
        self._set_aliases(agency, kept)
        self._refuse_taken(code, "--code", allowed=agency.code)
        record: dict[str, Any] = {"code": code, "name": alias}
        self._append_agency(record)
        others = (agency.code, agency.name, *kept)
        moved = 0
        doc = self.plan.doc
        for i, objective in enumerate(self.loaded.plan.objectives):
            for j, action in enumerate(objective.actions):
                written = action.owners_as_written or ""
                if agency.code not in action.owners or not _names_apart(written, alias, others):
                    continue
                both = any(_names(written, other) for other in others)
                owners = [o for o in action.owners if o != agency.code or both]
                owners = list(dict.fromkeys([*owners, code] if both else
                                            [code if o == agency.code else o
                                             for o in action.owners]))
                node = doc.path("objectives", i, "actions", j)
                assert isinstance(node, MappingNode)
                found = doc.entry(node, "owners")
                assert found is not None
                self.plan.splices.append(_replace_entry(doc, *found, {"owners":
                                                                      _flow(owners)}))
                moved += 1
        return (f"{alias} split from {agency.code} as agency {code}: {moved} action(s) whose "
                "owners as written name it; objective leads are left as they are")

    # -- the splices behind them -------------------------------------------------------

    def _set_aliases(self, agency: Agency, aliases: list[str]) -> None:
        file, _seq, item = self._entry(agency.code)
        found = file.doc.entry(item, "aliases")
        if found is None:
            if aliases:
                file.splices.append(file.doc.add_key(item, "aliases", _flow(aliases),
                                                     insert_after=_last_of(item, "aliases")))
            return
        key, value = found
        if isinstance(value, SequenceNode) and not value.flow_style and value.value:
            kept = [n.value for n in value.value if isinstance(n, ScalarNode)]
            if kept == aliases[:len(kept)]:
                # A block list grows by whole lines: the lines there stay as they are.
                file.splices += [file.doc.append_item(item, "aliases", a)
                                 for a in aliases[len(kept):]]
                return
        file.splices.append(_replace_entry(file.doc, key, value,
                                           {"aliases": _flow(aliases)}))

    def _repoint(self, codes: set[str], new: str, *, match_aliases: bool) -> tuple[int, int]:
        """Owners and leads naming ``codes`` now name ``new``; counts of each changed."""
        def named(value: str | None) -> bool:
            if value is None:
                return False
            if match_aliases:
                return self.index.resolve(value) in codes
            return any(_fold(value) == _fold(code) for code in codes)

        doc = self.plan.doc
        owners_changed = leads_changed = 0
        for i, objective in enumerate(self.loaded.plan.objectives):
            node = doc.path("objectives", i)
            assert isinstance(node, MappingNode)
            if named(objective.lead):
                self.plan.splices.append(doc.set_value(node, "lead", new))
                leads_changed += 1
            for j, action in enumerate(objective.actions):
                if not any(named(owner) for owner in action.owners):
                    continue
                owners_changed += 1
                node = doc.path("objectives", i, "actions", j)
                assert isinstance(node, MappingNode)
                found = doc.entry(node, "owners")
                assert found is not None
                written = list(dict.fromkeys(new if named(o) else o for o in action.owners))
                self.plan.splices.append(_replace_entry(doc, *found, {"owners":
                                                                      _flow(written)}))
                if match_aliases and action.owners_as_written is None:
                    # Nothing lost: how the source named the owners stays in the plan.
                    self.plan.splices.append(doc.add_key(
                        node, "owners_as_written", ", ".join(action.owners),
                        insert_after="owners"))
        for file in (self.shared, self.plan):
            for item in _agency_items(file):
                successor = _scalar(file.doc, item, "succeeded_by") if file else None
                if file is not None and successor is not None and named(successor):
                    file.splices.append(file.doc.set_value(item, "succeeded_by", new))
        return owners_changed, leads_changed

    def _remove(self, code: str) -> None:
        file, seq, item = self._entry(code)
        doc = file.doc
        if len(seq.value) == 1:
            key = doc.entry(_root(file), "agencies")
            assert key is not None
            file.splices.append(_replace_entry(doc, key[0], seq, {"agencies": []}))
            return
        start = doc.line_start(item.start_mark.line)
        file.splices.append(Splice(start, doc.after(item), ""))

    def _history(self, entry: dict[str, Any]) -> None:
        doc = self.plan.doc
        root = _root(self.plan)
        if doc.entry(root, "updates") is not None:
            self.plan.splices.append(doc.append_item(root, "updates", entry))
            return
        after = next((k for k in ("agencies", "agencies_from") if doc.entry(root, k)), None)
        self.plan.splices.append(doc.add_key(root, "updates", [entry], insert_after=after
                                             or _key_before(root, "objectives")))


def change_registry(path: Path, change: Callable[[RegistryEdit], str], *,
                    dry_run: bool = False) -> AgencyOutcome:
    """Make ``change`` to the plan at ``path`` and its shared registry; write unless
    ``dry_run``. Either file is written only if both validate."""
    with ExitStack() as stack:
        stack.enter_context(locked(path))
        loaded = parse_plan(read_source(path), cached=True)
        if loaded.plan.agencies_from:
            stack.enter_context(locked(registry_path(loaded.source,
                                                     loaded.plan.agencies_from)))
        edit = RegistryEdit(loaded)
        summary = change(edit)
        files = [f for f in (edit.shared, edit.plan) if f is not None and f.splices]
        _validate(edit)
        diffs = [(f, unified_diff(f.source.text, f.new_text, f.source.display_name))
                 for f in files]
        if dry_run:
            return AgencyOutcome(summary, [FileChange(f.source.path, d, False)
                                           for f, d in diffs])
        for file in files:
            if _current_bytes(file.source.path) != file.source.raw:
                raise UpdateRefused(f"{file.source.display_name} changed on disk while jtai "
                                    "was working", hint="run the command again")
        for file in files:
            write_atomic(file.source.path, file.source.encode(file.new_text))
        return AgencyOutcome(summary, [FileChange(f.source.path, d, True) for f, d in diffs])


def _validate(edit: RegistryEdit) -> None:
    """The registry as it would be, then the plan against it; UpdateRefused otherwise."""
    with ExitStack() as stack:
        shared = edit.shared
        if shared is not None and shared.splices:
            after = _after(shared)
            try:
                registry = parse_registry(after)
            except PlanInvalid as exc:
                raise UpdateRefused("the change would make the shared registry invalid",
                                    exc.findings) from None
            stack.enter_context(pending_registry(shared.source.path,
                                                 tuple(registry.agencies)))
        if edit.plan.splices or (shared is not None and shared.splices):
            try:
                parse_plan(_after(edit.plan))
            except PlanInvalid as exc:
                raise UpdateRefused("the change would make the plan invalid",
                                    exc.findings) from None


def _after(file: _File) -> SourceText:
    # Problems found now are in text never written: say so where positions are shown.
    source = file.source
    return SourceText(Path(f"{source.display_name} (as it would be after the change)"),
                      file.new_text, source.newline, source.bom)


def _names(written: str, name: str) -> bool:
    """Whether owners as written ("Police and CSC") name ``name`` as a whole word."""
    return re.search(rf"(?<![\w]){re.escape(_fold(name))}(?![\w])", _fold(written)) is not None


def _names_apart(written: str, name: str, others: Iterable[str]) -> bool:
    """Whether owners as written name ``name`` other than inside a longer name among
    ``others``: "Thames Valley Police", the agency's own name, does not name its alias
    "Police"."""
    text = _fold(written)
    for other in sorted({_fold(o) for o in others}, key=len, reverse=True):
        if other != _fold(name) and _names(other, name):
            text = re.sub(rf"(?<![\w]){re.escape(other)}(?![\w])", " ", text)
    return _names(text, name)


def _current_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b""


def _root(file: _File) -> MappingNode:
    root = file.doc.root
    assert isinstance(root, MappingNode)
    return root


def _agency_items(file: _File | None) -> list[MappingNode]:
    if file is None:
        return []
    found = file.doc.entry(_root(file), "agencies")
    if found is None or not isinstance(found[1], SequenceNode):
        return []
    return [item for item in found[1].value if isinstance(item, MappingNode)]


def _scalar(doc: Document, mapping: MappingNode, key: str) -> str | None:
    found = doc.entry(mapping, key)
    return found[1].value if found and isinstance(found[1], ScalarNode) else None


def _last_of(item: MappingNode, key: str) -> str | None:
    present = [k.value for k, _v in item.value]
    earlier = [k for k in _AGENCY_KEY_ORDER[:_AGENCY_KEY_ORDER.index(key)] if k in present]
    return earlier[-1] if earlier else None


def _key_before(root: MappingNode, key: str) -> str | None:
    keys = [k.value for k, _v in root.value]
    return keys[keys.index(key) - 1] if key in keys and keys.index(key) > 0 else None


def _replace_entry(doc: Document, key: Node, value: Node, data: dict[str, Any]) -> Splice:
    """``key: value`` written anew from the key on (which may follow a list's dash)."""
    start = doc.offset(key.start_mark.line, key.start_mark.column)
    return Splice(start, doc.after(value),
                  block_text(data, key.start_mark.column).lstrip(" "))
