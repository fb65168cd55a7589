"""The shape of a rules file, validated strictly when it is loaded.

A rules file holds ``rules:`` (each naming one of a few fixed detector types in
``check``) and may hold ``signals:`` (named phrase sets that detectors consult,
such as greetings or apologies) and ``sentiment_overrides:`` (corrections to
VADER's reading of help-desk phrases).
"""

from __future__ import annotations

import re
from enum import Enum
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

RULE_ID = re.compile(r"^TG\d{3}$")


class Category(str, Enum):
    dismissive = "dismissive"
    clipped = "clipped"
    technical = "technical"

    def __str__(self) -> str:
        return self.value


class Severity(str, Enum):
    """How strongly one finding pushes its category's score (see ``scoring``)."""

    high = "high"
    medium = "medium"
    low = "low"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ExchangeExample(_Strict):
    """An example reply together with the customer's message it answers."""

    reply: str = Field(min_length=1)
    customer: str


Example = Union[str, ExchangeExample]


def example_exchange(example: Example) -> tuple[str, str | None]:
    """(reply, customer message or None) for either form of example."""
    if isinstance(example, ExchangeExample):
        return example.reply, example.customer
    return example, None


class Examples(_Strict):
    bad: list[Example] = Field(min_length=1)
    good: list[Example] = Field(min_length=1)


class _RuleBase(_Strict):
    id: str
    name: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    category: Category
    severity: Severity
    message: str = Field(min_length=10)
    why: str = Field(min_length=20)
    suggestions: list[str] = []
    unless: list[str] = Field(
        default=[],
        description="Phrases that, anywhere in the same sentence, mean the match is fine.",
    )
    source: str | None = None
    examples: Examples

    @field_validator("id")
    @classmethod
    def _id_shape(cls, value: str) -> str:
        if not RULE_ID.match(value):
            raise ValueError("rule ids look like TG123 (TG and three digits)")
        return value


def _uses_regex(value: Any) -> bool:
    if isinstance(value, dict):
        return any(str(key).upper() == "REGEX" or _uses_regex(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_uses_regex(item) for item in value)
    return False


class PhraseRule(_RuleBase):
    """Flags any of a list of phrases, matched case-insensitively on whole tokens."""

    check: Literal["phrase"]
    phrases: list[str] = Field(min_length=1)


class PatternRule(_RuleBase):
    """Flags spaCy Matcher token patterns (no regular expressions, so no runaway matching)."""

    check: Literal["pattern"]
    patterns: list[list[dict[str, Any]]] = Field(min_length=1)

    @field_validator("patterns")
    @classmethod
    def _valid_for_matcher(cls, value: list[list[dict[str, Any]]]) -> list[list[dict[str, Any]]]:
        from spacy.schemas import validate_token_pattern  # spaCy loads only when a pattern rule is read

        problems = []
        for index, pattern in enumerate(value):
            if not pattern:
                problems.append(f"pattern {index}: empty")
            if _uses_regex(pattern):
                # A user's regex could backtrack catastrophically; token attributes cannot.
                problems.append(f"pattern {index}: REGEX is not allowed; use LOWER/TEXT with IN lists instead")
                continue
            if any(set(token) == {"OP"} and token["OP"] in ("*", "+") for token in pattern):
                # "any number of any token" makes matching grow with the square of the reply's length.
                problems.append(f"pattern {index}: a bare '*' or '+' wildcard is not allowed; give the token an attribute or use '?'")
                continue
            # spaCy's own schema; its first message per pattern is the precise one.
            errors = validate_token_pattern(pattern)
            if errors:
                problems.append(f"pattern {index}: {errors[0]} (YAML reads bare on/off/yes/no as booleans: quote them)")
        if problems:
            raise ValueError("; ".join(problems))
        return value


class Swap(_Strict):
    """One piece of jargon: its spellings and what a customer would understand instead."""

    terms: list[str] = Field(min_length=1)
    replace: str | None = Field(
        default=None, description="A drop-in plain wording, safe for the automatic rewrite."
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
    """Flags each listed term and offers its plain-English replacement or explanation."""

    check: Literal["swap"]
    swaps: list[Swap] = Field(min_length=1)


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


class ContextRule(_RuleBase):
    """Flags a reply that ignores the customer's message.

    It fires when the customer's message matches ``customer_when`` and the reply
    has at most ``max_reply_words`` words and none of the ``reply_lacks`` signals.
    """

    check: Literal["context"]
    customer_when: Literal["upset", "question", "long"]
    reply_lacks: list[str] = Field(min_length=1)
    max_reply_words: int = Field(default=10_000, ge=1)


Rule = Annotated[
    Union[
        PhraseRule,
        PatternRule,
        SwapRule,
        SentimentRule,
        ReadabilityRule,
        AcronymRule,
        BrevityRule,
        ContextRule,
    ],
    Field(discriminator="check"),
]


class ToneMarker(_Strict):
    """A politeness strategy: phrases whose presence (or absence) makes a reply read warmer or colder.

    Markers produce no findings; they shape a category's continuous score, so a
    reply full of hedges and thanks ranks as less dismissive than a bare demand,
    and one with no next step ranks as more clipped than one that has it.
    """

    name: str = Field(pattern=r"^[a-z0-9]+(_[a-z0-9]+)*$")
    category: Category = Field(default=Category.dismissive, description="The score the marker moves.")
    weight: float = Field(ge=-3.0, le=3.0, description="Push on the tone logit: negative is warmer.")
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


class RulesFile(_Strict):
    """One YAML file of rules, signals, tone markers and sentiment corrections."""

    rules: list[Rule] = []
    signals: dict[str, list[str]] = {}
    tone_markers: list[ToneMarker] = []
    sentiment_overrides: dict[str, float] = Field(
        default={},
        description="Phrase -> VADER valence (-4..4) for help-desk phrases VADER misreads.",
    )
    redirects: dict[str, str] = Field(
        default={}, description="Retired rule id -> the id that replaced it. Ids are never reused."
    )

    @field_validator("sentiment_overrides")
    @classmethod
    def _valence_range(cls, value: dict[str, float]) -> dict[str, float]:
        for phrase, valence in value.items():
            if not -4.0 <= valence <= 4.0:
                raise ValueError(f"valence for {phrase!r} must lie in -4..4, got {valence}")
        return value
