"""The Analyzer: loads rules and pipelines once, then turns replies into reports."""

from __future__ import annotations

import threading
import typing
from functools import lru_cache

from spacy.attrs import IS_ALPHA

from .config import Config
from .engine import Engine
from .language import reads_as_english
from .models import Finding, Metrics, Report
from .normalize import normalize
from .readability import SyllableCounter, flesch_kincaid_grade, flesch_reading_ease
from .reading import CustomerMessage, Reading
from .rewrite import apply_replacements
from .rule_loading import RuleSet, RulesError, load_rule_set
from .rule_schema import AcronymRule, Category, Rule, SwapRule, example_exchange
from .scoring import category_scores, overall_score
from .sentiment import SentimentReader

# A customer message at or below this VADER compound reads as upset.
_UPSET_COMPOUND = -0.3
# Longer customer messages are read afresh each time, which bounds the cache's memory (256 x 20k chars).
_CACHED_CUSTOMER_CHARS = 20_000


class Analyzer:
    """Checks help-desk replies. Build one and reuse it: it is safe to share between threads.

    >>> analyzer = Analyzer()
    >>> report = analyzer.analyze("Please reauthenticate.", customer="I can't get in!")
    """

    def __init__(self, config: Config | None = None):
        self.config = config or Config()
        self.rule_set: RuleSet = load_rule_set(self.config.rules, include_builtin=self.config.builtin_rules)
        disabled = set(self.config.disable)
        self.rules: list[Rule] = [
            loaded.rule
            for loaded in self.rule_set.rules
            if loaded.rule.id not in disabled and loaded.rule.category.value not in disabled
        ]
        # A category turned off gets no tone either, so its score stays 0.
        self._toned = {category for category in Category if category.value not in disabled}
        self._engine = Engine.build(self.config, self.rule_set, self.rules)
        self._renewal_lock = threading.Lock()
        self._sentiment = SentimentReader(self.rule_set.sentiment_overrides)
        self._syllables = SyllableCounter()
        # A draft is checked again and again against the same customer message as the agent types,
        # and a ticket's replies often answer one message: read each message once.
        self._cached_customer = lru_cache(maxsize=256)(self._read_customer_uncached)
        self._jargon_rule_ids = {rule.id for rule in self.rules if isinstance(rule, (SwapRule, AcronymRule))}
        self._check_user_examples()

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

    def analyze_many(
        self, replies: typing.Iterable[str | tuple[str, str | None]], n_process: int = 1
    ) -> typing.Iterator[Report]:
        """Reports for replies (or (reply, customer) pairs), streamed in input order over ``n_process`` processes."""
        from .batch import analyze_many

        return analyze_many(self, replies, n_process)

    def analyze(self, reply: str, customer: str | None = None) -> Report:
        """Finds dismissive, clipped and overly technical wording in ``reply``.

        ``customer`` is the message the reply answers; with it, a short or
        unacknowledging reply to an upset or long message is caught too.
        """
        if not isinstance(reply, str):
            raise TypeError(f"reply must be a str, not {type(reply).__name__}")
        if customer is not None and not isinstance(customer, str):
            raise TypeError(f"customer must be a str or None, not {type(customer).__name__}")
        notes = []
        text = reply
        if len(text) > self.config.max_chars:
            notes.append(f"reply is {len(reply)} characters; analysed the first {self.config.max_chars} (max_chars)")
            text = text[: self.config.max_chars]
        # One engine for the whole analysis, even if another thread renews it meanwhile.
        engine = self._engine
        normalized = normalize(text)
        doc = engine.nlp(normalized.masked)
        reading = Reading(
            normalized=normalized,
            doc=doc,
            sentiment_reader=self._sentiment,
            signal_spans=engine.signals.find(doc),
            customer=self._read_customer(engine, customer),
        )
        reading.reading_ease, reading.grade = self._readability(reading)
        english = reads_as_english(reading.text, reading.lower_alpha_words)
        if not reading.words:
            notes.append("no prose to analyse (empty, or only quoted text, code, links or signatures)")
        elif not english:
            notes.append("the reply does not read as English, so no tone findings are given")
        findings = self._findings(engine, reading, text) if english else []
        report = self._report(engine, reply, customer, reading, findings, english, notes)
        if engine.outgrown:
            self._renew(engine)
        return report

    def _renew(self, outgrown: Engine) -> None:
        with self._renewal_lock:
            if self._engine is outgrown:
                self._engine = Engine.build(self.config, self.rule_set, self.rules)
                self._cached_customer.cache_clear()  # its keys hold the old engine, and so its vocabulary

    def _findings(self, engine: Engine, reading: Reading, text: str) -> list[Finding]:
        findings = []
        for detector in engine.detectors:
            for hit in detector.find(reading):
                rule = hit.rule
                if reading.normalized.is_silenced(hit.start, hit.end, rule.id, rule.category.value):
                    continue
                findings.append(
                    Finding(
                        rule_id=rule.id,
                        rule_name=rule.name,
                        category=rule.category,
                        severity=rule.severity,
                        start=hit.start,
                        end=hit.end,
                        text=text[hit.start : hit.end],
                        message=rule.message,
                        suggestions=list(hit.suggestions),
                        replacement=hit.replacement,
                    )
                )
        findings.sort(key=lambda f: (f.start, f.end, f.rule_id))
        return findings

    def _report(
        self,
        engine: Engine,
        reply: str,
        customer: str | None,
        reading: Reading,
        findings: list[Finding],
        english: bool,
        notes: list[str],
    ) -> Report:
        # A reply of only "???" has no words but still has a tone.
        tones = (
            {c: tone for c, tone in engine.tone.read(reading).items() if c in self._toned}
            if english and reading.text.strip()
            else None
        )
        scores = category_scores(findings, self.config.thresholds, tones)
        jargon = sum(1 for f in findings if f.rule_id in self._jargon_rule_ids)
        words = len(reading.words)
        sentiment = reading.sentiment
        return Report(
            reply=reply,
            customer=customer,
            language="en" if english else "unknown",
            findings=findings,
            scores=scores,
            categories=[c for c in Category if scores[c].flagged],
            score=overall_score(scores),
            metrics=Metrics(
                words=words,
                sentences=len(reading.sentences),
                characters=len(reply),
                sentiment=sentiment,
                flesch_reading_ease=reading.reading_ease,
                flesch_kincaid_grade=reading.grade,
                jargon_terms=jargon,
                jargon_density=round(jargon / words, 4) if words else 0.0,
                customer_words=reading.customer.words if reading.customer else None,
                customer_sentiment=reading.customer.sentiment.compound if reading.customer else None,
            ),
            rewrite=apply_replacements(reply, findings),
            notes=notes,
        )

    def _readability(self, reading: Reading) -> tuple[float | None, float | None]:
        words = reading.lower_alpha_words
        if not words:
            return None, None
        sentences = max(1, len(reading.sentences))
        syllables = sum(self._syllables.count(word) for word in words)
        return (
            flesch_reading_ease(len(words), sentences, syllables),
            flesch_kincaid_grade(len(words), sentences, syllables),
        )

    def _read_customer(self, engine: Engine, customer: str | None) -> CustomerMessage | None:
        if not customer or not customer.strip():
            return None
        if len(customer) <= _CACHED_CUSTOMER_CHARS:
            return self._cached_customer(engine, customer)
        return self._read_customer_uncached(engine, customer)

    def _read_customer_uncached(self, engine: Engine, customer: str) -> CustomerMessage:
        masked = normalize(customer[: self.config.max_chars]).masked
        doc = engine.nlp.make_doc(masked)
        sentiment = self._sentiment.score(masked)
        upset_words = engine.signals.find(doc).get("customer_upset")
        return CustomerMessage(
            text=customer,
            words=int(doc.to_array(IS_ALPHA).sum()),
            sentiment=sentiment,
            is_question="?" in masked,
            is_upset=sentiment.compound <= _UPSET_COMPOUND or "!" in masked or bool(upset_words),
        )


_default: Analyzer | None = None
_default_lock = threading.Lock()


def default_analyzer() -> Analyzer:
    """The shared Analyzer behind :func:`analyze`, built on first use."""
    global _default
    if _default is None:
        with _default_lock:
            if _default is None:
                _default = Analyzer()
    return _default


def analyze(reply: str, customer: str | None = None) -> Report:
    """Analyses one reply with the shared default :class:`Analyzer`."""
    return default_analyzer().analyze(reply, customer)
