"""Findings rendered for people and machines: text, JSON, GitHub workflow commands, SARIF.

Nothing here decides what is a finding; it only formats what the rules found.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from typing import Any

from .. import __version__
from ..findings import Finding, Severity
from ..markdown import md_text
from .registry import Rule

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/jtaiplan/jtaiplan"


def counts(findings: Sequence[Finding]) -> tuple[int, int]:
    errors = sum(1 for f in findings if f.severity is Severity.ERROR)
    return errors, len(findings) - errors


def summary_text(findings: Sequence[Finding], as_of: date | None) -> str:
    errors, warnings = counts(findings)
    when = f" as of {as_of.isoformat()}" if as_of else ""
    if not findings:
        return f"no problems found{when}"
    return (f"{errors} error{'s' if errors != 1 else ''}, {warnings} "
            f"warning{'s' if warnings != 1 else ''}{when}")


def as_text(findings: Sequence[Finding], as_of: date | None, *, hints: bool = True) -> str:
    """``plan.yaml:LINE:COL: CODE message``, errors first, then warnings, then a summary."""
    lines: list[str] = []
    for severity, heading in ((Severity.ERROR, "Errors"), (Severity.WARNING, "Warnings")):
        group = [f for f in findings if f.severity is severity]
        if not group:
            continue
        lines.append(f"{heading} ({len(group)}):")
        for finding in group:
            lines.append(f"{finding.where()}: {finding.code} {finding.message}")
            if hints and finding.hint:
                lines.append(f"    hint: {finding.hint}")
        lines.append("")
    lines.append(summary_text(findings, as_of))
    return "\n".join(lines) + "\n"


def as_json(findings: Sequence[Finding]) -> str:
    return json.dumps([f.as_dict() for f in findings], indent=2, ensure_ascii=False) + "\n"


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def as_github(findings: Sequence[Finding], rules: dict[str, Rule]) -> str:
    """GitHub Actions workflow commands: one annotation per finding."""
    lines = []
    for finding in findings:
        level = "error" if finding.severity is Severity.ERROR else "warning"
        rule = rules.get(finding.code)
        props = [f"file={_escape_property(finding.file)}"]
        if finding.line is not None:
            props.append(f"line={finding.line}")
            props.append(f"col={finding.column or 1}")
        title = f"{finding.code} {rule.name}" if rule else finding.code
        props.append(f"title={_escape_property(title)}")
        message = finding.message + (f"\n{finding.hint}" if finding.hint else "")
        lines.append(f"::{level} {','.join(props)}::{_escape_data(message)}")
    return "\n".join(lines) + ("\n" if lines else "")


def as_step_summary(findings: Sequence[Finding], as_of: date | None) -> str:
    """The full table for ``$GITHUB_STEP_SUMMARY``: annotations show only ten of each kind."""
    lines = ["## jtai lint", "", summary_text(findings, as_of), ""]
    if findings:
        lines += ["| Where | Code | Severity | Ref | Message |", "| --- | --- | --- | --- | --- |"]
        lines += [
            f"| {md_text(f.where())} | {f.code} | {f.severity} | {md_text(f.ref or '')} | "
            f"{md_text(f.message)} |"
            for f in findings
        ]
    return "\n".join(lines) + "\n"


def as_sarif(findings: Sequence[Finding], rules: dict[str, Rule]) -> str:
    """SARIF 2.1.0, as GitHub code scanning accepts it."""
    rule_list = list(rules.values())
    index = {rule.code: i for i, rule in enumerate(rule_list)}
    results: list[dict[str, Any]] = []
    for finding in findings:
        region: dict[str, int] = {}
        if finding.line is not None:
            region = {"startLine": finding.line, "startColumn": finding.column or 1}
        location: dict[str, Any] = {"artifactLocation": {"uri": finding.file}}
        if region:
            location["region"] = region
        result: dict[str, Any] = {
            "ruleId": finding.code,
            "level": "error" if finding.severity is Severity.ERROR else "warning",
            "message": {"text": finding.message + (f" ({finding.hint})" if finding.hint
                                                   else "")},
            "locations": [{"physicalLocation": location}],
        }
        if finding.code in index:
            result["ruleIndex"] = index[finding.code]
        if finding.ref:
            result["properties"] = {"ref": finding.ref}
        results.append(result)
    document = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "jtai",
                "version": __version__,
                "informationUri": INFORMATION_URI,
                "rules": [{
                    "id": rule.code,
                    "name": rule.name,
                    "shortDescription": {"text": rule.summary},
                    "fullDescription": {"text": rule.explanation or rule.summary},
                    "defaultConfiguration": {"level": str(rule.severity)},
                    "help": {"text": rule.explanation or rule.summary},
                } for rule in rule_list],
            }},
            "results": results,
        }],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
