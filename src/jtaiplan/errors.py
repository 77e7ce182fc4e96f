"""Exceptions the library raises; the CLI maps each to an exit code."""

from __future__ import annotations

from collections.abc import Sequence

from .findings import Finding


class JtaiError(Exception):
    """Base class: anything the user can act on, as opposed to a bug."""

    exit_code = 2


class CannotRun(JtaiError):
    """The command could not run: no such file, bad option, no git, and so on (exit 2)."""

    exit_code = 2

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class PlanInvalid(JtaiError):
    """The plan file has problems: syntax, schema or integrity (exit 1). Carries them all."""

    exit_code = 1

    def __init__(self, findings: Sequence[Finding]) -> None:
        super().__init__(f"{len(findings)} problem(s) in the plan")
        self.findings = list(findings)


class UpdateRefused(JtaiError):
    """A change was refused before anything was written; the file is untouched (exit 1)."""

    exit_code = 1
    unchanged = "the plan file was not changed"
    """What the refusal left alone, as the error line ends."""

    def __init__(self, message: str, findings: Sequence[Finding] = (), hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.findings = list(findings)
