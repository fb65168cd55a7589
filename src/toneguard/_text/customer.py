"""The customer's message a reply answers, and what it is: upset, a question, long.

This is the one place those conditions are decided; the context rules and the
clipped tone both read them from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from spacy.attrs import IS_ALPHA
from spacy.tokens import Doc

from .._rules.schema import CustomerCondition, CustomerContext
from ..models import Sentiment
from .normalize import normalize
from .sentiment import SentimentReader
from .signals import SignalFinder

UPSET_SIGNALS = "customer_upset"
"""The signal set whose phrases ("still", "urgent", "unacceptable") make a message read as upset."""


@dataclass(frozen=True)
class CustomerMessage:
    """The customer's message, read once: its words, its sentiment, and which conditions it meets."""

    text: str
    words: int
    sentiment: Sentiment
    conditions: frozenset[CustomerCondition]


class CustomerReader:
    """Reads customers' messages with one spaCy vocabulary, by the ``context:`` settings."""

    def __init__(
        self,
        context: CustomerContext,
        make_doc: Callable[[str], Doc],
        signals: SignalFinder,
        sentiment: SentimentReader,
        max_chars: int,
    ):
        self._context = context
        self._make_doc = make_doc
        self._signals = signals
        self._sentiment = sentiment
        self._max_chars = max_chars

    def read(self, text: str) -> CustomerMessage:
        masked = normalize(text[: self._max_chars]).masked
        doc = self._make_doc(masked)
        sentiment = self._sentiment.score(masked)
        words = int(doc.to_array(IS_ALPHA).sum())
        holds: dict[CustomerCondition, bool] = {
            "upset": sentiment.compound <= self._context.upset_compound
            or "!" in masked
            or bool(self._signals.find(doc).get(UPSET_SIGNALS)),
            "question": "?" in masked,
            "long": words >= self._context.long_words,
        }
        return CustomerMessage(text, words, sentiment, frozenset(name for name, held in holds.items() if held))
