"""What keeps a token pattern from running away: operators counted, ranges bounded, length capped.

spaCy's Matcher follows every way a pattern can still match, and it does not
merge identical ways. Each optional token (``?``, or the optional part of
``{n,m}``) doubles the ways a run of matching tokens can be read, and ``*``,
``+`` or ``{n,}`` keep one way alive for every token since the match began:
three ``*`` on the same word take 18 s on 200 tokens, ``{,1000}`` gigabytes on
50. So a pattern may have at most one unbounded operator, a bounded number of
optional tokens (fewer beside an unbounded operator), and a bounded length,
ranges counted in full. With those bounds, and the matcher reading at most
``window_tokens`` tokens at a time, one matcher call costs at most a few
milliseconds whatever the reply.

The checks look only at operators and keys, so they hold for any pattern,
however its attributes were written or compiled.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import Field, model_validator

from ..models import Record

Pattern = list[dict[str, Any]]

# Operators of one token: (fewest, most) tokens it covers; most is None when unbounded.
_SIMPLE_OPERATORS: dict[str | None, tuple[int, int | None]] = {
    None: (1, 1),
    "1": (1, 1),
    "!": (1, 1),
    "?": (0, 1),
    "*": (0, None),
    "+": (1, None),
}
_RANGE = re.compile(r"^\{(\d*)(,?)(\d*)\}$")
# The Matcher refuses these on a pipeline that does not set them; toneguard's blank one sets none.
ANNOTATION_KEYS = ("POS", "TAG", "MORPH", "LEMMA", "DEP")


class PatternLimits(Record):
    """How large a token pattern may be, and how much of a reply the matcher reads at a time."""

    max_tokens: int = Field(
        default=16, ge=1, le=64, description="Tokens in one pattern, a range such as {2,4} counted as its most (4)."
    )
    max_optional: int = Field(
        default=8, ge=0, le=12, description="Optional tokens in one pattern: each '?' and the optional part of a range."
    )
    max_optional_with_unbounded: int = Field(
        default=3, ge=0, le=8, description="Optional tokens allowed beside a '*', '+' or '{n,}'."
    )
    window_tokens: int = Field(
        default=64,
        ge=16,
        le=1024,
        description="Tokens the matcher reads in one call; a match with '*', '+' or '{n,}' covers at most half of them.",
    )

    @model_validator(mode="after")
    def _a_pattern_fits_a_window(self) -> PatternLimits:
        if 2 * self.max_tokens > self.window_tokens:
            raise ValueError(f"window_tokens ({self.window_tokens}) must be at least twice max_tokens ({self.max_tokens})")
        return self

    @property
    def unbounded_reach(self) -> int:
        """The most tokens a match with an unbounded operator covers."""
        return self.window_tokens // 2


def operator_bounds(token: dict[str, Any]) -> tuple[int, int | None]:
    """(fewest, most) tokens the pattern token covers; most is None when unbounded. ValueError if unknown."""
    operator = token.get("OP")
    if operator in _SIMPLE_OPERATORS:
        return _SIMPLE_OPERATORS[operator]
    found = _RANGE.match(operator) if isinstance(operator, str) else None
    if found is None or not (found.group(1) or found.group(3)):
        raise ValueError(f"unknown operator {operator!r}: use '?', '*', '+', '!', '{{n}}', '{{n,m}}', '{{n,}}' or '{{,m}}'")
    low, comma, high = found.groups()
    fewest = int(low or 0)
    if not comma:
        if fewest == 0:
            raise ValueError(f"operator {operator!r} matches no token; leave the token out")
        return fewest, fewest
    most = int(high) if high else None
    if most is not None and most < fewest:
        raise ValueError(f"operator {operator!r}: the most ({most}) is below the fewest ({fewest})")
    if most == 0:
        raise ValueError(f"operator {operator!r} matches no token; leave the token out")
    return fewest, most


def pattern_problems(pattern: Pattern, limits: PatternLimits) -> list[str]:
    """Why the pattern could run away or cannot be matched; empty when it is safe."""
    problems = []
    length = optional = 0
    unbounded = []
    for index, token in enumerate(pattern):
        if "_" in token:
            problems.append(f"token {index}: '_' (custom token attributes) is not available: toneguard sets none")
        try:
            fewest, most = operator_bounds(token)
        except ValueError as err:
            problems.append(f"token {index}: {err}")
            continue
        if most is None:
            unbounded.append(token["OP"])
            if set(token) == {"OP"}:
                # "Any number of any token" makes matching grow with the square of the reply's length.
                problems.append(
                    f"token {index}: a bare {token['OP']!r} wildcard is not allowed; give the token an attribute or use '?'"
                )
            length += fewest + 1
        else:
            length += most
            optional += most - fewest
    if len(unbounded) > 1:
        problems.append(
            f"{len(unbounded)} unbounded operators ({', '.join(repr(op) for op in unbounded)}); "
            "a pattern may have one '*', '+' or '{n,}': use '?' or '{n,m}' for the others"
        )
    if length > limits.max_tokens:
        problems.append(f"{length} tokens, ranges counted in full; the limit is {limits.max_tokens}")
    allowed = limits.max_optional_with_unbounded if unbounded else limits.max_optional
    if optional > allowed:
        beside = f" beside {unbounded[0]!r}" if unbounded else ""
        problems.append(
            f"{optional} optional tokens ('?' and the optional part of ranges){beside}; the limit is {allowed}"
            f" ({limits.max_optional_with_unbounded} beside '*', '+' or '{{n,}}', {limits.max_optional} without)"
        )
    return problems


def annotation_keys(pattern: Pattern) -> set[str]:
    """The keys of the pattern that need a pipeline which tags tokens (POS, LEMMA, ...)."""
    return {key for token in pattern for key in token if str(key).upper() in ANNOTATION_KEYS}
