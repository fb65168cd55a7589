"""VADER behind a small adapter, with help-desk phrases it misreads corrected from data."""

from __future__ import annotations

import re

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from .models import Sentiment


class SentimentReader:
    """Scores text with VADER after swapping corrected phrases for neutral stand-in words.

    VADER scores word by word, so "no problem" reads as negative ("no" and
    "problem" both are). Each phrase in ``overrides`` is replaced by a stand-in
    word that this reader's own lexicon gives the phrase's corrected valence.
    The lexicon belongs to this instance, so no other VADER user is affected.
    """

    def __init__(self, overrides: dict[str, float]):
        self._vader = SentimentIntensityAnalyzer()
        self._stand_ins: dict[str, str] = {}
        for index, (phrase, valence) in enumerate(sorted(overrides.items())):
            stand_in = f"tgphrase{index}"
            self._vader.lexicon[stand_in] = valence
            self._stand_ins[phrase.lower()] = stand_in
        phrases = sorted(self._stand_ins, key=len, reverse=True)
        self._pattern = (
            re.compile(r"\b(?:" + "|".join(re.escape(p) for p in phrases) + r")\b", re.IGNORECASE)
            if phrases
            else None
        )

    def score(self, text: str) -> Sentiment:
        if self._pattern is not None:
            text = self._pattern.sub(lambda m: self._stand_ins[m.group(0).lower()], text)
        scores = self._vader.polarity_scores(text)
        return Sentiment(
            compound=scores["compound"], positive=scores["pos"], neutral=scores["neu"], negative=scores["neg"]
        )
