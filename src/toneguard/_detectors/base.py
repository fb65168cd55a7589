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
