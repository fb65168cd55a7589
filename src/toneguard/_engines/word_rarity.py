"""How common a word is in general English, from wordfreq's offline frequency lists."""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=16384)
def zipf_frequency(word: str) -> float:
    """Zipf frequency of ``word`` in English (0 = never seen, about 7 = "the"; 3 = once per million words).

    wordfreq and its lists load on first use, so replies that never ask cost nothing.
    """
    from wordfreq import zipf_frequency as frequency

    return frequency(word, "en")
