"""The findings of one reply as plain tuples: a Report validates them once, at the edge.

Building a pydantic ``Finding`` per hit (and a ``Contribution`` per score
entry) cost more than finding most of them; the public records are made in the
one ``Report.model_validate`` call that ends an analysis.
"""

from __future__ import annotations

from collections import Counter
from typing import NamedTuple

from .._detectors.base import Hit, one_per_span
from .._text.reading import Reading
from ..models import Category, Severity


class FoundProblem(NamedTuple):
    """The fields of a :class:`~toneguard.models.Finding`, in its order, before it is validated."""

    rule_id: str
    rule_name: str
    category: Category
    severity: Severity
    start: int
    end: int
    text: str
    message: str
    suggestions: list[str]
    replacement: str | None


def found_problems(
    hits: list[Hit], reading: Reading, text: str, max_per_rule: int, max_total: int, notes: list[str]
) -> list[FoundProblem]:
    """One problem per hit that no other swallows and no silencing comment covers, in reply order.

    At most ``max_per_rule`` of one rule and ``max_total`` in all are kept; a note says when some were left out.
    """
    if not hits:
        return []  # most replies: none of the sorting and counting below
    problems = []
    per_rule: Counter[str] = Counter()
    for hit in one_per_span(hits):
        rule = hit.rule
        if reading.normalized.is_silenced(hit.start, hit.end, rule.id, rule.category.value):
            continue
        per_rule[rule.id] += 1
        if per_rule[rule.id] > max_per_rule:
            continue
        problems.append(
            FoundProblem(
                rule.id,
                rule.name,
                rule.category,
                rule.severity,
                hit.start,
                hit.end,
                text[hit.start : hit.end],
                rule.message,
                list(hit.suggestions),
                hit.replacement,
            )
        )
    problems.sort(key=lambda f: (f.start, f.end, f.rule_id))
    for rule_id, count in sorted(per_rule.items()):
        if count > max_per_rule:
            notes.append(f"{rule_id} has {count:,} findings; the first {max_per_rule:,} are listed (max_findings_per_rule)")
    if len(problems) > max_total:
        notes.append(f"{len(problems):,} findings; the first {max_total:,} are listed (max_findings)")
        problems = problems[:max_total]
    return problems
