"""The spaCy pipeline: a blank English one split into sentences at punctuation, or a trained one the user installed.

A blank pipeline's sentences come from spaCy's ``sentencizer`` rules, run here
over the tokens toneguard reads anyway: running the component itself costs a
Python Token object per token, more than the rest of reading a sentence. The
component stays in the pipeline (``Pipeline.nlp``), so the rules it is
configured with are the ones followed, and a Doc handed to spaCy's own Matcher
gets the very same sentence starts (``Pipeline.sentenced``).
"""

from __future__ import annotations

from typing import Any

import spacy
from spacy.attrs import IS_PUNCT, SENT_START
from spacy.lang.en import English
from spacy.language import Language
from spacy.tokens import Doc


class PipelineNotInstalled(ValueError):
    """The trained pipeline asked for is not installed."""


def build_pipeline(model: str | None = None) -> Language:
    """A blank English pipeline with sentence splitting, or a trained one the user installed.

    A blank pipeline needs no download and every rule works with it. A trained
    pipeline (``model``, e.g. one the user installed) splits sentences with its
    parser instead of punctuation rules.
    """
    nlp: Language
    if model is None:
        # spacy.blank("en") itself, less its registry look-up and config validation (a tenth of its time).
        nlp = English()
    else:
        try:
            nlp = spacy.load(model, exclude=["ner", "lemmatizer", "textcat"])
        except OSError as err:
            raise PipelineNotInstalled(f"spaCy pipeline {model!r} is not installed; omit spacy_model to use the blank one") from err
    if not nlp.has_pipe("sentencizer") and not nlp.has_pipe("parser") and not nlp.has_pipe("senter"):
        nlp.add_pipe("sentencizer")
    # Length is bounded by the caller's own limit, not spaCy's parser-memory guard.
    nlp.max_length = 10**9
    return nlp


class Pipeline:
    """Turns text into a Doc and its sentence starts, running only what a blank pipeline needs."""

    def __init__(self, nlp: Language):
        self.nlp = nlp
        # Only a pipeline whose one component is the sentencizer is split here; any other runs whole.
        # spaCy types get_pipe's result as a plain callable; this one is its Sentencizer.
        sentencizer: Any = nlp.get_pipe("sentencizer") if nlp.pipe_names == ["sentencizer"] else None
        self._sentencizer = sentencizer
        self._punct_chars = frozenset(sentencizer.punct_chars) if sentencizer is not None else frozenset()

    def doc(self, text: str) -> Doc:
        """The tokenized text; through every component but the sentencizer, whose rules :meth:`sentence_starts` follows."""
        return self.nlp.make_doc(text) if self._sentencizer is not None else self.nlp(text)

    def sentence_starts(self, doc: Doc, texts: list[str]) -> list[int]:
        """The index of each sentence's first token (``texts`` are the doc's token texts); empty for an empty doc."""
        if not texts:
            return []
        if self._sentencizer is None:
            return [0, *(int(i) for i in (doc.to_array(SENT_START) == 1).nonzero()[0] if i)]
        return _punctuation_sentence_starts(texts, doc.to_array(IS_PUNCT).tolist(), self._punct_chars)

    def sentenced(self, doc: Doc, starts: list[int]) -> Doc:
        """``doc`` with its sentence starts set as the sentencizer sets them, for matchers that read them."""
        if self._sentencizer is not None and len(doc) and not doc.has_annotation("SENT_START"):
            flags = [False] * len(doc)
            for start in starts:
                flags[start] = True
            self._sentencizer.set_annotations([doc], [flags])
        return doc


def _punctuation_sentence_starts(texts: list[str], is_punct: list[int], punct_chars: frozenset[str]) -> list[int]:
    """spaCy's ``Sentencizer.predict``, step for step: a sentence starts at the first token after a closing
    character (".", "!", "?"...) that is neither punctuation nor a closing character itself."""
    starts = [0]
    seen_period = False
    for i, text in enumerate(texts):
        closing = text in punct_chars
        if seen_period and not is_punct[i] and not closing:
            if i:
                starts.append(i)
            seen_period = False
        elif closing:
            seen_period = True
    return starts
