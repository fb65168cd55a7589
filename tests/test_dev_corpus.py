"""Quality floor on the labelled dev corpus (the core issue: F1 >= 0.85, clean flagged <= 10%)."""

from __future__ import annotations

import pytest

from toneguard._apps.evaluation import evaluate_file

from conftest import DEV_CORPUS

CATEGORIES = ("dismissive", "clipped", "technical")


@pytest.fixture(scope="module")
def evaluation(analyzer):
    if not DEV_CORPUS.exists():
        pytest.skip(f"{DEV_CORPUS} is not beside the project")
    return evaluate_file(DEV_CORPUS, analyzer)


@pytest.mark.parametrize("category", CATEGORIES)
def test_f1_per_category(evaluation, category):
    figures = evaluation.categories[category]
    assert figures.f1 is not None and figures.f1 >= 0.85, figures


@pytest.mark.parametrize("category", CATEGORIES)
def test_clean_replies_rarely_flagged(evaluation, category):
    assert evaluation.clean > 0, "the corpus has no clean replies"
    share = evaluation.categories[category].clean_flagged_share
    assert share is not None and share <= 0.10, evaluation.categories[category]
