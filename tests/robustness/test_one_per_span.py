"""One finding per span, worked out in linear time: the same answer as comparing every pair of hits."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from toneguard import Analyzer, Config
from toneguard._detectors.base import Hit, one_per_span


def pairwise(hits: list[Hit]) -> list[Hit]:
    """The definition: a term hit goes when a kept term hit of its category contains it (the same words
    count only when the kinds differ), hits taken by start, longest first, then by kind and rule."""
    preference = {"swap": 0, "acronym": 1, "shape": 2}
    terms = sorted(
        (h for h in hits if h.rule.check in preference),
        key=lambda h: (h.start, -h.end, preference[h.rule.check], h.rule.id),
    )
    kept: list[Hit] = []
    for hit in terms:
        if not any(
            other.rule.category == hit.rule.category
            and other.start <= hit.start
            and hit.end <= other.end
            and ((other.start, other.end) != (hit.start, hit.end) or other.rule.check != hit.rule.check)
            for other in kept
        ):
            kept.append(hit)
    return [h for h in hits if h.rule.check not in preference] + kept


RULES = [rule for rule in Analyzer(Config()).rules if rule.check in ("swap", "acronym", "shape", "phrase", "pattern")]
hit = st.builds(
    lambda rule, start, length: Hit(rule, start, start + length),
    st.sampled_from(RULES),
    st.integers(0, 40),
    st.integers(1, 12),
)


@given(st.lists(hit, max_size=40))
@settings(max_examples=400, deadline=None)
def test_one_per_span_keeps_what_comparing_every_pair_keeps(hits):
    assert one_per_span(hits) == pairwise(hits)
