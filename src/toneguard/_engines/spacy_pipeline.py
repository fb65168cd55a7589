"""The spaCy pipeline: a blank English one with sentence splitting, or a trained one the user installed."""

from __future__ import annotations

from typing import Callable, Sequence

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from .disk_cache import cached


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


# Below this many phrases tokenizing is quicker than reading a cache entry.
_CACHED_PHRASES = 500


def phrase_tokens(make_doc: Callable[[str], Doc], phrases: Sequence[str], name: str) -> list[list[str]]:
    """Each phrase's token texts as ``make_doc`` splits it.

    Tokenizing is most of what loading a long phrase list costs (100,000 phrases
    take seconds), so a long list's tokens are kept in the disk cache under
    ``name``, keyed by the phrases and by the pipeline that split them.
    """
    if len(phrases) < _CACHED_PHRASES:
        return _split(make_doc, phrases)
    pipeline = getattr(make_doc, "__self__", None)
    if not isinstance(pipeline, Language):
        return _split(make_doc, phrases)
    meta = pipeline.meta
    splitter = f"spacy {spacy.__version__} {pipeline.lang} {meta.get('name')} {meta.get('version')}"
    source = "\0".join([splitter, *phrases]).encode("utf-8", "surrogatepass")
    return cached(f"phrases-{name}", source, lambda: _split(make_doc, phrases))


def _split(make_doc: Callable[[str], Doc], phrases: Sequence[str]) -> list[list[str]]:
    return [[token.text for token in make_doc(phrase)] for phrase in phrases]
