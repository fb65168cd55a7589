"""Streaming readers for files of rows: JSON Lines, a JSON array, CSV or TSV, optionally ``.gz``.

Rows are read one at a time, so a file of millions of rows needs no more memory
than one row. A row that cannot be read becomes a row with the reason (and its
line), never the end of the file: a field or line longer than the row limit, an
unbalanced quote (CSV is parsed strictly, and reading goes on at the line after
the broken row's first), JSON nested too deeply, or a file that ends early (a
truncated ``.gz``). A file that cannot be read at all raises :class:`RowFileError`.

Each line is decoded on its own: as UTF-8 when it is, else as Windows-1252 (or
Latin-1), and the row says which fallback it needed, so a file that mixes
exports is read whole and nothing is garbled silently. UTF-16 files (with a BOM)
are decoded as a whole.

>>> for row in read_rows("export.csv.gz"):          # doctest: +SKIP
...     row.row, row.line, row.fields
"""

from __future__ import annotations

import codecs
import csv
import gzip
import hashlib
import io
import json
import re
import zlib
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Callable, Iterator, Literal

FileFormat = Literal["jsonl", "json", "csv", "tsv"]

_SUFFIX_FORMATS: dict[str, FileFormat] = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
    ".csv": "csv",
    ".tsv": "tsv",
}
MAX_ROW_BYTES = 1 << 20
"""A row (a CSV record, a JSON line or array element) longer than this is an error row, not read."""
_JSON_CHUNK = 1 << 16
_SNIFF_BYTES = 1 << 16
_FINGERPRINT_BYTES = 1 << 16
# Bytes that are not valid in the file's encoding come through as these, and mark their row as bad.
_UNDECODABLE = re.compile("[\udc80-\udcff]")
# What reading a damaged or cut-off compressed file raises, besides OSError.
_DAMAGED = (EOFError, zlib.error)


class RowFileError(ValueError):
    """The file as a whole cannot be read (single bad rows are yielded with a reason instead)."""


@dataclass(frozen=True)
class RawRow:
    """One row as read from the file: a mapping, or why it could not be read.

    ``row`` counts the file's records from 1 (a CSV header and blank lines are not
    records); ``line`` is the line of the file the record starts on, None where the
    reader cannot tell (an incremental parse of one JSON document).
    """

    row: int
    line: int | None
    fields: dict[str, Any] | None
    problem: str | None = None
    encoding: str | None = None
    """The fallback encoding the row was decoded with, when it was not valid UTF-8."""


def detect_format(path: Path) -> FileFormat:
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes.pop()
    if suffixes and suffixes[-1] in _SUFFIX_FORMATS:
        return _SUFFIX_FORMATS[suffixes[-1]]
    raise RowFileError(
        f"{path}: cannot tell the format from the name; use .jsonl, .json, .csv or .tsv (optionally .gz)"
    )


