"""VADER behind a small adapter, with help-desk phrases it misreads corrected from data."""

from __future__ import annotations

import re
import string
from typing import Iterable, NamedTuple

from .._engines.vader import Vader

_PUNCTUATION = string.punctuation
# Replies are far shorter than this; it only bounds the cost of pasted walls of text.
_CHUNK_WORDS = 200


class Sentiment(NamedTuple):
    """VADER's scores for a text: the fields of :class:`toneguard.models.Sentiment`, validated only in a Report."""

    compound: float
    positive: float
    neutral: float
    negative: float


class SentimentReader:
    """Scores text with VADER after swapping corrected phrases for neutral stand-in words.

    VADER scores word by word, so "no problem" reads as negative ("no" and
    "problem" both are). Each phrase in ``overrides`` is replaced by a stand-in
    word that this reader's own lexicon gives the phrase's corrected valence.
    The lexicon belongs to this instance, so no other VADER user is affected.
    """

    def __init__(self, overrides: dict[str, float]):
        self._vader = Vader()
        self._stand_ins: dict[str, str] = {}
        for index, (phrase, valence) in enumerate(sorted(overrides.items())):
            stand_in = f"tgphrase{index}"
            self._vader.lexicon[stand_in] = valence
            self._stand_ins[phrase.lower()] = stand_in
        phrases = sorted(self._stand_ins, key=len, reverse=True)
        source = r"\b(?:" + "|".join(re.escape(p) for p in phrases) + r")\b"
        # Matching the lower-cased text is three times faster than IGNORECASE; the
        # slow pattern serves the rare text whose length lower-casing changes ("İ").
        self._pattern = re.compile(source) if phrases else None
        self._pattern_any_case = re.compile(source, re.IGNORECASE) if phrases else None
        # Each phrase's longest word, which any text holding the phrase holds: most texts hold none,
        # and a few substring tests cost far less than the pattern's scan of every position.
        self._anchors = _fewest_substrings(max(phrase.split(), key=len) for phrase in phrases)
        words, negative_phrases = self._vader.what_can_score_negative()
        negative_overrides = {word for phrase, valence in overrides.items() if valence < 0 for word in phrase.lower().split()}
        self._negative_words = words | negative_overrides
        self._negative_phrases = negative_phrases

    def may_read_negative(self, text: str) -> bool:
        """False only when ``text`` cannot score below zero (no word, phrase or emoji that could make it): scoring it can be skipped."""
        if not text.isascii():
            return True
        lowered = text.lower()
        words = self._negative_words
        for token in lowered.split():
            # VADER's own reading of a word: stripped of punctuation unless that leaves an emoticon's two characters.
            stripped = token.strip(_PUNCTUATION)
            word = token if len(stripped) <= 2 else stripped
            if word in words or "n't" in word:
                return True
        return any(phrase in lowered for phrase in self._negative_phrases)

    def opinion_words(self, valence: float) -> dict[str, int]:
        """The lexicon's words at least ``valence`` from neutral, each with its polarity (1 or -1)."""
        return {
            word: 1 if score > 0 else -1
            for word, score in self._vader.lexicon.items()
            if abs(score) >= valence and word not in self._stand_ins.values()
        }

    def score(self, text: str) -> Sentiment:
        text = self._with_stand_ins(text)
        words = text.split()
        if len(words) <= _CHUNK_WORDS:
            return _as_sentiment(self._vader.polarity_scores(text))
        # VADER's time grows with the square of the text's length; long texts are
        # scored in chunks and averaged by word count.
        chunks = [words[i : i + _CHUNK_WORDS] for i in range(0, len(words), _CHUNK_WORDS)]
        totals = dict.fromkeys(("compound", "pos", "neu", "neg"), 0.0)
        for chunk in chunks:
            scores = self._vader.polarity_scores(" ".join(chunk))
            for key in totals:
                totals[key] += scores[key] * len(chunk) / len(words)
        return _as_sentiment({key: round(value, 4) for key, value in totals.items()})

    def _with_stand_ins(self, text: str) -> str:
        pattern, pattern_any_case = self._pattern, self._pattern_any_case
        if pattern is None or pattern_any_case is None:
            return text
        lowered = text.lower()
        if len(lowered) != len(text):
            return pattern_any_case.sub(lambda m: self._stand_ins[m.group(0).lower()], text)
        for anchor in self._anchors:
            if anchor in lowered:
                break
        else:
            return text
        parts: list[str] = []
        last = 0
        for match in pattern.finditer(lowered):
            parts += (text[last : match.start()], self._stand_ins[match.group(0)])
            last = match.end()
        return "".join((*parts, text[last:])) if parts else text


def _as_sentiment(scores: dict[str, float]) -> Sentiment:
    return Sentiment(scores["compound"], scores["pos"], scores["neu"], scores["neg"])


def _fewest_substrings(words: Iterable[str]) -> tuple[str, ...]:
    """The words, less any that holds another of them: a text holding "fixed" holds "fix"."""
    unique = sorted(set(words), key=len)
    kept: list[str] = []
    for word in unique:
        if not any(shorter in word for shorter in kept):
            kept.append(word)
    return tuple(kept)
