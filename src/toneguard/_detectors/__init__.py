"""The fixed detector types: one module per kind of check. Every rule names its kind in ``check``.

A new rule needs no code here; a new kind of check is a new detector module,
listed in :func:`build_detectors`.
"""

from __future__ import annotations

from typing import Callable

from spacy.tokens import Doc

from .._rules.patterns import PatternLimits
from .._rules.schema import Rule
from .acronym import AcronymDetector
from .base import Detector, Hit
from .brevity import BrevityDetector
from .context import ContextDetector
from .matching import MatchingDetector
from .readability import ReadabilityDetector
from .sentiment import SentimentDetector

__all__ = ["Detector", "Hit", "build_detectors"]


def build_detectors(
    rules: list[Rule], vocab, make_doc: Callable[[str], Doc], limits: PatternLimits | None = None
) -> list[Detector]:
    """One detector of each type, each given the rules whose ``check`` it runs; token patterns within ``limits``."""

    def of(detector: type[Detector]) -> list:
        return [rule for rule in rules if rule.check in detector.checks]

    # Acronyms inside a jargon term ("TXT record") get the jargon finding, not a second one.
    swaps = [swap for rule in rules if rule.check == "swap" for swap in rule.swaps]
    swap_acronyms = {word for swap in swaps for term in swap.terms for word in term.split() if word.isupper()}
    return [
        MatchingDetector(of(MatchingDetector), vocab, make_doc, limits),
        AcronymDetector(of(AcronymDetector), swap_acronyms),
        SentimentDetector(of(SentimentDetector)),
        ReadabilityDetector(of(ReadabilityDetector)),
        BrevityDetector(of(BrevityDetector)),
        ContextDetector(of(ContextDetector)),
    ]
