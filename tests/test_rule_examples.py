"""Every rule's own examples: each bad one fires that rule, no good one does."""

from __future__ import annotations

import pytest

import toneguard
from toneguard._engines.shapes import Shape
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


def _shape_cases(kind: str):
    for rule in _RULES:
        for shape in getattr(rule, "shapes", ()):
            for index, example in enumerate(getattr(shape.examples, kind)):
                yield pytest.param(rule, shape, example, id=f"{rule.id}-{shape.shape.value}-{kind}{index}")


@pytest.mark.parametrize(("rule", "shape", "example"), list(_shape_cases("bad")))
def test_each_shape_fires_on_its_bad_examples_with_its_own_advice(rule, shape, example):
    reply, customer = example_exchange(example)
    advice = [f.suggestions for f in _ANALYZER.analyze(reply, customer).findings if f.rule_id == rule.id]
    assert any(shape.suggestion in offered for offered in advice), f"{rule.id} {shape.shape.value} missed {reply!r}"


@pytest.mark.parametrize(("rule", "shape", "example"), list(_shape_cases("good")))
def test_no_shape_fires_on_its_good_examples(rule, shape, example):
    reply, customer = example_exchange(example)
    findings = [f.text for f in _ANALYZER.analyze(reply, customer).findings if f.rule_id == rule.id]
    assert not findings, f"{rule.id} fired on {shape.shape.value}'s good example {reply!r}: {findings}"


def test_every_shape_a_rule_can_name_is_named_by_a_built_in_rule():
    named = {shape.shape for rule in _RULES for shape in getattr(rule, "shapes", ())}
    assert named == set(Shape)
