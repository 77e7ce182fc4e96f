"""Coverage-guided fuzzing of the plan loader and the lint rules, with atheris (libFuzzer).

Bytes -> :func:`jtaiplan.planfile.textfile.decode_source` ->
:func:`jtaiplan.planfile.loader.parse_plan` ->
every lint rule. Refusing the input with a :class:`jtaiplan.errors.JtaiError` is the
expected outcome for hostile bytes; any other exception (ValueError, RecursionError,
AttributeError...) is a bug in jtai and a finding, and libFuzzer writes the input that
caused it to ``crash-<sha1>``. Each such input belongs in tests/hostile/ with a fix.

Run (atheris needs ``pip install atheris``)::

    python tests/fuzz/fuzz_loader.py -runs=20000 tests/hostile

Corpus directories are read, never written: new inputs libFuzzer finds go to a scratch
folder (``JTAI_FUZZ_OUT``, default a temporary one). Inputs are capped at 8 kB unless
``-max_len`` says otherwise, and an input that takes over 10 s (``-timeout``) is a finding
too: a plan must never make jtai hang. Without atheris the script still runs each file it is given
through the target once, so it stays usable (and importable by the tests) everywhere.
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import date
from pathlib import Path

from jtaiplan.errors import JtaiError
from jtaiplan.lint.run import Selection, run_rules
from jtaiplan.planfile.loader import parse_plan
from jtaiplan.planfile.textfile import decode_source

PLAN_PATH = Path("plan.yaml")
AS_OF = date(2025, 7, 1)
SELECTION = Selection()


def TestOneInput(data: bytes) -> None:
    """One input through the loader and every rule; only JtaiError is an allowed failure."""
    try:
        loaded = parse_plan(decode_source(PLAN_PATH, data), integrity=False)
        run_rules(loaded, AS_OF, SELECTION)
    except JtaiError:
        return


def _libfuzzer_args(argv: list[str]) -> list[str]:
    """The arguments for libFuzzer: a scratch output corpus first, so the given corpus
    folders (tests/hostile) are only read, and a default input size cap."""
    args = [argv[0]]
    options = [a for a in argv[1:] if a.startswith("-")]
    folders = [a for a in argv[1:] if not a.startswith("-")]
    for default in ("-max_len=8192", "-timeout=10"):
        if not any(a.startswith(default.split("=")[0] + "=") for a in options):
            options.append(default)
    if folders and all(Path(f).is_dir() for f in folders):
        scratch = os.environ.get("JTAI_FUZZ_OUT") or tempfile.mkdtemp(prefix="jtai-fuzz-")
        folders.insert(0, scratch)
    return args + options + folders


def _without_atheris(argv: list[str]) -> int:
    """Each given file (or each file in a given folder) through the target once."""
    files = [p for a in argv[1:] if not a.startswith("-")
             for p in (sorted(Path(a).iterdir()) if Path(a).is_dir() else [Path(a)])
             if p.is_file()]
    for path in files:
        TestOneInput(path.read_bytes())
    print(f"atheris is not installed: ran {len(files)} file(s) once each, no fuzzing",
          file=sys.stderr)
    return 0


def main() -> int:
    try:
        import atheris  # type: ignore[import-untyped, unused-ignore]
    except ImportError:
        return _without_atheris(sys.argv)
    # Coverage feedback for jtaiplan (and the YAML and pydantic code it calls).
    atheris.instrument_all()
    atheris.Setup(_libfuzzer_args(sys.argv), TestOneInput)
    atheris.Fuzz()
    return 0


if __name__ == "__main__":
    sys.exit(main())
