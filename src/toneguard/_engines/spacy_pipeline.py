"""The spaCy pipeline: a blank English one with sentence splitting, or a trained one the user installed."""

from __future__ import annotations

import spacy
from spacy.language import Language


class PipelineNotInstalled(ValueError):
    """The trained pipeline asked for is not installed."""


def build_pipeline(model: str | None = None) -> Language:
    """A blank English pipeline with sentence splitting, or a trained one the user installed.

    A blank pipeline needs no download and every rule works with it. A trained
    pipeline (``model``, e.g. one the user installed) splits sentences with its
    parser instead of punctuation rules.
    """
    if model is None:
        nlp = spacy.blank("en")
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

