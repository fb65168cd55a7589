"""Phrase, token-pattern and swap rules, all matched in one pass each with spaCy's matchers."""

from __future__ import annotations

import re
from typing import Callable, Iterable

from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from .._engines.spacy_pipeline import phrase_tokens
from .._rules.patterns import PatternLimits
from .._rules.schema import PatternRule, PhraseRule, Rule, SwapRule
from .._text.reading import Reading
from .anchored import AnchoredMatcher
from .base import Hit
from .phrases import PhraseIndex

# Matches handled between two looks at the time budget, and how many are still handled once it is
# spent (a few milliseconds' work), so matches found in time are reported rather than dropped.
_MATCHES_PER_CHECK = 256
_MATCHES_AFTER_BUDGET = 1024


class MatchingDetector:
    """Runs every phrase, pattern and swap rule.

    Each match key is registered with a small record of the rule (and, for
    swaps, which entry), so one pass of each matcher serves all the rules.
    """

    checks = ("phrase", "pattern", "swap")

    def __init__(self, rules: list[Rule], vocab, make_doc: Callable[[str], Doc], limits: PatternLimits | None = None):
        self._lower = PhraseIndex(lower=True)
        self._exact = PhraseIndex(lower=False)
        self._patterns = AnchoredMatcher(vocab, limits)
        self._targets: dict[str, tuple[Rule, tuple[str, ...], str | None]] = {}
        self._unless: dict[str, re.Pattern[str]] = {}
        for rule in rules:
            if rule.unless:
                alternatives = "|".join(re.escape(p) for p in rule.unless)
                self._unless[rule.id] = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)
            if isinstance(rule, PhraseRule):
                self._register(rule.id, rule, tuple(rule.suggestions), None)
                self._lower.add(rule.id, phrase_tokens(make_doc, rule.phrases, rule.id))
            elif isinstance(rule, PatternRule):
                self._register(rule.id, rule, tuple(rule.suggestions), None)
                self._patterns.add(rule.id, rule.patterns)
            elif isinstance(rule, SwapRule):
                terms = iter(phrase_tokens(make_doc, [term for swap in rule.swaps for term in swap.terms], rule.id))
                for index, swap in enumerate(rule.swaps):
                    key = f"{rule.id}/{index}"
                    plain = swap.replace or swap.explain or ""
                    offers = (plain, *rule.suggestions) if plain else tuple(rule.suggestions)
                    self._register(key, rule, offers, swap.replace)
                    index_of = self._exact if swap.case_sensitive else self._lower
                    index_of.add(key, [next(terms) for _ in swap.terms])

    def _register(self, key: str, rule: Rule, suggestions: tuple[str, ...], replacement: str | None) -> None:
        self._targets[key] = (rule, suggestions, replacement)

    def find(self, reading: Reading) -> Iterable[Hit]:
        doc, budget = reading.doc, reading.budget
        by_rule: dict[str, list[Span]] = {}
        for matcher in (self._lower, self._exact, self._patterns):
            if len(matcher) == 0:
                continue
            for label, start, end in matcher(doc, budget):
                span = Span(doc, start, end, label=label)
                by_rule.setdefault(self._targets[span.label_][0].id, []).append(span)
        unless_by_sentence: dict[tuple[str, int], bool] = {}
        first_shown: dict[int, int] = {}
        handled = 0
        for rule_id, rule_spans in by_rule.items():
            # Within one rule the longest match wins; different rules may overlap.
            for span in filter_spans(rule_spans):
                handled += 1
                if handled > _MATCHES_AFTER_BUDGET and handled % _MATCHES_PER_CHECK == 0 and budget.exhausted():
                    return
                if not reading.text_of(span).strip():
                    continue  # masked characters are spaces, so a real match never starts or ends with them
                rule, suggestions, replacement = self._targets[span.label_]
                sentence = reading.sentence_of(span.start)
                unless = self._unless.get(rule_id)
                if unless is not None:
                    # A sentence is searched once per rule, however many matches it holds.
                    key = (rule_id, sentence.start)
                    if key not in unless_by_sentence:
                        unless_by_sentence[key] = unless.search(reading.text_of(sentence)) is not None
                    if unless_by_sentence[key]:
                        continue
                if sentence.start not in first_shown:
                    first_shown[sentence.start] = _first_shown(reading, sentence)
                starts_sentence = first_shown[sentence.start] >= span.start
                yield Hit(rule, span.start_char, span.end_char, suggestions, _match_case(replacement, span, starts_sentence, reading))


def _first_shown(reading: Reading, sentence: Span) -> int:
    """The index of the sentence's first visible token (its end when it has none)."""
    visible = reading.tokens.visible
    return next((i for i in range(sentence.start, sentence.end) if visible[i]), sentence.end)


def _match_case(replacement: str | None, span: Span, starts_sentence: bool, reading: Reading) -> str | None:
    """Capitalise the replacement where the replaced words began a sentence or a capitalised phrase.

    An acronym ("DNS cache") is capitalised by spelling, not position, so it
    only passes its capital on at the start of a sentence.
    """
    if replacement is None:
        return None
    first_word = reading.tokens.texts[span.start]
    acronym = len(first_word) > 1 and first_word.isupper()
    if first_word[:1].isupper() and (starts_sentence or not acronym):
        return replacement[:1].upper() + replacement[1:]
    return replacement
