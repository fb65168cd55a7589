"""Replies too short to be courteous: a few words, or curt fragments."""

from __future__ import annotations

from typing import Iterable

from .._rules.schema import BrevityRule
from .._text.reading import Reading
from .base import Hit, whole_reply


class BrevityDetector:
    checks = ("brevity",)

    def __init__(self, rules: list[BrevityRule]):
        self._rules = rules

    def find(self, reading: Reading) -> Iterable[Hit]:
        words = len(reading.words)
        if words == 0:
            return
        for rule in self._rules:
            too_short = words <= rule.max_words or (
                words <= rule.max_words_with_fragment and _has_fragment(reading, rule)
            )
            warm = rule.excused_above_compound is not None and reading.sentiment.compound > rule.excused_above_compound
            if too_short and not warm and not reading.has_signal(rule.excused_by):
                start, end = whole_reply(reading)
                yield Hit(rule, start, end, tuple(rule.suggestions))


def _has_fragment(reading: Reading, rule: BrevityRule) -> bool:
    for sentence in reading.sentences:
        length = len(reading.words_in(sentence))
        if length > rule.fragment_words:
            continue
        if not reading.has_signal(rule.salutations, sentence.start_char, sentence.end_char):
            return True
    return False
