"""Replies too short for what they answer: a few words, curt fragments, or only a link, command or path."""

from __future__ import annotations

from typing import ClassVar, Iterable

from .._engines.shapes import Shape, ShapeFinder
from .._rules.schema import BrevityRule, ShapeWords
from .._text.reading import Reading
from .base import Hit, whole_reply
from .shape import shape_lexicon


# A reply of only these says nothing but its mood: "?", "...", "!?".
_BARE_MARKS = frozenset("?!.")


class BrevityDetector:
    checks: ClassVar[tuple[str, ...]] = ("brevity",)

    def __init__(self, rules: list[BrevityRule], words: ShapeWords | None = None):
        self._rules = rules
        # A command line keeps its words in the prose view ("sudo apt-get install vlc"), so
        # whether a reply is nothing else is asked of the shape finder's command lines.
        self._commands = ShapeFinder(shape_lexicon(words), [Shape.command], lambda word: False) if words else None

    def find(self, reading: Reading) -> Iterable[Hit]:
        words = len(reading.words)
        for rule in self._rules:
            bare_reply = rule.bare_replies and not _in_proportion(reading, rule)
            if words == 0:
                bare = _bare(reading) if bare_reply else None
                if bare is not None:
                    yield Hit(rule, *bare, tuple(rule.suggestions))
                continue
            if bare_reply and words <= rule.max_words_with_fragment:
                command = self._only_a_command(reading)
                if command is not None:
                    yield Hit(rule, *command, tuple(rule.suggestions))
                    continue
            too_short = words <= rule.max_words or (
                words <= rule.max_words_with_fragment and _has_fragment(reading, rule)
            )
            if not too_short or _in_proportion(reading, rule) or _clarifying_question(reading, rule):
                continue
            warm = rule.excused_above_compound is not None and reading.sentiment.compound > rule.excused_above_compound
            if not warm and not reading.has_signal(rule.excused_by):
                start, end = whole_reply(reading)
                yield Hit(rule, start, end, tuple(rule.suggestions))

    def _only_a_command(self, reading: Reading) -> tuple[int, int] | None:
        """The span of a reply that is one or more command lines and nothing else."""
        if self._commands is None:
            return None
        text = reading.code_view
        if not self._commands.opens_with_a_command(text):
            return None
        spans = self._commands.find(text)
        if not spans:
            return None
        rest = list(text)
        for span in spans:
            rest[span.start : span.end] = " " * (span.end - span.start)
        if any(ch.isalnum() for ch in rest):
            return None
        return spans[0].start, max(span.end for span in spans)


def _bare(reading: Reading) -> tuple[int, int] | None:
    """The span of a reply with no words that is only links, commands or paths, or only a question or exclamation mark or an ellipsis."""
    pointers = sorted([*reading.links, *reading.normalized.code])
    if pointers:
        return pointers[0][0], max(end for _, end in pointers)
    shown = reading.text.strip()
    if shown and set(shown) <= _BARE_MARKS:
        start = reading.text.index(shown)
        return start, start + len(shown)
    return None


def _in_proportion(reading: Reading, rule: BrevityRule) -> bool:
    """The customer asked the replier about their side, so a short answer fits."""
    customer = reading.customer
    return customer is not None and any(condition in customer.conditions for condition in rule.proportionate_when)


def _clarifying_question(reading: Reading, rule: BrevityRule) -> bool:
    """Every sentence is a question of two words or more, one asks for what is needed, none asks for a justification."""
    sentences = reading.sentences
    if len(reading.words) < 2 or not all(reading.text_of(s).rstrip().endswith("?") for s in sentences):
        return False
    return reading.has_signal(rule.clarifying) and not reading.has_signal(rule.justifying)


def _has_fragment(reading: Reading, rule: BrevityRule) -> bool:
    for sentence in reading.sentences:
        length = len(reading.words_in(sentence))
        if length > rule.fragment_words:
            continue
        if not reading.has_signal(rule.salutations, sentence.start_char, sentence.end_char):
            return True
    return False
