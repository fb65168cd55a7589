"""toneguard's VADER loop must score exactly as vaderSentiment does."""

from __future__ import annotations

import csv

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from vaderSentiment.vaderSentiment import BOOSTER_DICT, NEGATE, SPECIAL_CASES, SentimentIntensityAnalyzer

from toneguard._engines.vader import Vader
from toneguard._text.sentiment import SentimentReader

from conftest import SAMPLE_REPLIES, SHARED

LIBRARY = SentimentIntensityAnalyzer()
FAST = Vader()

# Words that steer VADER's special cases: lexicon words, boosters, negations, idioms, "but", "least", "no".
_STEERING = sorted(
    {"good", "bad", "great", "terrible", "love", "hate", "sorry", "problem", "help", "kind", "of", "sort", "but",
     "least", "at", "very", "no", "or", "nor", "never", "so", "this", "without", "doubt", "the", "GREAT", "BAD",
     "VERY", "NOT", "!", "?", ":)", ":(", "\U0001F600", "\u2764", "\U0001F621"}
    | set(NEGATE[:20])
    | set(list(BOOSTER_DICT)[:30])
    | {word for phrase in SPECIAL_CASES for word in phrase.split()}
)
words = st.sampled_from(_STEERING) | st.text(alphabet="abcdefgXYZ!?.,'", min_size=1, max_size=6)
punctuation = st.sampled_from(["", "", ".", "!", "?", ",", "!!", "..."])


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(words, punctuation), max_size=25))
def test_generated_text_scores_as_vadersentiment_does(pieces):
    text = " ".join(word + mark for word, mark in pieces)
    assert FAST.polarity_scores(text) == LIBRARY.polarity_scores(text)


@pytest.mark.parametrize("text", [*SAMPLE_REPLIES, "", "   ", "NOT good but not BAD either!!!", "kind of great, sort of awful"])
def test_sample_replies_score_as_vadersentiment_does(text):
    assert FAST.polarity_scores(text) == LIBRARY.polarity_scores(text)


def test_real_support_text_scores_as_vadersentiment_does():
    path = SHARED / "data" / "twcs" / "agent_replies_dev.csv"
    if not path.exists():
        pytest.skip(f"{path} is not beside the project")
    with path.open(encoding="utf-8", newline="") as handle:
        texts = [text for row in csv.DictReader(handle) for text in (row["reply_text"], row["customer_text"])]
    differing = [text for text in texts if FAST.polarity_scores(text) != LIBRARY.polarity_scores(text)]
    assert len(texts) > 1000 and differing == []


# The sentence check skips scoring text that cannot score below zero: it must never skip one that does.
_READER = SentimentReader({"no problem": 1.5, "fix it yourself": -2.0, "error": -0.3})


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(words | st.sampled_from([":(", "):", "D:", "fix", "it", "yourself"]), punctuation), max_size=25))
def test_text_judged_unable_to_score_negative_never_does(pieces):
    text = " ".join(word + mark for word, mark in pieces)
    if not _READER.may_read_negative(text):
        assert _READER.score(text).compound >= 0, text


def test_the_negativity_check_knows_emoticons_idioms_and_overrides():
    for text in ("See you soon ):", "Yeah right.", "Please fix it yourself", "It was kind of ok"):
        assert _READER.may_read_negative(text), text
    assert not _READER.may_read_negative("The printer is back online.")
