"""Turns findings into a 0-1 score per category and a 0-100 overall score.

Scores are plain dicts with the fields of :class:`~toneguard.models.CategoryScore`
(and its contributions those of ``Contribution``): the Report validates them once.
"""

from __future__ import annotations

from typing import Any

from .._rules.schema import Scoring
from ..models import Category
from .findings import FoundProblem
from .tone import Tone

# Iterating an Enum class runs Python code on each pass; a reply is scored in every category.
_CATEGORIES = tuple(Category)

ScoreFields = dict[str, Any]
"""A CategoryScore's fields, before validation."""


def category_scores(
    findings: list[FoundProblem],
    scoring: Scoring,
    thresholds: dict[Category, float],
    tones: dict[Category, Tone] | None = None,
) -> dict[Category, ScoreFields]:
    """Each finding independently "explains" its category with its severity's weight (``scoring.severity_weights``).

    The same wording flagged twice by the same rule ("COD points ... COD
    points") is one problem: only its first finding counts (weight 0 after).

    A category with a tone (dismissive: politeness strategies and sentiment;
    clipped: brevity and missing next steps) also takes it as one more, bounded,
    contribution, so that replies without findings are still ranked.
    """
    scores = {}
    counted: set[tuple[str, str]] = set()
    for category in _CATEGORIES:
        contributions = []
        untouched = 1.0
        for f in findings:
            if f.category != category:
                continue
            repeat = (f.rule_id, f.text.lower()) in counted
            counted.add((f.rule_id, f.text.lower()))
            weight = 0.0 if repeat else scoring.severity_weights[f.severity]
            untouched *= 1.0 - weight
            contributions.append(
                {"source": f.rule_id, "kind": "finding", "weight": weight, "text": f.text, "start": f.start, "end": f.end}
            )
        tone = (tones or {}).get(category)
        tone_share = None
        if tone is not None:
            component = tone.component
            tone_share = round(component, 4)
            untouched *= 1.0 - component
            contributions += _tone_contributions(tone)
        score = round(1.0 - untouched, 4)
        threshold = thresholds.get(category, scoring.default_threshold)
        scores[category] = {
            "score": score,
            "threshold": threshold,
            "flagged": score >= threshold,
            "contributions": contributions,
            "tone": tone_share,
        }
    return scores


def _tone_contributions(tone: Tone) -> list[dict[str, Any]]:
    """Tone signals as contributions; their weight is their push on the tone logit, not a probability."""
    return [
        {"source": f"tone:{s.name}", "kind": "tone", "weight": s.weight}
        if s.start is None
        else {"source": f"tone:{s.name}", "kind": "tone", "weight": s.weight, "text": s.text, "start": s.start, "end": s.end}
        for s in tone.signals
    ]


def overall_score(scores: dict[Category, ScoreFields]) -> int:
    """100 when nothing is wrong; each category can take away up to half of what is left."""
    remaining = 1.0
    for category_score in scores.values():
        remaining *= 1.0 - category_score["score"] / 2
    return round(100 * remaining)
