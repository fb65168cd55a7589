"""The core issue's acceptance pairs: each bad draft is flagged in its category, each plain one not at all."""

from __future__ import annotations

import pytest

PAIRS = [
    ("Try updating the client and reauthenticate.", "technical",
     "Open the app, check for updates, then sign in again so we can refresh the connection."),
    ("It's a policy issue.", "clipped",
     "The request falls outside the current access policy, so I need to route this for approval."),
    ("The service is degraded.", "technical",
     "The service is working, but slower than normal while we investigate."),
    ("Your profile is corrupt.", "technical", "Something in your account settings is not loading correctly."),
    ("The DNS cache is stale.", "technical", "Your device is still holding onto old routing information."),
    ("I need you to restart the device.", "dismissive",
     "Let's try a quick restart first. It clears temporary errors and often gets this back online faster."),
]


@pytest.mark.parametrize(("bad", "category", "plain"), PAIRS)
def test_bad_draft_is_flagged_in_its_category(analyzer, bad, category, plain):
    assert category in analyzer.analyze(bad).categories


@pytest.mark.parametrize(("bad", "category", "plain"), PAIRS)
def test_plain_version_is_not_flagged_at_all(analyzer, bad, category, plain):
    report = analyzer.analyze(plain)
    assert report.categories == []
    assert report.findings == [], [(f.rule_id, f.text) for f in report.findings]


@pytest.mark.parametrize(
    ("draft", "wanted"),
    [
        ("Please reauthenticate to continue.", ("sign in again", "log in again")),
        ("Please reboot your laptop.", ("restart",)),
    ],
)
def test_rewrite_uses_plain_words(analyzer, draft, wanted):
    rewrite = analyzer.analyze(draft).rewrite
    assert any(phrase in rewrite.lower() for phrase in wanted), rewrite
    assert rewrite.startswith("Please ") and rewrite.endswith(".")


@pytest.mark.parametrize(
    "kind_reply",
    [
        "I can see why that's frustrating.",
        "That's a tough spot to be in.",
        "I can help, but I cannot continue if the language becomes abusive.",
        "No problem at all, happy to help!",
        "No worries, I've reset it for you.",
    ],
)
def test_empathy_and_boundaries_are_not_flagged(analyzer, kind_reply):
    report = analyzer.analyze(kind_reply, customer="This is the third time it has broken, it's ridiculous!")
    assert "dismissive" not in report.categories
    assert not [f for f in report.findings if f.category == "dismissive" and f.severity == "high"]


def test_vader_corrections_make_help_desk_phrases_warm(analyzer):
    for phrase in ("No problem.", "No worries.", "Not a problem at all."):
        assert analyzer.analyze(phrase).metrics.sentiment.compound > 0, phrase


def test_issue_example_reports_clipped_and_technical(analyzer):
    report = analyzer.analyze(
        "Your profile is corrupt. Reboot.",
        customer="I can't open Outlook and I have a client call in 10 minutes!",
    )
    assert {"clipped", "technical"} <= set(report.categories)
    for finding in report.findings:
        assert report.reply[finding.start : finding.end] == finding.text
        assert finding.message and finding.suggestions
    assert "restart" in report.rewrite.lower()
