"""A help-desk reader given a damaged ticket reads it or says why, never crashes: any field may hold any JSON value."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from toneguard._apps.helpdesks import HELP_DESKS, ConversationError, Directory, conversations_in, exchanges

EXPORTS = Path(__file__).resolve().parents[1] / "data" / "exports"


def _documents() -> list[tuple[str, Any]]:
    found = []
    for path in sorted(EXPORTS.iterdir()):
        desk = HELP_DESKS[path.name.split(".")[0]]
        lines = path.read_text("utf-8").splitlines() if path.suffix == ".jsonl" else [path.read_text("utf-8")]
        for line in lines:
            try:
                document = json.loads(line)
            except json.JSONDecodeError:
                continue
            found.append((desk.name, document))
    return found


DOCUMENTS = _documents()
CONVERSATIONS = [
    (name, item) for name, document in DOCUMENTS for item in conversations_in(HELP_DESKS[name], document, Directory())
]
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=6,
)


def _paths(value: Any, prefix: tuple = ()) -> list[tuple]:
    paths = [prefix]
    if isinstance(value, dict):
        for key, child in value.items():
            paths.extend(_paths(child, (*prefix, key)))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            paths.extend(_paths(child, (*prefix, index)))
    return paths


def _replace(value: Any, path: tuple, new: Any) -> Any:
    if not path:
        return new
    damaged = copy.deepcopy(value)
    parent = damaged
    for step in path[:-1]:
        parent = parent[step]
    parent[path[-1]] = new
    return damaged


def _read(name: str, conversation: Any, directory: Directory) -> None:
    try:
        read = HELP_DESKS[name].conversation(conversation, directory) if isinstance(conversation, dict) else None
    except ConversationError as err:
        assert str(err)
        return
    if read is not None:
        for exchange in exchanges(read):
            assert isinstance(exchange.reply, str) and exchange.ticket


@settings(max_examples=400, deadline=None)
@given(st.data())
def test_any_damaged_field_of_a_ticket_is_read_or_reported(data):
    name, conversation = data.draw(st.sampled_from(CONVERSATIONS))
    path = data.draw(st.sampled_from(_paths(conversation)))
    _read(name, _replace(conversation, path, data.draw(JSON_VALUES)), Directory())


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_any_damaged_field_of_a_page_or_its_side_lists_is_read_or_reported(data):
    name, document = data.draw(st.sampled_from(DOCUMENTS))
    path = data.draw(st.sampled_from(_paths(document)))
    damaged = _replace(document, path, data.draw(JSON_VALUES))
    if not isinstance(damaged, dict):
        return
    directory = Directory()
    for conversation in conversations_in(HELP_DESKS[name], damaged, directory):
        _read(name, conversation, directory)
