"""The fixed detector types. Every rule names one of them in its ``check`` field."""

from __future__ import annotations

from typing import Callable

from spacy.tokens import Doc

from ..rule_schema import (
    AcronymRule,
    BrevityRule,
    ContextRule,
    PatternRule,
    PhraseRule,
    ReadabilityRule,
    Rule,
    SentimentRule,
    SwapRule,
)
from .acronym import AcronymDetector
from .base import Detector, Hit
from .brevity import BrevityDetector, ContextDetector
from .matching import MatchingDetector
from .plainness import ReadabilityDetector
from .tone import SentimentDetector

__all__ = ["Detector", "Hit", "build_detectors"]


def build_detectors(rules: list[Rule], vocab, make_doc: Callable[[str], Doc]) -> list[Detector]:
    def of(kind):
        return [rule for rule in rules if isinstance(rule, kind)]

    # Acronyms inside a jargon term ("TXT record") get the jargon finding, not a second one.
    swap_acronyms = {
        word for rule in of(SwapRule) for swap in rule.swaps for term in swap.terms for word in term.split() if word.isupper()
    }
    return [
        MatchingDetector(of((PhraseRule, PatternRule, SwapRule)), vocab, make_doc),
        AcronymDetector(of(AcronymRule), swap_acronyms),
        SentimentDetector(of(SentimentRule)),
        ReadabilityDetector(of(ReadabilityRule)),
        BrevityDetector(of(BrevityRule)),
        ContextDetector(of(ContextRule)),
    ]
