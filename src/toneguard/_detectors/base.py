"""What every detector returns: a rule that fired and where."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Protocol

from .._rules.schema import Rule
from .._text.reading import Reading


@dataclass(frozen=True)
class Hit:
    rule: Rule
    start: int
    end: int
    suggestions: tuple[str, ...] = ()
    replacement: str | None = None


class Detector(Protocol):
    checks: tuple[str, ...]
    """The ``check`` kinds of the rules this detector runs."""

    def find(self, reading: Reading) -> Iterable[Hit]: ...


def whole_reply(reading: Reading) -> tuple[int, int]:
    """The span from the first to the last sentence of the reply's prose, closing punctuation included."""
    return reading.bounds(reading.sentences[0], reading.sentences[-1])


# Checks that flag a term or a stretch of code, rather than a sentence or the whole reply.
_TERM_CHECKS = ("swap", "acronym", "shape")
# On the very same span, the richer finding stays: a jargon entry has a plain wording, an acronym rule a hint.
_TERM_PREFERENCE = {check: rank for rank, check in enumerate(_TERM_CHECKS)}


def one_per_span(hits: list[Hit]) -> list[Hit]:
    """The hits, less any term hit lying inside another term hit of the same category.

    "sudo apt-get install vlc" is one command line, not a command line plus
    the jargon words "sudo" and "apt-get" inside it. Two rules of the same
    kind flagging the very same words both stay (a team's own jargon list
    beside the built-in one).
    """
    terms = sorted(
        (hit for hit in hits if hit.rule.check in _TERM_CHECKS),
        key=lambda hit: (hit.start, -hit.end, _TERM_PREFERENCE[hit.rule.check], hit.rule.id),
    )
    kept: list[Hit] = []
    for hit in terms:
        if any(_swallows(other, hit) for other in reversed(kept) if other.end > hit.start):
            continue
        kept.append(hit)
    return [hit for hit in hits if hit.rule.check not in _TERM_CHECKS] + kept


def _swallows(outer: Hit, inner: Hit) -> bool:
    if outer.rule.category != inner.rule.category or not (outer.start <= inner.start and inner.end <= outer.end):
        return False
    return (outer.start, outer.end) != (inner.start, inner.end) or outer.rule.check != inner.rule.check
