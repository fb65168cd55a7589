"""spaCy Matchers grouped by the words a pattern must start with, run only where those words are.

A spaCy Matcher tries every pattern at every token and builds a Python Token
for each one, so its cost grows with the patterns and with the reply, and
each call has a fixed cost of its own. Most patterns begin with a fixed word
or word list ("as", "you", "calm") followed by another ("as" + "i"/"we"):
grouping patterns by those first two words lets a reply run only the groups
whose opening pair it contains, only when the reply also holds a word of each
token every match needs, and only over the few tokens from there that a match
can cover.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator

from spacy.attrs import LOWER, SENT_START
from spacy.matcher import Matcher
from spacy.tokens import Doc

Pattern = list[dict[str, Any]]
Words = frozenset[int]  # hashes of lower-case words

# Operators that let a pattern token match at most one token; any other makes the pattern's length unbounded.
_AT_MOST_ONE = {None, "!", "?", "1"}


@dataclass(eq=False)  # hashed by identity, to key a doc's candidate start positions
class _Group:
    matcher: Matcher
    # The most tokens a match can cover, or None when a pattern can run on without end.
    reach: int | None = 0
    # Per pattern, the word lists of its required tokens: a doc lacking a word of every list cannot match it.
    needs: list[tuple[Words, ...]] = field(default_factory=list)
    # Every pattern's first token must open a sentence ("No." as a whole answer).
    opens_sentence: bool = False

    def could_match(self, present: set[int]) -> bool:
        return any(all(not words.isdisjoint(present) for words in need) for need in self.needs)


class AnchoredMatcher:
    def __init__(self, vocab):
        self._vocab = vocab
        self._groups: dict[tuple[Words | None, Words | None, bool], _Group] = {}
        # Each (first word, next word)'s groups, and each first word's groups that take any next word:
        # a reply looks up its own few word pairs instead of testing every group.
        self._by_pair: dict[int, dict[int, list[_Group]]] = {}
        self._by_anchor: dict[int, list[_Group]] = {}
        self._anchors: set[int] = set()

    def add(self, key: str, patterns: list[Pattern]) -> None:
        for pattern in patterns:
            anchors = self._hashes(first_words(pattern))
            followers = self._hashes(second_words(pattern)) if anchors is not None else None
            opens = anchors is not None and pattern[0].get("IS_SENT_START") is True
            group = self._groups.get((anchors, followers, opens))
            if group is None:
                group = self._groups[anchors, followers, opens] = _Group(Matcher(self._vocab), opens_sentence=opens)
                for anchor in anchors or ():
                    self._anchors.add(anchor)
                    if followers is None:
                        self._by_anchor.setdefault(anchor, []).append(group)
                    for follower in followers or ():
                        self._by_pair.setdefault(anchor, {}).setdefault(follower, []).append(group)
            group.matcher.add(key, [pattern])
            group.needs.append(tuple(self._hashes(words) for words in required_words(pattern)))
            length = reach(pattern)
            group.reach = None if length is None or group.reach is None else max(group.reach, length)

    def _hashes(self, words: frozenset[str] | None) -> Words | None:
        return None if words is None else frozenset(self._vocab.strings.add(word) for word in words)

    def __len__(self) -> int:
        return len(self._groups)

    def __call__(self, doc: Doc) -> Iterator[tuple[int, int, int]]:
        unanchored = self._groups.get((None, None, False))
        if unanchored is not None:
            yield from unanchored.matcher(doc)
        lowers = doc.to_array(LOWER).tolist()
        anchors, by_anchor, by_pair = self._anchors, self._by_anchor, self._by_pair
        last = len(lowers) - 1
        starts: dict[_Group, list[int]] = {}  # each group this doc can match -> where its matches could start
        for index in [index for index, lower in enumerate(lowers) if lower in anchors]:
            lower = lowers[index]
            followers = by_pair.get(lower)
            paired = followers.get(lowers[index + 1], ()) if followers is not None and index < last else ()
            for group in (*by_anchor.get(lower, ()), *paired):
                starts.setdefault(group, []).append(index)
        if not starts:
            return
        present = set(lowers)
        sentence_starts = None
        for group, positions in starts.items():
            if not group.could_match(present):
                continue
            if group.opens_sentence:
                if sentence_starts is None:
                    sentence_starts = doc.to_array(SENT_START).tolist()
                positions = [index for index in positions if index == 0 or sentence_starts[index] == 1]
            for start, end in _windows(positions, group.reach, len(doc)):
                for match_id, first, last in group.matcher(doc[start:end]):
                    yield match_id, start + first, start + last


def _windows(starts: list[int], reach: int | None, length: int) -> Iterator[tuple[int, int]]:
    """Token ranges from each possible start (ascending) as far as a match can reach, overlaps merged."""
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
    return None if first.get("OP") in ("?", "*", "!") else _required_words(first)


def second_words(pattern: Pattern) -> frozenset[str] | None:
    """The words the token after a match's first may be, or None when that is not simply a word list.

    Optional tokens ("as [I] [already] said") let the next ones stand in their
    place, so their words all count, up to the first required token; a pattern
    that may end after its first token can be followed by anything.
    """
    words: set[str] = set()
    for token in pattern[1:]:
        operator = token.get("OP")
        required = _required_words(token)
        if operator in ("*", "+", "!") or required is None:
            return None
        words |= required
        if operator != "?":
            return frozenset(words)
    return None


def required_words(pattern: Pattern) -> list[frozenset[str]]:
    """The word lists of the tokens a match must include (each must be there, in one of its words)."""
    needed = []
    for token in pattern:
        words = _required_words(token)
        if words is not None and token.get("OP") in (None, "1", "+"):
            needed.append(words)
    return needed


def _required_words(token: dict[str, Any]) -> frozenset[str] | None:
    lower = token.get("LOWER")
    if isinstance(lower, str):
        return frozenset({lower})
    if isinstance(lower, dict) and set(lower) == {"IN"}:
        return frozenset(lower["IN"])
    return None
