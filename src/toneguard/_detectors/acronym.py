"""Unexplained acronyms: capitalised letter runs a customer may not know."""

from __future__ import annotations

import re
from typing import ClassVar, Iterable

from spacy.lang.en.stop_words import STOP_WORDS

from .._rules.schema import AcronymRule
from .._text.reading import Reading, Word
from .base import Hit

# An acronym followed by its expansion in brackets, or an expansion followed by it, is explained.
_EXPLAINED_AFTER = re.compile(r"^\s*\((?=[^)]*[a-z])[^)]{4,80}\)")
_EXPLAINED_BEFORE = re.compile(r"\([^()]{0,10}$")
_WORDS = re.compile(r"[A-Za-z]+")


class AcronymDetector:
    checks: ClassVar[tuple[str, ...]] = ("acronym",)

    def __init__(self, rules: list[AcronymRule], known_terms: set[str]):
        self._rules = rules
        self._everyday = [{word.upper() for word in rule.everyday} for rule in rules]
        # Acronyms the swap dictionary already explains get that richer finding instead.
        self._known_terms = known_terms

    def find(self, reading: Reading) -> Iterable[Hit]:
        text = reading.text
        customer_words: set[str] | None = None
        for token in reading.words:
            if token.text.islower():
                continue  # most words: nothing in them is a capital
            word = token.text[:-1] if token.text.endswith("s") and token.text[:-1].isupper() else token.text
            if not (word.isupper() and word.isalpha()) or word in self._known_terms:
                continue
            if word.lower() in STOP_WORDS:
                continue  # emphasis ("thank YOU", "do NOT"), not an acronym
            if customer_words is None:
                # An acronym the customer used themselves ("my PST file") is one they know.
                customer_words = set(_WORDS.findall(reading.customer.text)) if reading.customer else set()
            if word in customer_words:
                continue
            if _is_shouting(reading.words_in(reading.sentence_of(token.i))) or _explained(text, token.start, token.end):
                continue
            for rule, everyday in zip(self._rules, self._everyday):
                if rule.min_length <= len(word) <= rule.max_length and word not in everyday:
                    yield Hit(rule, token.start, token.end, tuple(rule.suggestions))


def _is_shouting(words: list[Word]) -> bool:
    """A capitalised ordinary sentence ("PLEASE READ THIS") is emphasis, not acronyms."""
    sentence_words = [w for w in words if w.is_alpha]
    return len(sentence_words) >= 3 and sum(t.text.isupper() for t in sentence_words) / len(sentence_words) > 0.6


def _explained(text: str, start: int, end: int) -> bool:
    return bool(_EXPLAINED_AFTER.match(text[end : end + 90]) or _EXPLAINED_BEFORE.search(text[max(0, start - 10) : start]))
