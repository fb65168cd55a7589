"""Phrase, token-pattern and swap rules: listed terms by dictionary lookup, token patterns with spaCy's Matcher."""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from importlib.metadata import version
from typing import Any, Callable, ClassVar, Iterable, Iterator

from spacy.tokens import Doc

from .._engines.disk_cache import cached
from .._engines.inflection import Inflector, PartOfSpeech
from .._engines.word_rarity import zipf_frequency
from .._rules.patterns import PatternLimits
from .._rules.schema import AIMED_AT_READER_SIGNALS, PatternRule, PhraseRule, Rule, SwapRule
from .._text.reading import Reading, Sentence
from .anchored import AnchoredMatcher
from .base import Hit
from .terms import TermMatcher


# Raised whenever _compute's output changes shape, so no cache written by another version is read.
_TERM_TABLE_FORMAT = 4
# Matches handled between two looks at the time budget, and how many are still handled once it is
# spent (a few milliseconds' work), so matches found in time are reported rather than dropped.
_MATCHES_PER_CHECK = 256
_MATCHES_AFTER_BUDGET = 1024


@dataclass(frozen=True)
class _Target:
    """What a match key stands for: its rule and, for a swap, the plain wording in the matched form's slot."""

    rule: Rule
    suggestions: tuple[str, ...]
    replacement: str | None = None
    explanation: str | None = None


@dataclass(frozen=True)
class _Listing:
    """One key's terms as the loader lists them, before inflection and tokenizing."""

    key: str
    terms: list[str]
    pos: PartOfSpeech = PartOfSpeech.other
    replace: str | None = None
    case_sensitive: bool = False


class MatchingDetector:
    """Runs every phrase, pattern and swap rule.

    Each match key is registered with a small record of the rule (and, for
    swaps, which entry and which inflection), so one pass over the reply's
    tokens serves all the listed terms and one pass of the pattern matcher
    all the patterns. Swap terms and pattern lemmas match every inflection:
    the forms are generated once, by the inflector, and kept in the disk cache
    with their tokens.
    """

    checks: ClassVar[tuple[str, ...]] = ("phrase", "pattern", "swap")

    def __init__(
        self,
        rules: list[Rule],
        vocab,
        make_doc: Callable[[str], Doc],
        inflector: Inflector,
        pipeline: str = "blank",
        signals: dict[str, list[str]] | None = None,
        limits: PatternLimits | None = None,
    ):
        # The words that tell who a clause is about, for rules aimed at the reader.
        self._subjects = tuple(
            frozenset(word.lower() for word in (signals or {}).get(name, ())) for name in AIMED_AT_READER_SIGNALS
        )
        self._terms = TermMatcher()
        self._patterns = AnchoredMatcher(vocab, limits)
        self._targets: dict[str, _Target] = {}
        self._unless: dict[str, re.Pattern[str]] = {}
        listings: list[_Listing] = []
        explanations: dict[str, str | None] = {}
        for rule in rules:
            if rule.unless:
                alternatives = "|".join(re.escape(p) for p in rule.unless)
                self._unless[rule.id] = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)
            if isinstance(rule, PhraseRule):
                listings.append(_Listing(rule.id, rule.phrases))
            elif isinstance(rule, PatternRule):
                self._targets[rule.id] = _Target(rule, tuple(rule.suggestions))
                self._patterns.add(rule.id, [with_lemma_forms(pattern, inflector) for pattern in rule.patterns])
            elif isinstance(rule, SwapRule):
                for index, swap in enumerate(rule.swaps):
                    key = f"{rule.id}/{index}"
                    listings.append(_Listing(key, swap.terms, swap.pos, swap.replace, swap.case_sensitive))
                    explanations[key] = swap.explain
        rules_by_key = {rule.id: rule for rule in rules}
        for key, replacement, case_sensitive, tokens, anchors in _inflected_and_tokenized(listings, make_doc, inflector, pipeline):
            rule = rules_by_key[key.split("/")[0]]
            base_key = key.rsplit("/", 1)[0]
            explanation = explanations.get(base_key)
            offers = (replacement, *rule.suggestions) if replacement else tuple(rule.suggestions)
            self._targets[key] = _Target(rule, offers, replacement, explanation)
            self._terms.add(key, tokens, anchors, case_sensitive)

    def find(self, reading: Reading) -> Iterable[Hit]:
        tokens, budget = reading.tokens, reading.budget
        matches = list(self._terms(tokens.texts, tokens.lowered, budget)) if len(self._terms) else []
        if len(self._patterns):
            strings = reading.doc.vocab.strings
            found = self._patterns(reading.doc, tokens.lowered, budget, lambda: reading.sentenced_doc)
            matches += [(strings[key], start, end) for key, start, end in found]
        by_rule: dict[str, list[tuple[str, int, int]]] = {}
        for key, start, end in matches:
            by_rule.setdefault(self._targets[key].rule.id, []).append((key, start, end))
        unless_by_sentence: dict[tuple[str, int], bool] = {}
        first_shown: dict[int, int] = {}
        handled = 0
        for rule_id, rule_matches in by_rule.items():
            # Within one rule the longest match wins; different rules may overlap.
            for key, start, end in _longest_first(rule_matches):
                handled += 1
                if handled > _MATCHES_AFTER_BUDGET and handled % _MATCHES_PER_CHECK == 0 and budget.exhausted():
                    return
                start_char, end_char = tokens.starts[start], tokens.starts[end - 1] + len(tokens.texts[end - 1])
                text = reading.text[start_char:end_char]
                if not text.strip():
                    continue  # masked characters are spaces, so a real match never starts or ends with them
                target = self._targets[key]
                unless = self._unless.get(rule_id)
                sentence = reading.sentence_of(start)
                if unless is not None:
                    # A sentence is searched once per rule, however many matches it holds.
                    if (rule_id, sentence.start) not in unless_by_sentence:
                        unless_by_sentence[rule_id, sentence.start] = unless.search(reading.text_of(sentence)) is not None
                    if unless_by_sentence[rule_id, sentence.start]:
                        continue
                if isinstance(target.rule, PatternRule) and not self._conditions_hold(target.rule, start, reading):
                    continue
                suggestions = target.suggestions
                if target.explanation and not target.replacement:
                    # Pasteable as it stands: the customer reads the term and what it means together.
                    suggestions = (f"{text} ({target.explanation})", *suggestions)
                if sentence.start not in first_shown:
                    first_shown[sentence.start] = _first_shown(reading, sentence)
                replacement = _match_case(target.replacement, start, first_shown[sentence.start] >= start, reading)
                yield Hit(target.rule, start_char, end_char, suggestions, replacement)

    def _conditions_hold(self, rule: PatternRule, start: int, reading: Reading) -> bool:
        """A pattern rule's data-declared conditions: a short enough reply, a customer message of the right kind, and a match aimed at the customer."""
        if rule.max_reply_words is not None and len(reading.words) > rule.max_reply_words:
            return False
        customer = reading.customer
        if customer is not None and any(condition in customer.conditions for condition in rule.customer_unless):
            return False
        return rule.aimed_at is None or self._aimed_at_reader(reading, start)

    def _aimed_at_reader(self, reading: Reading, start: int) -> bool:
        """True when the match starting at token ``start`` is aimed at the customer rather than being the agent's own words.

        A match that opens with "you" speaks to the reader whoever else the clause
        names ("I guess you're on your own"). Otherwise the nearest subject before
        the match in its clause decides: "you" (or none at all, as in an
        imperative) aims it at the reader; "I", "we", "they" or "it" make it
        someone else's. So "read the manual" and "I think you should read the
        manual" are aimed at the reader; "I read the manual" is not.
        """
        reader, other = self._subjects
        lowered = reading.tokens.lowered
        if lowered[start] in reader:
            return True
        for index in range(start - 1, reading.clause_start(start) - 1, -1):
            if lowered[index] in reader:
                return True
            if lowered[index] in other:
                return False
        return True


