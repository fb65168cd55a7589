"""Reading grade of the whole reply."""

from __future__ import annotations

from typing import ClassVar, Iterable

from .._rules.schema import ReadabilityRule
from .._text.reading import Reading
from .base import Hit, whole_reply


class ReadabilityDetector:
    checks: ClassVar[tuple[str, ...]] = ("readability",)

    def __init__(self, rules: list[ReadabilityRule]):
        self._rules = rules

    def find(self, reading: Reading) -> Iterable[Hit]:
        grade = reading.grade
        if grade is None:
            return
        for rule in self._rules:
            if len(reading.words) >= rule.min_words and grade > rule.max_grade:
                start, end = whole_reply(reading)
                yield Hit(rule, start, end, tuple(rule.suggestions))
