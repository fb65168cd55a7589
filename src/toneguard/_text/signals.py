"""Phrase lists matched in one pass over a text, and the named signal sets (``signals:`` in the rules data) among them."""

from __future__ import annotations

from typing import Callable

from spacy.attrs import IDX, LENGTH
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

PhraseMatch = tuple[int, int, int]
"""(label hash, first token, token after the last)."""


class PhrasePass:
    """Every phrase list a text is read for, in one spaCy PhraseMatcher over its lower-cased tokens.

    The reply's signal sets, its tone markers and their companion and
    exception lists are all labels of one matcher, so a reply is matched once,
    whatever reads the matches.
    """

    def __init__(self, vocab, make_doc: Callable[[str], Doc]):
        self._matcher = PhraseMatcher(vocab, attr="LOWER")
        self._make_doc = make_doc
        self._strings = vocab.strings

    def add(self, label: str, phrases: list[str]) -> int:
        """Adds the phrases under ``label``; returns the label's hash, as matches carry it."""
        self._matcher.add(label, [self._make_doc(phrase) for phrase in phrases])
        return self._strings.add(label)

    def __call__(self, doc: Doc) -> list[PhraseMatch]:
        return self._matcher(doc)


class SignalFinder:
    """The named signal sets, as labels of a :class:`PhrasePass`."""

    def __init__(self, phrases: PhrasePass, signals: dict[str, list[str]]):
        self._phrases = phrases
        self._names = {phrases.add(f"signal:{name}", list(words)): name for name, words in signals.items()}

    def matches(self, doc: Doc) -> list[PhraseMatch]:
        """The phrase pass over ``doc``, for :meth:`present` and :meth:`found_in` to read."""
        return self._phrases(doc)

    def present(self, matches: list[PhraseMatch]) -> set[str]:
        """The names of the signal sets with a phrase among ``matches`` (cheaper than ``found_in`` when where does not matter)."""
        names = self._names
        return {names[label] for label, _, _ in matches if label in names}

    def found_in(self, doc: Doc, matches: list[PhraseMatch]) -> dict[str, list[tuple[int, int]]]:
        """Each signal set's phrases among ``matches`` in ``doc``, as sorted character spans."""
        if not matches:
            return {}
        # Offsets from the token arrays: a Span object per match costs more than the matching.
        return self.spans(matches, doc.to_array(IDX).tolist(), doc.to_array(LENGTH).tolist())

    def spans(self, matches: list[PhraseMatch], starts: list[int], lengths: list[int]) -> dict[str, list[tuple[int, int]]]:
        """The signal sets' matches among a pass's ``matches``, as sorted character spans (tokens at ``starts``, of ``lengths``)."""
        found: dict[str, list[tuple[int, int]]] = {}
        names = self._names
        for label, start, end in matches:
            name = names.get(label)
            if name is not None:
                found.setdefault(name, []).append((starts[start], starts[end - 1] + lengths[end - 1]))
        for spans in found.values():
            spans.sort()
        return found
