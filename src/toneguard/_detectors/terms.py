"""Listed terms found in a reply's tokens by dictionary lookups, with no spaCy Doc built per term.

The jargon dictionary holds thousands of terms, each in several inflections.
Building a spaCy Doc for every one of them made an Analyzer take a second to
start; here each term is a tuple of token strings (tokenized once, and kept
in the disk cache), indexed by its first token, so a reply costs one lookup
per token.
"""

from __future__ import annotations

from typing import Iterator

Match = tuple[str, int, int]
"""(key, first token, token after the last)."""


class TermMatcher:
    """Finds every added token sequence in a list of token texts, in any case or exactly as spelled."""

    def __init__(self) -> None:
        self._any_case: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        self._exact: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        self._keys: set[str] = set()

    def add(self, key: str, terms: list[list[str]], case_sensitive: bool = False) -> None:
        """Adds token lists under ``key``; unless ``case_sensitive``, they must be lower-cased already."""
        index = self._exact if case_sensitive else self._any_case
        for tokens in terms:
            if tokens:
                index.setdefault(tokens[0], []).append((tuple(tokens), key))
        self._keys.add(key)

    def __len__(self) -> int:
        return len(self._keys)

    def __call__(self, texts: list[str], lowered: list[str]) -> Iterator[Match]:
        """Each match of an added term in the tokens ``texts`` (``lowered`` is the same, lower-cased)."""
        for index, columns in ((self._any_case, lowered), (self._exact, texts)):
            if not index:
                continue
            for start, token in enumerate(columns):
                for tokens, key in index.get(token, ()):
                    end = start + len(tokens)
                    if end <= len(columns) and (len(tokens) == 1 or tuple(columns[start:end]) == tokens):
                        yield key, start, end
