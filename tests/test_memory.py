"""An Analyzer that reads endless new words keeps its spaCy vocabulary bounded."""

from __future__ import annotations

import gc
import random
import string
import weakref

from toneguard import Analyzer
from toneguard._core import engine

from conftest import SAMPLE_REPLIES


def _unseen_words(count: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    return [
        " ".join("".join(rng.choices(string.ascii_lowercase, k=rng.randint(4, 9))) for _ in range(10)) + "."
        for _ in range(count)
    ]


def test_vocabulary_is_renewed_once_it_outgrows_its_limit(monkeypatch):
    monkeypatch.setattr(engine, "NEW_STRINGS_BEFORE_RENEWAL", 500)
    analyzer = Analyzer()
    start = len(analyzer._engine.nlp.vocab.strings)
    first = weakref.ref(analyzer._engine.nlp)
    texts = iter(_unseen_words(300))
    while analyzer._engine.nlp is first():
        text = next(texts)
        analyzer.analyze(text, customer=text)
    gc.collect()
    assert first() is None, "the old vocabulary is let go, cached customer messages included"
    for text in texts:
        analyzer.analyze(text, customer=text)
    # Bounded by the limit plus what one reply can add past it.
    assert len(analyzer._engine.nlp.vocab.strings) < start + 500 + 100


def test_a_renewed_analyzer_reports_exactly_as_a_fresh_one(monkeypatch):
    monkeypatch.setattr(engine, "NEW_STRINGS_BEFORE_RENEWAL", 200)
    renewed = Analyzer()
    for text in _unseen_words(100):
        renewed.analyze(text)
    fresh = Analyzer()
    assert renewed._engine is not fresh._engine
    for reply in SAMPLE_REPLIES:
        assert renewed.analyze(reply, "This is still broken!") == fresh.analyze(reply, "This is still broken!")
