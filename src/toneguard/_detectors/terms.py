"""Listed terms found in a reply's tokens by dictionary lookups, with no spaCy Doc built per term.

The jargon dictionary holds thousands of terms, each in several inflections.
Building a spaCy Doc for every one of them made an Analyzer take a second to
start; here each term is a tuple of token strings (tokenized once, and kept
in the disk cache), indexed by its rarest token in general English ("flush
the cache" by "flush"): most replies hold no such token at all, and a set
test over the reply's tokens says so at C speed.
"""

from __future__ import annotations

from typing import Iterator

from .._text.budget import Budget

# Candidate terms compared between two looks at the time budget: a rules file may list thousands of
# terms sharing one anchor, and a reply may repeat that anchor thousands of times.
_CANDIDATES_PER_CHECK = 4096

Match = tuple[str, int, int]
"""(key, first token, token after the last)."""


class TermMatcher:
    """Finds every added token sequence in a list of token texts, in any case or exactly as spelled."""

    def __init__(self) -> None:
        # anchor token -> (the term's tokens, where the anchor stands in them, key)
        self._any_case: dict[str, list[tuple[tuple[str, ...], int, str]]] = {}
        self._exact: dict[str, list[tuple[tuple[str, ...], int, str]]] = {}
        self._keys: set[str] = set()

    def add(self, key: str, terms: list[list[str]], anchors: list[int], case_sensitive: bool = False) -> None:
        """Adds token lists under ``key``, each indexed by its token at ``anchors[i]``.

        Unless ``case_sensitive``, the tokens must be lower-cased already.
        """
        index = self._exact if case_sensitive else self._any_case
        for tokens, anchor in zip(terms, anchors):
            if tokens:
                index.setdefault(tokens[anchor], []).append((tuple(tokens), anchor, key))
        self._keys.add(key)

    def __len__(self) -> int:
        return len(self._keys)

    def __call__(self, texts: list[str], lowered: list[str], budget: Budget | None = None) -> Iterator[Match]:
        """Each match of an added term in the tokens ``texts`` (``lowered`` is the same, lower-cased).

        Stops early, without a word, once ``budget`` is spent (the caller reports that).
        """
        budget = budget or Budget()
        compared = 0
        for index, columns in ((self._any_case, lowered), (self._exact, texts)):
            if index.keys().isdisjoint(columns):
                continue
            for position, token in enumerate(columns):
                candidates = index.get(token, ())
                compared += len(candidates)
                if compared >= _CANDIDATES_PER_CHECK:
                    compared = 0
                    if budget.exhausted():
                        return
                for tokens, anchor, key in candidates:
                    start = position - anchor
                    end = start + len(tokens)
                    if start >= 0 and end <= len(columns) and (len(tokens) == 1 or tuple(columns[start:end]) == tokens):
                        yield key, start, end
