"""Named phrase sets (``signals:`` in the rules data) found in a text in one pass."""

from __future__ import annotations

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc


class SignalFinder:
    """Finds every phrase of every named signal set in one pass."""

    def __init__(self, vocab, make_doc, signals: dict[str, list[str]]):
        self._matcher = PhraseMatcher(vocab, attr="LOWER")
        for name, phrases in signals.items():
            self._matcher.add(name, [make_doc(phrase) for phrase in phrases])

    def find(self, doc: Doc) -> dict[str, list[tuple[int, int]]]:
        found: dict[str, list[tuple[int, int]]] = {}
        for match_id, start, end in self._matcher(doc):
            span = doc[start:end]
            found.setdefault(doc.vocab.strings[match_id], []).append((span.start_char, span.end_char))
        for spans in found.values():
            spans.sort()
        return found
