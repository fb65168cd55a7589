"""spaCy Matchers grouped by the word a pattern must start with.

A spaCy Matcher tries every pattern at every token, so its cost grows with the
number of patterns. Most patterns begin with a fixed word or word list ("as",
"you", "calm"); grouping them by that first word lets a reply run only the
groups whose first word it contains.
"""

from __future__ import annotations

from typing import Any, Iterator

from spacy.attrs import LOWER
from spacy.matcher import Matcher
from spacy.tokens import Doc

Pattern = list[dict[str, Any]]


class AnchoredMatcher:
    def __init__(self, vocab):
        self._vocab = vocab
        # Keyed by the hashes of the first words, so a doc's words are read as one array, not token by token.
        self._groups: dict[frozenset[int] | None, Matcher] = {}

    def add(self, key: str, patterns: list[Pattern]) -> None:
        for pattern in patterns:
            words = first_words(pattern)
            anchors = None if words is None else frozenset(self._vocab.strings.add(word) for word in words)
            if anchors not in self._groups:
                self._groups[anchors] = Matcher(self._vocab)
            self._groups[anchors].add(key, [pattern])

    def __len__(self) -> int:
        return len(self._groups)

    def __call__(self, doc: Doc) -> Iterator[tuple[int, int, int]]:
        words = set(doc.to_array(LOWER).tolist())
        for anchors, matcher in self._groups.items():
            if anchors is None or not anchors.isdisjoint(words):
                yield from matcher(doc)


def first_words(pattern: Pattern) -> frozenset[str] | None:
    """The lower-case words the pattern's first token must be, or None when it is not that simple."""
    first = pattern[0]
    if first.get("OP") in ("?", "*", "!") or "LOWER" not in first:
        return None
    lower = first["LOWER"]
    if isinstance(lower, str):
        return frozenset({lower})
    if isinstance(lower, dict) and set(lower) == {"IN"}:
        return frozenset(lower["IN"])
    return None
