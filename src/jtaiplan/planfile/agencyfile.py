"""The shared agency registry a plan names in ``agencies_from:``, read relative to the plan.

Several plans of one partnership point at one file, so it is read once per process
(keyed by path, size and modification time) however many plans a portfolio holds.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from pathlib import Path

from ..errors import CannotRun, PlanInvalid
from ..findings import Finding, Severity
from ..plan.model import Agency, AgencyRegistry
from . import plancache
from .sourcemap import SourceMap
from .textfile import SourceText, read_source

_CACHE: dict[tuple[Path, int, int], tuple[Agency, ...]] = {}
# A registry as it would be after a change not yet written (``jtai agency``), by real path:
# the changed plan is validated against it before either file is written.
_PENDING: dict[Path, tuple[Agency, ...]] = {}

RegistryReader = Callable[[str], SourceText | None]
"""Given ``agencies_from`` as the plan writes it, the registry's text, or None if absent."""

# A plan read at a git revision names its registry at that revision, not the one on disk
# (which may have changed since, or be relative to a folder the command was not run in).
_READER: ContextVar[RegistryReader | None] = ContextVar("registry_reader", default=None)


@contextlib.contextmanager
def registries_read_by(reader: RegistryReader) -> Iterator[None]:
    """Plans parsed meanwhile read their ``agencies_from:`` file through ``reader``."""
    token = _READER.set(reader)
    try:
        yield
    finally:
        _READER.reset(token)


@contextlib.contextmanager
def pending_registry(path: Path, agencies: tuple[Agency, ...]) -> Iterator[None]:
    """Plans read meanwhile see ``agencies`` as the registry at ``path``."""
    key = path.resolve()
    _PENDING[key] = agencies
    try:
        yield
    finally:
        del _PENDING[key]


def registry_path(plan_source: SourceText, agencies_from: str) -> Path:
    """``agencies_from`` is relative to the plan's own folder, whatever the working folder."""
    return plan_source.path.parent / agencies_from


def shared_agencies(plan_source: SourceText, agencies_from: str,
                    sourcemap: SourceMap) -> tuple[Agency, ...]:
    """The shared file's agencies, or PlanInvalid naming the plan's line (file missing) or
    the shared file's own lines (its problems)."""
    reader = _READER.get()
    if reader is not None:
        source = reader(agencies_from)
        if source is None:
            raise _missing(plan_source, sourcemap, agencies_from)
        return tuple(parse_registry(source).agencies)
    path = registry_path(plan_source, agencies_from)
    pending = _PENDING.get(path.resolve()) if _PENDING else None
    if pending is not None:
        return pending
    try:
        stat = path.resolve().stat()
    except OSError:
        raise _missing(plan_source, sourcemap, path.as_posix()) from None
    key = (path.resolve(), stat.st_size, stat.st_mtime_ns)
    if key not in _CACHE:
        _CACHE[key] = load_registry(path)
    return _CACHE[key]


def _missing(plan_source: SourceText, sourcemap: SourceMap, name: str) -> PlanInvalid:
    where = sourcemap.locate(("agencies_from",))
    return PlanInvalid([Finding(
        "JTAI001", Severity.ERROR, f"agencies_from: no such file {name}",
        plan_source.display_name, line=where.line if where else None,
        column=where.column if where else None, path=("agencies_from",),
        hint="the path is relative to the plan's own folder, e.g. ../agencies.yaml",
    )])


def load_registry(path: Path) -> tuple[Agency, ...]:
    try:
        source = read_source(path)
    except CannotRun as exc:
        raise CannotRun(f"shared agency registry: {exc.message}", hint=exc.hint) from None
    cached = plancache.read(source, "agencies")
    if cached is not None:
        return tuple(cached[1].agencies)
    registry = parse_registry(source)
    plancache.write(source, "agencies", None, registry)
    return tuple(registry.agencies)


def parse_registry(source: SourceText) -> AgencyRegistry:
    """A registry file's text validated, or PlanInvalid naming its lines."""
    from ..plan.constraints import ValidationError, validate
    from .validation import findings_from_error
    from .yamlread import compose, to_python

    name = source.display_name
    root = compose(source)
    data = to_python(root, name)
    if not isinstance(data, dict):
        raise PlanInvalid([Finding(
            "JTAI001", Severity.ERROR, "a shared agency registry is a mapping with an "
            "agencies: list", name, line=1, column=1,
            hint="`jtai schema --agencies` prints its JSON Schema")])
    try:
        registry = validate(AgencyRegistry, data)
    except ValidationError as exc:
        raise PlanInvalid(findings_from_error(exc, AgencyRegistry, SourceMap(root), name,
                                              data)) from None
    return registry
