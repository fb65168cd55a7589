"""JSON and YAML read with the place in the file of every string, so a finding in a macro points at its line.

Strings come back as :class:`Located` (a ``str`` that can say where each of its
characters sits in the file); everything else as ``json.loads`` or
``yaml.safe_load`` would give it.
"""

from __future__ import annotations

import json
import json.decoder
import json.scanner
from typing import Any, Callable

import yaml

from .offsets import Offsets

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Located(str):
    """A string from a file that knows where its characters are."""

    _where: Callable[[], Offsets]

    def __new__(cls, value: str, where: Callable[[], Offsets]) -> Located:
        located = super().__new__(cls, value)
        located._where = where
        return located

    def offsets(self) -> Offsets:
        return self._where()


def load_json(text: str) -> Any:
    """``json.loads(text)`` with every string value (not key) a :class:`Located`. Raises ``ValueError``."""

    def parse_string(document: str, end: int, strict: bool = True) -> tuple[Located, int]:
        value, after = json.decoder.scanstring(document, end, strict)
        return Located(value, lambda: _json_string_offsets(text, end, value)), after

    decoder = json.JSONDecoder()
    decoder.parse_string = parse_string  # type: ignore[attr-defined]
    # The pure-Python scanner reads strings through parse_string; the C one would bypass it.
    decoder.scan_once = json.scanner.py_make_scanner(decoder)  # type: ignore[attr-defined]
    return decoder.decode(text)


def _json_string_offsets(text: str, start: int, value: str) -> Offsets:
    """The file offset of each character of a JSON string literal's value, which begins at ``start``."""
    positions = []
    raw = start
    index = 0
    while index < len(value):
        positions.append(raw)
        if text[raw] != "\\":
            raw += 1
        elif text[raw + 1] != "u":
            raw += 2
        else:
            code = int(text[raw + 2 : raw + 6], 16)
            raw += 6
            # A surrogate pair written as two escapes is one character of the value.
            if 0xD800 <= code < 0xDC00 and ord(value[index]) > 0xFFFF:
                raw += 6
        index += 1
    positions.append(raw)
    return Offsets.from_table(positions)


def load_yaml(text: str) -> Any:
    """``yaml.safe_load(text)`` with every string scalar a :class:`Located`. Raises ``yaml.YAMLError``."""
    node = yaml.compose(text, Loader=_LOADER)  # noqa: S506 - the safe loader's composer
    return None if node is None else _value(node, text, _LOADER(""), {})


def _value(node: yaml.Node, text: str, constructor: Any, done: dict[int, Any]) -> Any:
    # An alias is the same node again: converting each node once keeps an alias bomb linear.
    if id(node) in done:
        return done[id(node)]
    if isinstance(node, yaml.MappingNode):
        value: Any = {_key(key, constructor): _value(item, text, constructor, done) for key, item in node.value}
    elif isinstance(node, yaml.SequenceNode):
        value = [_value(item, text, constructor, done) for item in node.value]
    else:
        value = constructor.construct_object(node, deep=True)
        if isinstance(value, str):
            value = Located(value, lambda: _yaml_scalar_offsets(node, text, value))
    done[id(node)] = value
    return value


def _key(node: yaml.Node, constructor: Any) -> Any:
    key = constructor.construct_object(node, deep=True)
    return key if isinstance(key, (str, int, float, bool)) or key is None else str(key)


def _yaml_scalar_offsets(node: yaml.ScalarNode, text: str, value: str) -> Offsets:
    start = node.start_mark.index
    if not node.style or node.style in ("'", '"'):  # plain (None, or "" from libyaml) or quoted
        body = start + (1 if node.style else 0)
        if text[body : body + len(value)] == value:
            return Offsets(base=body)
    elif node.style == "|":
        table = _literal_block_offsets(text, start, node.end_mark.index, value)
        if table is not None:
            return Offsets.from_table(table)
    # Folded or escaped text: the scalar's first line is the best place to point at.
    return Offsets(base=start, approximate=True)


def _literal_block_offsets(text: str, start: int, end: int, value: str) -> list[int] | None:
    """Offsets of a ``|`` block's characters: each line of the value is found in the file past its indentation."""
    raw = text.find("\n", start, end) + 1  # the block's lines begin after its "|" indicator line
    if raw == 0:
        return None
    lines = value.split("\n")
    positions: list[int] = []
    for number, line in enumerate(lines):
        last = number == len(lines) - 1
        if last and not line:
            break  # the value ended with a newline: its offset was placed with the line before
        line_end = text.find("\n", raw, end)
        line_end = end if line_end == -1 else line_end
        found = text.find(line, raw, line_end + 1) if line else line_end
        if found < 0 or text[raw:found].strip(" ") or (line and text[found : found + len(line)] != line):
            return None
        positions.extend(range(found, found + len(line)))
        if not last:
            positions.append(found + len(line))
        raw = found + len(line) + 1
    positions.append(positions[-1] + 1 if positions else raw)
    return positions if len(positions) == len(value) + 1 else None
