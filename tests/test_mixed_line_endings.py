"""A file whose lines end differently (some CRLF, some LF): a write leaves every byte outside
the edited lines as it was. A replaced line keeps its own ending; new lines take the ending
of the line they follow.

Before the fix the first line's ending was applied to every line on writing: one update
rewrote the ending of half the file's lines.
"""

from __future__ import annotations

from pathlib import Path

from conftest import REAL_PLAN, Invoke
from jtaiplan.planfile.textfile import decode_source
from test_update import HISTORY_2_2, NOTE, ON, line_of


def alternating(lines: list[str], first: str) -> list[bytes]:
    """Each line with its ending: ``first`` on even lines, the other one on odd lines."""
    other = "\n" if first == "\r\n" else "\r\n"
    return [(line + (first if k % 2 == 0 else other)).encode("utf-8")
            for k, line in enumerate(lines)]


def test_update_keeps_every_other_lines_ending(jtai: Invoke, tmp_path: Path) -> None:
    lines = REAL_PLAN.read_text(encoding="utf-8").splitlines()
    for first in ("\r\n", "\n"):
        raw = alternating(lines, first)
        plan = tmp_path / "plan.yaml"
        plan.write_bytes(b"".join(raw))
        result = jtai("update", "2.2", "--progress", "amber", "--note", NOTE, "--by", "X",
                      "--on", ON, "--plan", str(plan))
        assert result.exit_code == 0, result.stderr
        progress = line_of(lines, "2.2", "progress")
        last = line_of(lines, "2.2", "impact")  # 2.2's last line: the entry goes after it
        assert lines[progress] == "        progress: Green"
        ending = raw[last][len(lines[last].encode("utf-8")):]
        expected = (raw[:progress] + [raw[progress].replace(b"Green", b"Amber")]
                    + raw[progress + 1:last + 1]
                    + [line.encode("utf-8") + ending for line in HISTORY_2_2]
                    + raw[last + 1:])
        assert plan.read_bytes() == b"".join(expected)


def test_encode_keeps_endings_of_kept_lines() -> None:
    source = decode_source(Path("p.yaml"), b"\xef\xbb\xbfa: 1\r\nb: 2\nc: 3\r\nd: 4")
    assert source.text == "a: 1\nb: 2\nc: 3\nd: 4"
    assert source.encode() == b"\xef\xbb\xbfa: 1\r\nb: 2\nc: 3\r\nd: 4"
    # b replaced (keeps LF), a line inserted after c (takes CRLF), one inserted at the end:
    # d, unterminated before, now ends like the line it follows.
    assert source.encode("a: 1\nb: 9\nc: 3\nx: 0\nd: 4\ne: 5\n") == (
        b"\xef\xbb\xbfa: 1\r\nb: 9\nc: 3\r\nx: 0\r\nd: 4\r\ne: 5\r\n")
    # A line inserted at the very start takes the ending of the line it precedes; a line
    # deleted takes its ending with it.
    assert source.encode("z: 0\na: 1\nc: 3\nd: 4") == b"\xef\xbb\xbfz: 0\r\na: 1\r\nc: 3\r\nd: 4"


def test_uniform_files_are_unchanged_in_behaviour() -> None:
    crlf = decode_source(Path("p.yaml"), b"a: 1\r\nb: 2\r\n")
    assert crlf.endings is None
    assert crlf.encode("a: 1\nx: 0\nb: 2\n") == b"a: 1\r\nx: 0\r\nb: 2\r\n"
    lf = decode_source(Path("p.yaml"), b"a: 1\nb: 2\n")
    assert lf.endings is None
    assert lf.encode("a: 1\nx: 0\nb: 2\n") == b"a: 1\nx: 0\nb: 2\n"


def test_dry_run_and_refusal_leave_a_mixed_file_alone(jtai: Invoke, tmp_path: Path) -> None:
    raw = b"".join(alternating(REAL_PLAN.read_text(encoding="utf-8").splitlines(), "\n"))
    plan = tmp_path / "plan.yaml"
    plan.write_bytes(raw)
    result = jtai("update", "2.2", "--progress", "amber", "--note", NOTE, "--by", "X",
                  "--on", ON, "--plan", str(plan), "--dry-run")
    assert result.exit_code == 0
    assert "+        progress: Amber\n" in result.stdout
    assert jtai("fmt", "--plan", str(plan)).exit_code == 0  # already canonical
    assert plan.read_bytes() == raw
