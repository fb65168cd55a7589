"""Phrases matched on whole tokens, indexed by their first token.

It finds what spaCy's PhraseMatcher finds (every run of tokens equal to a
phrase's tokens, compared lower-cased or exactly), but it is built from the
phrases' token texts rather than from a Doc per phrase: a Doc costs tens of
microseconds and a kilobyte, which made a 100,000-phrase list take seconds and
hundreds of megabytes to load, every time.
"""

from __future__ import annotations

from typing import Iterator

from spacy.attrs import LOWER, ORTH
from spacy.strings import get_string_id
from spacy.tokens import Doc

from .._text.budget import Budget

# Tokens read between two looks at the time budget.
_TOKENS_PER_CHECK = 4096


class PhraseIndex:
    """Keys registered for phrases; calling it on a Doc yields ``(key, start, end)`` for each occurrence."""

    def __init__(self, lower: bool):
        self._lower = lower
        self._attribute = LOWER if lower else ORTH
        # first token -> phrase length -> the other tokens -> keys, in the order they were added
        self._by_first: dict[int, dict[int, dict[tuple[int, ...], list[str]]]] = {}
        self._phrases = 0

    def add(self, key: str, phrases: list[list[str]]) -> None:
        """Registers ``key`` for each phrase, given as its token texts."""
        for tokens in phrases:
            if not tokens:
                continue
            hashes = tuple(get_string_id(token.lower() if self._lower else token) for token in tokens)
            tails = self._by_first.setdefault(hashes[0], {}).setdefault(len(hashes), {})
            keys = tails.setdefault(hashes[1:], [])
            if key not in keys:
                keys.append(key)
                self._phrases += 1

    def __len__(self) -> int:
        return self._phrases

    def __call__(self, doc: Doc, budget: Budget) -> Iterator[tuple[str, int, int]]:
        values = doc.to_array(self._attribute).tolist()
        by_first = self._by_first
        for start, value in enumerate(values):
            if start % _TOKENS_PER_CHECK == 0 and budget.exhausted():
                return
            lengths = by_first.get(value)
            if lengths is None:
                continue
            for length, tails in lengths.items():
                for key in tails.get(tuple(values[start + 1 : start + length]), ()):
                    yield key, start, start + length
