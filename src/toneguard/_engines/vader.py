"""VADER's scoring loop, giving vaderSentiment's exact scores in about a quarter of the time.

vaderSentiment (Hutto & Gilbert, ICWSM 2014; MIT licence) rebuilds the
lower-cased word list for every lexicon word it scores and copies the text
character by character to replace emoji; that was the costliest step of an
analysis. This module keeps the library's lexicon, emoji table and constants
and follows its rules in the same order, quirks included (``_but_check``
rescales the *first* score equal to each score), but lower-cases each word once
and skips work no word of the text can trigger. ``tests/test_vader.py`` holds
it equal to vaderSentiment on real replies and generated text.
"""

from __future__ import annotations

import math
import re
import string

from vaderSentiment.vaderSentiment import (
    BOOSTER_DICT,
    C_INCR,
    N_SCALAR,
    NEGATE,
    SPECIAL_CASES,
    SentimentIntensityAnalyzer,
)

_NEGATE = frozenset(NEGATE)
_PUNCTUATION = string.punctuation
# Words that can start an idiom or booster phrase; a window without one cannot match any.
_PHRASE_WORDS = frozenset(word for phrase in (*SPECIAL_CASES, *BOOSTER_DICT) if " " in phrase for word in phrase.split())


class Vader:
    """``polarity_scores`` as vaderSentiment computes it, over a lexicon this instance owns."""

    def __init__(self) -> None:
        library = SentimentIntensityAnalyzer()
        self.lexicon: dict[str, float] = library.lexicon
        self._emojis: dict[str, str] = library.emojis
        # Only one-character keys can match: vaderSentiment looks emoji up character by character.
        self._emoji_chars = frozenset(e for e in self._emojis if len(e) == 1)
        self._ascii_emoji = any(e.isascii() for e in self._emoji_chars)
        # Where an emoji can be: among the non-ASCII characters, unless the table has an ASCII key.
        self._emoji_candidates = re.compile(r"." if self._ascii_emoji else r"[^\x00-\x7f]", re.DOTALL)

    def what_can_score_negative(self) -> tuple[frozenset[str], tuple[str, ...]]:
        """The lower-case words, and the phrases, without which no text can score below zero.

        A text scores negative only through a negative lexicon word, a negation
        ("not", "n't", "no", "least") flipping a positive one, a damping booster
        ("barely", "kind of") pushing a weak positive below zero, or a negative
        idiom ("yeah right"); emoji are checked apart, as they become words first.
        """
        negative = {word for word, valence in self.lexicon.items() if valence < 0}
        damping = {phrase for phrase, scalar in BOOSTER_DICT.items() if scalar < 0}
        idioms = {phrase for phrase, valence in SPECIAL_CASES.items() if valence < 0}
        words = negative | {phrase for phrase in damping if " " not in phrase} | _NEGATE | {"no", "least"}
        phrases = tuple(sorted(phrase for phrase in damping | idioms if " " in phrase))
        return frozenset(words), phrases

    def polarity_scores(self, text: str) -> dict[str, float]:
        if (self._ascii_emoji or not text.isascii()) and not self._emoji_chars.isdisjoint(text):
            text = self._describe_emoji(text)
        text = text.strip()
        # Leading and trailing punctuation goes, unless that leaves two characters or fewer (an emoticon).
        words = [word if len(stripped := word.strip(_PUNCTUATION)) <= 2 else stripped for word in text.split()]
        lowered = [word.lower() for word in words]
        capitals = sum(map(str.isupper, words))
        cap_diff = 0 < len(words) - capitals < len(words)
        lexicon = self.lexicon
        # Most words are in no list at all and score 0.
        sentiments: list[float] = [0] * len(words)
        last = len(words) - 1
        for i, lower in enumerate(lowered):
            if lower in lexicon and lower not in BOOSTER_DICT and not (i < last and lower == "kind" and lowered[i + 1] == "of"):
                sentiments[i] = self._valence(words, lowered, i, cap_diff)
        if "but" in lowered:
            _but_check(lowered.index("but"), sentiments)
        return _score(sentiments, text)

    def _describe_emoji(self, text: str) -> str:
        """vaderSentiment's emoji pass: each emoji becomes its description, space-separated.

        The library walks every character; only the emoji need a look, and a
        space goes before one unless the text so far ends in a space.
        """
        parts = []
        last = 0
        emojis = self._emojis
        for match in self._emoji_candidates.finditer(text):
            if match.group() not in self._emoji_chars:
                continue
            start = match.start()
            parts.append(text[last:start])
            # Right after another emoji the text so far ends in that emoji's description, not a space.
            follows_space = start == 0 or (start > last and text[start - 1] == " ")
            if not follows_space:
                parts.append(" ")
            parts.append(emojis[match.group()])
            last = match.end()
        parts.append(text[last:])
        return "".join(parts)

    def _valence(self, words: list[str], lowered: list[str], i: int, cap_diff: bool) -> float:
        lexicon = self.lexicon
        lower = lowered[i]
        valence = lexicon[lower]
        if lower == "no" and i != len(words) - 1 and lowered[i + 1] in lexicon:
            valence = 0.0
        if (
            (i > 0 and lowered[i - 1] == "no")
            or (i > 1 and lowered[i - 2] == "no")
            or (i > 2 and lowered[i - 3] == "no" and lowered[i - 1] in ("or", "nor"))
        ):
            valence = lexicon[lower] * N_SCALAR
        if cap_diff and words[i].isupper():
            valence = valence + C_INCR if valence > 0 else valence - C_INCR
        for start_i in range(3):
            j = i - (start_i + 1)
            if i > start_i and lowered[j] not in lexicon:
                scalar = _scalar_inc_dec(words[j], lowered[j], valence, cap_diff)
                if start_i == 1 and scalar != 0:
                    scalar *= 0.95
                if start_i == 2 and scalar != 0:
                    scalar *= 0.9
                valence = _negation_check(valence + scalar, lowered, start_i, i)
                if start_i == 2 and not _PHRASE_WORDS.isdisjoint(lowered[max(0, i - 3) : i + 3]):
                    valence = _special_idioms_check(valence, lowered, i)
        return _least_check(valence, lowered, i, lexicon)