class ExportFile:
    """A file opened for streaming, whatever its encoding, optionally ``.gz``; ``position`` says how far reading has got."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        if not self.path.is_file():
            missing = not self.path.exists()
            raise RowFileError(f"{self.path}: no such file" if missing else f"{self.path}: not a file")
        self.size = self.path.stat().st_size
        self._raw: IO[bytes] | None = None

    def position(self) -> int:
        """Bytes of the file on disk consumed so far (compressed bytes for .gz), for progress and ETA."""
        if self._raw is None:
            return 0
        return self.size if self._raw.closed else self._raw.tell()

    def fingerprint(self) -> str:
        """A checksum of the first 64 KiB of the content (its header and first rows)."""
        digest = hashlib.sha256()
        try:
            with self._open() as (_, content):
                digest.update(content.read(_FINGERPRINT_BYTES))
        except (OSError, *_DAMAGED):
            pass  # a file that cannot be read says so when it is scanned
        return digest.hexdigest()

    def _open(self) -> _Opened:
        try:
            raw = self.path.open("rb")
        except OSError as err:
            raise RowFileError(f"{self.path}: cannot open: {err.strerror or err}") from err
        compressed = self.path.suffix.lower() == ".gz"
        return _Opened(raw, gzip.GzipFile(fileobj=raw, mode="rb") if compressed else raw)

    @contextmanager
    def _content(self) -> Iterator[tuple[io.BufferedReader, bytes]]:
        """The content as a buffered stream, with its first bytes (to sniff the encoding from)."""
        with self._open() as (raw, content):
            self._raw = raw
            stream = io.BufferedReader(content, _SNIFF_BYTES)  # type: ignore[arg-type]
            try:
                head = stream.peek(_SNIFF_BYTES)
            except (OSError, *_DAMAGED) as err:
                raise RowFileError(f"{self.path}: cannot read: {err}") from err
            try:
                yield stream, head
            except RowFileError as err:
                raise RowFileError(f"{self.path}: {err}") from err

    @contextmanager
    def text(self) -> Iterator[tuple[IO[str], str]]:
        """The file as text and its encoding; errors while reading it become :class:`RowFileError` naming it."""
        with self._content() as (stream, head):
            encoding = sniff_encoding(head)
            try:
                yield io.TextIOWrapper(stream, encoding=encoding, errors="surrogateescape", newline=""), encoding
            except (OSError, *_DAMAGED) as err:
                raise RowFileError(f"{self.path}: cannot read: {err}") from err


class RowFile(ExportFile):
    """A file of rows opened for streaming."""

    def __init__(self, path: str | Path, file_format: FileFormat | None = None, max_row_bytes: int = MAX_ROW_BYTES):
        super().__init__(path)
        self.format = file_format or detect_format(self.path)
        self.max_row_bytes = max_row_bytes

    def fingerprint(self) -> str:
        """A checksum of the format and the first 64 KiB of the content (its header and first rows)."""
        return hashlib.sha256(f"{self.format} {super().fingerprint()}".encode()).hexdigest()

    def __iter__(self) -> Iterator[RawRow]:
        if self.format == "json":
            with self.text() as (text, encoding):
                yield from _json_array_rows(text, encoding, self.max_row_bytes)
            return
        with self._content() as (stream, head):
            lines = _lines(stream, head, self.max_row_bytes)
            if self.format == "jsonl":
                yield from _jsonl_rows(lines)
            else:
                yield from _csv_rows(lines, "\t" if self.format == "tsv" else ",", self.max_row_bytes)


class _Opened:
    """The file on disk and its content (the same stream, or the decompressed one), closed together."""

    def __init__(self, raw: IO[bytes], content: IO[bytes]):
        self.raw, self.content = raw, content

    def __enter__(self) -> tuple[IO[bytes], IO[bytes]]:
        return self.raw, self.content

    def __exit__(self, *exc: object) -> None:
        for stream in (self.content, self.raw):
            try:
                stream.close()
            except (OSError, *_DAMAGED):
                pass  # closing a damaged .gz checks its trailer again


def read_rows(path: str | Path, file_format: FileFormat | None = None) -> Iterator[RawRow]:
    """Yields the file's rows one at a time."""
    return iter(RowFile(path, file_format))


def sniff_encoding(head: bytes) -> str:
    """The encoding of an export, from its first bytes: a BOM, else UTF-8 if they decode, else Windows-1252.

    Help-desk exports come from Excel and old ticket systems as often as from
    modern tools, so UTF-16 and Latin-1/Windows-1252 files are read rather than refused.
    """
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as err:
        if err.start < len(head) - 3:  # not merely a character cut in two at the end of the sample
            return "cp1252" if _decodes(head, "cp1252") else "latin-1"
    return "utf-8"


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


# ---------------------------------------------------------------------------
# Lines: decoded one by one, never longer than the row limit


@dataclass(frozen=True)
class Line:
    """One physical line, decoded, with its line ending; or why it cannot be read."""

    number: int
    text: str
    encoding: str | None = None
    """The fallback encoding it needed, when it was not valid UTF-8."""
    problem: str | None = None


def _lines(stream: io.BufferedReader, head: bytes, max_bytes: int) -> Iterator[Line]:
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = io.TextIOWrapper(stream, encoding="utf-16", errors="replace", newline="")
        return _physical_lines(text.readline, max_bytes, lambda line: (line, None), "\n")
    if head.startswith(codecs.BOM_UTF8):
        stream.read(len(codecs.BOM_UTF8))
    return _physical_lines(stream.readline, max_bytes, _decode, b"\n")


