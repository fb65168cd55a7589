"""Measures an :class:`~toneguard.Analyzer` against a file of labelled replies.

The file is JSON Lines, a JSON array or CSV/TSV, optionally gzip-compressed
(``.gz``). Each row holds a reply, optionally the customer's message and an id,
and a yes/no label per category. Rows are read one at a time, so only the
counts, the kept misses and the skipped-row notes stay in memory.

>>> from toneguard.evaluation import evaluate_file
>>> result = evaluate_file("labelled.jsonl")            # doctest: +SKIP
>>> result.categories["technical"].precision             # doctest: +SKIP
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Literal

from pydantic import BaseModel, ConfigDict, Field

from .row_files import FileFormat, RawRow, RowFileError, read_rows, reply_fields
from .rule_schema import Category

if TYPE_CHECKING:  # the Analyzer pulls in spaCy; only needed when evaluating
    from .analyzer import Analyzer
    from .models import Report

MissKind = Literal["false_positive", "false_negative"]

_TRUE_WORDS = frozenset({"true", "yes", "1"})
_FALSE_WORDS = frozenset({"false", "no", "0"})

# The labelled file as a whole cannot be read (bad rows are skipped instead); the name evaluation's callers know.
EvaluationInputError = RowFileError


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Columns(_Record):
    """Which field of a row holds what. Missing customer/id columns are fine."""

    text: str = "reply"
    customer: str = "customer"
    id: str = "id"
    labels: dict[Category, str] = Field(
        default={category: category.value for category in Category},
        description="Category -> label column. A category whose column is absent is not scored.",
    )


class CategoryResult(_Record):
    category: Category
    support: int = Field(description="Rows labelled positive for this category.")
    tp: int
    fp: int
    fn: int
    tn: int
    precision: float | None = Field(description="None when nothing was flagged.")
    recall: float | None = Field(description="None when no row is labelled positive.")
    f1: float | None
    clean_flagged: int = Field(description="Clean rows (no positive label at all) flagged in this category.")
    clean_flagged_share: float | None = Field(description="clean_flagged / clean rows; None with no clean rows.")


class Miss(_Record):
    row: int = Field(description="Line number (JSONL, CSV with the header as line 1) or 1-based array position.")
    id: str | None
    text: str
    category: Category
    kind: MissKind
    rules: list[str] = Field(description="Rule ids that fired in this category.")
    score: float = Field(description="The category's score for this reply.")


class SkippedRow(_Record):
    row: int
    reason: str


class Evaluation(_Record):
    source: str
    rows: int = Field(description="Rows read, including skipped ones.")
    evaluated: int
    clean: int = Field(description="Evaluated rows with no positive label in any scored category.")
    categories: dict[Category, CategoryResult] = Field(description="Only the categories the file labels.")
    clean_flagged_any: int = Field(description="Clean rows flagged in at least one scored category.")
    clean_flagged_any_share: float | None
    misses: list[Miss] = Field(description="False positives and negatives, in file order, up to max_misses.")
    misses_total: int
    skipped: list[SkippedRow]


# ---------------------------------------------------------------------------
# Turning rows into labelled examples


@dataclass(frozen=True)
class Example:
    row: int
    id: str | None
    text: str
    customer: str | None
    labels: dict[Category, bool]


def parse_label(value: Any) -> bool | None:
    """True/False from a boolean, 0/1, or "true"/"false"/"yes"/"no"/"1"/"0"; None when unreadable."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        word = value.strip().lower()
        if word in _TRUE_WORDS:
            return True
        if word in _FALSE_WORDS:
            return False
    return None


def scored_categories(fields: Iterable[str], columns: Columns) -> list[Category]:
    """The categories whose label column is among ``fields``, in the usual order."""
    present = set(fields)
    return [category for category in Category if columns.labels.get(category) in present]


def to_example(row: RawRow, columns: Columns, categories: list[Category]) -> Example | SkippedRow:
    if row.fields is None:
        return SkippedRow(row=row.number, reason=row.problem or "unreadable row")
    fields = row.fields
    reply = reply_fields(fields, columns.text, columns.customer)
    if isinstance(reply, str):
        return SkippedRow(row=row.number, reason=reply)
    text, customer = reply
    labels: dict[Category, bool] = {}
    for category in categories:
        column = columns.labels[category]
        label = parse_label(fields.get(column))
        if label is None:
            return SkippedRow(row=row.number, reason=f"unreadable label {fields.get(column)!r} in column {column!r}")
        labels[category] = label
    raw_id = fields.get(columns.id)
    return Example(
        row=row.number,
        id=None if raw_id is None or raw_id == "" else str(raw_id),
        text=text,
        customer=customer,
        labels=labels,
    )


# ---------------------------------------------------------------------------
# Counting


