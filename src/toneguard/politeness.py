"""Politeness strategies (gratitude, hedges, direct questions...) read as one tone value.

After Danescu-Niculescu-Mizil et al. (ACL 2013): requests that thank, hedge,
apologise or ask indirectly read as polite; ones that open with "why" or "you",
or insist on facts ("actually", "clearly"), read as blunt. Markers are data
(``tone_markers`` in the rules files); this module only counts them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from .rule_schema import ToneMarker

# A marker repeated many times says little more than twice.
_MAX_COUNT_PER_MARKER = 2
# VADER's compound (-1..1) enters the tone logit with this weight, negative words pushing up.
_SENTIMENT_WEIGHT = 1.0
# With no markers and neutral sentiment the tone component is small: sigmoid(-2) ~ 0.12.
_BIAS = -2.0
# Tone alone can never flag a reply: only a finding can take the score past a threshold.
TONE_CEILING = 0.4


@dataclass(frozen=True)
class ToneSignal:
    name: str
    weight: float
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Tone:
    signals: tuple[ToneSignal, ...]
    sentiment_push: float

    @property
    def logit(self) -> float:
        return _BIAS + self.sentiment_push + sum(signal.weight for signal in self.signals)

    @property
    def component(self) -> float:
        """The tone's share of the dismissive score, in 0..TONE_CEILING."""
        return TONE_CEILING / (1.0 + math.exp(-self.logit))


class ToneReader:
    def __init__(self, markers: list[ToneMarker], vocab, make_doc: Callable[[str], Doc]):
        self._markers = {marker.name: marker for marker in markers}
        self._matcher = PhraseMatcher(vocab, attr="LOWER")
        for marker in markers:
            self._matcher.add(marker.name, [make_doc(phrase) for phrase in marker.phrases])

    def read(self, doc: Doc, sentences: list[Span], compound: float) -> Tone:
        signals: list[ToneSignal] = []
        counts: dict[str, int] = {}
        openers: set[int] | None = None
        if len(self._matcher):
            for match_id, start, end in self._matcher(doc):
                marker = self._markers[doc.vocab.strings[match_id]]
                if marker.sentence_start:
                    openers = _sentence_openers(sentences) if openers is None else openers
                    if start not in openers:
                        continue
                if counts.get(marker.name, 0) >= _MAX_COUNT_PER_MARKER:
                    continue
                counts[marker.name] = counts.get(marker.name, 0) + 1
                span = doc[start:end]
                signals.append(ToneSignal(marker.name, marker.weight, span.text, span.start_char, span.end_char))
        return Tone(tuple(signals), -_SENTIMENT_WEIGHT * compound)


def _sentence_openers(sentences: list[Span]) -> set[int]:
    """Index of each sentence's first word, past masked text (whitespace) and opening punctuation."""
    openers = set()
    for sentence in sentences:
        for token in sentence:
            if not (token.is_space or token.is_punct or not token.text.strip()):
                openers.add(token.i)
                break
    return openers
