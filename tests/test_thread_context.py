"""The thread's context reaches the analysis: every detector can read it, the report echoes it, and old calls are unchanged."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

import toneguard
from toneguard import Analyzer, ThreadContext

REPLY = "Just reboot the laptop and it will work."
CUSTOMER = "This is the third time I'm asking: my laptop will not start!"
CONTEXT = ThreadContext(customer_messages_since_reply=3, repeat_contact=True, wait_seconds=86_400)


class _Probe:
    """A detector that fires nothing and remembers what each reading held."""

    checks = ("probe",)

    def __init__(self) -> None:
        self.seen: list[tuple[object, object]] = []

    def find(self, reading):
        self.seen.append((reading.thread, reading.customer.text if reading.customer else None))
        return ()


@pytest.fixture
def probed() -> tuple[Analyzer, _Probe]:
    analyzer = Analyzer()  # its own, so the probe reaches no other test
    probe = _Probe()
    analyzer._engine.detectors.append(probe)
    return analyzer, probe


def test_detectors_read_the_context_from_the_reading(probed):
    analyzer, probe = probed
    analyzer.analyze(REPLY, CUSTOMER, CONTEXT)
    analyzer.analyze(REPLY, None, ThreadContext(customer_messages_since_reply=1, wait_seconds=60))  # an attachment alone
    analyzer.analyze(REPLY, CUSTOMER)
    assert probe.seen == [
        (CONTEXT, CUSTOMER),
        (ThreadContext(customer_messages_since_reply=1, wait_seconds=60), None),
        (None, CUSTOMER),
    ]


def test_the_report_echoes_the_context_and_old_calls_are_unchanged(analyzer):
    with_context = analyzer.analyze(REPLY, CUSTOMER, context=CONTEXT)
    without = analyzer.analyze(REPLY, CUSTOMER)
    assert with_context.context == CONTEXT and without.context is None
    assert with_context.model_dump(exclude={"context"}) == without.model_dump(exclude={"context"})
    assert toneguard.analyze(REPLY, CUSTOMER) == without
    assert toneguard.Report.model_validate_json(with_context.model_dump_json()).context == CONTEXT


def test_analyze_many_takes_triples_beside_pairs_and_strings(analyzer):
    items = [REPLY, (REPLY, CUSTOMER), (REPLY, CUSTOMER, CONTEXT), (REPLY, None, None)]
    reports = list(analyzer.analyze_many(items, n_process=2))
    assert [report.context for report in reports] == [None, None, CONTEXT, None]
    assert reports[2] == analyzer.analyze(REPLY, CUSTOMER, CONTEXT)


def test_a_context_must_be_a_thread_context_with_sane_values(analyzer):
    with pytest.raises(TypeError, match="context must be a ThreadContext"):
        analyzer.analyze(REPLY, CUSTOMER, {"repeat_contact": True})
    with pytest.raises(ValidationError):
        ThreadContext(wait_seconds=-5)
    with pytest.raises(ValidationError):
        ThreadContext(customer_messages_since_reply=-1)
    with pytest.raises(ValidationError):
        ThreadContext(repeated=True)
