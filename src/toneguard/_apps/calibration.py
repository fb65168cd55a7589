"""Per-category thresholds that maximise F1 on a team's own labelled replies.

Every labelled row is analysed once; each category's scores are then swept
from the highest down, and the cut with the best F1 wins (on a tie, the
higher cut, which flags less). The threshold is set midway between the
lowest score it flags and the next score below, so that a reply scoring a
hair differently does not flip.

>>> calibration = calibrate_file("labelled.jsonl")        # doctest: +SKIP
>>> calibration.choices["dismissive"].threshold           # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field

from .._core.analyzer import Analyzer, default_analyzer
from ..models import Category, Record
from .evaluation import SkippedRow, precision_recall_f1
from .replies import Columns, ReplyReader
from .row_files import FileFormat, read_rows

# Thresholds stay inside (0, 1]: a threshold of 0 would flag every reply.
_LOWEST_THRESHOLD = 0.01


class Cut(Record):
    """How a threshold does on the labelled rows."""

    threshold: float
    precision: float | None
    recall: float | None
    f1: float | None


class ThresholdChoice(Record):
    category: Category
    support: int = Field(description="Rows labelled positive for this category.")
    rows: int
    current: Cut = Field(description="The threshold in use now, and how it does.")
    chosen: Cut | None = Field(description="The threshold with the best F1; None when the rows cannot decide one.")
    note: str | None = None


class Calibration(Record):
    source: str
    evaluated: int
    skipped: list[SkippedRow]
    choices: dict[Category, ThresholdChoice]

    @property
    def thresholds(self) -> dict[Category, float]:
        """The chosen thresholds, for the categories that have one."""
        return {category: choice.chosen.threshold for category, choice in self.choices.items() if choice.chosen}


def cut_at(threshold: float, scores: list[float], labels: list[bool]) -> Cut:
    """How flagging every score at or above ``threshold`` does against ``labels``."""
    tp = sum(1 for score, label in zip(scores, labels) if label and score >= threshold)
    fp = sum(1 for score, label in zip(scores, labels) if not label and score >= threshold)
    fn = sum(labels) - tp
    return Cut(threshold=threshold, **dict(zip(("precision", "recall", "f1"), precision_recall_f1(tp, fp, fn))))


def best_threshold(scores: list[float], labels: list[bool]) -> float | None:
    """The threshold with the best F1 (the higher one on a tie), or None without both positive and negative rows."""
    positives = sum(labels)
    if positives == 0 or positives == len(labels):
        return None
    ranked = sorted(zip(scores, labels), key=lambda pair: -pair[0])
    best_f1, best_index = -1.0, 0
    tp = fp = 0
    for index, (score, label) in enumerate(ranked):
        tp += label
        fp += not label
        if index + 1 < len(ranked) and ranked[index + 1][0] == score:
            continue  # a cut falls only between different scores
        f1 = 2 * tp / (2 * tp + fp + (positives - tp))
        if f1 > best_f1:
            best_f1, best_index = f1, index
    lowest_flagged = ranked[best_index][0]
    below = ranked[best_index + 1][0] if best_index + 1 < len(ranked) else 0.0
    return round(max(_LOWEST_THRESHOLD, min(1.0, (lowest_flagged + below) / 2)), 4)


def calibrate_file(
    path: str | Path,
    analyzer: Analyzer | None = None,
    columns: Columns | None = None,
    file_format: FileFormat | None = None,
) -> Calibration:
    """The threshold per labelled category that maximises F1 on the file's rows, beside the one in use.

    Raises :class:`RowFileError` when the file as a whole cannot be used;
    single bad rows are reported in ``skipped``.
    """
    analyzer = analyzer or default_analyzer()
    source = str(path)
    reader = ReplyReader(columns or Columns(), source, labelled=True)
    scores: dict[Category, list[float]] = {}
    labels: dict[Category, list[bool]] = {}
    skipped = []
    for row in reader.read(read_rows(Path(path), file_format)):
        if row.text is None:
            skipped.append(SkippedRow(row=row.row, reason=row.skipped or "unreadable row"))
            continue
        report = analyzer.analyze(row.text, row.customer)
        for category, label in row.labels.items():
            scores.setdefault(category, []).append(report.scores[category].score)
            labels.setdefault(category, []).append(label)
    current = {category: analyzer.config.thresholds.get(category, analyzer.tuning.scoring.default_threshold) for category in Category}
    choices = {
        category: _choice(category, scores.get(category, []), labels.get(category, []), current[category])
        for category in reader.categories
    }
    evaluated = len(next(iter(scores.values()), []))
    return Calibration(source=source, evaluated=evaluated, skipped=skipped, choices=choices)


def _choice(category: Category, scores: list[float], labels: list[bool], current: float) -> ThresholdChoice:
    threshold = best_threshold(scores, labels)
    note = None
    if threshold is None:
        note = "needs rows labelled both yes and no; threshold left as it is"
    elif sum(labels) < 20:
        note = f"only {sum(labels)} positive rows: the threshold may not hold on new replies"
    return ThresholdChoice(
        category=category,
        support=sum(labels),
        rows=len(labels),
        current=cut_at(current, scores, labels),
        chosen=None if threshold is None else cut_at(threshold, scores, labels),
        note=note,
    )
