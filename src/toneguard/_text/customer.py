"""The customer's message a reply answers, and what it is: upset, a question, long, a request, or a question back.

This is the one place those conditions are decided; the context rules, the
brevity rule and the clipped tone all read them from here.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from typing import Callable

from spacy.attrs import IS_ALPHA
from spacy.tokens import Doc

from .._rules.schema import CUSTOMER_ONLY_PREFIX, CustomerCondition, CustomerContext
from .normalize import normalize
from .sentiment import Sentiment, SentimentReader
from .signals import SignalFinder

UPSET_SIGNALS = "customer_upset"
"""The signal set whose phrases ("still not", "unacceptable", "fed up") make a message read as upset."""
ANGRY_SIGNALS = "customer_angry"
"""The signal set whose phrases ("disgraceful", "worst", "wtf") make a message read as angry, and so upset."""
ASKS_READER_SIGNALS = "customer_asks_reader"
"""Phrases that ask the replier about their own side ("do you have", "could you paste", "are you running")."""
REQUEST_SIGNALS = "customer_request"
"""Phrases that seek help or ask for something ("how do i", "is there a way", "can you help", "i need")."""
COURTESY_SIGNALS = "greeting", "warmth"
"""An exclamation mark closing one of these ("Hi!", "Thanks!") is courtesy, not anger."""


def customer_signal_sets(signals: dict[str, list[str]]) -> dict[str, list[str]]:
    """The signal sets a customer's message is read for: its own ``customer_*`` sets and the courtesies."""
    return {name: phrases for name, phrases in signals.items() if name.startswith(CUSTOMER_ONLY_PREFIX) or name in COURTESY_SIGNALS}
# How far after a courtesy an exclamation mark still belongs to it ("Thanks so much!").
_COURTESY_REACH = 12


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
        words = doc.to_array(IS_ALPHA).tolist().count(1)  # a flag per token; numpy's sum costs more on short arrays
        context = self._context
        matches = self._signals.matches(doc)
        found = self._signals.present(matches)
        question = "?" in masked
        asks_reader = ASKS_READER_SIGNALS in found and REQUEST_SIGNALS not in found
        compound = sentiment.compound
        marks = masked.count("!")
        angry_marks = (
            _angry_exclamations(masked, self._signals.found_in(doc, matches))
            if marks >= min(context.upset_exclamations, context.angry_exclamations)
            else 0
        )
        angry = (
            compound <= context.angry_compound
            or ANGRY_SIGNALS in found
            or (compound < 0 and angry_marks >= context.angry_exclamations)
        )
        holds: dict[CustomerCondition, bool] = {
            "upset": angry
            or compound <= context.upset_compound
            or UPSET_SIGNALS in found
            or (compound <= 0 and angry_marks >= context.upset_exclamations),
            "angry": angry,
            "question": question,
            "long": words >= self._context.long_words,
            "asks_reader": asks_reader,
            "request": not asks_reader and (question or REQUEST_SIGNALS in found),
        }
        return CustomerMessage(text, words, sentiment, frozenset(name for name, held in holds.items() if held))


def _angry_exclamations(text: str, found: dict[str, list[tuple[int, int]]]) -> int:
    """The exclamation marks that do not close a greeting or thanks ("Hi!", "Thanks so much!")."""
    courteous = sorted(end for name in COURTESY_SIGNALS for _, end in found.get(name, ()))
    count = 0
    index = text.find("!")
    while index >= 0:
        nearest = bisect_right(courteous, index) - 1
        count += nearest < 0 or index - courteous[nearest] > _COURTESY_REACH
        index = text.find("!", index + 1)
    return count
