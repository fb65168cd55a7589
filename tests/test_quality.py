"""Headline quality figures on real text, pinned with a margin (see benchmarks/quality.py for all of them).

Each figure is measured the same way as the benchmark; a rule edit that wrecks
quality on real replies fails here. The data lives in ../shared and is never shipped.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from conftest import SHARED

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import quality  # noqa: E402

pytestmark = pytest.mark.skipif(not (SHARED / "data").exists(), reason="../shared/data is not beside the project")


@pytest.fixture(scope="module")
def readers() -> quality.Readers:
    return quality.Readers()


def test_technical_wording_in_real_replies_is_found_with_precision(readers):
    figures = quality.real_dev(readers, SHARED)
    for part in ("all", "half_a", "half_b"):
        technical = figures[part]["technical"]
        assert technical["f1"] >= 0.80 and technical["precision"] >= 0.80, (part, technical)


def test_dismissive_and_clipped_real_replies_are_found_without_flagging_clean_ones(readers):
    figures = quality.real_dev(readers, SHARED)
    for part in ("all", "half_a", "half_b"):
        clipped, dismissive = figures[part]["clipped"], figures[part]["dismissive"]
        assert clipped["f1"] >= 0.75 and dismissive["precision"] >= 0.65, (part, clipped, dismissive)
        assert figures[part]["clean_flagged_any"] <= 0.10, (part, figures[part])
    assert figures["all"]["dismissive"]["f1"] >= 0.50, figures["all"]


def test_courteous_brand_replies_are_rarely_flagged(readers):
    rates = quality.twcs(readers, SHARED)
    assert rates["dismissive"] <= 0.03 and rates["technical"] <= 0.03, rates
    assert max(rates[c] for c in quality.CATEGORIES) <= 0.10, rates
    # VADER alone calls about an eighth of these replies negative; toneguard's corrections must do far better.
    assert rates["dismissive"] < rates["vader_negative"] / 4, rates


def test_politeness_ranking_beats_vader_on_stanford_quartiles(readers):
    figures = quality.stanford(readers, SHARED)
    assert figures["cv_tone_accuracy"] >= 0.80 and figures["cv_tone_auc"] >= 0.88, figures
    assert figures["cv_score_accuracy"] >= 0.79, figures
    assert figures["cv_score_accuracy"] > figures["vader_accuracy"] + 0.10, figures


def test_dismissive_score_ranks_unhealthy_comments_above_vader(readers):
    figures = quality.ucc(readers, SHARED)
    assert figures["dismissive_auc"] >= 0.64 and figures["union_auc"] >= 0.59, figures
    assert figures["union_auc"] > figures["union_vader_auc"] + 0.05, figures


def test_dev_corpus_meets_the_calibrated_bar(readers):
    figures = quality.dev_corpus(readers, SHARED)
    for category, values in figures.items():
        assert values["f1"] >= 0.90 and values["clean_flagged"] <= 0.05, (category, values)


def test_roc_auc_matches_hand_computed_values():
    assert quality.roc_auc([0.1, 0.4, 0.35, 0.8], [False, False, True, True]) == 0.75
    assert quality.roc_auc([1, 1, 0, 0], [True, False, True, False]) == 0.5
