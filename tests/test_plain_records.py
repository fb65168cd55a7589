"""The plain records an analysis builds inside are the public models' fields, so the Report validates them as they are."""

from __future__ import annotations

from toneguard._core.findings import FoundProblem
from toneguard._text.sentiment import Sentiment as SentimentScores
from toneguard.models import Finding, Sentiment


def test_a_found_problem_has_a_findings_fields_in_order():
    assert FoundProblem._fields == tuple(Finding.model_fields)


def test_sentiment_scores_have_the_sentiment_models_fields_in_order():
    assert SentimentScores._fields == tuple(Sentiment.model_fields)


def test_a_found_problem_validates_as_the_finding_it_stands_for():
    problem = FoundProblem("TG301", "jargon", "technical", "high", 7, 13, "reboot", "Say it plainly.", ["restart"], "restart")
    finding = Finding.model_validate(problem._asdict())
    assert (finding.rule_id, finding.start, finding.end, finding.replacement) == ("TG301", 7, 13, "restart")
