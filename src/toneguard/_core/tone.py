"""Politeness strategies (gratitude, hedges, direct questions...) and brevity read as a bounded tone per category.

After Danescu-Niculescu-Mizil et al. (ACL 2013): requests that thank, hedge,
apologise or ask indirectly read as polite; ones that open with "why" or "you",
or insist on facts ("actually", "clearly"), read as blunt. Markers are data
(``tone_markers`` in the rules files), and so are their weights (``tone_models``:
the dismissive one is fitted on the Stanford Politeness requests) and the
numbers that bound them (``scoring.tone``). This module counts the features,
adds those that are not phrases (sentiment and opinion words for dismissive,
length for clipped), and weighs them.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from dataclasses import dataclass
from typing import Callable, NamedTuple

from spacy.lang.lex_attrs import is_punct
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from .._rules.schema import TONE_FEATURES, ToneMarker, ToneModel, ToneSettings, ToneShape
from .._text.reading import Reading
from .._text.sentiment import SentimentReader
from ..models import Category


class ToneSignal(NamedTuple):
    """One feature of a reply's tone: a marker's occurrence (value 1, with its span) or a measured value.

    ``weight`` is its push on the logit: the model's weight times ``value``.
    (A tuple: a reply makes a dozen of these, and a tuple is the cheapest record to build.)
    """

    name: str
    weight: float
    value: float = 1.0
    text: str = ""
    start: int | None = None
    end: int | None = None


@dataclass(frozen=True)
class Tone:
    shape: ToneShape
    intercept: float
    signals: tuple[ToneSignal, ...]

    @property
    def logit(self) -> float:
        """The model's log-odds; for dismissive, of a request reading as impolite on the Stanford scale."""
        return self.intercept + sum(signal.weight for signal in self.signals)

    @property
    def component(self) -> float:
        """The tone's share of its category's score, in 0..ceiling."""
        return self.shape.ceiling / (1.0 + math.exp(-(self.logit + self.shape.shift)))


# What a phrase is to its marker: one of its own phrases, an in_sentence_with companion, or an except_within courtesy.
_OWN, _COMPANION, _EXCEPTION = "own", "with", "except"


class ToneReader:
    """Counts tone markers with one PhraseMatcher pass over the reply, and weighs them by each category's model.

    A marker's own phrases, its ``in_sentence_with`` companions and its
    ``except_within`` exceptions are all patterns of the same matcher, under
    labels that say which marker and which role they belong to.
    """

    def __init__(
        self,
        markers: list[ToneMarker],
        models: dict[Category, ToneModel],
        settings: ToneSettings,
        sentiment: SentimentReader,
        vocab,
        make_doc: Callable[[str], Doc],
    ):
        self._settings = settings
        self._models = models
        self._opinion = sentiment.opinion_words(settings.opinion_valence)
        self._absent = [marker for marker in markers if marker.when_absent]
        # Each model's weights of the measured features, only those it uses.
        self._measured_weights = {
            category: {name: model.weights[name] for name in TONE_FEATURES if model.weights.get(name)}
            for category, model in models.items()
        }
        self._weights = {
            marker.name: marker.weight if marker.weight is not None else models[marker.category].weights[marker.name]
            for marker in markers
        }
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
        """Each toned category's tone: its model's intercept and the features it weighs (none without a model)."""
        signals = self._signals(reading, unweighed=False)
        return {
            category: Tone(shape, self._models[category].intercept, tuple(signals[category]))
            for category, shape in self._settings.shapes.items()
            if category in self._models
        }

    def features(self, reading: Reading) -> dict[Category, list[ToneSignal]]:
        """Every feature of the reply's tone per category, weighed or not (what a model is fitted on)."""
        return self._signals(reading, unweighed=True)

    def _signals(self, reading: Reading, unweighed: bool) -> dict[Category, list[ToneSignal]]:
        starts, texts, text = reading.tokens.starts, reading.tokens.texts, reading.text
        settings = self._settings
        cap, weights = settings.max_count_per_marker, self._weights
        signals: dict[Category, list[ToneSignal]] = {category: [] for category in settings.shapes}
        present: set[str] = set()
        counts: dict[str, int] = {}
        for marker, start, end in self._matches(reading):
            name = marker.name
            present.add(name)
            count = counts.get(name, 0)
            if count >= cap or marker.when_absent:
                continue
            counts[name] = count + 1
            start_char, end_char = starts[start], starts[end - 1] + len(texts[end - 1])
            signals[marker.category].append(
                ToneSignal(name, weights[name], 1.0, text[start_char:end_char], start_char, end_char)
            )
        for marker in self._absent:
            if marker.name not in present:
                signals[marker.category].append(ToneSignal(marker.name, self._weights[marker.name]))
        measured = self._measured(reading) if unweighed or any(self._measured_weights.values()) else {}
        for category, weights in self._measured_weights.items():
            if category in signals:
                signals[category] += [
                    ToneSignal(name, round(weights.get(name, 0.0) * value, 4), value)
                    for name, value in measured.items()
                    if unweighed or (value and name in weights)
                ]
        if Category.clipped in signals:
            customer_words = reading.customer.words if reading.customer else None
            signals[Category.clipped] += _brevity_signals(settings, len(reading.words), customer_words)
        return signals

    def _measured(self, reading: Reading) -> dict[str, float]:
        """The features that are not phrases: sentiment (negated, so negative reads colder) and opinion words."""
        cap, opinion = self._settings.max_count_per_marker, self._opinion
        polarities = [polarity for polarity in map(opinion.get, reading.lower_alpha_words) if polarity]
        positive = sum(1 for polarity in polarities if polarity > 0)
        return {
            "sentiment": -reading.sentiment.compound,
            "positive_words": min(cap, positive),
            "negative_words": min(cap, len(polarities) - positive),
        }

    def _matches(self, reading: Reading) -> list[tuple[ToneMarker, int, int]]:
        """Marker matches that meet their marker's position conditions, in reply order."""
        own, companions = [], set()
        exceptions: dict[str, list[tuple[int, int]]] = {}
        starts = reading.sentence_starts
        for match_id, start, end in self._matcher(reading.doc):
            marker, role = self._roles[match_id]
            if role == _OWN:
                own.append((marker, start, end))
            elif role == _COMPANION:
                companions.add((marker.name, bisect_right(starts, start)))
            else:
                exceptions.setdefault(marker.name, []).append((start, end))
        return [
            (marker, start, end)
            for marker, start, end in own
            if not (marker.sentence_start and not _opens_sentence(reading.tokens.texts, starts, start))
            and not (marker.in_sentence_with and (marker.name, bisect_right(starts, start)) not in companions)
            and not any(s <= start and end <= e for s, e in exceptions.get(marker.name, ()))
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
        shortness = round(1 - words / brisk.words, 4)
        signals.append(ToneSignal("brisk", round(brisk.weight * shortness, 4), shortness))
    if customer_words and customer_words >= short.min_words and customer_words >= short.ratio * words:
        signals.append(ToneSignal("short_for_customer", short.weight))
    return signals
