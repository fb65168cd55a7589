"""A report reduced to what a table of thousands of replies needs: one line, or one row of columns, per reply."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from ..models import Category, Record, Report, Severity, ThreadContext


class SpanHit(Record):
    """A finding reduced to what a table of thousands of replies needs."""

    rule_id: str
    category: Category
    severity: Severity
    start: int
    end: int
    text: str


class ReplyOutcome(Record):
    """A compact :class:`~toneguard.Report` for writing one line per reply."""

    language: str
    score: int
    categories: list[Category]
    scores: dict[Category, float]
    findings: list[SpanHit]
    words: int
    sentiment: float
    reading_grade: float | None = None
    rewrite: str | None = None

    @classmethod
    def from_report(cls, report: Report) -> ReplyOutcome:
        return cls(
            language=report.language,
            score=report.score,
            categories=report.categories,
            scores={category: score.score for category, score in report.scores.items()},
            findings=[
                SpanHit(
                    rule_id=f.rule_id, category=f.category, severity=f.severity, start=f.start, end=f.end, text=f.text
                )
                for f in report.findings
            ],
            words=report.metrics.words,
            sentiment=report.metrics.sentiment.compound,
            reading_grade=report.metrics.flesch_kincaid_grade,
            rewrite=report.rewrite if report.rewrite != report.reply else None,
        )

    def flat(self) -> dict[str, Any]:
        """One value per column (see :data:`FLAT_COLUMNS`), for CSV, Parquet and DataFrames."""
        return {
            "language": self.language,
            "score": self.score,
            "flagged": bool(self.categories),
            "categories": ";".join(c.value for c in self.categories),
            **{c.value: self.scores[c] for c in Category},
            "rules": ";".join(dict.fromkeys(f.rule_id for f in self.findings)),
            "findings": len(self.findings),
            "words": self.words,
            "sentiment": self.sentiment,
            "reading_grade": self.reading_grade,
            "rewrite": self.rewrite,
        }


# Column -> pandas dtype of ReplyOutcome.flat(); nullable dtypes so skipped rows can be empty.
FLAT_COLUMNS: dict[str, str] = {
    "language": "string",
    "score": "Int64",
    "flagged": "boolean",
    "categories": "string",
    **{category.value: "Float64" for category in Category},
    "rules": "string",
    "findings": "Int64",
    "words": "Int64",
    "sentiment": "Float64",
    "reading_grade": "Float64",
    "rewrite": "string",
}


class ScanRecord(Record):
    """One output line of a scan: the input row's identity and either its analysis or why it was skipped."""

    row: int = Field(description="The input record's number, from 1 (a CSV header is not a record).")
    line: int | None = Field(
        default=None,
        description="The line of the input file the record starts on; None inside a help desk's single JSON document "
        "that lists its tickets (parsed incrementally, without positions).",
    )
    id: str | None = None
    reply_id: str | None = Field(default=None, description="The reply's own id in the help desk (a comment, part or thread).")
    text_hash: str | None = Field(
        default=None, description="First 16 hex digits of the SHA-256 of the reply: finds the reply again without an id."
    )
    groups: dict[str, str] = {}
    date: str | None = None
    context: ThreadContext | None = None
    skipped: str | None = Field(default=None, description="Why the row was not analysed.")
    encoding: str | None = Field(
        default=None, description="The fallback encoding the row was read with (cp1252, latin-1) when it was not UTF-8."
    )
    result: ReplyOutcome | None = None
