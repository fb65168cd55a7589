"""spaCy Matchers grouped by the words a pattern must start with, run only where those words are.

A spaCy Matcher tries every pattern at every token and builds a Python Token
for each one, so its cost grows with the patterns and with the reply, and
each call has a fixed cost of its own. Most patterns begin with a fixed word
or word list ("as", "you", "calm") followed by another ("as" + "i"/"we"):
grouping patterns by those first two words lets a reply run only the groups
whose opening pair it contains, only when the reply also holds a word of each
token every match needs, and only over the few tokens from there that a match
can cover.

No call can run long: the matcher reads at most ``window_tokens`` tokens at a
time (longer stretches are read in overlapping pieces), a group's patterns are
shared among as many Matchers as keep each call's work bounded, and the time
budget is checked between calls. With the limits a pattern is validated
against (see ``_rules.patterns``), one call takes a few milliseconds at most.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Iterator

from spacy.attrs import SENT_START
from spacy.matcher import Matcher
from spacy.tokens import Doc

from .._rules.patterns import PatternLimits, operator_bounds
from .._text.budget import Budget

Pattern = list[dict[str, Any]]
Words = frozenset[str]  # lower-case words, as spaCy's LOWER has them
# A group's first words, next words, whether it opens a sentence, and whether its matches are bounded.
GroupKey = tuple[Words | None, Words | None, bool, bool]

# Matcher work one call may do, in tokens read x ways a pattern can be partly matched at once
# (about 10 ms): a group's patterns are spread over more Matchers rather than exceed it.
_WORK_PER_CALL = 64 * 1024


@dataclass(eq=False)  # hashed by identity, to key a doc's candidate start positions
class _Group:
    # The most tokens a match can cover (for '*', '+' and '{n,}', half a window).
    reach: int = 0
    matchers: list[Matcher] = field(default_factory=list)
    # The estimated work of the last Matcher's patterns, per token read.
    load: int = 0
    # Per pattern, the word lists of its required tokens: a doc lacking a word of every list cannot match it.
    needs: list[tuple[Words, ...]] = field(default_factory=list)
    # Every pattern's first token must open a sentence ("No." as a whole answer).
    opens_sentence: bool = False
    # Some pattern asks where sentences start: the doc must carry the sentence annotation.
    reads_sentences: bool = False

    def could_match(self, present: set[str]) -> bool:
        # Plain loops: nested generator expressions cost more than the set tests, for a handful of patterns.
        for need in self.needs:
            for words in need:
                if words.isdisjoint(present):
                    break
            else:
                return True
        return False


class AnchoredMatcher:
    def __init__(self, vocab, limits: PatternLimits | None = None):
        self._vocab = vocab
        self._limits = limits or PatternLimits()
        self._groups: dict[GroupKey, _Group] = {}
        # Each (first word, next word)'s groups, and each first word's groups that take any next word:
        # a reply looks up its own few word pairs instead of testing every group.
        self._by_pair: dict[str, dict[str, list[_Group]]] = {}
        self._by_anchor: dict[str, list[_Group]] = {}
        self._anchors: set[str] = set()
        # Groups whose patterns may start at any word.
        self._unanchored: list[_Group] = []

    def add(self, key: str, patterns: list[Pattern]) -> None:
        for pattern in patterns:
            anchors = first_words(pattern)
            followers = second_words(pattern) if anchors is not None else None
            opens = anchors is not None and pattern[0].get("IS_SENT_START") is True
            length = reach(pattern)
            bounded = length is not None
            group = self._groups.get((anchors, followers, opens, bounded))
            if group is None:
                group = self._groups[anchors, followers, opens, bounded] = _Group(opens_sentence=opens)
                self._index(group, anchors, followers)
            group.needs.append(tuple(required_words(pattern)))
            group.reads_sentences = group.reads_sentences or any("IS_SENT_START" in token for token in pattern)
            group.reach = max(group.reach, length if length is not None else self._limits.unbounded_reach)
            self._place(group, key, pattern, bounded)

    def _index(self, group: _Group, anchors: Words | None, followers: Words | None) -> None:
        """Files a new group under the words a match of it must start with."""
        if anchors is None:
            self._unanchored.append(group)
        for anchor in anchors or ():
            self._anchors.add(anchor)
            if followers is None:
                self._by_anchor.setdefault(anchor, []).append(group)
            for follower in followers or ():
                self._by_pair.setdefault(anchor, {}).setdefault(follower, []).append(group)

    def _place(self, group: _Group, key: str, pattern: Pattern, bounded: bool) -> None:
        """Adds the pattern to the group's last Matcher, or to a new one if that one has its share of work."""
        cost = ways(pattern) * (1 if bounded else self._limits.unbounded_reach)
        per_call = _WORK_PER_CALL // self._limits.window_tokens
        if not group.matchers or group.load + cost > per_call:
            group.matchers.append(Matcher(self._vocab))
            group.load = 0
        group.load += cost
        # An unbounded pattern keeps its longest match at each place, not every shorter one too.
        group.matchers[-1].add(key, [pattern], greedy=None if bounded else "LONGEST")

    def __len__(self) -> int:
        return len(self._groups)

    def __call__(
        self, doc: Doc, lowers: list[str], budget: Budget, sentenced: Callable[[], Doc] | None = None
    ) -> Iterator[tuple[int, int, int]]:
        """The matches in ``doc``, whose tokens lower-cased are ``lowers``; ``sentenced`` gives it its sentence
        annotation, asked only when a group whose patterns read sentence starts can match (setting them costs
        more than most replies' matching)."""
        starts = self._starts(lowers)
        if not starts:
            return
        present = set(lowers)
        sentence_starts = None
        window = self._limits.window_tokens
        for group, positions in starts.items():
            if not group.could_match(present):
                continue
            if group.reads_sentences and sentenced is not None:
                doc = sentenced()
            if group.opens_sentence:
                if sentence_starts is None:
                    sentence_starts = doc.to_array(SENT_START).tolist()
                positions = [index for index in positions if index == 0 or sentence_starts[index] == 1]
            for start, end, keep_before in pieces(positions, group.reach, len(doc), window):
                for matcher in group.matchers:
                    if budget.exhausted():
                        return
                    for match_id, first, last in matcher(doc[start:end]):
                        if start + first < keep_before:
                            yield match_id, start + first, start + last

    def _starts(self, lowers: list[str]) -> dict[_Group, list[int]]:
        """Each group this doc can match -> where its matches could start (ascending)."""
        starts: dict[_Group, list[int]] = {group: list(range(len(lowers))) for group in self._unanchored}
        anchors, by_anchor, by_pair = self._anchors, self._by_anchor, self._by_pair
        last = len(lowers) - 1
        for index in [index for index, lower in enumerate(lowers) if lower in anchors]:
            lower = lowers[index]
            followers = by_pair.get(lower)
            paired = followers.get(lowers[index + 1], ()) if followers is not None and index < last else ()
            for group in (*by_anchor.get(lower, ()), *paired):
                starts.setdefault(group, []).append(index)
        return starts


