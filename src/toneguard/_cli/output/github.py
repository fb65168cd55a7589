"""``--format github``: GitHub Actions workflow commands, which GitHub shows as annotations on the changed lines.

``::error file=macros/refund.md,line=3,col=14,endLine=3,endColumn=28,title=toneguard TG301 (technical)::message``.
Severity high is an error, medium a warning, low a notice. Values are escaped as the
runner's toolkit does: ``%``, ``\\r`` and ``\\n`` everywhere, and ``:`` and ``,`` inside properties.
"""

from __future__ import annotations

from typing import Iterator

from ...models import Severity
from .results import Outcome, end_position, rule_of, specific_suggestions

LEVELS = {Severity.high: "error", Severity.medium: "warning", Severity.low: "notice"}


def workflow_commands(outcome: Outcome) -> Iterator[str]:
    for result in outcome.files:
        if result.error:
            yield f"::error file={escape_property(result.name)},title=toneguard::{escape_data(result.error)}"
    for item in outcome.checked():
        name = item.document.source.name
        for finding in item.report.findings:
            line, column = item.document.position(finding.start)
            end_line, end_column = end_position(item, finding)
            properties = {"file": name} if name else {}
            properties.update(
                line=str(line), col=str(column), endLine=str(end_line), endColumn=str(end_column),
                title=f"toneguard {finding.rule_id} ({finding.category.value})",
            )
            message = finding.message
            suggestions = specific_suggestions(finding, rule_of(item, finding))
            if suggestions:
                message += " Try: " + "; ".join(suggestions)
            if item.document.title:
                message += f" (macro: {item.document.title})"
            fields = ",".join(f"{key}={escape_property(value)}" for key, value in properties.items())
            yield f"::{LEVELS[finding.severity]} {fields}::{escape_data(message)}"


def escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")
