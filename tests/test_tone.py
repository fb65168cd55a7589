"""The continuous tone behind the dismissive and clipped scores: what moves it, and how far it may go."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from toneguard import Category, Severity
from toneguard._rules.loading import load_rule_set
from toneguard._rules.schema import ToneMarker

SCORING = load_rule_set().tuning.scoring


def _tone_sources(report, category):
    return [c.source for c in report.scores[category].contributions if c.kind == "tone"]


def test_a_negation_counts_as_blame_only_in_a_sentence_about_the_reader(analyzer):
    assert "tone:negation_at_reader" in _tone_sources(analyzer.analyze("You don't understand the setting."), Category.dismissive)
    assert "tone:negation_at_reader" not in _tone_sources(
        analyzer.analyze("The setting doesn't save. You can change it later."), Category.dismissive
    )


def test_negated_courtesies_are_not_negations(analyzer):
    for reply in ("No problem, you're all set.", "Don't hesitate to write if you need us."):
        sources = _tone_sources(analyzer.analyze(reply), Category.dismissive)
        assert "tone:negation" not in sources and "tone:negation_at_reader" not in sources, reply


def test_colder_wording_ranks_above_warmer_wording(analyzer):
    def score(reply):
        return analyzer.analyze(reply).scores[Category.dismissive].score

    assert score("Why did you change it again??") > score("Could you tell me what changed? Thanks!")
    assert score("Sorry, but that is not how it works.") > score("Sorry, that setting works a little differently.")
    assert score("lol, who cares") > score("Good question, I can check.")


def test_a_reply_of_only_punctuation_still_has_a_tone(analyzer):
    report = analyzer.analyze("???")
    assert report.scores[Category.dismissive].tone is not None
    assert "tone:insistence" in _tone_sources(report, Category.dismissive)


def test_clipped_tone_names_what_a_bare_reply_lacks(analyzer):
    bare = analyzer.analyze("The license expired.")
    assert {"tone:no_courtesy", "tone:no_next_step", "tone:brisk"} <= set(_tone_sources(bare, Category.clipped))
    complete = analyzer.analyze(
        "Hi Sam, thanks for checking. The license expired because the renewal card was declined, "
        "so I've renewed it on the company card. Let me know if the app still asks for a key."
    )
    assert _tone_sources(complete, Category.clipped) == []
    assert bare.scores[Category.clipped].score > complete.scores[Category.clipped].score


def test_a_short_reply_to_a_long_message_reads_more_clipped(analyzer):
    reply = "I've reset the VPN profile, so please try connecting again."
    customer = " ".join(["The VPN drops every few minutes and I lose my work each time it happens."] * 3)
    alone, answered = analyzer.analyze(reply), analyzer.analyze(reply, customer=customer)
    assert "tone:short_for_customer" in _tone_sources(answered, Category.clipped)
    assert answered.scores[Category.clipped].score > alone.scores[Category.clipped].score


def test_a_strongly_impolite_tone_flags_dismissive_by_itself_and_shows_why(analyzer):
    report = analyzer.analyze("Why would that even matter? And why are you asking me??")
    dismissive = report.scores[Category.dismissive]
    assert not [f for f in report.findings if f.category == Category.dismissive]
    assert dismissive.flagged and dismissive.tone == dismissive.score
    assert {"tone:why_question", "tone:question", "tone:direct_start"} <= set(_tone_sources(report, Category.dismissive))


def test_a_courteous_or_plain_reply_gets_almost_no_dismissive_tone(analyzer):
    for reply in ("Thanks for your patience, could you tell me the error message?", "The printer is offline."):
        assert analyzer.analyze(reply).scores[Category.dismissive].tone < 0.05, reply


def test_tone_features_are_the_raw_counts_the_weights_multiply(analyzer):
    features = analyzer.tone_features("Thanks! Thanks! Thanks! Why is it broken?")[Category.dismissive]
    assert features["gratitude"] == SCORING.tone.max_count_per_marker  # three thanks count as two
    assert features["why_question"] == 1
    assert features["sentiment"] == -analyzer.analyze("Thanks! Thanks! Thanks! Why is it broken?").metrics.sentiment.compound
    assert "no_courtesy" not in analyzer.tone_features("Thanks!")[Category.clipped]


def test_clipped_tone_alone_never_flags():
    assert SCORING.tone.shapes[Category.clipped].ceiling < SCORING.default_threshold


def test_clipped_tone_cannot_turn_one_medium_finding_into_a_flag():
    ceiling = SCORING.tone.shapes[Category.clipped].ceiling
    assert 1 - (1 - SCORING.severity_weights[Severity.medium]) * (1 - ceiling) < SCORING.default_threshold


def test_absence_markers_cannot_take_sentence_conditions():
    with pytest.raises(ValidationError, match="when_absent"):
        ToneMarker(name="no_thanks", weight=0.5, phrases=["thanks"], when_absent=True, sentence_start=True)
