"""How common a word is in general English, from wordfreq's offline frequency lists."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib.metadata import version

from .disk_cache import cached

# Lower-case letters only: wordfreq reads such a word as one token, itself, so its frequency is its own entry.
_PLAIN = re.compile(r"[a-z]+")


@lru_cache(maxsize=16384)
def zipf_frequency(word: str) -> float:
    """Zipf frequency of ``word`` in English (0 = never seen, about 7 = "the"; 3 = once per million words).

    wordfreq and its lists load on first use, so replies that never ask cost nothing.
    """
    from wordfreq import zipf_frequency as frequency

    return frequency(word, "en")


class RareWords:
    """Whether a word is rarer than ``below`` on the Zipf scale, mostly without loading wordfreq.

    wordfreq's English list takes over 50 MB once loaded, in every process that
    asks. A plain lower-case word's frequency is its own entry in that list, so
    the plain words at least as common as ``below`` are kept as a set (tens of
    thousands, in the disk cache) and looked up; any other word asks wordfreq.
    """

    def __init__(self, below: float):
        self._below = below
        self._common: frozenset[str] | None = None

    def __call__(self, word: str) -> bool:
        if _PLAIN.fullmatch(word) is None:
            return zipf_frequency(word) < self._below
        if self._below <= 0:
            return False  # no word is rarer than never seen
        if self._common is None:
            self._common = frozenset(_common_plain_words(self._below))
        return word not in self._common


def _common_plain_words(below: float) -> list[str]:
    """The plain words of wordfreq's English list whose Zipf frequency is at least ``below``."""

    def compute() -> list[str]:
        from wordfreq import get_frequency_dict

        return sorted(word for word in get_frequency_dict("en") if _PLAIN.fullmatch(word) and zipf_frequency(word) >= below)

    return cached("common-words", f"{version('wordfreq')}:{below!r}".encode(), compute)