def _decode(data: bytes) -> tuple[str, str | None]:
    """The line as text, and the fallback encoding it needed (None for UTF-8)."""
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def _physical_lines(
    readline: Callable[[int], Any], max_bytes: int, decode: Callable[[Any], tuple[str, str | None]], newline: Any
) -> Iterator[Line]:
    number = 0
    while True:
        number += 1
        try:
            data = readline(max_bytes + 1)
            if len(data) > max_bytes and not data.endswith(newline):
                while (rest := readline(max_bytes)) and not rest.endswith(newline):
                    pass  # the rest of a line too long to keep
                yield Line(number, "", problem=f"a line longer than {max_bytes:,} bytes")
                continue
        except (OSError, *_DAMAGED) as err:
            yield Line(number, "", problem=f"the file ends early or is damaged here ({err}); rows after it are lost")
            return
        if not data:
            return
        text, fallback = decode(data)
        yield Line(number, text, fallback)


class _Lines:
    """Lines that can be put back, so a broken multi-line row is read again from its second line."""

    def __init__(self, lines: Iterator[Line]):
        self._lines = lines
        self._returned: list[Line] = []  # put back, the next one last

    def next(self) -> Line | None:
        if self._returned:
            return self._returned.pop()
        return next(self._lines, None)

    def put_back(self, lines: list[Line]) -> None:
        self._returned.extend(reversed(lines))


# ---------------------------------------------------------------------------
# Formats


def _jsonl_rows(lines: Iterator[Line]) -> Iterator[RawRow]:
    row = 0
    for line in lines:
        text = line.text.strip()
        if not text and line.problem is None:
            continue
        row += 1
        if line.problem is not None:
            yield RawRow(row, line.number, None, line.problem)
            continue
        try:
            value = json.loads(text)
        except RecursionError:
            yield RawRow(row, line.number, None, "not valid JSON (nested too deeply)", line.encoding)
            continue
        except json.JSONDecodeError as err:
            yield RawRow(row, line.number, None, f"not valid JSON ({err.msg})", line.encoding)
            continue
        except ValueError:
            yield RawRow(row, line.number, None, "not valid JSON (a number too long to read)", line.encoding)
            continue
        yield _as_row(row, line.number, value, line.encoding)


@dataclass(frozen=True)
class _Record:
    number: int
    values: list[str] | None
    lines: list[Line]
    problem: str | None = None

    @property
    def encoding(self) -> str | None:
        return next((line.encoding for line in self.lines if line.encoding), None)


class _Unreadable(Exception):
    """A line of a record cannot be used; the record becomes an error row."""


def _csv_rows(lines: Iterator[Line], delimiter: str, max_bytes: int) -> Iterator[RawRow]:
    if csv.field_size_limit() < max_bytes:
        csv.field_size_limit(max_bytes)  # the row limit is checked here, per record
    source = _Lines(lines)
    header = _read_record(source, delimiter, max_bytes)
    if header is None:
        return
    if header.values is None:
        raise RowFileError(f"the header (line {header.number}) cannot be read: {header.problem}")
    names = [name.strip() for name in header.values]
    row = 0
    while (record := _read_record(source, delimiter, max_bytes)) is not None:
        values = record.values
        if values is not None and not any(value.strip() for value in values):
            continue
        row += 1
        problem = record.problem
        if values is not None and len(values) != len(names):
            problem = f"has {len(values)} fields but the header has {len(names)}"
        if problem is None:
            yield RawRow(row, record.number, dict(zip(names, values or ())), encoding=record.encoding)
            continue
        if len(record.lines) > 1:
            # A quote that never closed swallowed the lines after it: read them again as rows of their own.
            source.put_back(record.lines[1:])
            problem += " (an unbalanced quote?)" if record.problem is None else ""
        yield RawRow(row, record.number, None, problem, record.encoding)


