"""Turns findings into a 0-1 score per category and a 0-100 overall score."""

from __future__ import annotations

from functools import lru_cache

from .._rules.schema import Scoring
from ..models import Category, CategoryScore, Contribution, Finding
from .tone import Tone


def category_scores(
    findings: list[Finding],
    scoring: Scoring,
    thresholds: dict[Category, float],
    tones: dict[Category, Tone] | None = None,
) -> dict[Category, CategoryScore]:
    """Each finding independently "explains" its category with its severity's weight (``scoring.severity_weights``).

    The same wording flagged twice by the same rule ("COD points ... COD
    points") is one problem: only its first finding counts (weight 0 after).

    A category with a tone (dismissive: politeness strategies and sentiment;
    clipped: brevity and missing next steps) also takes it as one more, bounded,
    contribution, so that replies without findings are still ranked.
    """
    scores = {}
    counted: set[tuple[str, str]] = set()
    for category in Category:
        contributions = []
        for f in findings:
            if f.category != category:
                continue
            repeat = (f.rule_id, f.text.lower()) in counted
            counted.add((f.rule_id, f.text.lower()))
            contributions.append(
                Contribution(
                    source=f.rule_id,
                    kind="finding",
                    weight=0.0 if repeat else scoring.severity_weights[f.severity],
                    text=f.text,
                    start=f.start,
                    end=f.end,
                )
            )
        untouched = 1.0
        for contribution in contributions:
            untouched *= 1.0 - contribution.weight
        tone = (tones or {}).get(category)
        tone_share = None
        if tone is not None:
            tone_share = round(tone.component, 4)
            untouched *= 1.0 - tone.component
            contributions += _tone_contributions(tone)
        score = round(1.0 - untouched, 4)
        threshold = thresholds.get(category, scoring.default_threshold)
        scores[category] = CategoryScore(
            score=score, threshold=threshold, flagged=score >= threshold, contributions=contributions, tone=tone_share
        )
    return scores


def _tone_contributions(tone: Tone) -> list[Contribution]:
    """Tone signals as contributions; their weight is their push on the tone logit, not a probability."""
    return [
        _unplaced(f"tone:{s.name}", s.weight)
        if s.start is None
        else Contribution(source=f"tone:{s.name}", kind="tone", weight=s.weight, text=s.text, start=s.start, end=s.end)
        for s in tone.signals
    ]


@lru_cache(maxsize=4096)
def _unplaced(source: str, weight: float) -> Contribution:
    """A tone signal with no span (no courtesy, sentiment) is the same frozen record whenever it recurs."""
    return Contribution(source=source, kind="tone", weight=weight)


def overall_score(scores: dict[Category, CategoryScore]) -> int:
    """100 when nothing is wrong; each category can take away up to half of what is left."""
    remaining = 1.0
    for category_score in scores.values():
        remaining *= 1.0 - category_score.score / 2
    return round(100 * remaining)
