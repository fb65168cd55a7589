"""The Analyzer: loads rules and pipelines once, then turns replies into reports."""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import Iterable, Iterator, Union

from .._detectors import Hit
from .._engines.syllables import SyllableCounter
from .._rules.loading import RulesError, RuleSet, load_rule_set
from .._rules.patterns import annotation_keys
from .._rules.schema import AcronymRule, Rule, SwapRule, Tuning, example_exchange
from .._text.budget import Budget
from .._text.customer import CustomerMessage
from .._text.language import reads_as_english
from .._text.normalize import normalize
from .._text.reading import Reading
from .._text.sentiment import SentimentReader
from ..models import Category, Report, ThreadContext
from .config import Config
from .engine import Engine
from .findings import FoundProblem, found_problems
from .parallel import ordered_map
from .rewrite import apply_replacements
from .selection import RuleSelection
from .scoring import category_scores, overall_score

Reply = Union[str, tuple[str, Union[str, None]], tuple[str, Union[str, None], Union[ThreadContext, None]]]
"""A reply, a (reply, customer message) pair, or a (reply, customer message, thread context) triple."""

# Longer customer messages are read afresh each time, which bounds the cache's memory (256 x 20k chars).
_CACHED_CUSTOMER_CHARS = 20_000


class Analyzer:
    """Checks help-desk replies. Build one and reuse it: it is safe to share between threads.

    >>> analyzer = Analyzer()
    >>> report = analyzer.analyze("Please reauthenticate.", customer="I can't get in!")
    """

    def __init__(self, config: Config | None = None):
        self.config = config or Config()
        self.rule_set: RuleSet = load_rule_set(
            self.config.rules, include_builtin=self.config.builtin_rules, pattern_limits=self.config.patterns
        )
        self.tuning: Tuning = self.rule_set.tuning
        selection = RuleSelection(self.config)
        self.rules: list[Rule] = [loaded.rule for loaded in self.rule_set.rules if selection.enables(loaded.rule)]
        # A category turned off gets no tone either, so its score stays 0.
        self._toned = selection.toned(self.rules)
        self._sentiment = SentimentReader(self.rule_set.sentiment_overrides)
        self._syllables = SyllableCounter()
        self._engine = self._build_engine()
        self._renewal_lock = threading.Lock()
        # A draft is checked again and again against the same customer message as the agent types,
        # and a ticket's replies often answer one message: read each message once.
        self._cached_customer = lru_cache(maxsize=256)(self._read_customer_uncached)
        self._jargon_rule_ids = {rule.id for rule in self.rules if isinstance(rule, (SwapRule, AcronymRule))}
        self._check_pattern_attributes()
        self._check_user_examples()

    def _check_pattern_attributes(self) -> None:
        """A pattern may ask for POS, LEMMA and the like only when the pipeline sets them; else it fails at load."""
        probe = self._engine.nlp("A sentence to see what the pipeline sets.")
        problems = []
        for loaded in self.rule_set.rules:
            for index, pattern in enumerate(getattr(loaded.rule, "patterns", [])):
                # LEMMA itself becomes LOWER lists of every form when the matcher is built.
                needed = annotation_keys(pattern) - {"LEMMA"}
                unset = sorted(key for key in needed if not probe.has_annotation(key.upper()))
                if unset:
                    problems.append(
                        f"{loaded.origin}: rule {loaded.rule.id}: field 'patterns.{index}': uses {', '.join(unset)}, "
                        "which the pipeline does not set (only a trained spaCy pipeline, spacy_model, can)"
                    )
        if problems:
            raise RulesError(problems)

    def _check_user_examples(self) -> None:
        """A user's rule must fire on its own bad examples and not on its good ones, or it fails to load.

        The built-in rules are held to the same standard by the test suite.
        """
        active = {rule.id for rule in self.rules}
        problems = []
        for loaded in self.rule_set.rules:
            rule = loaded.rule
            if loaded.builtin or rule.id not in active:
                continue
            for kind, should_fire in (("bad", True), ("good", False)):
                for index, example in enumerate(getattr(rule.examples, kind)):
                    reply, customer = example_exchange(example)
                    fired = any(f.rule_id == rule.id for f in self.analyze(reply, customer).findings)
                    if fired != should_fire:
                        verb = "does not fire" if should_fire else "fires"
                        problems.append(
                            f"{loaded.origin}: rule {rule.id}: field 'examples.{kind}.{index}': "
                            f"the rule {verb} on its own {kind} example {reply!r}"
                        )
        if problems:
            raise RulesError(problems)

    def rule(self, rule_id: str) -> Rule:
        """The rule with this id (following redirects of retired ids); KeyError if none."""
        rules = self.rule_set.by_id()
        current = self.rule_set.redirects.get(rule_id.upper(), rule_id.upper())
        if current not in rules:
            raise KeyError(f"no rule {rule_id!r}; `toneguard rules` lists them")
        return rules[current]

    def analyze_many(self, replies: Iterable[Reply], n_process: int = 1) -> Iterator[Report]:
        """Reports for replies (or (reply, customer[, context]) tuples), streamed in input order over ``n_process`` processes.

        >>> for report in analyzer.analyze_many(["Reboot.", ("Fixed now.", "Is it fixed?")], n_process=2):
        ...     report.categories                                     # doctest: +SKIP
        """
        for _, report in ordered_map(self, _reports, replies, n_process):
            yield report

    def analyze(
        self,
        reply: str,
        customer: str | None = None,
        context: ThreadContext | None = None,
        *,
        max_seconds: float | None = None,
    ) -> Report:
        """Finds dismissive, clipped and overly technical wording in ``reply``.

        ``customer`` is the message the reply answers; with it, a short or
        unacknowledging reply to an upset or long message is caught too.
        ``context`` is what the thread shows around it (see :class:`ThreadContext`):
        detectors may weigh it, and the report echoes it. ``max_seconds`` overrides
        the time budget of ``config.max_seconds`` for this call.
        """
        budget = Budget(self.config.max_seconds if max_seconds is None else max_seconds)
        if not isinstance(reply, str):
            raise TypeError(f"reply must be a str, not {type(reply).__name__}")
        if customer is not None and not isinstance(customer, str):
            raise TypeError(f"customer must be a str or None, not {type(customer).__name__}")
        if context is not None and not isinstance(context, ThreadContext):
            raise TypeError(f"context must be a ThreadContext or None, not {type(context).__name__}")
        notes = []
        text = reply
        if len(text) > self.config.max_chars:
            notes.append(f"reply is {len(reply)} characters; analysed the first {self.config.max_chars} (max_chars)")
            text = text[: self.config.max_chars]
        # One engine for the whole analysis, even if another thread renews it meanwhile.
        engine = self._engine
        reading = self._reading(engine, text, customer, context, budget)
        english = reads_as_english(reading.text, reading.lower_alpha_words)
        if not reading.words:
            notes.append("no prose to analyse (empty, or only quoted text, code, links or signatures)")
        elif not english:
            notes.append("the reply does not read as English, so no tone findings are given")
        findings = self._findings(engine, reading, text, notes) if english else []
        if budget.spent:
            notes.append(
                f"the analysis stopped at its time budget of {budget.seconds:g} s (max_seconds): findings may be incomplete"
            )
        report = self._report(engine, reply, customer, context, reading, findings, english, notes)
        if engine.outgrown:
            self._renew(engine)
        return report

    def tone_features(self, reply: str, customer: str | None = None) -> dict[Category, dict[str, float]]:
        """The raw features of the reply's tone per category, before weighing: what a tone model is fitted on.

        Each marker counts its occurrences (at most ``scoring.tone.max_count_per_marker``);
        ``sentiment`` is VADER's compound negated; opinion words are counted.
        ``benchmarks/fit_tone.py`` fits the dismissive weights on these.
        """
        engine = self._engine
        reading = self._reading(engine, reply[: self.config.max_chars], customer)
        totals: dict[Category, dict[str, float]] = {}
        for category, signals in engine.tone.features(reading).items():
            values = totals.setdefault(category, {})
            for signal in signals:
                values[signal.name] = values.get(signal.name, 0.0) + signal.value
        return totals

    def _reading(
        self,
        engine: Engine,
        text: str,
        customer: str | None,
        context: ThreadContext | None = None,
        budget: Budget | None = None,
    ) -> Reading:
        normalized = normalize(text)
        return Reading(
            normalized=normalized,
            doc=engine.pipeline.doc(normalized.masked),
            pipeline=engine.pipeline,
            sentiment_reader=self._sentiment,
            syllables=self._syllables,
            signals=engine.signals,
            phrases=engine.phrases,
            customer=self._read_customer(engine, customer),
            thread=context,
            budget=budget or Budget(self.config.max_seconds),
        )

    def _build_engine(self) -> Engine:
        return Engine.build(self.config, self.rule_set, self.tuning, self.rules, self._sentiment)

    def _renew(self, outgrown: Engine) -> None:
        with self._renewal_lock:
            if self._engine is outgrown:
                self._engine = self._build_engine()
                self._cached_customer.cache_clear()  # its keys hold the old engine, and so its vocabulary

    def _findings(self, engine: Engine, reading: Reading, text: str, notes: list[str]) -> list[FoundProblem]:
        hits: list[Hit] = []
        for detector in engine.detectors:
            if reading.budget.exhausted():
                break
            hits += detector.find(reading)
        return found_problems(hits, reading, text, self.config.max_findings_per_rule, self.config.max_findings, notes)

    def _report(
        self,
        engine: Engine,
        reply: str,
        customer: str | None,
        context: ThreadContext | None,
        reading: Reading,
        findings: list[FoundProblem],
        english: bool,
        notes: list[str],
    ) -> Report:
        # A reply of only "???" has no words but still has a tone.
        tones = (
            {c: tone for c, tone in engine.tone.read(reading).items() if c in self._toned}
            if english and reading.text.strip()
            else None
        )
        scores = category_scores(findings, self.tuning.scoring, self.config.thresholds, tones)
        jargon = sum(1 for f in findings if f.rule_id in self._jargon_rule_ids)
        words = len(reading.words)
        sentiment = reading.sentiment
        # Validated once, from plain values: a validated model per part cost more than the detectors.
        return Report.model_validate(
            {
                "reply": reply,
                "customer": customer,
                "context": context,
                "language": "en" if english else "unknown",
                "findings": [finding._asdict() for finding in findings],
                "scores": scores,
                "categories": [category for category, fields in scores.items() if fields["flagged"]],  # in Category order
                "score": overall_score(scores),
                "metrics": {
                    "words": words,
                    "sentences": len(reading.sentences),
                    "characters": len(reply),
                    "sentiment": sentiment._asdict(),
                    "flesch_reading_ease": reading.reading_ease,
                    "flesch_kincaid_grade": reading.grade,
                    "jargon_terms": jargon,
                    "jargon_density": round(jargon / words, 4) if words else 0.0,
                    "customer_words": reading.customer.words if reading.customer else None,
                    "customer_sentiment": reading.customer.sentiment.compound if reading.customer else None,
                },
                "rewrite": apply_replacements(reply, findings),
                "notes": notes,
            }
        )

    def _read_customer(self, engine: Engine, customer: str | None) -> CustomerMessage | None:
        if not customer or not customer.strip():
            return None
        if len(customer) <= _CACHED_CUSTOMER_CHARS:
            return self._cached_customer(engine, customer)
        return self._read_customer_uncached(engine, customer)

    def _read_customer_uncached(self, engine: Engine, customer: str) -> CustomerMessage:
        return engine.customers.read(customer)


def _reports(analyzer: Analyzer, replies: list[Reply]) -> list[Report]:
    return [analyzer.analyze(reply) if isinstance(reply, str) else analyzer.analyze(*reply) for reply in replies]


_shared: dict[str, Analyzer] = {}
_shared_lock = threading.Lock()
_default: Analyzer | None = None


def shared_analyzer(config: Config) -> Analyzer:
    """This process's one Analyzer for these settings, built on first use.

    What builds Analyzers from settings alone (the default one, a DataFrame
    partition, a spaCy component in each process) shares them this way.
    """
    key = config.model_dump_json()
    analyzer = _shared.get(key)
    if analyzer is None:
        with _shared_lock:
            analyzer = _shared.get(key)
            if analyzer is None:
                analyzer = _shared[key] = Analyzer(config)
    return analyzer


def default_analyzer() -> Analyzer:
    """The shared Analyzer behind :func:`analyze`, built on first use."""
    global _default
    if _default is None:
        _default = shared_analyzer(Config())
    return _default


def analyze(reply: str, customer: str | None = None, context: ThreadContext | None = None) -> Report:
    """Analyses one reply with the shared default :class:`Analyzer`."""
    return default_analyzer().analyze(reply, customer, context)
