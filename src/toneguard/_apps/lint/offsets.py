"""Where the characters of a checked text sit in the file it came from."""

from __future__ import annotations

from array import array
from dataclasses import dataclass
from typing import Sequence


@dataclass(frozen=True)
class Offsets:
    """Maps an offset in a document's text to an offset in its file's text.

    A text copied verbatim from the file needs only its ``base``; a text decoded
    from escapes (a JSON string, a YAML block) has a ``table`` with one file
    offset per character plus one for its end. When the exact place is unknown
    (a folded YAML scalar), every offset maps to ``base`` and ``approximate`` is set.
    """

    base: int = 0
    table: Sequence[int] | None = None
    approximate: bool = False

    @classmethod
    def from_table(cls, positions: list[int]) -> Offsets:
        return cls(table=array("q", positions))

    def __call__(self, offset: int) -> int:
        if self.approximate:
            return self.base
        if self.table is not None:
            return self.table[min(max(offset, 0), len(self.table) - 1)]
        return self.base + offset

    def verbatim(self, start: int, end: int) -> bool:
        """Whether ``text[start:end]`` stands in the file character for character (so it can be replaced there)."""
        if self.approximate:
            return False
        return self(end) - self(start) == end - start


def locate(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column (in characters) of ``offset`` in ``text``."""
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1
