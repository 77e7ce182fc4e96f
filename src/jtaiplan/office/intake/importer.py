"""``jtai import``: a Word, Excel, CSV or text plan -> a valid plan.yaml in ``jtai fmt`` layout.

Read (:mod:`.grid`) -> recognise the layout (:mod:`.layouts`) -> build the data
(:mod:`.build`) -> write YAML with the plan's own emitter -> validate exactly as
``jtai validate`` does. Nothing is written here: the caller writes :attr:`ImportResult.text`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...errors import CannotRun
from ...findings import Finding
from ...plan.model import Agency
from .agencynames import Registry
from .build import Built, Overrides, build
from .columns import parse_maps
from .grid import read_grids
from .layouts import extract
from .raw import Note


@dataclass
class ImportResult:
    text: str
    """The plan as YAML; when there are gaps, the rest with each gap marked ``# import:``."""
    notes: list[Note]
    layout: str
    objectives: int
    actions: int
    created: list[dict[str, Any]] = field(default_factory=list)
    words: list[str] = field(default_factory=list)
    absent: list[str] = field(default_factory=list)
    defaulted: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    """Inspection details the source does not give: ``area``, ``start``."""
    invalid: list[Finding] = field(default_factory=list)
    """What ``jtai validate`` would report on :attr:`text`; empty when it is valid."""

    @property
    def gaps(self) -> list[Note]:
        return [n for n in self.notes if n.gap]


def import_plan(source: Path, target: Path, *, maps: list[str] | None = None,
                agencies: list[Agency] | None = None,
                overrides: Overrides | None = None) -> ImportResult:
    """Read ``source`` into a plan meant for ``target``; raises CannotRun for a file that
    cannot be opened or holds no plan. What validation finds is in the result."""
    from .columns import BadMapping

    try:
        mapping = parse_maps(maps or [])
    except BadMapping as exc:
        raise CannotRun(str(exc)) from None
    grids = read_grids(source)
    extracted = extract(grids, mapping)
    extracted.notes[:0] = [Note(where, message) for grid in grids
                           for where, message in grid.said]
    if not extracted.objectives:
        raise CannotRun(f"{source}: no plan found: no objective tables (\"Objective 1: ...\" "
                        "rows) and no header row naming an Action column and two others "
                        "(such as Ref, Owners, RAG)",
                        hint="check the file is the plan; `jtai import --help` lists the "
                             "headers jtai recognises, and --map names others")
    from .planrows import sheet_agencies

    if agencies is None:
        agencies = sheet_agencies(extracted)
    elif extracted.head.agencies:
        extracted.notes.append(Note(extracted.head.agencies[0][1][""], "sheet 'Agencies' not "
                                    "used: the registry comes from --agencies"))
    built = build(extracted, Registry(agencies), overrides or Overrides())
    from ...planfile.schemacopy import MODELINE

    # As `jtai init` writes a plan: editors check it against the schema written beside it.
    text = MODELINE + _emit(built)
    result = ImportResult(text, built.notes, extracted.layout, len(built.data["objectives"]),
                          built.actions, built.created, built.words, built.absent,
                          built.defaulted, built.missing, _validate(text, target))
    return result


def _emit(built: Built) -> str:
    from ...planfile.yamlemit import dump

    # Every gap is listed at the top; a gap in an action's field is marked there too.
    general = [n for n in built.notes if n.gap]
    if not general and not any(built.comments.values()):
        from ...planfile.blockyaml import dump as dump_plain

        # The same text as ruamel's, written many times faster; None for what it leaves
        # to ruamel. Comments are ruamel's alone.
        text = dump_plain(built.data, flow=_FLOW, quoted=_QUOTED)
        if text is not None:
            return text
    document = _commented(built.data, built)
    if general:
        document.yaml_set_start_comment("\n".join(
            f"import: {n.where + ': ' if n.where else ''}{n.message}" for n in general))
    return str(dump(document))


_FLOW = {"owners", "aliases", "plan_types", "complete_by_words"}
_QUOTED = {"ref"}
"""Always double-quoted: ``"2.10"`` must stay text, and reads as the ref it is."""


def _commented(value: Any, built: Built, key: str = "") -> Any:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    if isinstance(value, dict):
        out = CommentedMap()
        for k, v in value.items():
            out[k] = DoubleQuotedScalarString(v) if k in _QUOTED else _commented(v, built, k)
        for k, comment in built.comments.get(id(value), {}).items():
            out.yaml_add_eol_comment(comment, k)
        return out
    if isinstance(value, list):
        seq = CommentedSeq(_commented(v, built) for v in value)
        if key in _FLOW:
            seq.fa.set_flow_style()
        return seq
    return value


def _validate(text: str, target: Path) -> list[Finding]:
    from ...errors import PlanInvalid
    from ...planfile.loader import parse_plan
    from ...planfile.textfile import SourceText

    try:
        parse_plan(SourceText(target, text))
    except PlanInvalid as exc:
        return exc.findings
    return []


def load_agencies(path: Path) -> list[Agency]:
    """The agency registry of a plan, or of a YAML file holding ``agencies:`` (or a list)."""
    from ...errors import PlanInvalid
    from ...plan.constraints import ValidationError, validate
    from ...planfile import plancache
    from ...planfile.textfile import read_source
    from ...planfile.yamlread import compose, to_python

    source = read_source(path)
    # A plan read before (the last export of it, say) has its data in the cache.
    known = plancache.read(source, "plan")
    try:
        data = known[0] if known else to_python(compose(source), source.display_name)
    except PlanInvalid as exc:
        raise CannotRun(f"--agencies {source.display_name}: not readable YAML "
                        f"({exc.findings[0].message if exc.findings else exc})") from None
    items = data.get("agencies") if isinstance(data, dict) else data
    if not isinstance(items, list) or not items:
        raise CannotRun(f"--agencies {source.display_name}: holds no list of agencies",
                        hint="give a plan, or a YAML file with agencies: and entries of "
                             "code, name and aliases")
    try:
        return [validate(Agency, item) for item in items]
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        raise CannotRun(f"--agencies {source.display_name}: an agency is not valid "
                        f"({'.'.join(map(str, first['loc']))}: {first['msg']})") from None
