"""Behaviour of individual detectors that rule examples alone do not pin down."""

from __future__ import annotations


def _ids(report, rule_id):
    return [f.text for f in report.findings if f.rule_id == rule_id]


def test_acronym_the_customer_used_is_not_flagged(analyzer):
    assert _ids(analyzer.analyze("Can you send us the Spotify URI?"), "TG303") == ["URI"]
    assert _ids(analyzer.analyze("Can you send us the Spotify URI?", customer="How do I share a URI?"), "TG303") == []


def test_spelled_out_and_shouted_words_are_not_acronyms(analyzer):
    assert _ids(analyzer.analyze("Your BYOD (bring your own device) request is approved."), "TG303") == []
    assert _ids(analyzer.analyze("PLEASE READ THIS BEFORE YOU START."), "TG303") == []
    assert _ids(analyzer.analyze("Thank YOU so much, that helps."), "TG303") == []


def test_greeting_is_courtesy_not_a_curt_fragment(analyzer):
    assert _ids(analyzer.analyze("Hi there! Done."), "TG201")
    assert not _ids(analyzer.analyze("Hi there! What type of device are we working with today?"), "TG201")


def test_social_courtesies_excuse_a_short_reply(analyzer):
    for reply in ("Of course, my friend.", "Good night, take care!", "You're welcome!"):
        assert not analyzer.analyze(reply).categories, reply


def test_masked_text_never_starts_or_ends_a_span(analyzer):
    text = "@115808 Rebooted. ^JK"
    report = analyzer.analyze(text)
    clipped = [f for f in report.findings if f.category == "clipped"]
    assert clipped and all(f.text == "Rebooted." for f in clipped)


def test_rewrite_keeps_acronym_case_rules(analyzer):
    assert analyzer.analyze("Please reauthenticate now.").rewrite == "Please sign in again now."
    assert analyzer.analyze("Reauthenticate now, please.").rewrite.startswith("Sign in again")


def test_sentence_spans_match_spacy_sentences(analyzer, dev_rows):
    from toneguard._text.normalize import normalize
    from toneguard._text.reading import Reading

    texts = [row["reply"] for row in dev_rows] + ["", "  ", "@a Hi.\n\nBye. ^JK", "No end", "?!"]
    for text in texts:
        normalized = normalize(text)
        pipeline = analyzer._engine.pipeline
        sentenced = pipeline.nlp(normalized.masked)
        expected = [(s.start, s.end, s.start_char, s.end_char) for s in sentenced.sents] if len(sentenced) else []
        doc = pipeline.doc(normalized.masked)
        reading = Reading(normalized=normalized, doc=doc, pipeline=pipeline, sentiment_reader=None, syllables=None, signals=None)
        assert [tuple(s) for s in reading.all_sentences] == expected, text
        assert [t.is_sent_start for t in reading.sentenced_doc] == [t.is_sent_start for t in sentenced], text
