"""The fixed detector types: one module per kind of check. Every rule names its kind in ``check``.

A new rule needs no code here; a new kind of check is a new detector module,
listed in :func:`build_detectors`.
"""

from __future__ import annotations

from typing import Callable

from spacy.tokens import Doc

from .._engines.inflection import shared_inflector
from .._rules.patterns import PatternLimits
from .._rules.schema import Rule, ShapeWords, Swap
from .acronym import AcronymDetector
from .base import Detector, Hit
from .brevity import BrevityDetector
from .context import ContextDetector
from .matching import MatchingDetector
from .readability import ReadabilityDetector
from .sentiment import SentimentDetector
from .shape import ShapeDetector

__all__ = ["Detector", "Hit", "build_detectors", "code_terms"]

# A dictionary term holding one of these is code ("/etc/fstab", "uname -a"): the prose view hides it,
# so the shape rules flag it, offering the dictionary's plain words.
_CODE_CHARACTERS = ("/", "\\", "~", "$", "%", " -")


def code_terms(swaps: list[Swap]) -> dict[str, str]:
    """Lower-cased dictionary terms shaped like code, each with its plain wording or explanation."""
    return {
        term.lower(): swap.replace or swap.explain or ""
        for swap in swaps
        for term in swap.terms
        if any(mark in term for mark in _CODE_CHARACTERS)
    }


def build_detectors(
    rules: list[Rule],
    shape_words: ShapeWords,
    vocab,
    make_doc: Callable[[str], Doc],
    pipeline: str = "blank",
    signals: dict[str, list[str]] | None = None,
    limits: PatternLimits | None = None,
) -> list[Detector]:
    """One detector of each type, each given the rules whose ``check`` it runs; token patterns within ``limits``.

    ``pipeline`` names the spaCy pipeline whose tokenizer ``make_doc`` is, so
    terms tokenized by one are never reused for another; ``signals`` are the
    named phrase sets, of which the matching detector reads who a clause is about.
    """

    def of(detector: type[Detector]) -> list:
        return [rule for rule in rules if rule.check in detector.checks]

    # Acronyms inside a jargon term ("TXT record") get the jargon finding, not a second one.
    swaps = [swap for rule in rules if rule.check == "swap" for swap in rule.swaps]
    swap_acronyms = {word for swap in swaps for term in swap.terms for word in term.split() if word.isupper()}
    return [
        MatchingDetector(of(MatchingDetector), vocab, make_doc, shared_inflector(), pipeline, signals, limits),
        ShapeDetector(of(ShapeDetector), shape_words, code_terms(swaps)),
        AcronymDetector(of(AcronymDetector), swap_acronyms),
        SentimentDetector(of(SentimentDetector)),
        ReadabilityDetector(of(ReadabilityDetector)),
        BrevityDetector(of(BrevityDetector), shape_words),
        ContextDetector(of(ContextDetector)),
    ]
