"""Measures an :class:`~toneguard.Analyzer` against a file of labelled replies.

The file is JSON Lines, a JSON array or CSV/TSV, optionally gzip-compressed
(``.gz``). Each row holds a reply, optionally the customer's message and an id,
and a yes/no label per category. Rows are read one at a time, so only the
counts, the kept misses and the skipped-row notes stay in memory.

>>> result = evaluate_file("labelled.jsonl")            # doctest: +SKIP
>>> result.categories["technical"].precision             # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable, Iterator, Literal

from pydantic import Field

from .._core.analyzer import Analyzer, default_analyzer
from ..models import Category, Record, Report
from .counts import FlagCounts
from .replies import Columns, ReplyReader, ReplyRow
from .row_files import FileFormat, RawRow, read_rows

MissKind = Literal["false_positive", "false_negative"]


class CategoryResult(Record):
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


class Miss(Record):
    row: int = Field(description="The record's number in the file, from 1 (a CSV header is not a record).")
    line: int = Field(description="The line of the file the record starts on.")
    id: str | None
    text: str
    category: Category
    kind: MissKind
    rules: list[str] = Field(description="Rule ids that fired in this category.")
    score: float = Field(description="The category's score for this reply.")


class SkippedRow(Record):
    row: int
    line: int
    reason: str


class Evaluation(Record):
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


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def precision_recall_f1(tp: int, fp: int, fn: int) -> tuple[float | None, float | None, float | None]:
    """Precision (None when nothing was flagged), recall (None with no positives) and their F1."""
    precision = _ratio(tp, tp + fp)
    recall = _ratio(tp, tp + fn)
    if precision is None or recall is None:
        return precision, recall, None
    return precision, recall, round(2 * precision * recall / (precision + recall), 4) if precision + recall else 0.0


def category_result(category: Category, positives: FlagCounts, negatives: FlagCounts, clean: FlagCounts) -> CategoryResult:
    """The figures of one category from the rows labelled positive for it, those labelled negative, and the clean rows."""
    tp, fp = positives.by_category[category], negatives.by_category[category]
    fn, tn = positives.rows - tp, negatives.rows - fp
    precision, recall, f1 = precision_recall_f1(tp, fp, fn)
    return CategoryResult(
        category=category,
        support=positives.rows,
        tp=tp,
        fp=fp,
        fn=fn,
        tn=tn,
        precision=precision,
        recall=recall,
        f1=f1,
        clean_flagged=clean.by_category[category],
        clean_flagged_share=_ratio(clean.by_category[category], clean.rows),
    )


def misses_of(example: ReplyRow, report: Report) -> Iterator[Miss]:
    for category, actual in example.labels.items():
        predicted = category in report.categories
        if actual == predicted:
            continue
        yield Miss(
            row=example.row,
            line=example.line,
            id=example.id,
            text=example.text,
            category=category,
            kind="false_negative" if actual else "false_positive",
            rules=list(dict.fromkeys(f.rule_id for f in report.findings if f.category == category)),
            score=report.scores[category].score,
        )


class EvaluationTally:
    """Running totals over the rows of a labelled file."""

    def __init__(self, max_misses: int | None):
        self.max_misses = max_misses
        self.rows = 0
        # Per category, the rows labelled positive and those labelled negative: their flags are tp and fp.
        self.positives: dict[Category, FlagCounts] = {category: FlagCounts() for category in Category}
        self.negatives: dict[Category, FlagCounts] = {category: FlagCounts() for category in Category}
        self.clean = FlagCounts()
        self.evaluated = self.misses_total = 0
        self.misses: list[Miss] = []
        self.skipped: list[SkippedRow] = []

    def skip(self, row: ReplyRow) -> None:
        self.rows += 1
        self.skipped.append(SkippedRow(row=row.row, line=row.line, reason=row.skipped or "unreadable row"))

    def add(self, example: ReplyRow, report: Report) -> None:
        self.rows += 1
        self.evaluated += 1
        flagged = [category for category in example.labels if category in report.categories]
        if not any(example.labels.values()):
            self.clean.add(flagged)
        for category, actual in example.labels.items():
            (self.positives if actual else self.negatives)[category].add(flagged)
        for miss in misses_of(example, report):
            self.misses_total += 1
            if self.max_misses is None or len(self.misses) < self.max_misses:
                self.misses.append(miss)

    def result(self, source: str, categories: list[Category]) -> Evaluation:
        clean = self.clean
        return Evaluation(
            source=source,
            rows=self.rows,
            evaluated=self.evaluated,
            clean=clean.rows,
            categories={c: category_result(c, self.positives[c], self.negatives[c], clean) for c in categories},
            clean_flagged_any=clean.flagged,
            clean_flagged_any_share=_ratio(clean.flagged, clean.rows),
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
    analyzer = analyzer or default_analyzer()
    reader = ReplyReader(columns or Columns(), source, labelled=True)
    tally = EvaluationTally(max_misses)
    for row in reader.read(rows):
        if row.text is None:
            tally.skip(row)
        else:
            tally.add(row, analyzer.analyze(row.text, row.customer))
    return tally.result(source, reader.categories)


def evaluate_file(
    path: str | Path,
    analyzer: Analyzer | None = None,
    columns: Columns | None = None,
    max_misses: int | None = None,
    file_format: FileFormat | None = None,
) -> Evaluation:
    """Evaluates ``analyzer`` (default: the shared one) on a labelled JSONL, JSON or CSV file.

    Raises :class:`RowFileError` when the file as a whole cannot be used
    (missing, unknown format, no text or label columns); single bad rows are
    reported in ``skipped`` instead.
    """
    path = Path(path)
    rows = read_rows(path, file_format)
    return evaluate_rows(rows, analyzer, columns, max_misses, source=str(path))