@dataclass
class _Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    clean_flagged: int = 0

    def add(self, actual: bool, predicted: bool, clean: bool) -> None:
        if actual and predicted:
            self.tp += 1
        elif predicted:
            self.fp += 1
        elif actual:
            self.fn += 1
        else:
            self.tn += 1
        if clean and predicted:
            self.clean_flagged += 1


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def category_result(category: Category, counts: _Counts, clean: int) -> CategoryResult:
    precision = _ratio(counts.tp, counts.tp + counts.fp)
    recall = _ratio(counts.tp, counts.tp + counts.fn)
    if precision is None or recall is None:
        f1 = None
    else:
        f1 = round(2 * precision * recall / (precision + recall), 4) if precision + recall else 0.0
    return CategoryResult(
        category=category,
        support=counts.tp + counts.fn,
        tp=counts.tp,
        fp=counts.fp,
        fn=counts.fn,
        tn=counts.tn,
        precision=precision,
        recall=recall,
        f1=f1,
        clean_flagged=counts.clean_flagged,
        clean_flagged_share=_ratio(counts.clean_flagged, clean),
    )


def misses_of(example: Example, report: Report) -> Iterator[Miss]:
    for category, actual in example.labels.items():
        predicted = category in report.categories
        if actual == predicted:
            continue
        yield Miss(
            row=example.row,
            id=example.id,
            text=example.text,
            category=category,
            kind="false_negative" if actual else "false_positive",
            rules=list(dict.fromkeys(f.rule_id for f in report.findings if f.category == category)),
            score=report.scores[category].score,
        )


class _Tally:
    """Running totals over the evaluated rows."""

    def __init__(self, categories: list[Category], max_misses: int | None):
        self.categories = categories
        self.max_misses = max_misses
        self.counts = {category: _Counts() for category in categories}
        self.rows = self.evaluated = self.clean = self.clean_flagged_any = self.misses_total = 0
        self.misses: list[Miss] = []
        self.skipped: list[SkippedRow] = []

    def skip(self, skipped: SkippedRow) -> None:
        self.skipped.append(skipped)

    def add(self, example: Example, report: Report) -> None:
        self.evaluated += 1
        clean = not any(example.labels.values())
        flagged = [category for category in self.categories if category in report.categories]
        self.clean += clean
        self.clean_flagged_any += clean and bool(flagged)
        for category, actual in example.labels.items():
            self.counts[category].add(actual, category in flagged, clean)
        for miss in misses_of(example, report):
            self.misses_total += 1
            if self.max_misses is None or len(self.misses) < self.max_misses:
                self.misses.append(miss)

    def result(self, source: str) -> Evaluation:
        return Evaluation(
            source=source,
            rows=self.rows,
            evaluated=self.evaluated,
            clean=self.clean,
            categories={c: category_result(c, self.counts[c], self.clean) for c in self.categories},
            clean_flagged_any=self.clean_flagged_any,
            clean_flagged_any_share=_ratio(self.clean_flagged_any, self.clean),
            misses=self.misses,
            misses_total=self.misses_total,
            skipped=self.skipped,
        )


# ---------------------------------------------------------------------------
# Entry points


def evaluate_rows(
    rows: Iterable[RawRow],
    analyzer: Analyzer | None = None,
    columns: Columns | None = None,
    max_misses: int | None = None,
    source: str = "<rows>",
) -> Evaluation:
    """Evaluates rows already read. The first readable row decides which columns exist, like a header."""
    columns = columns or Columns()
    if analyzer is None:
        from .analyzer import default_analyzer

        analyzer = default_analyzer()
    tally: _Tally | None = None
    pending: list[SkippedRow] = []  # unreadable rows before the first readable one
    rows_read = 0
    for row in rows:
        rows_read += 1
        if tally is None:
            if row.fields is None:
                pending.append(SkippedRow(row=row.number, reason=row.problem or "unreadable row"))
                continue
            tally = _start_tally(row.fields, columns, max_misses, source)
            for skipped in pending:
                tally.skip(skipped)
        example = to_example(row, columns, tally.categories)
        if isinstance(example, SkippedRow):
            tally.skip(example)
        else:
            tally.add(example, analyzer.analyze(example.text, example.customer))
    if tally is None:
        tally = _Tally([], max_misses)
        for skipped in pending:
            tally.skip(skipped)
    tally.rows = rows_read
    return tally.result(source)


def _start_tally(fields: dict[str, Any], columns: Columns, max_misses: int | None, source: str) -> _Tally:
    names = list(fields)
    if columns.text not in fields:
        raise EvaluationInputError(f"{source}: no text column {columns.text!r} (columns: {', '.join(names) or 'none'})")
    categories = scored_categories(names, columns)
    if not categories:
        wanted = ", ".join(f"{c.value}={columns.labels[c]!r}" for c in Category if c in columns.labels)
        raise EvaluationInputError(
            f"{source}: no label columns found (looked for {wanted}; columns: {', '.join(names)})"
        )
    return _Tally(categories, max_misses)


def evaluate_file(
    path: str | Path,
    analyzer: Analyzer | None = None,
    columns: Columns | None = None,
    max_misses: int | None = None,
    file_format: FileFormat | None = None,
) -> Evaluation:
    """Evaluates ``analyzer`` (default: the shared one) on a labelled JSONL, JSON or CSV file.

    Raises :class:`EvaluationInputError` when the file as a whole cannot be used
    (missing, unknown format, no text or label columns); single bad rows are
    reported in ``skipped`` instead.
    """
    path = Path(path)
    rows = read_rows(path, file_format)
    return evaluate_rows(rows, analyzer, columns, max_misses, source=str(path))
