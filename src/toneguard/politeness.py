"""Politeness strategies (gratitude, hedges, direct questions...) and brevity read as a bounded tone per category.

After Danescu-Niculescu-Mizil et al. (ACL 2013): requests that thank, hedge,
apologise or ask indirectly read as polite; ones that open with "why" or "you",
or insist on facts ("actually", "clearly"), read as blunt. Markers are data
(``tone_markers`` in the rules files); this module only counts them, and adds
the two signals that are not phrases: sentiment (dismissive) and length (clipped).
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass
from typing import Callable

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from .rule_schema import Category, ToneMarker

# A marker repeated many times says little more than twice.
_MAX_COUNT_PER_MARKER = 2
# A reply shorter than this reads as brisk; the push grows as it shrinks.
_BRISK_WORDS = 12
_BRISK_WEIGHT = 1.5
# A customer message this many times longer than the reply, and long itself, reads as not having been read.
_SHORT_FOR_CUSTOMER_RATIO = 4
_SHORT_FOR_CUSTOMER_MIN_WORDS = 25
_SHORT_FOR_CUSTOMER_WEIGHT = 1.0


@dataclass(frozen=True)
class ToneShape:
    """How one category turns its tone logit into a share of its score."""

    bias: float
    ceiling: float
    sentiment_weight: float = 0.0


# Tone alone can never flag a reply: only a finding can take a score past its threshold.
# A reply with no markers gets a small share (dismissive: sigmoid(-2.5) ~ 0.08 of its ceiling; clipped: a
# courteous reply with a next step rounds to nothing). Clipped stays
# under 0.23 so that, beside one medium finding (0.35), it still cannot reach 0.5.
TONE_SHAPES = {
    # VADER's compound (-1..1) enters with this weight, negative words pushing up.
    Category.dismissive: ToneShape(bias=-2.5, ceiling=0.4, sentiment_weight=1.7),
    Category.clipped: ToneShape(bias=-3.5, ceiling=0.2),
}


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


class ToneReader:
    def __init__(self, markers: list[ToneMarker], vocab, make_doc: Callable[[str], Doc]):
        self._markers = {marker.name: marker for marker in markers}
        self._absent = [marker for marker in markers if marker.when_absent]
        self._matcher = _matcher(vocab, make_doc, {m.name: m.phrases for m in markers})
        self._companions = _matcher(vocab, make_doc, {m.name: m.in_sentence_with for m in markers if m.in_sentence_with})
        self._exceptions = _matcher(vocab, make_doc, {m.name: m.except_within for m in markers if m.except_within})

    def read(
        self, doc: Doc, sentences: list[Span], compound: float, words: int, customer_words: int | None
    ) -> dict[Category, Tone]:
        signals: dict[Category, list[ToneSignal]] = {category: [] for category in TONE_SHAPES}
        present: set[str] = set()
        counts: Counter[str] = Counter()
        for marker, start, end in self._matches(doc, sentences):
            present.add(marker.name)
            if marker.when_absent or counts[marker.name] >= _MAX_COUNT_PER_MARKER:
                continue
            counts[marker.name] += 1
            span = doc[start:end]
            signals[marker.category].append(
                ToneSignal(marker.name, marker.weight, span.text, span.start_char, span.end_char)
            )
        for marker in self._absent:
            if marker.name not in present:
                signals[marker.category].append(ToneSignal(marker.name, marker.weight))
        signals[Category.clipped] += _brevity_signals(words, customer_words)
        return {
            category: Tone(shape, tuple(signals[category]), -shape.sentiment_weight * compound)
            for category, shape in TONE_SHAPES.items()
        }

    def _matches(self, doc: Doc, sentences: list[Span]) -> list[tuple[ToneMarker, int, int]]:
        """Marker matches that meet their marker's position conditions, in reply order."""
        if not len(self._matcher):
            return []
        matches = [(self._markers[doc.vocab.strings[m]], s, e) for m, s, e in self._matcher(doc)]
        openers: set[int] | None = None
        starts: list[int] | None = None
        companions: dict[str, set[int]] | None = None
        exceptions: dict[str, list[tuple[int, int]]] | None = None
        kept = []
        for marker, start, end in matches:
            if marker.sentence_start:
                openers = _sentence_openers(sentences) if openers is None else openers
                if start not in openers:
                    continue
            if marker.in_sentence_with:
                starts = [sentence.start for sentence in sentences] if starts is None else starts
                if companions is None:
                    companions = _by_label(doc, self._companions, lambda s, e: bisect_right(starts, s))
                if bisect_right(starts, start) not in companions.get(marker.name, ()):
                    continue
            if marker.except_within:
                exceptions = _by_label(doc, self._exceptions, lambda s, e: (s, e)) if exceptions is None else exceptions
                if any(s <= start and end <= e for s, e in exceptions.get(marker.name, ())):
                    continue
            kept.append((marker, start, end))
        return kept


def _matcher(vocab, make_doc: Callable[[str], Doc], phrases: dict[str, list[str]]) -> PhraseMatcher:
    matcher = PhraseMatcher(vocab, attr="LOWER")
    for label, listed in phrases.items():
        matcher.add(label, [make_doc(phrase) for phrase in listed])
    return matcher


def _by_label(doc: Doc, matcher: PhraseMatcher, key: Callable[[int, int], object]) -> dict[str, set]:
    found: dict[str, set] = {}
    for match_id, start, end in matcher(doc):
        found.setdefault(doc.vocab.strings[match_id], set()).add(key(start, end))
    return found


def _brevity_signals(words: int, customer_words: int | None) -> list[ToneSignal]:
    """Clipped pushes from length: a brisk reply, and one far shorter than the message it answers."""
    signals = []
    if words < _BRISK_WORDS:
        signals.append(ToneSignal("brisk", round(_BRISK_WEIGHT * (1 - words / _BRISK_WORDS), 4)))
    if customer_words and customer_words >= _SHORT_FOR_CUSTOMER_MIN_WORDS and customer_words >= _SHORT_FOR_CUSTOMER_RATIO * words:
        signals.append(ToneSignal("short_for_customer", _SHORT_FOR_CUSTOMER_WEIGHT))
    return signals


def _sentence_openers(sentences: list[Span]) -> set[int]:
    """Index of each sentence's first word, past masked text (whitespace) and opening punctuation."""
    openers = set()
    for sentence in sentences:
        for token in sentence:
            if not (token.is_space or token.is_punct or not token.text.strip()):
                openers.add(token.i)
                break
    return openers
