"""The JSON documents of a help-desk export, streamed: memory holds one document, never the file.

An export is JSON Lines (one ticket, conversation or API page a line) or one JSON
document: an array of them, or an object that lists them (``{"tickets": [...],
"users": [...]}``), which is parsed incrementally with ijson. Such an object is read
more than once: first for each of its side lists (users, agents, teams), which may come
after the conversations, then for the conversations one at a time.

>>> export = JsonExport("tickets.json")                        # doctest: +SKIP
>>> next(export.head())                                        # for telling the help desk
>>> for row in export.documents(Zendesk(), Directory()): ...
"""

from __future__ import annotations

from contextlib import contextmanager
from itertools import islice
from pathlib import Path
from typing import IO, Any, Iterable, Iterator

import ijson

from ..row_files import ExportFile, RawRow, RowFile, RowFileError, detect_format
from .base import Directory, HelpDesk

# Where the help desks list conversations in a page or a whole-file export.
_LIST_PREFIXES = ("tickets", "conversations", "_embedded.conversations")
_OPENERS = frozenset({"start_map", "start_array"})
_CLOSERS = frozenset({"end_map", "end_array"})


class JsonExport(ExportFile):
    """A ``.json`` or ``.jsonl`` export (optionally ``.gz``) read as a stream of documents."""

    def __init__(self, path: str | Path):
        super().__init__(path)
        self.format = detect_format(self.path)
        if self.format not in ("json", "jsonl"):
            raise RowFileError(f"{self.path}: help-desk exports are JSON (.json or .jsonl), not {self.format.upper()}")

    def head(self, limit: int = 20) -> Iterator[dict[str, Any]]:
        """The first few documents, enough to tell which help desk wrote the export (a page gives just its first item)."""
        if self.format == "jsonl":
            rows = (row.fields for row in RowFile(self.path, "jsonl") if row.fields is not None)
            yield from islice(rows, limit)
            return
        first = self._first_json()
        if first is not None:
            yield first

    def _first_json(self) -> dict[str, Any] | None:
        with self._events() as events:
            top = next(events, None)
            if top is None:
                return None
            if top[1] == "start_array":
                return next((item for _, item in _items_at(events, {"item"}) if isinstance(item, dict)), None)
            if top[1] != "start_map":
                return None
            for prefix, item in _items_at(events, {f"{name}.item" for name in _LIST_PREFIXES}):
                return _nest(prefix.removesuffix(".item").split("."), [item])
        with self._events() as events:
            whole = next((item for _, item in _items_at(events, {""})), None)
        return whole if isinstance(whole, dict) else None

    def documents(self, desk: HelpDesk, directory: Directory) -> Iterator[RawRow]:
        """Each document, numbered from 1, with the line it starts on (unknown, None, inside a listing object).

        A whole-file object's side lists are remembered in ``directory`` before its first conversation.
        """
        if self.format == "jsonl":
            yield from RowFile(self.path, "jsonl")
            return
        with self._events() as events:
            top = next(events, ("", "end", None))[1]
        if top == "end":
            return
        if top == "start_array":
            yield from RowFile(self.path, "json")  # a plain array: read with each element's line
            return
        if top != "start_map":
            raise RowFileError(f"{self.path}: expected a JSON object or array, not a single value")
        for key in desk.side_lists:
            with self._items(f"{key}.item") as items:
                for item in items:
                    desk.remember(key, item, directory)
        listed_at = ".".join(desk.list_path) + ".item"
        with self._items(listed_at) as items:
            item_prefix = listed_at if next(items, None) is not None else ""
        with self._items(item_prefix) as items:
            for number, item in enumerate(items, 1):
                if isinstance(item, dict):
                    yield RawRow(number, None, item)
                else:
                    yield RawRow(number, None, None, f"expected an object, got {type(item).__name__}")

    @contextmanager
    def _events(self) -> Iterator[Iterator[tuple[str, str, Any]]]:
        with self.text() as (stream, _):
            try:
                yield iter(ijson.parse(_Utf8(stream), use_float=True))
            except ijson.JSONError as err:
                raise RowFileError(f"not valid JSON ({err})") from err

    @contextmanager
    def _items(self, prefix: str) -> Iterator[Iterator[Any]]:
        """Each value at ``prefix``, built by ijson's C parser (a Python loop over every event is several times slower)."""
        with self.text() as (stream, _):
            try:
                yield iter(ijson.items(_Utf8(stream), prefix, use_float=True))
            except ijson.JSONError as err:
                raise RowFileError(f"not valid JSON ({err})") from err


def _items_at(events: Iterable[tuple[str, str, Any]], prefixes: set[str]) -> Iterator[tuple[str, Any]]:
    """Each complete value whose path is one of ``prefixes`` (``"users.item"``: each element of ``users``)."""
    builder: ijson.ObjectBuilder | None = None
    building = ""
    depth = 0
    for prefix, event, value in events:
        if builder is None:
            if prefix not in prefixes or event in _CLOSERS or event == "map_key":
                continue
            if event not in _OPENERS:
                yield prefix, value
                continue
            builder, building, depth = ijson.ObjectBuilder(), prefix, 0
        builder.event(event, value)
        if event in _OPENERS:
            depth += 1
        elif event in _CLOSERS:
            depth -= 1
            if depth == 0:
                yield building, builder.value
                builder = None


def _nest(path: list[str], value: Any) -> dict[str, Any]:
    for key in reversed(path):
        value = {key: value}
    return value


class _Utf8:
    """A text stream as UTF-8 bytes, for ijson, whatever encoding the file was in."""

    def __init__(self, text: IO[str]):
        self._text = text

    def read(self, size: int = -1) -> bytes:
        return self._text.read(size).encode("utf-8", "surrogateescape")
