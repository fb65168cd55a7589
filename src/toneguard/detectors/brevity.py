"""Replies too short for what they answer, on their own or against the customer's message."""

from __future__ import annotations

from typing import Iterable

from ..reading import Reading
from ..rule_schema import BrevityRule, ContextRule
from .base import Hit, whole_reply


class BrevityDetector:
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


class ContextDetector:
    """Compares the reply with the customer's message it answers."""

    def __init__(self, rules: list[ContextRule], long_customer_words: int = 40):
        self._rules = rules
        self._long = long_customer_words

    def find(self, reading: Reading) -> Iterable[Hit]:
        customer = reading.customer
        if customer is None or not reading.words:
            return
        conditions = {
            "upset": customer.is_upset,
            "question": customer.is_question,
            "long": customer.words >= self._long,
        }
        for rule in self._rules:
            if not conditions[rule.customer_when] or len(reading.words) > rule.max_reply_words:
                continue
            if reading.has_signal(rule.reply_lacks):
                continue
            yield Hit(rule, *reading.bounds(reading.sentences[0]), tuple(rule.suggestions))
