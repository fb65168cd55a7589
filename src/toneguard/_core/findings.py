"""The findings of one reply as plain tuples: a Report validates them once, at the edge.

Building a pydantic ``Finding`` per hit (and a ``Contribution`` per score
entry) cost more than finding most of them; the public records are made in the
one ``Report.model_validate`` call that ends an analysis.
"""

from __future__ import annotations

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


def found_problems(hits: list[Hit], reading: Reading, text: str) -> list[FoundProblem]:
    """One problem per hit that no other swallows and no silencing comment covers, in reply order."""
    problems = []
    for hit in one_per_span(hits):
        rule = hit.rule
        if reading.normalized.is_silenced(hit.start, hit.end, rule.id, rule.category.value):
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
    return problems
