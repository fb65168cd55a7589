"""The public API: types, graceful results for odd input, spans, rewrite, threads."""

from __future__ import annotations

from collections import Counter

import json
from concurrent.futures import ThreadPoolExecutor

import pytest

import toneguard
from toneguard import Analyzer, Config, Report


def test_exported_names_are_pinned():
    assert set(toneguard.__all__) == {
        "Analyzer", "Category", "CategoryScore", "Config", "ConfigError", "Contribution", "Finding",
        "Metrics", "Report", "RulesError", "Sentiment", "Severity", "ThreadContext", "analyze", "__version__",
    }
    for name in toneguard.__all__:
        assert hasattr(toneguard, name), name


def test_report_is_pydantic_and_round_trips_through_json(analyzer):
    report = analyzer.analyze("Obviously you should have rebooted.", customer="My PC froze!")
    again = Report.model_validate_json(report.model_dump_json())
    assert again == report
    data = json.loads(report.model_dump_json())
    assert set(data["scores"]) == {"dismissive", "clipped", "technical"}
    assert data["categories"] == [str(c) for c in report.categories]


def test_scores_explain_themselves(analyzer):
    report = analyzer.analyze("Obviously you should have rebooted.")
    dismissive = report.scores[toneguard.Category.dismissive]
    assert dismissive.flagged and dismissive.score >= dismissive.threshold
    assert {c.source for c in dismissive.contributions if c.kind == "finding"} == {
        f.rule_id for f in report.findings if f.category == "dismissive"
    }
    assert 0 <= report.score < 100


def test_clean_reply_scores_full_marks(analyzer):
    report = analyzer.analyze(
        "Hi Sam, thanks for letting us know. I've restarted the printer and it's working again. "
        "Could you try printing once more and tell me if it works?"
    )
    assert report.findings == [] and report.score == 100 and not report.flagged


@pytest.mark.parametrize("text", ["", "   ", "\n\t\n"])
def test_empty_text_gives_a_graceful_empty_report(analyzer, text):
    report = analyzer.analyze(text)
    assert report.findings == [] and report.categories == [] and report.metrics.words == 0
    assert report.notes and "no prose" in report.notes[0]
    assert report.rewrite == text


@pytest.mark.parametrize("value", [None, 42, b"bytes", ["list"]])
def test_non_text_input_is_a_clear_type_error(analyzer, value):
    with pytest.raises(TypeError, match="reply must be a str"):
        analyzer.analyze(value)


def test_customer_must_be_text_or_none(analyzer):
    with pytest.raises(TypeError, match="customer must be a str"):
        analyzer.analyze("Hello", customer=3)


def test_long_text_is_analysed_with_spans_inside_it():
    paragraph = "Obviously you should reauthenticate. Thanks for your patience, I'll check it again today.\n"
    text = paragraph * 2000
    report = Analyzer(Config(max_findings_per_rule=5000, max_findings=10_000)).analyze(text)
    assert len(report.findings) >= 4000 and not report.notes
    assert all(text[f.start : f.end] == f.text for f in report.findings)


def test_findings_are_capped_per_rule_and_per_report_with_a_note():
    text = "Obviously you should reauthenticate. " * 30
    report = Analyzer(Config(max_findings_per_rule=5, max_findings=1000)).analyze(text)
    by_rule = Counter(f.rule_id for f in report.findings)
    assert by_rule and max(by_rule.values()) == 5
    assert [f.start for f in report.findings if f.rule_id == "TG301"] == [37 * i + len("Obviously you should ") for i in range(5)]
    assert any(note.startswith("TG301 has 30 findings; the first 5 are listed") for note in report.notes)
    capped = Analyzer(Config(max_findings=7)).analyze(text)
    assert len(capped.findings) == 7 and any("the first 7 are listed (max_findings)" in note for note in capped.notes)
    assert capped.findings == sorted(capped.findings, key=lambda f: (f.start, f.end, f.rule_id))


def test_text_beyond_max_chars_is_cut_with_a_note():
    analyzer = Analyzer(Config(max_chars=50))
    report = analyzer.analyze("Hello there, thanks for writing in. " * 10 + "Obviously.")
    assert report.notes and "max_chars" in report.notes[0]
    assert not any(f.rule_id == "TG102" for f in report.findings)


def test_non_english_reply_gets_no_tone_findings(analyzer):
    report = analyzer.analyze("Hola, gracias por escribirnos. No es posible, el sistema está caído y no podemos ayudar.")
    assert report.language == "unknown" and report.findings == []
    assert report.notes


def test_rewrite_changes_only_replaced_spans(analyzer):
    text = "Hi Jo, please reboot and then reauthenticate in Outlook."
    report = analyzer.analyze(text)
    replaced = [f for f in report.findings if f.replacement]
    assert replaced
    rebuilt = text
    for finding in sorted(replaced, key=lambda f: f.start, reverse=True):
        rebuilt = rebuilt[: finding.start] + finding.replacement + rebuilt[finding.end :]
    assert report.rewrite == rebuilt


def test_analyzer_is_safe_to_share_between_threads(analyzer, dev_rows):
    replies = [(row["reply"], row["customer"] or None) for row in dev_rows] * 3
    expected = [analyzer.analyze(r, c) for r, c in replies]
    with ThreadPoolExecutor(max_workers=4) as pool:
        got = list(pool.map(lambda pair: analyzer.analyze(*pair), replies))
    assert got == expected


def test_module_level_analyze_matches_a_fresh_analyzer(analyzer):
    text = "Relax, it's just a DNS thing."
    assert toneguard.analyze(text) == analyzer.analyze(text)


def test_retired_ids_redirect_and_unknown_ids_raise(analyzer):
    assert analyzer.rule("tg101").id == "TG101"
    with pytest.raises(KeyError, match="TG999"):
        analyzer.rule("TG999")


def test_short_non_english_reply_is_not_judged_as_clipped(analyzer):
    for text in ("Hola. Listo.", "Erledigt. Danke."):
        report = analyzer.analyze(text)
        assert report.language == "unknown" and report.findings == [], text
    assert analyzer.analyze("Denied.").language == "en"


def test_a_customer_message_is_read_once_for_many_drafts():
    analyzer = Analyzer()
    customer = "I've asked three times and the VPN still drops every hour!"
    drafts = ["Ok.", "Ok, restart it.", "Sorry about that! Could you restart the VPN app and tell me if it drops again?"]
    reports = [analyzer.analyze(draft, customer) for draft in drafts]
    assert analyzer._cached_customer.cache_info().hits == len(drafts) - 1
    fresh = Analyzer()
    assert reports == [fresh.analyze(draft, customer) for draft in drafts]
    long_customer = customer + " More detail." * 3000
    assert analyzer.analyze("Ok.", long_customer).metrics.customer_words > 1000
