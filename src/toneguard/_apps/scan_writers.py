"""Writers for scan results: JSON Lines (nested, one line per row), CSV and Parquet (flat columns)."""

from __future__ import annotations

import csv
import gzip
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Literal, Protocol

from .outcome import FLAT_COLUMNS, ScanRecord
from .row_files import RowFileError

_PARQUET_BATCH = 10_000
PARQUET_NEEDS_PYARROW = "Parquet output needs pyarrow: pip install 'toneguard[dask]' (or pyarrow)"


class RecordWriter(Protocol):
    def write(self, record: ScanRecord) -> None: ...

    def close(self) -> None: ...


OutputKind = Literal[".jsonl", ".csv", ".parquet"]


def output_kind(path: Path) -> tuple[OutputKind, bool]:
    """The format an output's name asks for, and whether it is gzipped; RowFileError when it names none."""
    suffixes = [s.lower() for s in path.suffixes]
    compressed = bool(suffixes) and suffixes[-1] == ".gz"
    kind = suffixes[-2 if compressed else -1] if len(suffixes) > compressed else ""
    if kind == ".parquet" and not compressed:
        return ".parquet", False
    if kind in (".jsonl", ".ndjson"):
        return ".jsonl", compressed
    if kind == ".csv":
        return ".csv", compressed
    raise RowFileError(f"{path}: cannot tell the output format; use .jsonl, .csv (optionally .gz) or .parquet")


def open_writer(out: str | Path, group_by: list[str], threaded: bool = False, write_to: Path | None = None) -> RecordWriter:
    """A writer chosen by the name: .jsonl, .csv (either optionally .gz), .parquet, or ``-`` for JSONL on stdout.

    ``group_by`` names the group columns of the flat formats; ``threaded`` adds the reply's id and thread context.
    With ``write_to``, the records go to that file, in the format ``out``'s name asks for.
    """
    if str(out) == "-":
        return JsonLinesWriter(sys.stdout, close_stream=False)
    kind, compressed = output_kind(Path(out))
    path = write_to or Path(out)
    layout = FlatLayout(group_by, threaded)
    if kind == ".parquet":
        return ParquetWriter(path, layout)
    try:
        stream = gzip.open(path, "wt", encoding="utf-8", newline="") if compressed else path.open("w", encoding="utf-8", newline="")
    except OSError as err:
        raise RowFileError(f"{out}: cannot write: {err.strerror or err}") from err
    return CsvWriter(stream, layout) if kind == ".csv" else JsonLinesWriter(stream)


def parquet_available() -> bool:
    try:
        import pyarrow.parquet  # noqa: F401
    except ImportError:
        return False
    return True


class JsonLinesWriter:
    def __init__(self, stream: IO[str], close_stream: bool = True):
        self._stream = stream
        self._close_stream = close_stream

    def write(self, record: ScanRecord) -> None:
        self._stream.write(record.model_dump_json(exclude_none=True) + "\n")

    def close(self) -> None:
        if self._close_stream:
            self._stream.close()
        else:
            self._stream.flush()


# The thread context as flat columns, with their pandas dtypes.
THREAD_COLUMNS: dict[str, str] = {
    "customer_messages_since_reply": "Int64",
    "repeat_contact": "boolean",
    "wait_seconds": "Float64",
}


@dataclass(frozen=True)
class FlatLayout:
    """The columns of a flat output: identity, groups, date, thread context (for help-desk threads), analysis."""

    group_by: list[str]
    threaded: bool = False

    def header(self) -> list[str]:
        thread = ["reply_id", *THREAD_COLUMNS] if self.threaded else []
        groups = [f"group_{name}" for name in self.group_by]
        return ["row", "line", "id", "text_hash", *groups, "date", *thread, "skipped", "encoding", *FLAT_COLUMNS]

    def row(self, record: ScanRecord) -> dict[str, Any]:
        """The record as one value per column (analysis empty when skipped)."""
        analysis = record.result.flat() if record.result is not None else dict.fromkeys(FLAT_COLUMNS)
        thread: dict[str, Any] = {}
        if self.threaded:
            context = record.context.model_dump() if record.context is not None else dict.fromkeys(THREAD_COLUMNS)
            thread = {"reply_id": record.reply_id, **context}
        return {
            "row": record.row,
            "line": record.line,
            "id": record.id,
            "text_hash": record.text_hash,
            **{f"group_{name}": record.groups.get(name) for name in self.group_by},
            "date": record.date,
            **thread,
            "skipped": record.skipped,
            "encoding": record.encoding,
            **analysis,
        }


class CsvWriter:
    def __init__(self, stream: IO[str], layout: FlatLayout):
        self._stream = stream
        self._layout = layout
        self._writer = csv.DictWriter(stream, fieldnames=layout.header())
        self._writer.writeheader()

    def write(self, record: ScanRecord) -> None:
        self._writer.writerow(self._layout.row(record))

    def close(self) -> None:
        self._stream.close()


class ParquetWriter:
    """Buffers rows and writes them as row groups, so memory stays flat."""

    def __init__(self, path: Path, layout: FlatLayout):
        try:
            import pyarrow as pa
            import pyarrow.parquet as pq
        except ImportError as err:
            raise RowFileError(PARQUET_NEEDS_PYARROW) from err
        self._pa = pa
        self._layout = layout
        types = {"row": "Int64", "line": "Int64", **THREAD_COLUMNS, **FLAT_COLUMNS}
        self._schema = pa.schema([(name, _ARROW_TYPES[types.get(name, "string")](pa)) for name in layout.header()])
        self._writer = pq.ParquetWriter(path, self._schema)
        self._buffer: list[dict[str, Any]] = []

    def write(self, record: ScanRecord) -> None:
        self._buffer.append(self._layout.row(record))
        if len(self._buffer) >= _PARQUET_BATCH:
            self._flush()

    def _flush(self) -> None:
        if self._buffer:
            self._writer.write_table(self._pa.Table.from_pylist(self._buffer, schema=self._schema))
            self._buffer = []

    def close(self) -> None:
        self._flush()
        self._writer.close()


_ARROW_TYPES = {
    "string": lambda pa: pa.string(),
    "Int64": lambda pa: pa.int64(),
    "Float64": lambda pa: pa.float64(),
    "boolean": lambda pa: pa.bool_(),
}
