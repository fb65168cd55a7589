"""Every rule's own examples: each bad one fires that rule, no good one does."""

from __future__ import annotations

import pytest

import toneguard
from toneguard._rules.schema import example_exchange

_ANALYZER = toneguard.Analyzer()
_RULES = _ANALYZER.rules


def _cases(kind: str):
    for rule in _RULES:
        for index, example in enumerate(getattr(rule.examples, kind)):
            yield pytest.param(rule, example, id=f"{rule.id}-{kind}{index}")


@pytest.mark.parametrize(("rule", "example"), list(_cases("bad")))
def test_bad_example_fires_its_rule(rule, example):
    reply, customer = example_exchange(example)
    fired = {f.rule_id for f in _ANALYZER.analyze(reply, customer).findings}
    assert rule.id in fired, f"{rule.id} did not fire on its bad example {reply!r}"


@pytest.mark.parametrize(("rule", "example"), list(_cases("good")))
def test_good_example_does_not_fire_its_rule(rule, example):
    reply, customer = example_exchange(example)
    findings = [f for f in _ANALYZER.analyze(reply, customer).findings if f.rule_id == rule.id]
    assert not findings, f"{rule.id} fired on its good example {reply!r}: {[f.text for f in findings]}"


def test_every_category_has_rules():
    assert {rule.category for rule in _RULES} == set(toneguard.Category)


def test_every_rule_documents_itself():
    for rule in _RULES:
        assert rule.message.strip() and rule.why.strip(), rule.id
        assert rule.suggestions, f"{rule.id} offers no suggestion"
