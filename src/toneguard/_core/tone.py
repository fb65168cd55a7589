"""Politeness strategies (gratitude, hedges, direct questions...) and brevity read as a bounded tone per category.

After Danescu-Niculescu-Mizil et al. (ACL 2013): requests that thank, hedge,
apologise or ask indirectly read as polite; ones that open with "why" or "you",
or insist on facts ("actually", "clearly"), read as blunt. Markers are data
(``tone_markers`` in the rules files), and so are the numbers that shape them
(``scoring.tone``); this module only counts them, and adds the two signals that
are not phrases: sentiment (dismissive) and length (clipped).
"""

from __future__ import annotations

import math
from bisect import bisect_right
from dataclasses import dataclass
from typing import Callable

from spacy.lang.lex_attrs import is_punct
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from .._rules.schema import ToneMarker, ToneSettings, ToneShape
from .._text.reading import Reading
from ..models import Category


@dataclass(frozen=True)
class ToneSignal:
    name: str
    weight: float
    text: str = ""
    start: int | None = None
    end: int | None = None


@dataclass(frozen=True)
class Tone:
    shape: ToneShape
    signals: tuple[ToneSignal, ...]
    sentiment_push: float = 0.0

    @property
    def logit(self) -> float:
        return self.shape.bias + self.sentiment_push + sum(signal.weight for signal in self.signals)

    @property
    def component(self) -> float:
        """The tone's share of its category's score, in 0..ceiling."""
        return self.shape.ceiling / (1.0 + math.exp(-self.logit))


# What a phrase is to its marker: one of its own phrases, an in_sentence_with companion, or an except_within courtesy.
_OWN, _COMPANION, _EXCEPTION = "own", "with", "except"


class ToneReader:
    """Counts tone markers with one PhraseMatcher pass over the reply.

    A marker's own phrases, its ``in_sentence_with`` companions and its
    ``except_within`` exceptions are all patterns of the same matcher, under
    labels that say which marker and which role they belong to.
    """

    def __init__(self, markers: list[ToneMarker], settings: ToneSettings, vocab, make_doc: Callable[[str], Doc]):
        self._settings = settings
        self._absent = [marker for marker in markers if marker.when_absent]
        self._matcher = PhraseMatcher(vocab, attr="LOWER")
        self._roles: dict[int, tuple[ToneMarker, str]] = {}
        for marker in markers:
            for role, phrases in (
                (_OWN, marker.phrases),
                (_COMPANION, marker.in_sentence_with),
                (_EXCEPTION, marker.except_within),
            ):
                if phrases:
                    label = f"{marker.name}:{role}"
                    self._matcher.add(label, [make_doc(phrase) for phrase in phrases])
                    self._roles[vocab.strings.add(label)] = (marker, role)

    def read(self, reading: Reading) -> dict[Category, Tone]:
        tokens, text = reading.tokens, reading.text
        settings = self._settings
        signals: dict[Category, list[ToneSignal]] = {category: [] for category in settings.shapes}
        present: set[str] = set()
        counts: dict[str, int] = {}
        for marker, start, end in self._matches(reading):
            present.add(marker.name)
            if marker.when_absent or counts.get(marker.name, 0) >= settings.max_count_per_marker:
                continue
            counts[marker.name] = counts.get(marker.name, 0) + 1
            start_char, end_char = tokens.starts[start], tokens.starts[end - 1] + len(tokens.texts[end - 1])
            signals[marker.category].append(
                ToneSignal(marker.name, marker.weight, text[start_char:end_char], start_char, end_char)
            )
        for marker in self._absent:
            if marker.name not in present:
                signals[marker.category].append(ToneSignal(marker.name, marker.weight))
        customer_words = reading.customer.words if reading.customer else None
        signals[Category.clipped] += _brevity_signals(settings, len(reading.words), customer_words)
        compound = reading.sentiment.compound
        return {
            category: Tone(shape, tuple(signals[category]), -shape.sentiment_weight * compound)
            for category, shape in settings.shapes.items()
        }

    def _matches(self, reading: Reading) -> list[tuple[ToneMarker, int, int]]:
        """Marker matches that meet their marker's position conditions, in reply order."""
        own, companions, exceptions = [], set(), []
        starts = [sentence.start for sentence in reading.all_sentences]
        for match_id, start, end in self._matcher(reading.doc):
            marker, role = self._roles[match_id]
            if role == _OWN:
                own.append((marker, start, end))
            elif role == _COMPANION:
                companions.add((marker.name, bisect_right(starts, start)))
            else:
                exceptions.append((marker.name, start, end))
        return [
            (marker, start, end)
            for marker, start, end in own
            if not (marker.sentence_start and not _opens_sentence(reading.tokens.texts, starts, start))
            and not (marker.in_sentence_with and (marker.name, bisect_right(starts, start)) not in companions)
            and not any(name == marker.name and s <= start and end <= e for name, s, e in exceptions)
        ]


def _opens_sentence(texts: list[str], starts: list[int], index: int) -> bool:
    """True when only masked text (whitespace) or punctuation comes before the token in its sentence."""
    first = starts[bisect_right(starts, index) - 1] if starts else 0
    return all(not text.strip() or is_punct(text) for text in texts[first:index])


def _brevity_signals(settings: ToneSettings, words: int, customer_words: int | None) -> list[ToneSignal]:
    """Clipped pushes from length: a brisk reply, and one far shorter than the message it answers."""
    signals = []
    brisk, short = settings.brisk, settings.short_for_customer
    if words < brisk.words:
        signals.append(ToneSignal("brisk", round(brisk.weight * (1 - words / brisk.words), 4)))
    if customer_words and customer_words >= short.min_words and customer_words >= short.ratio * words:
        signals.append(ToneSignal("short_for_customer", short.weight))
    return signals