def _first_shown(reading: Reading, sentence: Sentence) -> int:
    """The index of the sentence's first visible token (its end when it has none)."""
    texts = reading.tokens.texts
    return next((i for i in range(sentence.start, sentence.end) if not texts[i].isspace()), sentence.end)


def _rarest(tokens: list[str]) -> int:
    """The position of the token rarest in general English, punctuation aside ("." is never an anchor)."""
    return min(
        range(len(tokens)),
        key=lambda i: (not any(ch.isalnum() for ch in tokens[i]), zipf_frequency(tokens[i].lower()), -len(tokens[i])),
    )


def _longest_first(matches: list[tuple[str, int, int]]) -> Iterator[tuple[str, int, int]]:
    """The matches that survive when longer ones take precedence and none may overlap (spaCy's filter_spans)."""
    taken: set[int] = set()
    for key, start, end in sorted(matches, key=lambda match: (match[1] - match[2], match[1])):
        if not taken.intersection(range(start, end)):
            taken.update(range(start, end))
            yield key, start, end


def _inflected_and_tokenized(
    listings: list[_Listing], make_doc: Callable[[str], Doc], inflector: Inflector, pipeline: str
) -> list[tuple[str, str | None, bool, list[list[str]], list[int]]]:
    """For each listing and inflection slot: (key/slot, its replacement in that slot, case_sensitive, term tokens, anchors).

    Each term's anchor is the position of its rarest token in general English,
    the one it is looked up by.

    Generating and tokenizing every form of every term takes most of a
    second, so the result is kept in the disk cache, keyed by the listings and
    by the versions of the tokenizer and lookup table that shaped it.
    """
    source = json.dumps(
        [_TERM_TABLE_FORMAT, version("spacy"), version("spacy-lookups-data"), pipeline, [asdict(listing) for listing in listings]],
        default=str,
    ).encode("utf-8", "surrogatepass")
    return cached("term-forms", source, lambda: list(_compute(listings, make_doc, inflector)))


def _compute(
    listings: list[_Listing], make_doc: Callable[[str], Doc], inflector: Inflector
) -> Iterator[tuple[str, str | None, bool, list[list[str]], list[int]]]:
    for listing in listings:
        replacements = inflector.forms(listing.replace, listing.pos) if listing.replace else {}
        seen: set[str] = set()
        for slot in listing.pos.slots:
            forms = []
            for term in listing.terms:
                spellings = inflector.forms(term, listing.pos)[slot] if listing.pos.slots != (slot,) else [term]
                forms += [form for form in spellings if form not in seen]
                seen.update(spellings)
            if forms:
                replacement = replacements[slot][0] if replacements else None
                tokens = [[token.text if listing.case_sensitive else token.lower_ for token in make_doc(form)] for form in forms]
                anchors = [_rarest(term) for term in tokens]
                yield f"{listing.key}/{slot.value}", replacement, listing.case_sensitive, tokens, anchors


def _match_case(replacement: str | None, start: int, starts_sentence: bool, reading: Reading) -> str | None:
    """Capitalise the replacement where the replaced words began a sentence or a capitalised phrase.

    An acronym ("DNS cache") is capitalised by spelling, not position, so it
    only passes its capital on at the start of a sentence.
    """
    if replacement is None:
        return None
    first_word = reading.tokens.texts[start]
    acronym = len(first_word) > 1 and first_word.isupper()
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
