"""spaCy Matchers grouped by the word a pattern must start with, run only where that word is.

A spaCy Matcher tries every pattern at every token and builds a Python Token
for each one, so its cost grows with the patterns and with the reply. Most
patterns begin with a fixed word or word list ("as", "you", "calm"): grouping
them by that first word lets a reply run only the groups whose first word it
contains, and only over the few tokens from that word on that a match of the
group can cover.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterator

from spacy.attrs import LOWER
from spacy.matcher import Matcher
from spacy.tokens import Doc

Pattern = list[dict[str, Any]]

# Operators that let a pattern token match at most one token; any other makes the pattern's length unbounded.
_AT_MOST_ONE = {None, "!", "?", "1"}


@dataclass
class _Group:
    matcher: Matcher
    # The most tokens a match can cover, or None when a pattern can run on without end.
    reach: int | None = 0


class AnchoredMatcher:
    def __init__(self, vocab):
        self._vocab = vocab
        # Keyed by the hashes of the first words, so a doc's words are read as one array, not token by token.
        self._groups: dict[frozenset[int] | None, _Group] = {}
        # Each first word's groups: a reply looks up its own few words instead of testing every group.
        self._by_anchor: dict[int, list[_Group]] = {}

    def add(self, key: str, patterns: list[Pattern]) -> None:
        for pattern in patterns:
            words = first_words(pattern)
            anchors = None if words is None else frozenset(self._vocab.strings.add(word) for word in words)
            group = self._groups.get(anchors)
            if group is None:
                group = self._groups[anchors] = _Group(Matcher(self._vocab))
                for anchor in anchors or ():
                    self._by_anchor.setdefault(anchor, []).append(group)
            group.matcher.add(key, [pattern])
            length = reach(pattern)
            group.reach = None if length is None or group.reach is None else max(group.reach, length)

    def __len__(self) -> int:
        return len(self._groups)

    def __call__(self, doc: Doc) -> Iterator[tuple[int, int, int]]:
        unanchored = self._groups.get(None)
        if unanchored is not None:
            yield from unanchored.matcher(doc)
        starts: dict[int, list[int]] = {}  # id of each group this doc can match -> where its anchors are
        groups: dict[int, _Group] = {}
        for index, lower in enumerate(doc.to_array(LOWER).tolist()):
            for group in self._by_anchor.get(lower, ()):
                starts.setdefault(id(group), []).append(index)
                groups[id(group)] = group
        for key, group in groups.items():
            for start, end in _windows(starts[key], group.reach, len(doc)):
                for match_id, first, last in group.matcher(doc[start:end]):
                    yield match_id, start + first, start + last


def _windows(starts: list[int], reach: int | None, length: int) -> Iterator[tuple[int, int]]:
    """Token ranges from each anchor word (``starts``, ascending) as far as a match can reach, overlaps merged.

    A match can start only at an anchor, so outside these ranges none can lie.
    """
    window_start = window_end = -1
    for start in starts:
        end = length if reach is None else min(length, start + reach)
        if start < window_end:
            window_end = max(window_end, end)
            continue
        if window_end > window_start:
            yield window_start, window_end
        window_start, window_end = start, end
    if window_end > window_start:
        yield window_start, window_end


def reach(pattern: Pattern) -> int | None:
    """The most tokens the pattern can match, or None when unbounded."""
    if any(token.get("OP") not in _AT_MOST_ONE for token in pattern):
        return None
    return len(pattern)


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