def _scalar_inc_dec(word: str, lower: str, valence: float, cap_diff: bool) -> float:
    scalar = BOOSTER_DICT.get(lower)
    if scalar is None:
        return 0.0
    if valence < 0:
        scalar *= -1
    if word.isupper() and cap_diff:
        scalar = scalar + C_INCR if valence > 0 else scalar - C_INCR
    return scalar


def _negated(lower: str) -> bool:
    return lower in _NEGATE or "n't" in lower


def _negation_check(valence: float, lowered: list[str], start_i: int, i: int) -> float:
    if start_i == 0:
        if _negated(lowered[i - 1]):
            valence = valence * N_SCALAR
    elif start_i == 1:
        if lowered[i - 2] == "never" and lowered[i - 1] in ("so", "this"):
            valence = valence * 1.25
        elif lowered[i - 2] == "without" and lowered[i - 1] == "doubt":
            pass
        elif _negated(lowered[i - 2]):
            valence = valence * N_SCALAR
    else:
        if (lowered[i - 3] == "never" and lowered[i - 2] in ("so", "this")) or lowered[i - 1] in ("so", "this"):
            valence = valence * 1.25
        elif lowered[i - 3] == "without" and (lowered[i - 2] == "doubt" or lowered[i - 1] == "doubt"):
            pass
        elif _negated(lowered[i - 3]):
            valence = valence * N_SCALAR
    return valence


def _special_idioms_check(valence: float, lowered: list[str], i: int) -> float:
    w0, w1, w2, w3 = lowered[i], lowered[i - 1], lowered[i - 2], lowered[i - 3]
    onezero, twoonezero, twoone = f"{w1} {w0}", f"{w2} {w1} {w0}", f"{w2} {w1}"
    threetwoone, threetwo = f"{w3} {w2} {w1}", f"{w3} {w2}"
    for sequence in (onezero, twoonezero, twoone, threetwoone, threetwo):
        if sequence in SPECIAL_CASES:
            valence = SPECIAL_CASES[sequence]
            break
    if len(lowered) - 1 > i:
        zeroone = f"{w0} {lowered[i + 1]}"
        if zeroone in SPECIAL_CASES:
            valence = SPECIAL_CASES[zeroone]
    if len(lowered) - 1 > i + 1:
        zeroonetwo = f"{w0} {lowered[i + 1]} {lowered[i + 2]}"
        if zeroonetwo in SPECIAL_CASES:
            valence = SPECIAL_CASES[zeroonetwo]
    for n_gram in (threetwoone, threetwo, twoone):
        if n_gram in BOOSTER_DICT:
            valence = valence + BOOSTER_DICT[n_gram]
    return valence


def _least_check(valence: float, lowered: list[str], i: int, lexicon: dict[str, float]) -> float:
    if i > 0 and lowered[i - 1] == "least" and "least" not in lexicon:
        if i == 1 or lowered[i - 2] not in ("at", "very"):
            valence = valence * N_SCALAR
    return valence


def _but_check(but_index: int, sentiments: list[float]) -> None:
    """vaderSentiment's loop, verbatim in effect: each score rescales the first score equal to it."""
    for sentiment in sentiments:
        si = sentiments.index(sentiment)
        if si < but_index:
            sentiments[si] = sentiment * 0.5
        elif si > but_index:
            sentiments[si] = sentiment * 1.5


def _score(sentiments: list[float], text: str) -> dict[str, float]:
    if not sentiments:
        return {"neg": 0.0, "neu": 0.0, "pos": 0.0, "compound": 0.0}
    sum_s = float(sum(sentiments))
    emphasis = _punctuation_emphasis(text)
    if sum_s > 0:
        sum_s += emphasis
    elif sum_s < 0:
        sum_s -= emphasis
    compound = max(-1.0, min(1.0, sum_s / math.sqrt(sum_s * sum_s + 15)))
    pos_sum = neg_sum = 0.0
    neu_count = 0
    for score in sentiments:
        if score > 0:
            pos_sum += float(score) + 1
        if score < 0:
            neg_sum += float(score) - 1
        if score == 0:
            neu_count += 1
    if pos_sum > math.fabs(neg_sum):
        pos_sum += emphasis
    elif pos_sum < math.fabs(neg_sum):
        neg_sum -= emphasis
    total = pos_sum + math.fabs(neg_sum) + neu_count
    return {
        "neg": round(math.fabs(neg_sum / total), 3),
        "neu": round(math.fabs(neu_count / total), 3),
        "pos": round(math.fabs(pos_sum / total), 3),
        "compound": round(compound, 4),
    }


def _punctuation_emphasis(text: str) -> float:
    exclamations = min(text.count("!"), 4) * 0.292
    questions = text.count("?")
    if questions <= 1:
        return exclamations
    return exclamations + (questions * 0.18 if questions <= 3 else 0.96)
