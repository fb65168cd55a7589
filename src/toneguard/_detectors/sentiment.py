"""Sentence-level negativity read by VADER, excused where the agent shows warmth."""

from __future__ import annotations

from typing import ClassVar, Iterable

from .._rules.schema import SentimentRule
from .._text.reading import Reading
from .base import Hit


class SentimentDetector:
    checks: ClassVar[tuple[str, ...]] = ("sentiment",)

    def __init__(self, rules: list[SentimentRule]):
        self._rules = rules
        # Every rule asks for a negative score, so a sentence that cannot score below zero needs no scoring.
        self._negative_only = all(rule.max_compound < 0 for rule in rules)

    def find(self, reading: Reading) -> Iterable[Hit]:
        if reading.sentiment.negative == 0.0:
            return  # no negative word anywhere: no sentence can be negative
        for sentence in reading.sentences:
            if self._negative_only and not reading.sentiment_reader.may_read_negative(reading.text_of(sentence)):
                continue
            compound = reading.sentence_sentiment(sentence).compound
            for rule in self._rules:
                if compound > rule.max_compound:
                    continue
                if reading.has_signal(rule.excused_by, sentence.start_char, sentence.end_char):
                    continue
                yield Hit(rule, *reading.bounds(sentence), tuple(rule.suggestions))
