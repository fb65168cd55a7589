"""``--format sarif``: a SARIF 2.1.0 log for code scanning (GitHub's upload-sarif, Azure DevOps, IDE viewers).

One run, its driver listing every enabled rule with its message, its *why* and its
examples as help; one result per finding, located by file, line and column
(columns count Unicode code points, as ``columnKind`` says), with the macro's title
as a logical location, the safe replacement as a fix, and a fingerprint that stays
put when lines move. Files that could not be read are tool notifications.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from ..._apps.lint.fixes import escaped_wording
from ..._version import VERSION
from ...models import Severity
from .results import Outcome, end_position, rule_of, specific_suggestions

if TYPE_CHECKING:
    from ..._apps.lint.run import Checked
    from ..._rules.schema import Rule
    from ...models import Finding

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
LEVELS = {Severity.high: "error", Severity.medium: "warning", Severity.low: "note"}
_SOURCE_ROOT = "%SRCROOT%"


def sarif_log(outcome: Outcome, root: Path | None = None) -> dict[str, Any]:
    """The SARIF log; relative paths are resolved against ``root`` (the current folder)."""
    root = (root or Path.cwd()).resolve()
    rules = outcome.rules()
    index = {rule.id: position for position, rule in enumerate(rules)}
    results = []
    for item in outcome.checked():
        seen: Counter[tuple[str, str]] = Counter()
        for finding in item.report.findings:
            seen[(finding.rule_id, finding.text)] += 1
            results.append(_result(item, finding, index, root, seen[(finding.rule_id, finding.text)]))
    notifications = [
        {
            "level": "error",
            "message": {"text": result.error},
            "locations": [{"physicalLocation": {"artifactLocation": _artifact(result.name, root)}}],
        }
        for result in outcome.errors
    ]
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "toneguard",
                "version": VERSION,
                "semanticVersion": VERSION,
                "rules": [_descriptor(rule) for rule in rules],
            }
        },
        "originalUriBaseIds": {_SOURCE_ROOT: {"uri": root.as_uri() + "/"}},
        "columnKind": "unicodeCodePoints",
        "invocations": [{"executionSuccessful": not notifications, "toolExecutionNotifications": notifications}],
        "results": results,
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def _descriptor(rule: Rule) -> dict[str, Any]:
    instead = "".join(f"\n- {tip}" for tip in rule.suggestions)
    bad = "".join(f"\n- {_example(example)}" for example in rule.examples.bad)
    good = "".join(f"\n- {_example(example)}" for example in rule.examples.good)
    text = rule.why.strip() + (f"\n\nInstead:{instead}" if instead else "") + f"\n\nFlagged:{bad}\n\nFine:{good}"
    markdown = (
        rule.why.strip()
        + (f"\n\n**Instead**{instead}" if instead else "")
        + f"\n\n**Flagged**{bad}\n\n**Fine**{good}"
    )
    return {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": rule.message},
        "fullDescription": {"text": rule.why.strip()},
        "help": {"text": text, "markdown": markdown},
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {"category": rule.category.value, "severity": rule.severity.value, "tags": ["tone", rule.category.value]},
    }


def _example(example: Any) -> str:
    reply = getattr(example, "reply", example)
    customer = getattr(example, "customer", None)
    return f"{reply} (answering: {customer})" if customer else str(reply)


def _result(item: Checked, finding: Finding, index: dict[str, int], root: Path, occurrence: int) -> dict[str, Any]:
    document = item.document
    suggestions = specific_suggestions(finding, rule_of(item, finding))
    message = finding.message + (" Try: " + "; ".join(suggestions) if suggestions else "")
    result: dict[str, Any] = {
        "ruleId": finding.rule_id,
        "level": LEVELS[finding.severity],
        "kind": "fail",
        "message": {"text": message},
        "properties": {"category": finding.category.value, "severity": finding.severity.value},
    }
    if finding.rule_id in index:
        result["ruleIndex"] = index[finding.rule_id]
    name = document.source.name
    fingerprint = "\0".join([name, document.title or "", finding.rule_id, finding.text, str(occurrence)])
    result["partialFingerprints"] = {"toneguardFinding/v1": hashlib.sha256(fingerprint.encode("utf-8", "replace")).hexdigest()}
    if not name or name.startswith("<"):
        return result  # a reply from the command line or standard input has no file to point at
    region = _region(item, finding)
    location: dict[str, Any] = {
        "physicalLocation": {"artifactLocation": _artifact(name, root), "region": {**region, "snippet": {"text": finding.text}}}
    }
    if document.title:
        location["logicalLocations"] = [{"name": document.title, "kind": "member", "fullyQualifiedName": document.title}]
        result["properties"]["macro"] = {"title": document.title, "id": document.macro_id}
    result["locations"] = [location]
    if finding.replacement is not None and document.offsets.verbatim(finding.start, finding.end):
        result["fixes"] = [
            {
                "description": {"text": f"Replace with '{finding.replacement}'"},
                "artifactChanges": [
                    {
                        "artifactLocation": _artifact(name, root),
                        "replacements": [{"deletedRegion": region, "insertedContent": {"text": escaped_wording(finding.replacement, document.source.kind)}}],
                    }
                ],
            }
        ]
    return result


def _region(item: Checked, finding: Finding) -> dict[str, int]:
    line, column = item.document.position(finding.start)
    end_line, end_column = end_position(item, finding)
    return {"startLine": line, "startColumn": column, "endLine": end_line, "endColumn": end_column}


def _artifact(name: str, root: Path) -> dict[str, str]:
    path = Path(name).resolve()
    try:
        relative = path.relative_to(root)
    except ValueError:
        return {"uri": path.as_uri()}
    return {"uri": quote(relative.as_posix()), "uriBaseId": _SOURCE_ROOT}