def _read_record(source: _Lines, delimiter: str, max_bytes: int) -> _Record | None:
    """The next CSV record, strictly parsed; its values, or why it cannot be read. None at the end."""
    consumed: list[Line] = []

    def feed() -> Iterator[str]:
        size = 0
        while (line := source.next()) is not None:
            consumed.append(line)
            if line.problem is not None:
                raise _Unreadable(line.problem)
            size += len(line.text)
            if size > max_bytes:
                raise _Unreadable(f"a row longer than {max_bytes:,} characters")
            yield line.text

    try:
        values = next(csv.reader(feed(), delimiter=delimiter, strict=True))
    except StopIteration:
        return None
    except csv.Error as err:
        hint = " (an unbalanced quote?)" if len(consumed) > 1 else ""
        return _Record(consumed[0].number, None, consumed, f"not valid CSV ({err}){hint}")
    except _Unreadable as err:
        return _Record(consumed[0].number, None, consumed, str(err))
    return _Record(consumed[0].number, values, consumed)


def _json_array_rows(stream: IO[str], encoding: str, max_bytes: int) -> Iterator[RawRow]:
    """Decodes a top-level JSON array element by element instead of all at once.

    After an element that cannot be read, the rest cannot be found reliably: it
    becomes the last row, saying so.
    """
    reader = _JsonArrayReader(stream, max_bytes)
    number = 0
    line = 1
    try:
        opening = reader.peek()
        if not opening:
            return
        if opening != "[":
            raise RowFileError("a .json file must hold an array of objects (use .jsonl for one object a line)")
        reader.advance()
        if reader.peek() == "]":
            return
        while True:
            number += 1
            reader.peek()
            line = reader.line()
            value = reader.value()
            yield _as_row(number, line, value, None, encoding)
            separator = reader.peek()
            if separator == "]":
                return
            if separator != ",":
                raise _Unreadable(f"expected ',' or ']' after element {number}")
            reader.advance()
    except _Unreadable as err:
        yield RawRow(number or 1, line, None, f"{err}; the rest of the file cannot be read")
    except (OSError, *_DAMAGED) as err:
        yield RawRow(number or 1, line, None, f"the file ends early or is damaged ({err}); the rest of the file cannot be read")


class _JsonArrayReader:
    """A window onto a JSON text that is read in chunks as decoding needs them."""

    def __init__(self, text: IO[str], max_chars: int):
        self._text = text
        self._decoder = json.JSONDecoder()
        self._buffer = ""
        self._position = 0
        self._max_chars = max_chars
        self._lines_before = 0  # newlines in the text before _counted
        self._counted = 0

    def _read_more(self) -> bool:
        if len(self._buffer) - self._position > self._max_chars:
            raise _Unreadable(f"an element longer than {self._max_chars:,} characters")
        chunk = self._text.read(_JSON_CHUNK)
        if not chunk:
            return False
        self.line()  # count the newlines of the part about to be dropped
        self._buffer = self._buffer[self._position :] + chunk
        self._position = self._counted = 0
        return True

    def line(self) -> int:
        """The 1-based line of the next character."""
        self._lines_before += self._buffer.count("\n", self._counted, self._position)
        self._counted = self._position
        return self._lines_before + 1

    def peek(self) -> str:
        """The next character that is not whitespace, or "" at the end."""
        while True:
            while self._position < len(self._buffer) and self._buffer[self._position].isspace():
                self._position += 1
            if self._position < len(self._buffer):
                return self._buffer[self._position]
            if not self._read_more():
                return ""

    def advance(self) -> None:
        self._position += 1

    def value(self) -> Any:
        self.peek()
        while True:
            try:
                value, end = self._decoder.raw_decode(self._buffer, self._position)
            except RecursionError:
                raise _Unreadable("not valid JSON (nested too deeply)") from None
            except json.JSONDecodeError as err:
                if self._read_more():
                    continue
                raise _Unreadable(f"not valid JSON ({err.msg})") from None
            except ValueError:
                raise _Unreadable("not valid JSON (a number too long to read)") from None
            # A bare number at the end of the buffer may go on in the next chunk.
            if end == len(self._buffer) and not isinstance(value, (dict, list)) and self._read_more():
                continue
            self._position = end
            return value


def _as_row(row: int, line: int, value: Any, encoding: str | None, text_encoding: str = "utf-8") -> RawRow:
    if not isinstance(value, dict):
        return RawRow(row, line, None, f"expected an object, got {type(value).__name__}", encoding)
    if any(isinstance(field, str) and _UNDECODABLE.search(field) for field in value.values()):
        return RawRow(row, line, None, f"not valid {text_encoding}", encoding)
    return RawRow(row, line, value, encoding=encoding)
