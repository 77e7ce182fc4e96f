"""Print one version's section of CHANGELOG.md: the GitHub release's notes.

    python scripts/release_notes.py 0.2.0 [CHANGELOG.md]

The section is what lies under ``## [0.2.0]`` (with or without `` - date``) up to the next
``## `` heading or the link references at the end, without blank lines around it. A version
with no section, or an empty one, exits 1 with a message on stderr: the release workflow
stops there rather than publish a release nobody described.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

_LINK_REFERENCE = re.compile(r"^\[[^\]]+\]:\s")


def section(changelog: str, version: str) -> str:
    """The body of ``## [version]``; ValueError when it is missing or empty."""
    heading = re.compile(rf"^## \[{re.escape(version)}\](?:\s+-\s+.*)?$")
    lines = changelog.splitlines()
    starts = [i for i, line in enumerate(lines) if heading.match(line)]
    if not starts:
        raise ValueError(f"no section '## [{version}]'")
    body: list[str] = []
    for line in lines[starts[0] + 1:]:
        if line.startswith("## ") or _LINK_REFERENCE.match(line):
            break
        body.append(line)
    text = "\n".join(body).strip("\n")
    if not text.strip():
        raise ValueError(f"the section '## [{version}]' is empty")
    return text + "\n"


def main(argv: list[str]) -> int:
    if len(argv) not in (1, 2):
        print("usage: release_notes.py VERSION [CHANGELOG.md]", file=sys.stderr)
        return 2
    path = Path(argv[1] if len(argv) == 2 else "CHANGELOG.md")
    version = argv[0].removeprefix("v")
    try:
        sys.stdout.write(section(path.read_text(encoding="utf-8"), version))
    except (OSError, ValueError) as error:
        print(f"release_notes: {path}: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
