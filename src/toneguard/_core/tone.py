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
from operator import itemgetter
from typing import NamedTuple

from spacy.lang.lex_attrs import is_punct

from .._rules.schema import TONE_FEATURES, ToneMarker, ToneModel, ToneSettings, ToneShape
from .._text.reading import Reading
from .._text.sentiment import SentimentReader
from .._text.signals import PhrasePass
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


class _Counted(NamedTuple):
    """What the matcher needs of a marker whose phrase matched, looked up once per label."""

    order: int  # its place in the rules: markers at one place count in this order
    name: str
    category: Category
    weight: float
    most: int  # how often it counts (an absence marker: once, since only its presence matters)
    when_absent: bool
    sentence_start: bool
    companions: int | None  # its in_sentence_with list, by number
    exceptions: int | None  # its except_within list, by number


class ToneReader:
    """Counts tone markers in the reply's phrase pass, and weighs them by each category's model.

    A marker's own phrases, its ``in_sentence_with`` companions and its
    ``except_within`` exceptions are all labels of the reply's one phrase pass
    (beside the signal sets), saying which marker, or which shared companion or
    exception list ("you", "your"... serve several markers), they belong to.
    """

    def __init__(
        self,
        markers: list[ToneMarker],
        models: dict[Category, ToneModel],
        settings: ToneSettings,
        sentiment: SentimentReader,
        phrases: PhrasePass,
    ):
        self._settings = settings
        self._models = models
        self._opinion = sentiment.opinion_words(settings.opinion_valence)
        # Each model's weights of the measured features, only those it uses.
        self._measured_weights = {
            category: {name: model.weights[name] for name in TONE_FEATURES if model.weights.get(name)}
            for category, model in models.items()
        }
        weights = {
            marker.name: marker.weight if marker.weight is not None else models[marker.category].weights[marker.name]
            for marker in markers
        }
        self._absent = [(marker.name, marker.category, weights[marker.name]) for marker in markers if marker.when_absent]
        self._own: dict[int, _Counted] = {}
        self._companion_lists: dict[int, int] = {}  # label -> list number
        self._exception_lists: dict[int, int] = {}
        lists: dict[tuple[str, ...], int] = {}

        def side_list(kind: dict[int, int], role: str, listed: list[str]) -> int | None:
            if not listed:
                return None
            number = lists.setdefault(tuple(listed), len(lists))
            if number not in kind.values():
                kind[phrases.add(f"{role}:{number}", listed)] = number
            return number

        for order, marker in enumerate(markers):
            self._own[phrases.add(f"{marker.name}:own", marker.phrases)] = _Counted(
                order,
                marker.name,
                marker.category,
                weights[marker.name],
                1 if marker.when_absent else settings.max_count_per_marker,
                marker.when_absent,
                marker.sentence_start,
                side_list(self._companion_lists, "with", marker.in_sentence_with),
                side_list(self._exception_lists, "except", marker.except_within),
            )

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
        signals: dict[Category, list[ToneSignal]] = {category: [] for category in settings.shapes}
        present: set[str] = set()
        for counted, start, end in self._matches(reading):
            present.add(counted.name)
            if not counted.when_absent:
                start_char, end_char = starts[start], starts[end - 1] + len(texts[end - 1])
                signals[counted.category].append(
                    ToneSignal(counted.name, counted.weight, 1.0, text[start_char:end_char], start_char, end_char)
                )
        for name, category, weight in self._absent:
            if name not in present:
                signals[category].append(ToneSignal(name, weight))
        measured = self._measured(reading) if unweighed or any(self._measured_weights.values()) else {}
        for category, measured_weights in self._measured_weights.items():
            if category in signals:
                signals[category] += [
                    ToneSignal(name, round(measured_weights.get(name, 0.0) * value, 4), value)
                    for name, value in measured.items()
                    if unweighed or (value and name in measured_weights)
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

    def _matches(self, reading: Reading) -> list[tuple[_Counted, int, int]]:
        """The marker matches that count, in reply order: each meets its marker's position conditions, and
        a marker counts at most ``max_count_per_marker`` times (an absence marker once: it is present)."""
        own_labels, companion_labels, exception_labels = self._own, self._companion_lists, self._exception_lists
        own, companions = [], set()
        exceptions: dict[int, list[tuple[int, int]]] = {}
        starts = reading.sentence_starts
        for label, start, end in reading.phrase_matches:
            counted = own_labels.get(label)
            if counted is not None:
                own.append((start, counted.order, counted, end))
            elif label in companion_labels:
                companions.add((companion_labels[label], bisect_right(starts, start)))
            elif label in exception_labels:
                exceptions.setdefault(exception_labels[label], []).append((start, end))
        # Reply order, and markers at one place in the order the rules list them (the matcher's own order is its own).
        own.sort(key=_PLACE)
        counts: dict[str, int] = {}
        kept = []
        texts = reading.tokens.texts
        for start, _, counted, end in own:
            name = counted.name
            # A marker that has counted all it may is not checked again: most repeats are of "you" and "I".
            if counts.get(name, 0) >= counted.most:
                continue
            if counted.sentence_start and not _opens_sentence(texts, starts, start):
                continue
            if counted.companions is not None and (counted.companions, bisect_right(starts, start)) not in companions:
                continue
            if counted.exceptions is not None and any(s <= start and end <= e for s, e in exceptions.get(counted.exceptions, ())):
                continue
            counts[name] = counts.get(name, 0) + 1
            kept.append((counted, start, end))
        return kept


_PLACE = itemgetter(0, 1)  # (first token, the marker's order in the rules)


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
