"""The one running count behind scan summaries and evaluations: replies, flagged ones, and their scores."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from ..models import Category


@dataclass
class FlagCounts:
    """Analysed replies, how many were flagged (in any category and per category), and their scores' total."""

    rows: int = 0
    flagged: int = 0
    score_total: int = 0
    by_category: Counter[Category] = field(default_factory=Counter)

    def add(self, categories: list[Category], score: int = 0) -> None:
        """One more reply, flagged in ``categories`` (none: not flagged)."""
        self.rows += 1
        self.score_total += score
        self.flagged += bool(categories)
        self.by_category.update(categories)

    def add_counts(self, other: FlagCounts) -> None:
        self.rows += other.rows
        self.flagged += other.flagged
        self.score_total += other.score_total
        self.by_category.update(other.by_category)

    def per_category(self) -> dict[Category, int]:
        return {category: self.by_category[category] for category in Category}
