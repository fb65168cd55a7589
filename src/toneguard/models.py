"""toneguard's public vocabulary: the categories and severities, and the result types.

Every result is an immutable pydantic record with machine-readable fields. This
module imports nothing else from toneguard, so every layer may use it.
"""

from __future__ import annotations

import re
from enum import Enum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_serializer

__all__ = [
    "Category",
    "CategoryScore",
    "Contribution",
    "Finding",
    "Metrics",
    "Record",
    "Report",
    "Sentiment",
    "Severity",
    "ThreadContext",
]

LONE_SURROGATE = re.compile("[\ud800-\udfff]")
"""Invalid Unicode that Python strings can still hold, but JSON cannot."""


class Category(str, Enum):
    dismissive = "dismissive"
    clipped = "clipped"
    technical = "technical"

    def __str__(self) -> str:
        return self.value


class Severity(str, Enum):
    """How strongly one finding pushes its category's score (see ``scoring`` in the rules data)."""

    high = "high"
    medium = "medium"
    low = "low"


class Record(BaseModel):
    """The base of every toneguard record: frozen, and unknown fields are refused."""

    model_config = ConfigDict(frozen=True, extra="forbid")


def _encodable(text: str | None) -> str | None:
    """Lone surrogates cannot be written as JSON."""
    return None if text is None else LONE_SURROGATE.sub("\ufffd", text)


class Finding(Record):
    """One problem in the reply. ``reply[start:end] == text`` always holds."""

    rule_id: str
    rule_name: str
    category: Category
    severity: Severity
    start: int
    end: int
    text: str
    message: str
    suggestions: list[str] = []
    replacement: str | None = Field(
        default=None, description="Drop-in plain wording used by the rewrite, when one is safe."
    )

    @field_serializer("text", when_used="json")
    def _json_text(self, value: str) -> str | None:
        return _encodable(value)


class Contribution(Record):
    """One thing that moved a category's score: a finding, or (dismissive and clipped) a tone signal."""

    source: str = Field(description="A rule id (TG101), or a tone signal (tone:gratitude, tone:sentiment, tone:brisk).")
    kind: Literal["finding", "tone"]
    weight: float = Field(
        description="Finding: its severity's weight (0-1). Tone: its push on the tone logit; negative is warmer."
    )
    text: str = ""
    start: int | None = None
    end: int | None = None

    @field_serializer("text", when_used="json")
    def _json_text(self, value: str) -> str | None:
        return _encodable(value)


class CategoryScore(Record):
    score: float = Field(ge=0.0, le=1.0, description="0 = no sign of the problem, 1 = certain.")
    threshold: float
    tone: float | None = Field(
        default=None, description="The share the reply's tone adds: dismissive 0-0.4, clipped 0-0.2, technical none."
    )
    flagged: bool
    contributions: list[Contribution] = []


class Sentiment(Record):
    """VADER's scores for the reply, after toneguard's help-desk corrections."""

    compound: float
    positive: float
    neutral: float
    negative: float


class Metrics(Record):
    words: int
    sentences: int
    characters: int
    sentiment: Sentiment
    flesch_reading_ease: float | None = Field(
        description="Higher is easier; textstat 0.7.13's figure for the prose. None when the prose has no words."
    )
    flesch_kincaid_grade: float | None = Field(
        description="US school grade; textstat 0.7.13's figure for the prose. None when the prose has no words."
    )
    jargon_terms: int
    jargon_density: float = Field(description="Jargon terms per word of the reply.")
    customer_words: int | None = None
    customer_sentiment: float | None = Field(default=None, description="VADER compound of the customer's message.")


class ThreadContext(Record):
    """What the conversation around a reply shows beyond the customer's words.

    A help-desk export gives it (``toneguard scan`` works it out from each
    ticket's thread); a caller that knows the thread may pass it to
    ``Analyzer.analyze(reply, customer, context=...)``. Detectors read it as
    ``reading.thread``; it changes no finding by itself.
    """

    customer_messages_since_reply: int | None = Field(
        default=None, ge=0, description="Messages the customer sent since the previous agent reply (1: a plain back-and-forth)."
    )
    repeat_contact: bool = Field(
        default=False, description="The customer says it is not the first time they ask ('I already asked', 'third time')."
    )
    wait_seconds: float | None = Field(
        default=None, ge=0, description="Seconds from the customer's first unanswered message to the reply."
    )


class Report(Record):
    reply: str
    customer: str | None = None
    context: ThreadContext | None = Field(default=None, description="The thread context the reply was analysed with, if any.")
    language: str = Field(description="'en', or 'unknown' when the text does not read as English (no tone findings then).")
    findings: list[Finding]
    scores: dict[Category, CategoryScore]
    categories: list[Category] = Field(description="The categories whose score reached their threshold.")
    score: int = Field(ge=0, le=100, description="Overall: 100 = warm, clear and plain.")
    metrics: Metrics
    rewrite: str = Field(description="The reply with every safe plain-English replacement applied.")
    notes: list[str] = Field(default=[], description="Why a reply got no analysis, or what was skipped.")

    @field_serializer("reply", "customer", "rewrite", when_used="json")
    def _json_text(self, value: str | None) -> str | None:
        return _encodable(value)

    @property
    def flagged(self) -> bool:
        return bool(self.categories)
