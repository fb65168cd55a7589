"""Named phrase sets (``signals:`` in the rules data) found in a text in one pass."""

from __future__ import annotations

from spacy.attrs import IDX, LENGTH
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc


class SignalFinder:
    """Finds every phrase of every named signal set in one pass."""

    def __init__(self, vocab, make_doc, signals: dict[str, list[str]]):
        self._matcher = PhraseMatcher(vocab, attr="LOWER")
        for name, phrases in signals.items():
            self._matcher.add(name, [make_doc(phrase) for phrase in phrases])

    def present(self, doc: Doc) -> set[str]:
        """The names of the signal sets with a phrase in ``doc`` (cheaper than ``find`` when where does not matter)."""
        strings = doc.vocab.strings
        return {strings[match_id] for match_id, _, _ in self._matcher(doc)}

    def find(self, doc: Doc) -> dict[str, list[tuple[int, int]]]:
        found: dict[str, list[tuple[int, int]]] = {}
        matches = self._matcher(doc)
        if not matches:
            return found
        # Offsets from the token arrays: a Span object per match costs more than the matching.
        starts, lengths = doc.to_array(IDX).tolist(), doc.to_array(LENGTH).tolist()
        strings = doc.vocab.strings
        for match_id, start, end in matches:
            found.setdefault(strings[match_id], []).append((starts[start], starts[end - 1] + lengths[end - 1]))
        for spans in found.values():
            spans.sort()
        return found
