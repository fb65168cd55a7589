"""What every detector returns: a rule that fired and where."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Iterable, Protocol

from .._rules.schema import Rule
from ..models import Category
from .._text.reading import Reading


@dataclass(frozen=True)
class Hit:
    rule: Rule
    start: int
    end: int
    suggestions: tuple[str, ...] = ()
    replacement: str | None = None


class Detector(Protocol):
    checks: ClassVar[tuple[str, ...]]
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

    Term hits are taken by start, so a hit lies inside a kept one exactly when
    a kept hit of its category reaches at least as far: per category, only the
    furthest end reached so far is remembered (with the kept hits ending
    there), which keeps a reply of thousands of jargon words linear.
    """
    terms = sorted(
        (hit for hit in hits if hit.rule.check in _TERM_CHECKS),
        key=lambda hit: (hit.start, -hit.end, _TERM_PREFERENCE[hit.rule.check], hit.rule.id),
    )
    kept: list[Hit] = []
    # category -> (the furthest end of its kept hits, (start, check) of each kept hit ending there)
    furthest: dict[Category, tuple[int, list[tuple[int, str]]]] = {}
    for hit in terms:
        end, ending_there = furthest.get(hit.rule.category, (-1, []))
        if end > hit.end or (end == hit.end and any(other != (hit.start, hit.rule.check) for other in ending_there)):
            continue  # inside a longer hit, or the same words as a hit of another kind
        kept.append(hit)
        if hit.end > end:
            furthest[hit.rule.category] = (hit.end, [(hit.start, hit.rule.check)])
        else:
            ending_there.append((hit.start, hit.rule.check))
    return [hit for hit in hits if hit.rule.check not in _TERM_CHECKS] + kept
