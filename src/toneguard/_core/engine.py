"""The parts of an Analyzer built on one spaCy vocabulary, replaced once that vocabulary has grown too much.

spaCy adds every new string it tokenizes (names, ticket numbers, typos) to its
vocabulary and its tokenizer cache and never lets go, so an Analyzer reading
millions of varied replies would grow without bound: 50,000 replies of unseen
words add about 450 MB. Once the vocabulary holds ``NEW_STRINGS_BEFORE_RENEWAL``
more strings than when it was built, the Analyzer builds a fresh Engine (a
fraction of a second) and lets the old one go.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.language import Language

from .._detectors import Detector, build_detectors
from .._engines.collector import collector_paused
from .._engines.spacy_pipeline import Pipeline, PipelineNotInstalled, build_pipeline
from .._rules.loading import RuleSet
from .._rules.schema import AIMED_AT_READER_SIGNALS, CUSTOMER_ONLY_PREFIX, Rule, Tuning
from .._text.customer import CustomerReader, customer_signal_sets
from .._text.sentiment import SentimentReader
from .._text.signals import PhrasePass, SignalFinder
from .config import Config, ConfigError
from .tone import ToneReader

# About 80 MB of vocabulary, and for typical replies hundreds of thousands of them between renewals.
NEW_STRINGS_BEFORE_RENEWAL = 100_000


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: one engine is one vocabulary
class Engine:
    nlp: Language
    pipeline: Pipeline
    phrases: PhrasePass
    signals: SignalFinder
    customers: CustomerReader
    tone: ToneReader
    detectors: list[Detector]
    string_limit: int

    @classmethod
    def build(
        cls, config: Config, rule_set: RuleSet, tuning: Tuning, rules: list[Rule], sentiment: SentimentReader
    ) -> Engine:
        try:
            nlp = build_pipeline(config.spacy_model)
        except PipelineNotInstalled as err:
            raise ConfigError(str(err)) from err
        vocab, make_doc = nlp.vocab, nlp.make_doc
        # Each text is matched only for the signal sets read on it: the customer's own sets on the
        # customer's message, the rest on the reply (the aimed-at words are looked up directly).
        reply_sets = {
            name: phrases
            for name, phrases in rule_set.signals.items()
            if not name.startswith(CUSTOMER_ONLY_PREFIX) and name not in AIMED_AT_READER_SIGNALS
        }
        # Building makes a hundred thousand small objects that live as long as the engine: a third of
        # the build time went to the collector scanning them.
        with collector_paused():
            # The reply's signal sets and tone markers share one phrase pass; the customer's message has its own.
            phrases = PhrasePass(vocab, make_doc)
            signals = SignalFinder(phrases, reply_sets)
            tone = ToneReader(rule_set.tone_markers, rule_set.tone_models, tuning.scoring.tone, sentiment, phrases)
            customer_signals = SignalFinder(PhrasePass(vocab, make_doc), customer_signal_sets(rule_set.signals))
            customers = CustomerReader(tuning.context, make_doc, customer_signals, sentiment, config.max_chars)
            pipeline = config.spacy_model or "blank"
            detectors = build_detectors(
                rules, rule_set.shape_words, vocab, make_doc, pipeline, rule_set.signals, config.patterns
            )
        return cls(nlp, Pipeline(nlp), phrases, signals, customers, tone, detectors, len(vocab.strings) + NEW_STRINGS_BEFORE_RENEWAL)

    @property
    def outgrown(self) -> bool:
        return len(self.nlp.vocab.strings) > self.string_limit