def pieces(starts: list[int], reach: int, length: int, window: int) -> Iterator[tuple[int, int, int]]:
    """``(start, end, keep_before)``: token ranges of at most ``window`` tokens to run a matcher on.

    Each possible start (ascending) is read as far as a match can reach, and
    overlapping ranges are merged. A merged range longer than ``window`` is read
    in pieces that overlap by ``reach``; a match belongs to the piece it starts
    before ``keep_before`` in, so none is found twice and none is cut short.
    """
    step = window - reach + 1
    for range_start, range_end in _merged(starts, reach, length):
        piece = range_start
        while piece + window < range_end:
            yield piece, piece + window, piece + step
            piece += step
        yield piece, range_end, range_end


def _merged(starts: list[int], reach: int, length: int) -> Iterator[tuple[int, int]]:
    window_start = window_end = -1
    for start in starts:
        end = min(length, start + reach)
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
    total = 0
    for token in pattern:
        most = operator_bounds(token)[1]
        if most is None:
            return None
        total += most
    return total


def ways(pattern: Pattern) -> int:
    """How many ways a pattern can be partly matched at once, at most: two for each optional token."""
    optional = 0
    for token in pattern:
        fewest, most = operator_bounds(token)
        optional += 0 if most is None else most - fewest
    return 2**optional


def first_words(pattern: Pattern) -> frozenset[str] | None:
    """The lower-case words the pattern's first token must be, or None when it is not that simple."""
    return _required_words(pattern[0]) if _required(pattern[0]) else None


def second_words(pattern: Pattern) -> frozenset[str] | None:
    """The words the token after a match's first may be, or None when that is not simply a word list.

    Optional tokens ("as [I] [already] said") let the next ones stand in their
    place, so their words all count, up to the first required token; a pattern
    that may end after its first token, or whose first token may repeat, can
    be followed by anything.
    """
    if operator_bounds(pattern[0]) != (1, 1):
        return None
    words: set[str] = set()
    for token in pattern[1:]:
        required = _required_words(token)
        if token.get("OP") == "!" or required is None:
            return None
        words |= required
        if _required(token):
            return frozenset(words)
        if operator_bounds(token) != (0, 1):
            return None
    return None


def required_words(pattern: Pattern) -> list[frozenset[str]]:
    """The word lists of the tokens a match must include (each must be there, in one of its words)."""
    needed = []
    for token in pattern:
        words = _required_words(token)
        if words is not None and _required(token):
            needed.append(words)
    return needed


def _required(token: dict[str, Any]) -> bool:
    """True when a match must have this token (at least once) where the pattern has it."""
    return token.get("OP") != "!" and operator_bounds(token)[0] >= 1


def _required_words(token: dict[str, Any]) -> frozenset[str] | None:
    lower = token.get("LOWER")
    if isinstance(lower, str):
        return frozenset({lower})
    if isinstance(lower, dict) and set(lower) == {"IN"}:
        return frozenset(lower["IN"])
    return None
