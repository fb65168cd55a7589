"""Streaming readers for files of rows: JSON Lines, a JSON array, CSV or TSV, optionally ``.gz``.

Rows are read one at a time, so a file of millions of rows needs no more memory
than one row. A row that cannot be read is yielded with the reason rather than
stopping the file; a file that cannot be read at all raises :class:`RowFileError`.

>>> for row in read_rows("export.csv.gz"):          # doctest: +SKIP
...     row.row, row.line, row.fields
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import json
import re
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Iterator, Literal

FileFormat = Literal["jsonl", "json", "csv", "tsv"]

_SUFFIX_FORMATS: dict[str, FileFormat] = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
    ".csv": "csv",
    ".tsv": "tsv",
}
_JSON_CHUNK = 1 << 16
_SNIFF_BYTES = 1 << 16
# Bytes that are not valid in the file's encoding come through as these, and mark their row as bad.
_UNDECODABLE = re.compile("[\udc80-\udcff]")


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
    """A file opened for streaming, as text in whatever encoding it came in; ``position`` says how far reading has got."""

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

    @contextmanager
    def text(self) -> Iterator[tuple[IO[str], str]]:
        """The file as text and its encoding; errors while reading it become :class:`RowFileError` naming it."""
        path = self.path
        try:
            raw = self._raw = path.open("rb")
        except OSError as err:
            raise RowFileError(f"{path}: cannot open: {err.strerror or err}") from err
        unpacked: IO[bytes] = gzip.GzipFile(fileobj=raw, mode="rb") if path.suffix.lower() == ".gz" else raw
        with raw, unpacked:
            try:
                stream = io.BufferedReader(unpacked, _SNIFF_BYTES)  # type: ignore[arg-type]
                encoding = sniff_encoding(stream.peek(_SNIFF_BYTES))
                yield io.TextIOWrapper(stream, encoding=encoding, errors="surrogateescape", newline=""), encoding
            except RowFileError as err:
                raise RowFileError(f"{path}: {err}") from err
            except (OSError, EOFError, gzip.BadGzipFile) as err:
                raise RowFileError(f"{path}: cannot read: {err}") from err
            except UnicodeDecodeError as err:
                raise RowFileError(f"{path}: not valid UTF-8 ({err.reason} at byte {err.start})") from err
            except csv.Error as err:
                raise RowFileError(f"{path}: not valid CSV: {err}") from err


class RowFile(ExportFile):
    """A row file opened for streaming."""

    def __init__(self, path: str | Path, file_format: FileFormat | None = None):
        super().__init__(path)
        self.format = file_format or detect_format(self.path)

    def __iter__(self) -> Iterator[RawRow]:
        with self.text() as (stream, encoding):
            yield from _READERS[self.format](stream, encoding)


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


def _jsonl_rows(stream: IO[str], encoding: str) -> Iterator[RawRow]:
    row = 0
    for line_number, raw_line in enumerate(stream, start=1):
        line = raw_line.strip()
        if not line:
            continue
        row += 1
        if _UNDECODABLE.search(line):
            yield RawRow(row, line_number, None, f"not valid {encoding}")
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as err:
            yield RawRow(row, line_number, None, f"not valid JSON ({err.msg})")
            continue
        yield _as_row(row, line_number, value)


def _json_array_rows(stream: IO[str], encoding: str) -> Iterator[RawRow]:
    """Decodes a top-level JSON array element by element instead of all at once."""
    reader = _JsonArrayReader(stream)
    opening = reader.peek()
    if not opening:
        return
    if opening != "[":
        raise RowFileError("a .json file must hold an array of objects (use .jsonl for one object a line)")
    reader.advance()
    if reader.peek() == "]":
        return
    number = 0
    while True:
        reader.peek()
        line = reader.line()
        value = reader.value(after=number)
        number += 1
        yield _as_row(number, line, value)
        separator = reader.peek()
        if separator == "]":
            return
        if separator != ",":
            raise RowFileError(f"not valid JSON: expected ',' or ']' after element {number}")
        reader.advance()


class _JsonArrayReader:
    """A window onto a JSON text that is read in chunks as decoding needs them."""

    def __init__(self, text: IO[str]):
        self._text = text
        self._decoder = json.JSONDecoder()
        self._buffer = ""
        self._position = 0
        self._lines_before = 0  # newlines in the text before _counted
        self._counted = 0

    def _read_more(self) -> bool:
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

    def value(self, after: int) -> Any:
        self.peek()
        while True:
            try:
                value, end = self._decoder.raw_decode(self._buffer, self._position)
            except json.JSONDecodeError as err:
                if self._read_more():
                    continue
                raise RowFileError(f"not valid JSON after element {after} ({err.msg})") from err
            # A bare number at the end of the buffer may go on in the next chunk.
            if end == len(self._buffer) and not isinstance(value, (dict, list)) and self._read_more():
                continue
            self._position = end
            return value


def _csv_rows(stream: IO[str], encoding: str, delimiter: str = ",") -> Iterator[RawRow]:
    reader = csv.reader(stream, delimiter=delimiter)
    header = next(reader, None)
    if header is None:
        return
    header = [name.strip() for name in header]
    last_line = reader.line_num
    row = 0
    for values in reader:
        line, last_line = last_line + 1, reader.line_num
        if not any(value.strip() for value in values):
            continue
        row += 1
        if len(values) != len(header):
            yield RawRow(row, line, None, f"has {len(values)} fields but the header has {len(header)}")
            continue
        if any(_UNDECODABLE.search(value) for value in values):
            yield RawRow(row, line, None, f"not valid {encoding}")
            continue
        yield RawRow(row, line, dict(zip(header, values)))


def _tsv_rows(stream: IO[str], encoding: str) -> Iterator[RawRow]:
    return _csv_rows(stream, encoding, delimiter="\t")


def _as_row(row: int, line: int, value: Any) -> RawRow:
    if not isinstance(value, dict):
        return RawRow(row, line, None, f"expected an object, got {type(value).__name__}")
    return RawRow(row, line, value)


_READERS = {"jsonl": _jsonl_rows, "json": _json_array_rows, "csv": _csv_rows, "tsv": _tsv_rows}
