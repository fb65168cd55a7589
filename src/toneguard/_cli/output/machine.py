"""``--format json`` and ``--format jsonl``.

json: a reply given on its own prints its :class:`~toneguard.Report`; files print a
list with one entry per file (its texts, or why it was not checked). jsonl: one line
per finding, with where it is. Locations are 1-based lines and columns in the file;
``end_column`` is the column just past the finding.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Iterator

from .results import Outcome, end_position

if TYPE_CHECKING:
    from ..._apps.lint.run import Checked, FileResult


def json_document(outcome: Outcome) -> Any:
    if outcome.single_text:
        return next(outcome.checked()).report.model_dump(mode="json")
    return [_file_entry(result) for result in outcome.files]


def jsonl_lines(outcome: Outcome) -> Iterator[str]:
    for item in outcome.checked():
        for finding in _located_findings(item):
            yield json.dumps({"path": item.document.source.name or None, **_macro(item), **finding}, ensure_ascii=False)


def _file_entry(result: FileResult) -> dict[str, Any]:
    return {
        "path": result.name,
        "error": result.error,
        "skipped": result.skipped,
        "texts": [_text_entry(item) for item in result.checked],
    }


def _text_entry(item: Checked) -> dict[str, Any]:
    report = item.report.model_dump(mode="json", exclude={"reply", "customer", "rewrite", "findings"})
    line, column = item.document.position(0)
    return {
        **_macro(item),
        "line": line,
        "column": column,
        "flagged": item.report.flagged,
        **report,
        "findings": _located_findings(item),
    }


def _macro(item: Checked) -> dict[str, Any]:
    document = item.document
    return {"macro": {"title": document.title, "id": document.macro_id} if document.title else None}


def _located_findings(item: Checked) -> list[dict[str, Any]]:
    located = []
    for finding in item.report.findings:
        line, column = item.document.position(finding.start)
        end_line, end_column = end_position(item, finding)
        located.append(
            {"line": line, "column": column, "end_line": end_line, "end_column": end_column, **finding.model_dump(mode="json")}
        )
    return located
