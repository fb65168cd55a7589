"""Writers for scan results: JSON Lines (nested, one line per row), CSV and Parquet (flat columns)."""

from __future__ import annotations

import csv
import gzip
import sys
from pathlib import Path
from typing import IO, Any, Protocol

from .outcome import FLAT_COLUMNS, ScanRecord
from .row_files import RowFileError

_PARQUET_BATCH = 10_000


class RecordWriter(Protocol):
    def write(self, record: ScanRecord) -> None: ...

    def close(self) -> None: ...


def open_writer(out: str | Path, group_by: list[str]) -> RecordWriter:
    """A writer chosen by the name: .jsonl, .csv (either optionally .gz), .parquet, or ``-`` for JSONL on stdout."""
    if str(out) == "-":
        return JsonLinesWriter(sys.stdout, close_stream=False)
    path = Path(out)
    suffixes = [s.lower() for s in path.suffixes]
    compressed = bool(suffixes) and suffixes[-1] == ".gz"
    kind = suffixes[-2 if compressed else -1] if len(suffixes) > compressed else ""
    if kind == ".parquet" and not compressed:
        return ParquetWriter(path, group_by)
    if kind not in (".jsonl", ".ndjson", ".csv"):
        raise RowFileError(f"{path}: cannot tell the output format; use .jsonl, .csv (optionally .gz) or .parquet")
    try:
        stream = gzip.open(path, "wt", encoding="utf-8", newline="") if compressed else path.open("w", encoding="utf-8", newline="")
    except OSError as err:
        raise RowFileError(f"{path}: cannot write: {err.strerror or err}") from err
    return CsvWriter(stream, group_by) if kind == ".csv" else JsonLinesWriter(stream)


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


def flat_row(record: ScanRecord, group_by: list[str]) -> dict[str, Any]:
    """The record as one value per column: identity, groups, then the analysis (empty when skipped)."""
    analysis = record.result.flat() if record.result is not None else dict.fromkeys(FLAT_COLUMNS)
    return {
        "row": record.row,
        "line": record.line,
        "id": record.id,
        "text_hash": record.text_hash,
        **{f"group_{name}": record.groups.get(name) for name in group_by},
        "date": record.date,
        "skipped": record.skipped,
        **analysis,
    }


def flat_header(group_by: list[str]) -> list[str]:
    return ["row", "line", "id", "text_hash", *(f"group_{name}" for name in group_by), "date", "skipped", *FLAT_COLUMNS]


class CsvWriter:
    def __init__(self, stream: IO[str], group_by: list[str]):
        self._stream = stream
        self._group_by = group_by
        self._writer = csv.DictWriter(stream, fieldnames=flat_header(group_by))
        self._writer.writeheader()

    def write(self, record: ScanRecord) -> None:
        self._writer.writerow(flat_row(record, self._group_by))

    def close(self) -> None:
        self._stream.close()


class ParquetWriter:
    """Buffers rows and writes them as row groups, so memory stays flat."""

    def __init__(self, path: Path, group_by: list[str]):
        try:
            import pyarrow as pa
            import pyarrow.parquet as pq
        except ImportError as err:
            raise RowFileError("Parquet output needs pyarrow: pip install 'toneguard[dask]' (or pyarrow)") from err
        self._pa = pa
        self._group_by = group_by
        self._schema = pa.schema(
            [
                ("row", pa.int64()),
                ("line", pa.int64()),
                ("id", pa.string()),
                ("text_hash", pa.string()),
                *((f"group_{name}", pa.string()) for name in group_by),
                ("date", pa.string()),
                ("skipped", pa.string()),
                *((name, _ARROW_TYPES[dtype](pa)) for name, dtype in FLAT_COLUMNS.items()),
            ]
        )
        self._writer = pq.ParquetWriter(path, self._schema)
        self._buffer: list[dict[str, Any]] = []

    def write(self, record: ScanRecord) -> None:
        self._buffer.append(flat_row(record, self._group_by))
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
