"""Code-like text, by its shape: commands, paths, flags, identifiers and codes, each with its exact span."""

from __future__ import annotations

from typing import ClassVar, Iterable

from .._engines.shapes import Shape, ShapeFinder, ShapeLexicon, ShapeSpan
from .._engines.word_rarity import RareWords
from .._rules.schema import ShapeRule, ShapeWords
from .._text.reading import Reading
from .base import Hit


class ShapeDetector:
    """Runs every shape rule over the reply's code view (its own text with code left visible).

    Within one rule, shapes that touch or overlap (a command and its flags and
    paths) make one finding that spans them all, advised as its first shape.
    """

    checks: ClassVar[tuple[str, ...]] = ("shape",)

    def __init__(self, rules: list[ShapeRule], words: ShapeWords, known: dict[str, str] | None = None):
        self._rules = [(rule, {kind.shape: kind.suggestion for kind in rule.shapes}) for rule in rules]
        # Paths and commands the jargon dictionary explains ("/etc/fstab"): a finding on them offers that too.
        self._known = sorted((known or {}).items(), key=lambda item: -len(item[0]))
        shapes = {shape for _, advice in self._rules for shape in advice}
        self._finder = ShapeFinder(shape_lexicon(words), shapes, RareWords(words.rare_below))

    def find(self, reading: Reading) -> Iterable[Hit]:
        if not self._rules:
            return  # a reply of nothing but a path or a command still has its code view
        text = reading.code_view
        spans = self._finder.find(text)
        if not spans:
            return
        for rule, advice in self._rules:
            for shape, start, end in _merged([span for span in spans if span.shape in advice], text):
                yield Hit(rule, start, end, (*self._explained(text[start:end]), advice[shape], *rule.suggestions))

    def _explained(self, found: str) -> tuple[str, ...]:
        lower = found.lower()
        for term, plain in self._known:
            if term in lower:
                return (f"{term} ({plain})",)
        return ()


def shape_lexicon(words: ShapeWords) -> ShapeLexicon:
    """The word lists of ``shape_words:`` as the shape finder reads them."""
    return ShapeLexicon(
        commands=frozenset(words.commands),
        ambiguous_commands=frozenset(words.ambiguous_commands),
        command_verbs=frozenset(words.command_verbs),
        package_nouns=frozenset(words.package_nouns),
        package_prefixes=tuple(words.package_prefixes),
        top_folders=tuple(words.top_folders),
        extensions=tuple(words.extensions),
        dotfiles=tuple(words.dotfiles),
    )


def _merged(spans: list[ShapeSpan], text: str) -> list[tuple[Shape, int, int]]:
    """Spans that overlap or are joined only by spaces become one, named after its first shape."""
    merged: list[tuple[Shape, int, int]] = []
    for span in spans:
        start, end = _trimmed(text, span.start, span.end)
        if start >= end:
            continue
        if merged and start <= merged[-1][2] + 1 and not text[merged[-1][2] : start].strip():
            shape, first, last = merged[-1]
            merged[-1] = (shape, first, max(last, end))
        else:
            merged.append((span.shape, start, end))
    return merged


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """A finding never starts or ends on masked text or trailing sentence punctuation."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ".,;:!?)\"'" and end - 1 > start):
        end -= 1
    return start, end
