"""Replies that ignore what the customer's message is: upset, a question, a request, or long."""

from __future__ import annotations

from typing import ClassVar, Iterable

from .._rules.schema import ContextRule
from .._text.reading import Reading
from .base import Hit


class ContextDetector:
    """Compares the reply with the customer's message it answers."""

    checks: ClassVar[tuple[str, ...]] = ("context",)

    def __init__(self, rules: list[ContextRule]):
        self._rules = rules

    def find(self, reading: Reading) -> Iterable[Hit]:
        customer = reading.customer
        if customer is None or not reading.words:
            return
        for rule in self._rules:
            if rule.customer_when not in customer.conditions or len(reading.words) > rule.max_reply_words:
                continue
            if reading.has_signal(rule.reply_lacks) or (rule.reply_has and not reading.has_signal(rule.reply_has)):
                continue
            yield Hit(rule, *reading.bounds(reading.sentences[0]), tuple(rule.suggestions))
