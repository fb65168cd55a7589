"""What every detector returns: a rule that fired and where."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Protocol

from ..reading import Reading
from ..rule_schema import Rule


@dataclass(frozen=True)
class Hit:
    rule: Rule
    start: int
    end: int
    suggestions: tuple[str, ...] = ()
    replacement: str | None = None


class Detector(Protocol):
    def find(self, reading: Reading) -> Iterable[Hit]: ...


def whole_reply(reading: Reading) -> tuple[int, int]:
    """The span from the first to the last word of the reply's prose."""
    words = reading.words
    return words[0].idx, words[-1].idx + len(words[-1].text)
