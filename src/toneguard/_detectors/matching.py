"""Phrase, token-pattern and swap rules, all matched in one pass each with spaCy's matchers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable, Iterable

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from .._engines.inflection import Inflector, PartOfSpeech, Slot
from .._rules.schema import PatternRule, PhraseRule, Rule, Swap, SwapRule
from .._text.reading import Reading
from .anchored import AnchoredMatcher
from .base import Hit


@dataclass(frozen=True)
class _Target:
    """What a match key stands for: its rule and, for a swap, the plain wording in the matched form's slot."""

    rule: Rule
    suggestions: tuple[str, ...]
    replacement: str | None = None
    explanation: str | None = None


class MatchingDetector:
    """Runs every phrase, pattern and swap rule.

    Each match key is registered with a small record of the rule (and, for
    swaps, which entry and which inflection), so one pass of each matcher
    serves all the rules. Swap terms and pattern lemmas match every
    inflection: the forms are generated here, once, by the inflector.
    """

    checks = ("phrase", "pattern", "swap")

    def __init__(self, rules: list[Rule], vocab, make_doc: Callable[[str], Doc], inflector: Inflector):
        self._lower = PhraseMatcher(vocab, attr="LOWER")
        self._exact = PhraseMatcher(vocab, attr="ORTH")
        self._patterns = AnchoredMatcher(vocab)
        self._targets: dict[str, _Target] = {}
        self._unless: dict[str, re.Pattern[str]] = {}
        for rule in rules:
            if rule.unless:
                alternatives = "|".join(re.escape(p) for p in rule.unless)
                self._unless[rule.id] = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)
            if isinstance(rule, PhraseRule):
                self._targets[rule.id] = _Target(rule, tuple(rule.suggestions))
                self._lower.add(rule.id, [make_doc(p) for p in rule.phrases])
            elif isinstance(rule, PatternRule):
                self._targets[rule.id] = _Target(rule, tuple(rule.suggestions))
                self._patterns.add(rule.id, [with_lemma_forms(pattern, inflector) for pattern in rule.patterns])
            elif isinstance(rule, SwapRule):
                for index, swap in enumerate(rule.swaps):
                    self._add_swap(f"{rule.id}/{index}", rule, swap, make_doc, inflector)

    def _add_swap(self, key: str, rule: SwapRule, swap: Swap, make_doc: Callable[[str], Doc], inflector: Inflector) -> None:
        """One match key per inflection slot, so a match knows which form of the plain wording fits."""
        matcher = self._exact if swap.case_sensitive else self._lower
        replacements = inflector.forms(swap.replace, swap.pos) if swap.replace else {}
        offers = (swap.replace, *rule.suggestions) if swap.replace else tuple(rule.suggestions)
        seen: set[str] = set()
        for slot in swap.pos.slots:
            forms = []
            for term in swap.terms:
                spellings = inflector.forms(term, swap.pos)[slot] if swap.pos is not PartOfSpeech.other else [term]
                forms += [form for form in spellings if form not in seen]
                seen.update(spellings)
            if not forms:
                continue
            replacement = replacements[slot][0] if replacements else None
            slot_offers = (replacement, *offers[1:]) if replacement else offers
            self._targets[f"{key}/{slot.value}"] = _Target(rule, slot_offers, replacement, swap.explain)
            matcher.add(f"{key}/{slot.value}", [make_doc(form) for form in forms])

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
            rule = self._targets[span.label_].rule
            by_rule.setdefault(rule.id, []).append(span)
        for rule_id, rule_spans in by_rule.items():
            # Within one rule the longest match wins; different rules may overlap.
            for span in filter_spans(rule_spans):
                if not reading.text_of(span).strip():
                    continue  # masked characters are spaces, so a real match never starts or ends with them
                target = self._targets[span.label_]
                unless = self._unless.get(rule_id)
                sentence = reading.sentence_of(span.start)
                if unless is not None and unless.search(reading.text_of(sentence)):
                    continue
                suggestions = target.suggestions
                if target.explanation and not target.replacement:
                    # Pasteable as it stands: the customer reads the term and what it means together.
                    suggestions = (f"{reading.text_of(span)} ({target.explanation})", *suggestions)
                yield Hit(target.rule, span.start_char, span.end_char, suggestions, _match_case(target.replacement, span, sentence, reading))


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


def with_lemma_forms(pattern: list[dict[str, Any]], inflector: Inflector) -> list[dict[str, Any]]:
    """The pattern with each ``LEMMA`` condition turned into a ``LOWER`` one listing every form of the lemma.

    A blank pipeline has no lemmatizer, and lemmatising every reply would cost
    time on every call; the forms are known at load.
    """
    compiled = []
    for token in pattern:
        lemma = token.get("LEMMA")
        if lemma is None:
            compiled.append(token)
            continue
        token = {key: value for key, value in token.items() if key != "LEMMA"}
        if isinstance(lemma, str):
            token["LOWER"] = {"IN": inflector.all_forms(lemma.lower())}
        else:
            operator, lemmas = next(iter(lemma.items()))
            token["LOWER"] = {operator: [form for word in lemmas for form in inflector.all_forms(word.lower())]}
        compiled.append(token)
    return compiled
