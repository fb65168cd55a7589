"""Quality floor on the labelled dev corpus (the core issue: F1 >= 0.85, clean flagged <= 10%)."""

from __future__ import annotations

import pytest

CATEGORIES = ("dismissive", "clipped", "technical")


@pytest.fixture(scope="module")
def predictions(analyzer, dev_rows):
    return [(row, set(analyzer.analyze(row["reply"], row["customer"] or None).categories)) for row in dev_rows]


@pytest.mark.parametrize("category", CATEGORIES)
def test_f1_per_category(predictions, category):
    tp = sum(1 for row, got in predictions if row[category] and category in got)
    fp = sum(1 for row, got in predictions if not row[category] and category in got)
    fn = sum(1 for row, got in predictions if row[category] and category not in got)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    assert f1 >= 0.85, f"{category}: P={precision:.2f} R={recall:.2f} F1={f1:.2f}"


@pytest.mark.parametrize("category", CATEGORIES)
def test_clean_replies_rarely_flagged(predictions, category):
    clean = [got for row, got in predictions if not any(row[c] for c in CATEGORIES)]
    assert clean, "the corpus has no clean replies"
    share = sum(1 for got in clean if category in got) / len(clean)
    assert share <= 0.10, f"{category} flags {share:.0%} of clean replies"
