"""Turns findings into a 0-1 score per category and a 0-100 overall score."""

from __future__ import annotations

from .models import CategoryScore, Contribution, Finding
from .rule_schema import Category, Severity

# One high finding settles a category; mediums need company; lows only tip the balance.
SEVERITY_WEIGHT = {Severity.high: 0.6, Severity.medium: 0.35, Severity.low: 0.15}
DEFAULT_THRESHOLD = 0.5


def category_scores(findings: list[Finding], thresholds: dict[Category, float]) -> dict[Category, CategoryScore]:
    scores = {}
    for category in Category:
        contributions = [
            Contribution(rule_id=f.rule_id, text=f.text, weight=SEVERITY_WEIGHT[f.severity])
            for f in findings
            if f.category == category
        ]
        untouched = 1.0
        for contribution in contributions:
            untouched *= 1.0 - contribution.weight
        score = round(1.0 - untouched, 4)
        threshold = thresholds.get(category, DEFAULT_THRESHOLD)
        scores[category] = CategoryScore(
            score=score, threshold=threshold, flagged=score >= threshold, contributions=contributions
        )
    return scores


def overall_score(scores: dict[Category, CategoryScore]) -> int:
    """100 when nothing is wrong; each category can take away up to half of what is left."""
    remaining = 1.0
    for category_score in scores.values():
        remaining *= 1.0 - category_score.score / 2
    return round(100 * remaining)
