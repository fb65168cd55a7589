"""Replies read from the rows of a file, labelled or not: the one reader behind ``scan`` and ``eval``.

A row becomes a :class:`ReplyRow`: its reply and customer message (and labels,
groups and date when asked for), or why it cannot be analysed. The first
readable row decides which columns exist, like a header.
"""

from __future__ import annotations

import difflib
import hashlib
from dataclasses import dataclass, field, replace
from typing import Any, Iterable, Iterator

from pydantic import Field

from ..models import Category, Record, ThreadContext
from .row_files import RawRow, RowFileError

_TRUE_WORDS = frozenset({"true", "yes", "1"})
_FALSE_WORDS = frozenset({"false", "no", "0"})


class Columns(Record):
    """Which field of a row holds what. Every column named must exist, except the label columns of evaluation.

    Without a name, the customer's message and the row id are read from columns
    called ``customer`` and ``id`` when the file has them.
    """

    text: str = "reply"
    customer: str | None = Field(default=None, description="Column holding the customer's message (default: 'customer', if present).")
    id: str | None = Field(default=None, description="Column holding a row id (default: 'id', if present).")
    labels: dict[Category, str] = Field(
        default={category: category.value for category in Category},
        description="Category -> yes/no label column, for evaluation. A category whose column is absent is not scored.",
    )
    group_by: list[str] = Field(default=[], description="Columns to break the results down by, each on its own.")
    date: str | None = Field(default=None, description="Column holding when the reply was sent, for the trend.")
    agent: str | None = Field(
        default=None, description="Column naming the agent: the results get an 'agent' group (the report's per-agent table)."
    )

    def groups(self) -> list[str]:
        """The breakdowns: each group-by column, and 'agent' when an agent column is named."""
        return [*self.group_by, "agent"] if self.agent and "agent" not in self.group_by else self.group_by

    def group_columns(self) -> dict[str, str]:
        """Breakdown name -> the column it is read from."""
        return {name: self.agent if name == "agent" and self.agent else name for name in self.groups()}

    @property
    def customer_column(self) -> str:
        return self.customer or "customer"

    @property
    def id_column(self) -> str:
        return self.id or "id"


@dataclass(frozen=True)
class ReplyRow:
    """A row ready for analysis (``text`` is set), or why there is nothing to analyse (``skipped`` is).

    ``row`` counts the file's records from 1 and ``line`` is where the record starts in the file.
    """

    row: int
    line: int | None
    id: str | None
    text: str | None
    customer: str | None
    skipped: str | None = None
    labels: dict[Category, bool] = field(default_factory=dict)
    groups: dict[str, str] = field(default_factory=dict)
    date: str | None = None
    reply_id: str | None = None
    context: ThreadContext | None = None
    encoding: str | None = None
    """The fallback encoding the row was read with, when it was not valid UTF-8."""

    @property
    def text_hash(self) -> str | None:
        """A stable short hash of the reply: it finds the same reply again in another export or run."""
        return text_hash(self.text) if self.text is not None else None


def text_hash(text: str) -> str:
    """The first 16 hex digits of the SHA-256 of the text's UTF-8 bytes."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


class ReplyReader:
    """Reads :class:`ReplyRow` from raw rows; with ``labelled``, a label per category too.

    Raises :class:`RowFileError` at the first readable row when a column named
    in ``columns`` is missing (or, with ``labelled``, when no label column is there).
    """

    def __init__(self, columns: Columns, source: str, labelled: bool = False):
        self.columns = columns
        self.source = source
        self.labelled = labelled
        self.categories: list[Category] = []
        """The labelled categories the file has, known once its first readable row is read."""

    def read(self, rows: Iterable[RawRow]) -> Iterator[ReplyRow]:
        checked = False
        for raw in rows:
            if raw.fields is None:
                yield ReplyRow(raw.row, raw.line, None, None, None, raw.problem or "unreadable row", encoding=raw.encoding)
                continue
            if not checked:
                self._check_columns(raw.fields)
                checked = True
            row = self._reply_row(raw.row, raw.line, raw.fields)
            yield replace(row, encoding=raw.encoding) if raw.encoding else row

    def _check_columns(self, fields: dict[str, Any]) -> None:
        columns = self.columns
        wanted = [("text", columns.text), *(("group-by", name) for name in columns.group_columns().values())]
        for role, name in (("customer", columns.customer), ("id", columns.id), ("date", columns.date)):
            if name:
                wanted.append((role, name))
        missing = [f"{role} column {name!r}{_close_to(name, fields)}" for role, name in wanted if name not in fields]
        if missing:
            raise RowFileError(f"{self.source}: no {', no '.join(missing)} (columns: {', '.join(fields) or 'none'})")
        if not self.labelled:
            return
        self.categories = [category for category in Category if columns.labels.get(category) in fields]
        if not self.categories:
            wanted_labels = ", ".join(f"{c.value}={columns.labels[c]!r}" for c in Category if c in columns.labels)
            raise RowFileError(
                f"{self.source}: no label columns found (looked for {wanted_labels}; columns: {', '.join(fields)})"
            )

    def _reply_row(self, number: int, line: int, fields: dict[str, Any]) -> ReplyRow:
        columns = self.columns
        raw_id = fields.get(columns.id_column)
        row_id = None if raw_id is None or raw_id == "" else str(raw_id)
        groups = {name: _cell(fields.get(column)) for name, column in columns.group_columns().items()}
        date = (_cell(fields.get(columns.date)) if columns.date else None) or None
        reply = reply_fields(fields, columns.text, columns.customer_column)
        if isinstance(reply, str):
            return ReplyRow(number, line, row_id, None, None, reply, groups=groups, date=date)
        labels: dict[Category, bool] = {}
        for category in self.categories:
            column = columns.labels[category]
            label = parse_label(fields.get(column))
            if label is None:
                reason = f"unreadable label {fields.get(column)!r} in column {column!r}"
                return ReplyRow(number, line, row_id, None, None, reason, groups=groups, date=date)
            labels[category] = label
        return ReplyRow(number, line, row_id, *reply, labels=labels, groups=groups, date=date)


def reply_fields(fields: dict[str, Any], text_column: str, customer_column: str) -> tuple[str, str | None] | str:
    """The reply and customer message of a row, or why the row cannot be analysed."""
    text = fields.get(text_column)
    if not isinstance(text, str):
        reason = "no text" if text is None else f"text is a {type(text).__name__}, not a string"
        return f"{reason} in column {text_column!r}"
    if not text.strip():
        return f"empty text in column {text_column!r}"
    customer = fields.get(customer_column)
    if customer is not None and not isinstance(customer, str):
        return f"customer in column {customer_column!r} is not a string"
    return text, customer if customer and customer.strip() else None


def parse_label(value: Any) -> bool | None:
    """True/False from a boolean, 0/1, or "true"/"false"/"yes"/"no"/"1"/"0"; None when unreadable."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        word = value.strip().lower()
        if word in _TRUE_WORDS:
            return True
        if word in _FALSE_WORDS:
            return False
    return None


def _close_to(name: str, fields: dict[str, Any]) -> str:
    close = difflib.get_close_matches(name, list(fields), n=1) or [f for f in fields if f.lower() == name.lower()][:1]
    return f" (did you mean {close[0]!r}?)" if close else ""


def _cell(value: Any) -> str:
    return "" if value is None else str(value)
