"""Run the property tests and print how many generated cases went through the CLI.

    .venv/bin/python bench/property_counts.py      (or: make property-counts)

The counts are bookkeeping, not a test of jtai, so they are printed here rather than by a
test in the suite. The exit status is pytest's.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def main() -> int:
    code = pytest.main(["-q", "-p", "no:cacheprovider", str(REPO / "tests" /
                                                          "test_properties_cli.py")])
    module = sys.modules.get("test_properties_cli")
    counts: dict[str, int] = getattr(module, "COUNTS", {})
    total = sum(v for k, v in counts.items() if ":" in k)
    print(f"\ngenerated cases run through the CLI: {total}")
    for kind, count in sorted(counts.items()):
        print(f"  {kind}: {count}")
    return int(code)


if __name__ == "__main__":
    sys.exit(main())
