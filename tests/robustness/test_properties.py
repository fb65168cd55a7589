"""Properties of ``analyze`` that hold for every input, checked on thousands of generated texts."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import toneguard
from toneguard.models import Report

# Pieces of real replies and of the mess around them, so generated texts reach the rules and the masking.
MESSY_FRAGMENTS = [
    "Please reboot your laptop.", "Clear the DNS cache", "reauthenticate", "Calm down.", "As I already said,",
    "Not our problem.", "No.", "Done.", "Thanks so much for your patience!", "I'm sorry about the trouble.",
    "Your profile is corrupt.", "Flush the cache and check DNS.", "Obviously", "just", "SSO", "VPN", "MFA",
    "<p>", "</p>", "<br>", "<div class=\"gmail_quote\">", "<blockquote>", "</blockquote>", "<b>", "&nbsp;",
    "&rsquo;", "&amp;", "&#39;", "&lt;", "&gt;", "<!-- toneguard off -->", "<!-- toneguard on -->",
    "<!-- toneguard off: technical -->", "<!--", "-->", "<style>p{}</style>", "<pre>", "```", "`", "\n> ",
    "On Mon, 3 Feb 2025, Alex wrote:", "-----Original Message-----", "From: Alex\nSent: Monday",
    "\n-- \n", "Sent from my iPhone", "This email and any attachments are confidential.",
    "Traceback (most recent call last):", "  File \"app.py\", line 3, in <module>", "ValueError: bad",
    "at com.acme.Main.run(Main.java:42)", "2024-05-01 10:12:03 ERROR", "https://example.com/a?b=c",
    "jo@example.com", "@alex", "C:\\Users\\jo\\AppData", "/var/log/syslog", "INC0012345", "#4521", "^JK",
    "😀", "👍🏽", "🇩🇪", "مرحبا بك", "שלום", "\u202e", "\u200b", "\u200d", "\ufeff", "\x00", "\x07", "\x1b[31m",
    "\r\n", "\t", "\n\n", "\ud800", "\udfff", "Gracias por su paciencia.", "Danke für Ihre Geduld.", "谢谢",
    " ", ".", "!", "?", "...", "'", '"', "(", ")",
]

messy_text = st.lists(
    st.one_of(st.sampled_from(MESSY_FRAGMENTS), st.text(max_size=4)), max_size=25
).map(" ".join)
# Any code point at all: surrogates, controls, unassigned and private-use ones included.
any_text = st.text(alphabet=st.characters(exclude_categories=()), max_size=300)
reply_text = st.one_of(any_text, messy_text)

PROPERTY = settings(max_examples=800, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def analyzer() -> toneguard.Analyzer:
    return toneguard.Analyzer()


def assert_spans_point_into(text: str, report: Report) -> None:
    for finding in report.findings:
        assert 0 <= finding.start < finding.end <= len(text), finding
        assert text[finding.start : finding.end] == finding.text, finding


def rewrite_is_a_splice(text: str, report: Report) -> bool:
    """True when the rewrite is ``text`` with some non-overlapping replacement spans swapped in.

    Walks both strings together; at each position the rewrite either copies the
    original character or, where a finding with a replacement starts, holds that
    replacement and resumes after the finding's end.
    """
    replacing: dict[int, list] = {}
    for finding in report.findings:
        if finding.replacement is not None:
            replacing.setdefault(finding.start, []).append(finding)
    rewrite = report.rewrite
    reached: list[set[int]] = [set() for _ in range(len(text) + 1)]
    reached[0].add(0)
    for i in range(len(text) + 1):
        for j in reached[i]:
            if i < len(text) and j < len(rewrite) and text[i] == rewrite[j]:
                reached[i + 1].add(j + 1)
            for finding in replacing.get(i, ()):
                if rewrite.startswith(finding.replacement, j):
                    reached[finding.end].add(j + len(finding.replacement))
    return len(rewrite) in reached[len(text)]


@PROPERTY
@given(reply=reply_text, customer=st.one_of(st.none(), reply_text))
def test_analyze_never_raises_and_spans_point_into_the_reply(analyzer, reply, customer):
    report = analyzer.analyze(reply, customer=customer)
    assert report.reply == reply
    assert report.language in {"en", "unknown"}
    assert_spans_point_into(reply, report)


def test_a_report_on_a_lone_surrogate_serializes_to_json(analyzer):
    assert analyzer.analyze("Please reboot \ud800 now.", customer="\udfff").model_dump_json()


@PROPERTY
@given(reply=messy_text)
def test_rewrite_changes_only_flagged_spans(analyzer, reply):
    report = analyzer.analyze(reply)
    assert rewrite_is_a_splice(reply, report)
    replacing = sorted((f for f in report.findings if f.replacement is not None), key=lambda f: f.start)
    if not replacing:
        assert report.rewrite == reply
    elif all(a.end <= b.start for a, b in zip(replacing, replacing[1:])):
        expected, cursor = [], 0
        for finding in replacing:
            expected += [reply[cursor : finding.start], finding.replacement]
            cursor = finding.end
        assert report.rewrite == "".join(expected) + reply[cursor:]


def test_the_splice_check_can_fail(analyzer):
    report = analyzer.analyze("Please reboot the router.")
    assert any(f.replacement for f in report.findings)
    tampered = report.model_copy(update={"rewrite": report.rewrite.replace("router", "modem")})
    assert rewrite_is_a_splice(report.reply, report)
    assert not rewrite_is_a_splice(report.reply, tampered)


@settings(max_examples=300, deadline=None)
@given(first=reply_text, second=reply_text)
def test_same_input_same_report_in_any_order(analyzer, first, second):
    first_then_second = (analyzer.analyze(first), analyzer.analyze(second))
    second_then_first = (analyzer.analyze(second), analyzer.analyze(first))
    assert first_then_second[0] == second_then_first[1]
    assert first_then_second[1] == second_then_first[0]


@settings(max_examples=60, deadline=None)
@given(replies=st.lists(reply_text, min_size=4, max_size=12))
def test_threads_give_the_same_reports_as_one_thread(analyzer, replies):
    sequential = [analyzer.analyze(reply) for reply in replies]
    with ThreadPoolExecutor(max_workers=4) as pool:
        threaded = list(pool.map(analyzer.analyze, replies))
    assert threaded == sequential


@pytest.mark.parametrize("bad", [None, b"Reboot.", 42, ["Reboot."], {"reply": "Reboot."}])
def test_a_reply_that_is_not_a_str_is_a_type_error(analyzer, bad):
    with pytest.raises(TypeError, match="reply must be a str"):
        analyzer.analyze(bad)


@pytest.mark.parametrize("bad", [b"I can't log in", 42, ["help"]])
def test_a_customer_message_that_is_not_a_str_is_a_type_error(analyzer, bad):
    with pytest.raises(TypeError, match="customer must be a str"):
        analyzer.analyze("Please restart the laptop.", customer=bad)


def test_a_megabyte_of_messy_text_completes_with_valid_spans(analyzer):
    paragraph = (
        "Hi Sam, please reboot the laptop and clear the DNS cache. As I already said, it's not our problem.\n"
        "<p>Thanks&nbsp;for waiting &rsquo;til now.</p> See https://kb.example.com/a/1 or mail it@example.com.\n"
        "2024-05-01 10:12:03 ERROR Outlook profile load failed 😀 مرحبا\n"
        "> On Monday you wrote that the VPN drops.\n"
    )
    reply = paragraph * (1_000_000 // len(paragraph) + 1)
    capped = analyzer.analyze(reply)  # at most 100 findings a rule by default, and a note counting the rest
    assert capped.findings and any("(max_findings_per_rule)" in note for note in capped.notes)
    uncapped = toneguard.Analyzer(toneguard.Config(max_findings_per_rule=10**6, max_findings=10**6))
    report = uncapped.analyze(reply)
    assert report.language == "en"
    assert len(report.findings) > 1000
    assert_spans_point_into(reply, report)
    assert rewrite_is_a_splice(reply, report)
