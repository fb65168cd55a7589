"""Applies the safe plain-English replacements to the original reply."""

from __future__ import annotations

from typing import Protocol, TypeVar


class Replaceable(Protocol):
    """A finding as the rewrite reads it: a public ``Finding``, or the analyzer's plain record of one."""

    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def replacement(self) -> str | None: ...


F = TypeVar("F", bound=Replaceable)


def safe_replacements(findings: list[F]) -> list[F]:
    """The findings with a drop-in wording, in order, without overlaps (the longer of two starting together wins)."""
    chosen: list[F] = []
    for finding in sorted(
        (f for f in findings if f.replacement is not None), key=lambda f: (f.start, -(f.end - f.start))
    ):
        if not chosen or finding.start >= chosen[-1].end:
            chosen.append(finding)
    return chosen


def apply_replacements(reply: str, findings: list[F]) -> str:
    """Replaces each finding that has a drop-in wording; the rest of the text is left byte for byte."""
    if not findings:
        return reply
    pieces = []
    cursor = 0
    for finding in safe_replacements(findings):
        pieces.append(reply[cursor : finding.start])
        pieces.append(finding.replacement or "")
        cursor = finding.end
    pieces.append(reply[cursor:])
    return "".join(pieces)
