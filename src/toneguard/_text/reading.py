"""What the detectors share about one reply: tokens, sentences, signals, sentiment, readability, the customer."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from typing import Any, Callable, Generic, NamedTuple, TypeVar

from mypy_extensions import mypyc_attr
from spacy.attrs import IDX, LENGTH
from spacy.tokens import Doc

from .._engines.spacy_pipeline import Pipeline
from .._engines.syllables import SyllableCounter
from ..models import ThreadContext
from .budget import Budget
from .customer import CustomerMessage
from .normalize import NormalizedText
from .readability import flesch_scores
from .sentiment import Sentiment, SentimentReader
from .signals import PhraseMatch, PhrasePass, SignalFinder


T = TypeVar("T")


class fact(Generic[T]):  # noqa: N801 - a decorator, named as one reads
    """A fact of a Reading: worked out on first use, then kept (``functools.cached_property`` without its lock).

    A Reading belongs to one analysis in one thread; before Python 3.12 the
    standard one takes a lock on each first use, a dozen times a reply.
    """

    def __init__(self, function: Callable[[Any], T]):
        self._function = function
        self._name = ""
        self.__doc__ = function.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        # From the class, not the function: a compiled function has no __name__.
        self._name = name

    def __get__(self, instance: Any, owner: type | None = None) -> T:
        if instance is None:
            return self  # type: ignore[return-value]
        value = instance.__dict__[self._name] = self._function(instance)
        return value


# What reads as a link; only those the prose view hid count (see ``Reading.links``).
_LINK = re.compile(r"(?:https?://|ftp://|www\.)\S+")
# Tokens that end a clause within a sentence.
_CLAUSE_BREAKS = frozenset({",", ";", ":", "(", ")", "-", "--", "\u2013", "\u2014", "but", "or", "so", "because"})


class Sentence(NamedTuple):
    """A sentence as token indices ``[start, end)`` and characters ``[start_char, end_char)``, as a spaCy Span has them."""

    start: int
    end: int
    start_char: int
    end_char: int


class Word(NamedTuple):
    """A token that holds a letter or digit, as detectors need it."""

    i: int
    text: str
    start: int
    is_alpha: bool

    @property
    def end(self) -> int:
        return self.start + len(self.text)


@dataclass(frozen=True)
class Tokens:
    """Each token's text, offset and kind, read from the Doc's arrays once per reply.

    Building a spaCy Token object costs more than the matching itself, and
    every detector asks about the same tokens, so they are read once here.
    """

    texts: list[str]
    lowered: list[str]
    starts: list[int]
    words: list[Word]

    @classmethod
    def of(cls, doc: Doc, text: str) -> Tokens:
        # One attribute per to_array call: asking for several at once is eight times slower.
        starts = doc.to_array(IDX).tolist()
        texts = [text[start : start + length] for start, length in zip(starts, doc.to_array(LENGTH).tolist())]
        # A token with a letter or digit is neither punctuation nor space (spaCy's flags are these str tests).
        # tuple.__new__ is what a NamedTuple's own constructor calls, without its Python-level frame.
        new = tuple.__new__
        words = [
            new(Word, (i, token, start, alpha))
            for i, (token, start) in enumerate(zip(texts, starts))
            if (alpha := token.isalpha()) or token.isalnum() or any(map(str.isalnum, token))
        ]
        return cls(texts, [token.lower() for token in texts], starts, words)


# Its facts are kept in the instance's __dict__, which a compiled (native) class has not.
@mypyc_attr(native_class=False)
@dataclass(frozen=True)
class Reading:
    """One reply as every detector reads it; each fact is worked out on first use, then kept.

    ``customer`` is the message the reply answers (None without one); ``thread``
    is what the conversation shows around it (how many messages the customer sent
    since the last reply, whether they say they are asking again, how long they
    waited), or None when the caller gave no context. A detector that weighs the
    thread reads ``reading.thread``; it is kept apart from ``customer`` because a
    thread can have a context and no customer text (an attachment sent alone).
    """

    normalized: NormalizedText
    doc: Doc
    """The tokens, without sentence annotation: ``sentenced_doc`` has it, for matchers that read it."""
    pipeline: Pipeline
    sentiment_reader: SentimentReader
    syllables: SyllableCounter
    signals: SignalFinder | None
    """Names the signal sets among the phrase matches."""
    customer: CustomerMessage | None = None
    thread: ThreadContext | None = None
    phrases: PhrasePass | None = None
    """Every phrase list of the reply (signal sets, tone markers), matched in one pass on first use."""
    budget: Budget = field(default_factory=Budget, compare=False)
    """The analysis's time budget: long-running detectors check it between steps."""
    _sentence_sentiment: dict[int, Sentiment] = field(default_factory=dict, init=False, repr=False, compare=False)

    @fact
    def all_sentences(self) -> list[Sentence]:
        """Every sentence, including ones that hold only masked text.

        Split by the pipeline's rules over the token table, as plain tuples: a
        spaCy Span (or ``doc.sents``) builds a Python Token for every token.
        """
        tokens = self.tokens
        texts, token_starts = tokens.texts, tokens.starts
        starts = self.pipeline.sentence_starts(self.doc, texts)
        return [
            Sentence(start, end, token_starts[start], token_starts[end - 1] + len(texts[end - 1]))
            for start, end in zip(starts, [*starts[1:], len(texts)])
        ]

    @fact
    def sentenced_doc(self) -> Doc:
        """The Doc with its sentence starts set, for spaCy matchers whose patterns ask for them."""
        return self.pipeline.sentenced(self.doc, self.sentence_starts)

    @fact
    def code_view(self) -> str:
        """The reply with its own code, commands and paths visible (see ``NormalizedText.code_view``), built once."""
        return self.normalized.code_view()

    @fact
    def links(self) -> list[tuple[int, int]]:
        """The links in the reply, as character spans: hidden from the prose, but a reply may be nothing else."""
        original = self.normalized.original
        if "://" not in original and "www." not in original:
            return []
        return [match.span() for match in _LINK.finditer(original) if not self.text[match.start() : match.end()].strip()]

    @fact
    def text(self) -> str:
        """The masked text the Doc was made from (``Doc.text`` rebuilds it token by token)."""
        return self.normalized.masked

    @fact
    def tokens(self) -> Tokens:
        return Tokens.of(self.doc, self.text)

    @fact
    def _word_indices(self) -> list[int]:
        return [word.i for word in self.words]

    def words_in(self, span: Sentence) -> list[Word]:
        """The words of ``span``, in order."""
        indices = self._word_indices
        return self.words[bisect_left(indices, span.start) : bisect_left(indices, span.end)]

    def text_of(self, span: Sentence) -> str:
        return self.text[span.start_char : span.end_char]

    @fact
    def sentences(self) -> list[Sentence]:
        """The sentences that hold at least one word."""
        indices = self._word_indices
        return [sentence for sentence in self.all_sentences if bisect_left(indices, sentence.start) < bisect_left(indices, sentence.end)]

    @fact
    def sentence_starts(self) -> list[int]:
        """The first token of each sentence, masked-only ones included."""
        return [sentence.start for sentence in self.all_sentences]

    def sentence_of(self, token_index: int) -> Sentence:
        return self.all_sentences[bisect_right(self.sentence_starts, token_index) - 1]

    def clause_start(self, index: int) -> int:
        """The first token of the clause holding token ``index``: its sentence, cut at punctuation and at "but", "or", "so", "because"."""
        sentence_start = self.sentence_of(index).start
        texts = self.tokens.texts
        first = index
        while first > sentence_start and texts[first - 1].lower() not in _CLAUSE_BREAKS:
            first -= 1
        return first

    @property
    def words(self) -> list[Word]:
        return self.tokens.words

    @fact
    def lower_alpha_words(self) -> list[str]:
        """The all-letter words, lower-cased: what the language check counts."""
        return [word.text.lower() for word in self.words if word.is_alpha]

    @fact
    def _flesch(self) -> tuple[float, float] | tuple[None, None]:
        """Counted over the prose as textstat counts (see :mod:`.readability`), not over the tokens."""
        return flesch_scores(self.text, self.syllables.total) or (None, None)

    @property
    def reading_ease(self) -> float | None:
        """Flesch reading ease of the prose; None when it has no words."""
        return self._flesch[0]

    @property
    def grade(self) -> float | None:
        """Flesch-Kincaid grade of the prose; None when it has no words."""
        return self._flesch[1]

    @fact
    def sentiment(self) -> Sentiment:
        return self.sentiment_reader.score(self.text)

    def sentence_sentiment(self, sentence: Sentence) -> Sentiment:
        if sentence.start not in self._sentence_sentiment:
            text = self.text_of(sentence).strip()
            # A reply of one sentence has that sentence's sentiment: VADER reads the same words.
            whole = len(text) == len(self._stripped_text) and text == self._stripped_text
            self._sentence_sentiment[sentence.start] = self.sentiment if whole else self.sentiment_reader.score(text)
        return self._sentence_sentiment[sentence.start]

    @fact
    def _stripped_text(self) -> str:
        return self.text.strip()

    def bounds(self, first: Sentence, last: Sentence | None = None) -> tuple[int, int]:
        """Character span from the first to the last visible token of ``first``..``last``.

        Masked text (a handle, a URL) is whitespace to spaCy, so a sentence may
        begin or end with it; a finding's span must not.
        """
        tokens = self.tokens
        # Masked text is whitespace, so a token shows when it is not all whitespace.
        shown = [i for i in range(first.start, (last or first).end) if not tokens.texts[i].isspace()]
        return tokens.starts[shown[0]], tokens.starts[shown[-1]] + len(tokens.texts[shown[-1]])

    @fact
    def phrase_matches(self) -> list[PhraseMatch]:
        """The one phrase pass over the reply: (label hash, first token, token after the last)."""
        return self.phrases(self.doc) if self.phrases is not None else []

    @fact
    def signal_spans(self) -> dict[str, list[tuple[int, int]]]:
        """Each named phrase set's matches, as sorted character spans."""
        if self.signals is None or not self.phrase_matches:
            return {}
        tokens = self.tokens
        return self.signals.spans(self.phrase_matches, tokens.starts, [len(text) for text in tokens.texts])

    def has_signal(self, names: list[str], start: int = 0, end: int | None = None) -> bool:
        """True when a phrase of any named signal set lies within [start, end) of the reply."""
        stop = len(self.text) if end is None else end
        for name in names:
            spans = self.signal_spans.get(name, [])
            # Spans are sorted by start: jump to the first that starts inside the window (a long
            # reply asks this once per sentence, so a full scan would make it quadratic).
            for s, e in spans[bisect_left(spans, (start, -1)) :]:
                if s >= stop:
                    break
                if e <= stop:
                    return True
        return False
