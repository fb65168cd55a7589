"""Real-looking messy tickets: only the agent's own prose is analysed, whatever surrounds it.

Each row of ``tests/data/messy_tickets.jsonl`` carries what must hold for it:
``must_not_flag_text_in`` (quoted history, signatures, footers, logs, links
that no finding may touch), ``only_technical_in`` (the agent's own code, commands
and paths: evidence of a technical reply, never of its tone), ``must_flag_text`` (words of the agent's prose that
must still be found), ``language``, and for HTML bodies ``same_findings_as``
(the plain text a mail client would show).
"""

from __future__ import annotations

import html
import json
import re
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import toneguard
from toneguard._text.normalize import normalize

CORPUS = Path(__file__).resolve().parents[1] / "data" / "messy_tickets.jsonl"
ROWS = [json.loads(line) for line in CORPUS.read_text("utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def analyzer() -> toneguard.Analyzer:
    return toneguard.Analyzer()


def rows_with(field: str) -> list[pytest.param]:
    return [pytest.param(row, id=row["id"]) for row in ROWS if row.get(field)]


def rendered(fragment: str) -> str:
    """A finding's text as a reader sees it: tags dropped, entities decoded, spacing collapsed."""
    text = html.unescape(re.sub(r"<[^>]*>", " ", fragment)).replace("\u2019", "'")
    return " ".join(text.split())


def test_the_corpus_covers_every_kind_of_mess():
    assert len(ROWS) >= 30
    assert len({row["id"] for row in ROWS}) == len(ROWS)
    assert len(rows_with("same_findings_as")) >= 5
    assert sum(row["language"] == "unknown" for row in ROWS) >= 5


@pytest.mark.parametrize("row", rows_with("must_not_flag_text_in"))
def test_no_finding_touches_text_that_is_not_the_agents_prose(analyzer, row):
    text = row["text"]
    report = analyzer.analyze(text)
    for part in row["must_not_flag_text_in"]:
        start = text.find(part)
        assert start >= 0, f"corpus row {row['id']}: {part!r} is not in its text"
        end = start + len(part)
        touching = [f"{f.rule_id} {f.text!r}" for f in report.findings if f.start < end and f.end > start]
        assert not touching, f"findings inside {part!r}: {touching}"


@pytest.mark.parametrize("row", rows_with("only_technical_in"))
def test_code_and_paths_count_only_as_technical(analyzer, row):
    text = row["text"]
    report = analyzer.analyze(text)
    for part in row["only_technical_in"]:
        start = text.find(part)
        assert start >= 0, f"corpus row {row['id']}: {part!r} is not in its text"
        end = start + len(part)
        touching = [f"{f.rule_id} {f.text!r}" for f in report.findings if f.start < end and f.end > start]
        assert all(f.category == toneguard.Category.technical for f in report.findings if f.start < end and f.end > start), touching


@pytest.mark.parametrize("row", rows_with("must_flag_text"))
def test_the_agents_own_prose_is_still_analysed(analyzer, row):
    found = [f.text.lower() for f in analyzer.analyze(row["text"]).findings]
    for wanted in row["must_flag_text"]:
        assert any(wanted.lower() in text for text in found), f"{wanted!r} not flagged; found {found}"


@pytest.mark.parametrize("row", rows_with("same_findings_as"))
def test_an_html_body_gives_the_same_findings_as_its_plain_text(analyzer, row):
    from_html = analyzer.analyze(row["text"])
    from_plain = analyzer.analyze(row["same_findings_as"])
    assert [(f.rule_id, rendered(f.text)) for f in from_html.findings] == [
        (f.rule_id, f.text) for f in from_plain.findings
    ]
    assert from_html.categories == from_plain.categories


@pytest.mark.parametrize("row", [pytest.param(r, id=r["id"]) for r in ROWS])
def test_language_is_reported_and_other_languages_get_no_findings(analyzer, row):
    report = analyzer.analyze(row["text"])
    assert report.language == row["language"]
    if row["language"] == "unknown":
        assert report.findings == []
        assert report.categories == []


@pytest.mark.parametrize("row", [pytest.param(r, id=r["id"]) for r in ROWS])
def test_masking_keeps_every_offset(row):
    text = row["text"]
    masked = normalize(text).masked
    assert len(masked) == len(text)
    assert [i for i, ch in enumerate(text) if ch == "\n"] == [
        i for i, ch in enumerate(masked) if ch == "\n" and text[i] == "\n"
    ]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(exclude_categories=()), max_size=400))
def test_masking_keeps_length_and_line_breaks_for_any_text(text):
    masked = normalize(text).masked
    assert len(masked) == len(text)
    assert all(masked[i] == "\n" for i, ch in enumerate(text) if ch == "\n")
    assert all(m == t or m in " \n" or t == ";" for m, t in zip(masked, text))


PATHOLOGICAL = {
    "angle brackets": "<" * 100_000,
    "quote markers": "> a\n" * 25_000,
    "at signs": "a@" * 50_000,
    "dotted run with no @": "a." * 50_000,
    "plus run with no @": "a+" * 50_000,
    "hyphen run then @": "a-" * 50_000 + "@",
    "unclosed comments": "<!--" * 25_000,
    "unclosed style blocks": "<style>" * 14_000,
    "unclosed blockquotes": "<blockquote>" * 8_000,
    "unterminated silence marker": "<!-- toneguard off: " + " " * 100_000,
    "many silence markers": "<!-- toneguard off: a" * 5_000,
    "fences": "```\n" * 25_000,
    "backticks": "`" * 100_000,
    "ampersands": "&" * 100_000,
    "entity-like runs": "&a" * 50_000,
    "path segments": "/a" * 50_000,
    "relative paths": "./" * 50_000,
    "attribution-like lines": "On x\n" * 20_000,
    "header-like lines": "From: a\n" * 12_000,
    "stack frame with no end": "at a(" + ")" * 100_000,
    "dotted names": "a." * 50_000 + ":",
    "sign-off then spaces": "- A" + " " * 100_000 + "x",
    "event log block": "Log Name: x\n" + "a\n" * 50_000,
}


@pytest.mark.parametrize("text", PATHOLOGICAL.values(), ids=PATHOLOGICAL.keys())
def test_hostile_input_cannot_make_masking_hang(text):
    started = time.perf_counter()
    masked = normalize(text).masked
    assert time.perf_counter() - started < 10
    assert len(masked) == len(text)
