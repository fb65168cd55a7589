"""The shape of a rules file, validated strictly when it is loaded.

A rules file holds ``rules:`` (each naming one of a few fixed detector types in
``check``) and may hold ``signals:`` (named phrase sets that detectors consult,
such as greetings or apologies), ``tone_markers:``, ``sentiment_overrides:``
(corrections to VADER's reading of help-desk phrases), ``redirects:`` of
retired rule ids, and the tuning numbers: ``scoring:`` (how findings and tone
become scores) and ``context:`` (when a customer's message reads as upset or
long). A file may set only some tuning values; the rest keep theirs.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal, Union, get_args

from pydantic import AfterValidator, Field, ValidationInfo, field_validator, model_validator

from .._engines.inflection import PartOfSpeech
from .._engines.shapes import Shape
from ..models import Category, Record, Severity
from .patterns import PatternLimits, pattern_problems

RULE_ID = re.compile(r"^[A-Z]{2,8}\d{3}$")
"""A rule id: a prefix of capital letters and three digits (TG101 built in; a team's own, e.g. ACME101)."""
BUILTIN_PREFIX = "TG"
"""The prefix of toneguard's own rule ids, which no other rules file may use."""


def id_prefix(rule_id: str) -> str:
    """The letters of a rule id: ``TG`` for TG101, ``ACME`` for ACME101."""
    return rule_id.rstrip("0123456789")

CustomerCondition = Literal["upset", "angry", "question", "long", "asks_reader", "request"]
"""What a customer's message can be that a reply must answer to (see ``context:`` and the ``customer_*`` signals).

``angry``: strongly upset (a very negative message, an angry phrase, or a
run of exclamation marks in a message that reads as negative).
``asks_reader``: it asks the replier about their own side ("do you have it
installed?", "could you paste the output?"), so a short answer is in
proportion. ``request``: it seeks help or asks for something (a question,
or a request phrase), and it does not merely ask the replier about their side.
"""


class ExchangeExample(Record):
    """An example reply together with the customer's message it answers."""

    reply: str = Field(min_length=1)
    customer: str


Example = Union[str, ExchangeExample]


def _not_blank(phrase: str) -> str:
    if not phrase.strip():
        raise ValueError("a phrase needs a word, not only spaces")
    return phrase


Phrase = Annotated[str, Field(max_length=200), AfterValidator(_not_blank)]
"""Words to match on whole tokens: not blank, and short enough to be a phrase."""

# An unless phrase is searched for in the sentence of every match, so the list stays short.
MAX_UNLESS_PHRASES = 200


def example_exchange(example: Example) -> tuple[str, str | None]:
    """(reply, customer message or None) for either form of example."""
    if isinstance(example, ExchangeExample):
        return example.reply, example.customer
    return example, None


class Examples(Record):
    bad: list[Example] = Field(min_length=1)
    good: list[Example] = Field(min_length=1)


class _RuleBase(Record):
    id: str
    name: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    category: Category
    severity: Severity
    message: str = Field(min_length=10)
    why: str = Field(min_length=20)
    suggestions: list[str] = []
    unless: list[Phrase] = Field(
        default=[],
        max_length=MAX_UNLESS_PHRASES,
        description="Phrases that, anywhere in the same sentence, mean the match is fine.",
    )
    source: str | None = None
    examples: Examples

    @field_validator("id")
    @classmethod
    def _id_shape(cls, value: str) -> str:
        if not RULE_ID.match(value):
            raise ValueError("rule ids are 2-8 capital letters and three digits, like TG101 or ACME101")
        return value


def _uses_regex(value: Any) -> bool:
    if isinstance(value, dict):
        return any(str(key).upper() == "REGEX" or _uses_regex(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_uses_regex(item) for item in value)
    return False


def _lemma_problem(pattern: list[dict[str, Any]]) -> str | None:
    """LEMMA conditions become LOWER lists of every form at load, so they take only a word or an IN/NOT_IN list."""
    for token in pattern:
        lemma = token.get("LEMMA")
        if lemma is None:
            continue
        if "LOWER" in token:
            return "a token cannot have both LEMMA and LOWER (LEMMA already matches every form, in any case)"
        words = lemma if isinstance(lemma, str) else None
        if isinstance(lemma, dict) and len(lemma) == 1 and next(iter(lemma)) in ("IN", "NOT_IN"):
            words = next(iter(lemma.values()))
        if words is None or (isinstance(words, list) and not all(isinstance(word, str) for word in words)):
            return "LEMMA takes a word, or {IN: [words]} or {NOT_IN: [words]}"
    return None


class PhraseRule(_RuleBase):
    """Flags any of a list of phrases, matched case-insensitively on whole tokens."""

    check: Literal["phrase"]
    phrases: list[Phrase] = Field(min_length=1)


AIMED_AT_READER_SIGNALS = ("reader", "other_subject")
"""The signal sets that tell who a clause is about: second-person words, and other subjects (I, we, they, it)."""
CUSTOMER_ONLY_PREFIX = "customer_"
"""Signal sets named so are read on the customer's message only, never on the reply."""


class PatternRule(_RuleBase):
    """Flags spaCy Matcher token patterns (no regular expressions, and bounded operators, so no runaway matching).

    Conditions, declared as data, narrow where a match counts:
    ``aimed_at: reader`` keeps only matches aimed at the customer (the nearest
    subject before the match in its clause is "you", or there is none, as in an
    imperative: "read the manual", not "I read the manual"), and
    ``max_reply_words`` keeps only matches in a reply that short (a pointer
    with nothing else), and ``customer_unless`` drops matches in a reply to a
    customer message of that kind ("No." answers "are you on Wi-Fi?"; it
    refuses nothing).
    """

    check: Literal["pattern"]
    patterns: list[list[dict[str, Any]]] = Field(min_length=1)
    aimed_at: Literal["reader"] | None = Field(
        default=None, description="'reader': count a match only when it is aimed at the customer, not the agent's own words."
    )
    max_reply_words: int | None = Field(default=None, ge=1, description="Count a match only in a reply of at most this many words.")
    customer_unless: list[CustomerCondition] = Field(
        default=[], description="Do not count a match in a reply to a customer message that meets one of these."
    )

    @field_validator("patterns")
    @classmethod
    def _valid_for_matcher(cls, value: list[list[dict[str, Any]]], info: ValidationInfo) -> list[list[dict[str, Any]]]:
        context = info.context or {}
        limits = context.get("pattern_limits") or PatternLimits()
        problems = []
        for index, pattern in enumerate(value):
            found = _matcher_problems(pattern, limits, context.get(SPACY_ACCEPTS_PATTERNS, False))
            problems += [f"pattern {index}: {problem}" for problem in found]
        if problems:
            raise ValueError("; ".join(problems))
        return value


SPACY_ACCEPTS_PATTERNS = "spacy_accepts_patterns"
"""A validation context key: true when spaCy is known to accept every token pattern being read, so it is not asked again."""


def _matcher_problems(pattern: list[dict[str, Any]], limits: PatternLimits, spacy_accepts: bool = False) -> list[str]:
    if not pattern:
        return ["empty"]
    if _uses_regex(pattern):
        # A user's regex could backtrack catastrophically; token attributes cannot.
        return ["REGEX is not allowed; use LOWER/TEXT with IN lists instead"]
    problems = pattern_problems(pattern, limits)
    if problems:
        return problems
    lemma_problem = _lemma_problem(pattern)
    if lemma_problem:
        return [lemma_problem]
    return [] if spacy_accepts else spacy_pattern_problems(pattern)


def spacy_pattern_problems(pattern: list[dict[str, Any]]) -> list[str]:
    """What spaCy's own token-pattern schema, then its Matcher, refuse in ``pattern`` (at most one problem)."""
    from spacy.matcher import Matcher  # spaCy loads only when a pattern rule is read
    from spacy.schemas import validate_token_pattern
    from spacy.vocab import Vocab

    # spaCy's own schema; its first message is the precise one.
    errors = validate_token_pattern(pattern)
    if errors:
        return [f"{errors[0]} (YAML reads bare on/off/yes/no as booleans: quote them)"]
    try:
        Matcher(Vocab()).add("probe", [pattern])
    except ValueError as err:  # what the schema lets through and the Matcher still refuses
        return [str(err).strip().splitlines()[0]]
    return []


class Swap(Record):
    """One piece of jargon: its spellings and what a customer would understand instead.

    Terms are base forms; with ``pos`` noun or verb, their inflections match too
    ("reauthenticated", "mount points"), and ``replace`` is inflected to match.
    """

    terms: list[Phrase] = Field(min_length=1)
    pos: PartOfSpeech = Field(
        default=PartOfSpeech.other,
        description="noun or verb: every inflection of the terms matches; adj or other: only the listed forms.",
    )
    replace: str | None = Field(
        default=None, description="A drop-in plain wording in base form, safe for the automatic rewrite."
    )
    explain: str | None = Field(
        default=None, description="A plain explanation, when no drop-in wording fits every sentence."
    )
    case_sensitive: bool = Field(
        default=False, description="Match only the exact capitalisation (for acronyms like DNS)."
    )

    @model_validator(mode="after")
    def _has_plain_version(self) -> Swap:
        if self.replace is None and self.explain is None:
            raise ValueError("a swap needs 'replace' or 'explain' so the customer gets a plain version")
        return self


class SwapRule(_RuleBase):
    """Flags each listed term and offers its plain-English replacement or explanation.

    Its terms are its own ``swaps`` and those of the named ``vocabularies``
    (top-level lists that any rules file may define or extend).
    """

    check: Literal["swap"]
    swaps: list[Swap] = []
    vocabularies: list[str] = Field(default=[], description="Names of top-level vocabularies whose swaps it also flags.")

    @model_validator(mode="after")
    def _has_terms(self) -> SwapRule:
        if not self.swaps and not self.vocabularies:
            raise ValueError("a swap rule needs 'swaps' or 'vocabularies'")
        return self


class ShapeWords(Record):
    """Word lists the shape recognisers consult, merged over every rules file that sets some."""

    commands: list[str] = Field(default=[], description="Program names that are not English words (sudo, ipconfig).")
    ambiguous_commands: list[str] = Field(
        default=[], description="Program names that are also words (cat, mount): counted only in a command line."
    )
    command_verbs: list[str] = Field(default=[], description="Words after which a rare word names a program or package (install).")
    package_nouns: list[str] = Field(default=[], description="Words before which a rare word names a package (package, library).")
    package_prefixes: list[str] = Field(default=[], description="Beginnings that make a rare word a package name (lib: libgtk).")
    top_folders: list[str] = Field(default=[], description="Top-level POSIX folders that alone make a path (/etc, /opt).")
    extensions: list[str] = Field(default=[], description="File extensions a customer does not open themselves (deb, conf).")
    dotfiles: list[str] = Field(default=[], description="Hidden settings files and folders, without the dot (bashrc, config).")
    rare_below: float = Field(
        default=2.5,
        ge=0.0,
        le=8.0,
        description="After a command verb or before a package noun, a word rarer than this (wordfreq's Zipf scale) names a package.",
    )

    @field_validator(
        "commands", "ambiguous_commands", "command_verbs", "package_nouns", "package_prefixes", "top_folders", "extensions", "dotfiles"
    )
    @classmethod
    def _lower_case_words(cls, value: list[str]) -> list[str]:
        if any(word.split() != [word] for word in value):  # empty, or holding whitespace
            raise ValueError("each entry is one word, with no spaces")
        return value


class ShapeKind(Record):
    """One shape a shape rule looks for, with the advice that fits it and its own examples."""

    shape: Shape
    suggestion: str = Field(min_length=10)
    examples: Examples


class ShapeRule(_RuleBase):
    """Flags text shaped like code (commands, paths, identifiers, codes) by its form, with exact spans.

    It reads the reply with code left visible: quoted history, signatures,
    links, e-mail addresses and handles are still hidden.
    """

    check: Literal["shape"]
    shapes: list[ShapeKind] = Field(min_length=1)

    @field_validator("shapes")
    @classmethod
    def _each_shape_once(cls, value: list[ShapeKind]) -> list[ShapeKind]:
        names = [kind.shape for kind in value]
        repeated = sorted({shape.value for shape in names if names.count(shape) > 1})
        if repeated:
            raise ValueError(f"shape listed twice: {', '.join(repeated)}")
        return value


class SentimentRule(_RuleBase):
    """Flags a sentence VADER reads as clearly negative when it carries no warmth signal."""

    check: Literal["sentiment"]
    max_compound: float = Field(ge=-1.0, le=0.0)
    excused_by: list[str] = Field(default=[], description="Signal sets that excuse the sentence.")


class ReadabilityRule(_RuleBase):
    """Flags a reply whose Flesch-Kincaid grade is above a ceiling."""

    check: Literal["readability"]
    max_grade: float = Field(gt=0)
    min_words: int = Field(default=15, ge=1)


class AcronymRule(_RuleBase):
    """Flags capitalised acronyms that are not in the everyday list and not spelled out."""

    check: Literal["acronym"]
    min_length: int = Field(default=2, ge=2)
    max_length: int = Field(default=6, ge=2)
    everyday: list[str] = Field(default=[], description="Acronyms a non-technical user knows.")


class BrevityRule(_RuleBase):
    """Flags a reply too short for what it answers.

    It fires when the reply has at most ``max_words`` words, or, with at most
    ``max_words_with_fragment`` words, holds a sentence of at most
    ``fragment_words`` words. Any phrase from the ``excused_by`` signal sets
    (thanks, an apology, a polite request) excuses it, and so does a reply VADER
    reads as warmer than ``excused_above_compound`` ("Your baby looks beautiful.").

    Brevity is judged in proportion: a short reply to a customer message that
    meets one of ``proportionate_when`` (it asked the replier about their side)
    is fine, and so is a short clarifying question: every sentence a question,
    one holding a ``clarifying`` phrase ("which one?", "do you have it
    installed?") and none a ``justifying`` one ("why?"). With ``bare_replies``, a
    reply that is only a link, a path or a command line, or only a question
    mark, is curt too.
    """

    check: Literal["brevity"]
    max_words: int = Field(ge=1)
    max_words_with_fragment: int = Field(default=0, ge=0)
    fragment_words: int = Field(default=2, ge=1)
    excused_by: list[str] = []
    excused_above_compound: float | None = Field(default=None, ge=-1.0, le=1.0)
    salutations: list[str] = Field(
        default=[], description="Signal sets whose short sentences ('Hi there!') are courtesy, not fragments."
    )
    proportionate_when: list[CustomerCondition] = Field(
        default=[], description="Customer messages that a short reply answers in proportion (asks_reader)."
    )
    clarifying: list[str] = Field(default=[], description="Signal sets that make a short question a clarifying one.")
    justifying: list[str] = Field(
        default=[], description="Signal sets that make a question ask the customer to justify themselves ('why?')."
    )
    bare_replies: bool = Field(default=False, description="A reply that is only a link, a path or a command line, or only punctuation ('?'), is curt.")


class ContextRule(_RuleBase):
    """Flags a reply that ignores the customer's message.

    It fires when the customer's message matches ``customer_when`` and the reply
    has at most ``max_reply_words`` words, a phrase of one of the ``reply_has``
    signal sets (when given: a refusal, say), and none of the ``reply_lacks`` ones.
    """

    check: Literal["context"]
    customer_when: CustomerCondition
    reply_has: list[str] = Field(default=[], description="Signal sets of which the reply must hold a phrase.")
    reply_lacks: list[str] = Field(min_length=1)
    max_reply_words: int = Field(default=10_000, ge=1)


Rule = Annotated[
    Union[
        PhraseRule,
        PatternRule,
        SwapRule,
        ShapeRule,
        SentimentRule,
        ReadabilityRule,
        AcronymRule,
        BrevityRule,
        ContextRule,
    ],
    Field(discriminator="check"),
]

CHECK_KINDS: tuple[str, ...] = tuple(
    get_args(rule_class.model_fields["check"].annotation)[0] for rule_class in get_args(get_args(Rule)[0])
)
"""The fixed kinds of check a rule can name (each rule class's ``check``)."""


class ToneMarker(Record):
    """A politeness strategy: phrases whose presence (or absence) makes a reply read warmer or colder.

    Markers produce no findings; they shape a category's continuous score, so a
    reply full of hedges and thanks ranks as less dismissive than a bare demand,
    and one with no next step ranks as more clipped than one that has it.
    """

    name: str = Field(pattern=r"^[a-z0-9]+(_[a-z0-9]+)*$")
    category: Category = Field(default=Category.dismissive, description="The score the marker moves.")
    weight: float | None = Field(
        default=None,
        ge=-3.0,
        le=3.0,
        description="Push on the tone logit (negative is warmer); none when the category's tone model gives it.",
    )
    phrases: list[str] = Field(min_length=1)
    sentence_start: bool = Field(default=False, description="Count only at the start of a sentence.")
    in_sentence_with: list[str] = Field(
        default=[], description="Count only when the same sentence also holds one of these phrases."
    )
    except_within: list[str] = Field(
        default=[], description="Phrases inside which a match does not count ('no' in 'no problem')."
    )
    when_absent: bool = Field(
        default=False, description="Push once when none of the phrases occurs anywhere in the reply."
    )

    @model_validator(mode="after")
    def _absence_is_reply_wide(self) -> ToneMarker:
        if self.when_absent and (self.sentence_start or self.in_sentence_with or self.except_within):
            raise ValueError("when_absent looks at the whole reply; it cannot be combined with sentence conditions")
        return self


TONE_FEATURES = ("sentiment", "positive_words", "negative_words")
"""Tone features that are not phrases: VADER's compound, negated (so negative reads colder), and opinion-word counts."""


class ToneModel(Record):
    """A category's tone as a logistic model: an intercept and a weight per feature.

    Features are the category's tone markers (each occurrence counts 1) and the
    built-in :data:`TONE_FEATURES`. A marker that carries its own ``weight``
    is hand-set and must not appear here; every other marker must. The
    dismissive model is fitted (``benchmarks/fit_tone.py`` writes it, with how
    it was fitted under ``fitted``).
    """

    intercept: float = Field(description="The logit of a reply with no feature at all.")
    weights: dict[str, float] = Field(default={}, description="Feature or marker name -> push on the logit.")
    fitted: dict[str, Any] = Field(default={}, description="How the weights were fitted: data, date, cross-validated figures.")

    @field_validator("weights")
    @classmethod
    def _bounded(cls, value: dict[str, float]) -> dict[str, float]:
        outside = [f"{name}={weight}" for name, weight in value.items() if not -10.0 <= weight <= 10.0]
        if outside:
            raise ValueError(f"weights must lie in -10..10, got {', '.join(outside)}")
        return value


class ToneShape(Record):
    """How one category turns its tone model's logit into a share of its score.

    The share is ``ceiling`` times the logistic of (logit + ``shift``). A ceiling
    below the flag threshold means tone alone never flags; above it, a tone
    whose logit passes ``-shift`` (plus a little) flags by itself.
    """

    ceiling: float = Field(gt=0.0, le=1.0, description="The largest share of the score tone can add.")
    shift: float = Field(
        default=0.0, description="Added to the model's logit: negative demands stronger evidence before tone weighs in."
    )


class Brisk(Record):
    """A reply shorter than ``words`` reads as brisk (clipped); the push grows to ``weight`` as it shrinks."""

    words: int = Field(ge=1)
    weight: float


class ShortForCustomer(Record):
    """A reply to a customer message ``ratio`` times its length, and at least ``min_words`` long, reads as unread."""

    ratio: float = Field(gt=0.0)
    min_words: int = Field(ge=1)
    weight: float


class ToneSettings(Record):
    max_count_per_marker: int = Field(ge=1, description="A marker repeated more often than this says nothing more.")
    opinion_valence: float = Field(
        gt=0.0, le=4.0, description="A word VADER's lexicon scores at least this far from 0 is an opinion word."
    )
    shapes: dict[Category, ToneShape] = Field(description="The categories that have a tone, and its shape.")
    brisk: Brisk
    short_for_customer: ShortForCustomer


class Scoring(Record):
    """How findings and tone become a 0-1 score per category."""

    severity_weights: dict[Severity, float] = Field(
        description="How much of what is left of a category's score one finding of this severity explains (0-1)."
    )
    default_threshold: float = Field(gt=0.0, le=1.0, description="The score at which a category is flagged.")
    tone: ToneSettings

    @field_validator("severity_weights")
    @classmethod
    def _every_severity_weighed(cls, value: dict[Severity, float]) -> dict[Severity, float]:
        missing = [severity.value for severity in Severity if severity not in value]
        if missing:
            raise ValueError(f"no weight for severity {', '.join(missing)}")
        outside = [f"{severity.value}={weight}" for severity, weight in value.items() if not 0.0 <= weight <= 1.0]
        if outside:
            raise ValueError(f"weights must lie in 0..1, got {', '.join(outside)}")
        return value


class CustomerContext(Record):
    """When the customer's message reads as upset or long; it is a question when it holds a '?'."""

    upset_compound: float = Field(
        ge=-1.0, le=1.0, description="At or below this VADER compound it reads as upset (so does an upset phrase)."
    )
    upset_exclamations: int = Field(
        ge=1, description="This many '!' (outside a greeting or thanks, in a message not read as positive) make it read as upset."
    )
    angry_compound: float = Field(ge=-1.0, le=1.0, description="At or below this VADER compound it reads as angry.")
    angry_exclamations: int = Field(
        ge=1, description="This many '!' (outside a greeting or thanks, in a message read as negative) make it read as angry."
    )
    long_words: int = Field(ge=1, description="At least this many words make it long.")


class Tuning(Record):
    """The numbers behind scores and customer context, merged over every rules file that sets some."""

    scoring: Scoring
    context: CustomerContext


class RulesFile(Record):
    """One YAML file of rules, signals, tone markers, sentiment corrections and tuning numbers."""

    rules: list[Rule] = []
    signals: dict[str, list[str]] = {}
    tone_markers: list[ToneMarker] = []
    tone_models: dict[Category, dict[str, Any]] = Field(
        default={}, description="Values of each category's ToneModel to set (weights merge by name); validated once merged."
    )
    sentiment_overrides: dict[str, float] = Field(
        default={},
        description="Phrase -> VADER valence (-4..4) for help-desk phrases VADER misreads.",
    )
    redirects: dict[str, str] = Field(
        default={}, description="Retired rule id -> the id that replaced it. Ids are never reused."
    )
    vocabularies: dict[str, list[Swap]] = Field(
        default={}, description="Named lists of jargon swaps that swap rules name in 'vocabularies'; files extend them."
    )
    shape_words: ShapeWords = Field(default_factory=ShapeWords, description="Word lists for shape rules; files extend them.")
    scoring: dict[str, Any] = Field(default={}, description="Values of Scoring to set; validated once merged.")
    context: dict[str, Any] = Field(default={}, description="Values of CustomerContext to set; validated once merged.")

    @field_validator("sentiment_overrides")
    @classmethod
    def _valence_range(cls, value: dict[str, float]) -> dict[str, float]:
        for phrase, valence in value.items():
            if not -4.0 <= valence <= 4.0:
                raise ValueError(f"valence for {phrase!r} must lie in -4..4, got {valence}")
        return value
