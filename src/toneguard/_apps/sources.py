"""Where a scan's replies come from: rows that already pair a reply with its customer message, or a help desk's threads.

``open_source(path, "auto")`` tells them apart from the file: a CSV or TSV file,
or JSON whose first object has the reply column, is rows; JSON whose first
ticket or conversation has the shape of one help desk's export is that help
desk's. Anything else asks for ``--source``.

>>> source = open_source("tickets.jsonl.gz", "auto", Columns())       # doctest: +SKIP
>>> source.name, source.group_names                                  # doctest: +SKIP
('zendesk', ['agent', 'team', 'channel'])
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator, Literal, Protocol

from .helpdesks import (
    HELP_DESKS,
    ConversationError,
    Directory,
    HelpDesk,
    JsonExport,
    ThreadTally,
    conversations_in,
    exchanges,
    listed,
)
from .replies import Columns, ReplyReader, ReplyRow
from .row_files import RawRow, RowFile, RowFileError

SourceName = Literal["auto", "csv", "jsonl", "zendesk", "freshdesk", "intercom", "helpscout"]
SOURCE_NAMES: tuple[str, ...] = ("auto", "csv", "jsonl", *HELP_DESKS)

THREAD_GROUPS = ["agent", "team", "channel"]
"""What every reply read from a help desk's threads carries, to break results down by."""

_ROW_COLUMNS = frozenset({"text", "customer", "id", "date", "agent", "labels"})

NO_REPLY = "no public agent reply in the thread"
ATTACHMENTS_ONLY = "the agent's reply has attachments but no text"


class ReplySource(Protocol):
    name: str
    path: Path
    size: int
    group_names: list[str]
    """The groups every reply carries (written as columns), whether or not they are broken down by."""
    threads: ThreadTally | None
    """What the threads held (None for rows), complete once the replies are all read."""

    def position(self) -> int: ...

    def fingerprint(self) -> str:
        """A checksum of the file's first bytes: a resumed scan checks it still reads the same file."""
        ...

    def replies(self) -> Iterator[ReplyRow]: ...


class RowSource:
    """A CSV, TSV, JSON Lines or JSON array of rows, each naming its reply and customer message in columns."""

    threads = None

    def __init__(self, path: str | Path, columns: Columns):
        self._file = RowFile(path)
        self.name = "csv" if self._file.format in ("csv", "tsv") else "jsonl"
        self.path = self._file.path
        self.size = self._file.size
        self.group_names = columns.groups()
        self._reader = ReplyReader(columns, str(self.path))

    def position(self) -> int:
        return self._file.position()

    def fingerprint(self) -> str:
        return self._file.fingerprint()

    def replies(self) -> Iterator[ReplyRow]:
        return self._reader.read(self._file)


class ThreadSource:
    """A help desk's export of tickets or conversations: one row per public agent reply.

    A thread with no public agent reply, and one that cannot be read, each give
    one skipped row, so every ticket of the export is accounted for.
    """

    group_names = THREAD_GROUPS

    def __init__(self, path: str | Path, desk: HelpDesk, columns: Columns):
        row_columns = sorted(columns.model_fields_set & _ROW_COLUMNS)
        if row_columns:
            options = ", ".join(f"--{name}-column" for name in row_columns)
            raise RowFileError(f"{options}: a {desk.name} export has no columns to name; its threads say who wrote what")
        unknown = [name for name in columns.group_by if name not in THREAD_GROUPS]
        if unknown:
            raise RowFileError(
                f"--group-by {', '.join(unknown)}: a {desk.name} export is broken down by {', '.join(THREAD_GROUPS)}"
            )
        self._export = JsonExport(path)
        self._desk = desk
        self.name = desk.name
        self.path = self._export.path
        self.size = self._export.size
        self.threads = ThreadTally()

    def position(self) -> int:
        return self._export.position()

    def fingerprint(self) -> str:
        return self._export.fingerprint()

    def replies(self) -> Iterator[ReplyRow]:
        directory = Directory()
        for document in self._export.documents(self._desk, directory):
            if document.fields is None:
                self.threads.unreadable += 1
                yield ReplyRow(document.row, document.line, None, None, None, document.problem or "unreadable")
                continue
            for data in conversations_in(self._desk, document.fields, directory):
                yield from self._thread_rows(document, data, directory)

    def _thread_rows(self, document: RawRow, data: Any, directory: Directory) -> Iterator[ReplyRow]:
        try:
            if not isinstance(data, dict):
                raise ConversationError(f"expected a {self._desk.name} conversation object, got {type(data).__name__}")
            conversation = self._desk.conversation(data, directory)
        except ConversationError as err:
            self.threads.unreadable += 1
            yield ReplyRow(document.row, document.line, _thread_id(data), None, None, str(err))
            return
        self.threads.add(conversation)
        found = exchanges(conversation)
        if not found:
            groups = {"agent": "", "team": conversation.team, "channel": conversation.channel}
            yield ReplyRow(document.row, document.line, conversation.id, None, None, NO_REPLY, groups=groups)
        for exchange in found:
            text = exchange.reply if exchange.reply.strip() else None
            yield ReplyRow(
                row=document.row,
                line=document.line,
                id=exchange.ticket,
                text=text,
                customer=exchange.customer if text else None,
                skipped=None if text else ATTACHMENTS_ONLY if exchange.attachments else "the agent's reply is empty",
                groups={"agent": exchange.agent, "team": exchange.team, "channel": exchange.channel},
                date=exchange.sent.isoformat() if exchange.sent else None,
                reply_id=exchange.reply_id,
                context=exchange.context,
            )


def _thread_id(data: Any) -> str | None:
    if not isinstance(data, dict):
        return None
    ticket = data.get("ticket")
    value = (ticket if isinstance(ticket, dict) else data).get("id")
    return None if value is None or isinstance(value, (dict, list)) else str(value)


def open_source(path: str | Path, source: str = "auto", columns: Columns | None = None) -> ReplySource:
    """The replies of ``path``, read as ``source`` says (or as its content shows, for "auto")."""
    columns = columns or Columns()
    if source not in SOURCE_NAMES:
        raise RowFileError(f"unknown source {source!r}; use one of {', '.join(SOURCE_NAMES)}")
    if source == "auto":
        source = detect_source(path, columns)
    if source in HELP_DESKS:
        return ThreadSource(path, HELP_DESKS[source], columns)
    return RowSource(path, columns)


def detect_source(path: str | Path, columns: Columns) -> str:
    """Which kind of export ``path`` is, from its name and first document; RowFileError when it cannot tell."""
    rows = RowFile(path)
    if rows.format in ("csv", "tsv"):
        return "csv"
    first = None
    for document in JsonExport(rows.path).head():
        if columns.text in document:
            return "jsonl"
        matches = [name for name, desk in HELP_DESKS.items() if _looks_like(desk, document)]
        if len(matches) > 1:
            raise RowFileError(f"{rows.path}: could be a {' or a '.join(matches)} export; say which with --source")
        if matches:
            return matches[0]
        first = first or document
    if first is None:
        return "jsonl"
    keys = ", ".join(list(first)[:12]) or "none"
    raise RowFileError(
        f"{rows.path}: neither rows with a {columns.text!r} column nor a help-desk export toneguard knows "
        f"(first object's keys: {keys}); name the columns with --text-column, or the help desk with --source"
    )


def _looks_like(desk: HelpDesk, document: dict[str, Any]) -> bool:
    page = listed(desk, document)
    if page is None:
        return desk.looks_like(document)
    return bool(page) and isinstance(page[0], dict) and desk.looks_like(page[0])

