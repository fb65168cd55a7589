"""Phrase, token-pattern and swap rules, all matched in one pass each with spaCy's matchers."""

from __future__ import annotations

import re
from typing import Callable, Iterable

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from .._rules.schema import PatternRule, PhraseRule, Rule, SwapRule
from .._text.reading import Reading
from .anchored import AnchoredMatcher
from .base import Hit


class MatchingDetector:
    """Runs every phrase, pattern and swap rule.

    Each match key is registered with a small record of the rule (and, for
    swaps, which entry), so one pass of each matcher serves all the rules.
    """

    checks = ("phrase", "pattern", "swap")

    def __init__(self, rules: list[Rule], vocab, make_doc: Callable[[str], Doc]):
        self._lower = PhraseMatcher(vocab, attr="LOWER")
        self._exact = PhraseMatcher(vocab, attr="ORTH")
        self._patterns = AnchoredMatcher(vocab)
        self._targets: dict[str, tuple[Rule, tuple[str, ...], str | None]] = {}
        self._unless: dict[str, re.Pattern[str]] = {}
        for rule in rules:
            if rule.unless:
                alternatives = "|".join(re.escape(p) for p in rule.unless)
                self._unless[rule.id] = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)
            if isinstance(rule, PhraseRule):
                self._register(rule.id, rule, tuple(rule.suggestions), None)
                self._lower.add(rule.id, [make_doc(p) for p in rule.phrases])
            elif isinstance(rule, PatternRule):
                self._register(rule.id, rule, tuple(rule.suggestions), None)
                self._patterns.add(rule.id, rule.patterns)
            elif isinstance(rule, SwapRule):
                for index, swap in enumerate(rule.swaps):
                    key = f"{rule.id}/{index}"
                    plain = swap.replace or swap.explain or ""
                    offers = (plain, *rule.suggestions) if plain else tuple(rule.suggestions)
                    self._register(key, rule, offers, swap.replace)
                    matcher = self._exact if swap.case_sensitive else self._lower
                    matcher.add(key, [make_doc(term) for term in swap.terms])

    def _register(self, key: str, rule: Rule, suggestions: tuple[str, ...], replacement: str | None) -> None:
        self._targets[key] = (rule, suggestions, replacement)

    def find(self, reading: Reading) -> Iterable[Hit]:
        doc = reading.doc
        spans: list[Span] = []
        for matcher in (self._lower, self._exact, self._patterns):
            if len(matcher) == 0:
                continue  # spaCy warns on an empty matcher
            for match_id, start, end in matcher(doc):
                spans.append(Span(doc, start, end, label=match_id))
        by_rule: dict[str, list[Span]] = {}
        for span in spans:
            rule = self._targets[span.label_][0]
            by_rule.setdefault(rule.id, []).append(span)
        for rule_id, rule_spans in by_rule.items():
            # Within one rule the longest match wins; different rules may overlap.
            for span in filter_spans(rule_spans):
                if not reading.text_of(span).strip():
                    continue  # masked characters are spaces, so a real match never starts or ends with them
                rule, suggestions, replacement = self._targets[span.label_]
                unless = self._unless.get(rule_id)
                sentence = reading.sentence_of(span.start)
                if unless is not None and unless.search(reading.text_of(sentence)):
                    continue
                yield Hit(rule, span.start_char, span.end_char, suggestions, _match_case(replacement, span, sentence, reading))


def _match_case(replacement: str | None, span: Span, sentence: Span, reading: Reading) -> str | None:
    """Capitalise the replacement where the replaced words began a sentence or a capitalised phrase.

    An acronym ("DNS cache") is capitalised by spelling, not position, so it
    only passes its capital on at the start of a sentence.
    """
    if replacement is None:
        return None
    first_word = reading.tokens.texts[span.start]
    acronym = len(first_word) > 1 and first_word.isupper()
    starts_sentence = not any(reading.tokens.visible[sentence.start : span.start])
    if first_word[:1].isupper() and (starts_sentence or not acronym):
        return replacement[:1].upper() + replacement[1:]
    return replacement
