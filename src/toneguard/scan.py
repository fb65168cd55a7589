"""Scanning an export of tickets: every row analysed in order, written out, and summarised.

>>> from toneguard.scan import ScanColumns, scan_file
>>> summary = scan_file("export.csv.gz", Analyzer(), ScanColumns(text="reply_text", group_by=["agent"]),
...                     out="results.jsonl", n_process=2)            # doctest: +SKIP
>>> summary.flagged                                                  # doctest: +SKIP
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator

from pydantic import BaseModel, ConfigDict, Field

from .batch import ReplyOutcome, ordered_map
from .row_files import RawRow, RowFile, RowFileError, reply_fields
from .scan_summary import ScanSummary, SummaryTally

if TYPE_CHECKING:
    from .analyzer import Analyzer
    from .scan_output import RecordWriter

ProgressCallback = Callable[[int, int], None]
"""Called now and then with (rows done, bytes of the input read)."""

_PROGRESS_EVERY = 256


class ScanColumns(BaseModel):
    """Which field of a row holds what. Missing customer/id columns are fine; the others must exist."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    text: str = "reply"
    customer: str = "customer"
    id: str = "id"
    group_by: list[str] = Field(default=[], description="Columns to break the results down by, each on its own.")
    date: str | None = Field(default=None, description="Column holding when the reply was sent, for the trend.")


class ScanRecord(BaseModel):
    """One output line: the input row's identity and either its analysis or why it was skipped."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    row: int = Field(description="Line number (JSONL, CSV with the header as line 1) or 1-based array position.")
    id: str | None
    groups: dict[str, str] = {}
    date: str | None = None
    skipped: str | None = Field(default=None, description="Why the row was not analysed.")
    result: ReplyOutcome | None = None


@dataclass(frozen=True)
class ScanInput:
    """A row ready for analysis: the reply and customer message, or why there is nothing to analyse."""

    row: int
    id: str | None
    groups: dict[str, str]
    date: str | None
    text: str | None
    customer: str | None
    skipped: str | None = None


def scan_inputs(rows: Iterable[RawRow], columns: ScanColumns, source: str) -> Iterator[ScanInput]:
    """The rows as :class:`ScanInput`; the first readable row must hold every named column but the optional ones."""
    checked = False
    for row in rows:
        if row.fields is None:
            yield ScanInput(row.number, None, {}, None, None, None, row.problem or "unreadable row")
            continue
        fields = row.fields
        if not checked:
            _check_columns(fields, columns, source)
            checked = True
        raw_id = fields.get(columns.id)
        groups = {name: _cell(fields.get(name)) for name in columns.group_by}
        date = _cell(fields.get(columns.date)) if columns.date else None
        reply = reply_fields(fields, columns.text, columns.customer)
        row_id = None if raw_id is None or raw_id == "" else str(raw_id)
        if isinstance(reply, str):
            yield ScanInput(row.number, row_id, groups, date or None, None, None, reply)
        else:
            yield ScanInput(row.number, row_id, groups, date or None, *reply)


def _check_columns(fields: dict[str, Any], columns: ScanColumns, source: str) -> None:
    wanted = [("text", columns.text), *(("group-by", name) for name in columns.group_by)]
    if columns.date:
        wanted.append(("date", columns.date))
    missing = [f"{role} column {name!r}" for role, name in wanted if name not in fields]
    if missing:
        raise RowFileError(f"{source}: no {', no '.join(missing)} (columns: {', '.join(fields) or 'none'})")


def _cell(value: Any) -> str:
    return "" if value is None else str(value)


def _outcomes(analyzer: Analyzer, inputs: list[ScanInput]) -> list[ReplyOutcome | None]:
    return [
        None if item.text is None else ReplyOutcome.from_report(analyzer.analyze(item.text, item.customer))
        for item in inputs
    ]


def scan_records(
    analyzer: Analyzer, inputs: Iterable[ScanInput], n_process: int = 1
) -> Iterator[tuple[ScanInput, ScanRecord]]:
    """Each input with its output record, in input order."""
    for item, outcome in ordered_map(analyzer, _outcomes, inputs, n_process):
        yield item, ScanRecord(
            row=item.row, id=item.id, groups=item.groups, date=item.date, skipped=item.skipped, result=outcome
        )


def scan_file(
    path: str | Path,
    analyzer: Analyzer,
    columns: ScanColumns | None = None,
    out: str | Path | None = None,
    n_process: int = 1,
    on_progress: ProgressCallback | None = None,
) -> ScanSummary:
    """Analyses every row of ``path``, writes one record per row to ``out`` (if given) and summarises.

    ``out`` is ``.jsonl``, ``.csv`` (either optionally ``.gz``), ``.parquet`` (needs pyarrow) or
    ``-`` for JSON Lines on standard output. Raises :class:`RowFileError` when the input cannot be used.
    """
    from .scan_output import open_writer

    columns = columns or ScanColumns()
    rows = RowFile(path)
    # Results go to a hidden partial file renamed into place only when every row is written,
    # so a crash or Ctrl-C never leaves a half-written file under the name asked for.
    target = Path(out) if out is not None and str(out) != "-" else None
    partial = target.with_name(f".partial-{target.name}") if target is not None else None
    writer = open_writer(partial or out, columns.group_by) if out is not None else None
    try:
        summary = summarise(analyzer, rows, columns, writer, n_process, on_progress)
    except BaseException:
        if writer is not None:
            writer.close()
        if partial is not None:
            partial.unlink(missing_ok=True)
        raise
    if writer is not None:
        writer.close()
    if partial is not None and target is not None:
        os.replace(partial, target)
    return summary


def summarise(
    analyzer: Analyzer,
    rows: RowFile,
    columns: ScanColumns,
    writer: RecordWriter | None,
    n_process: int,
    on_progress: ProgressCallback | None,
) -> ScanSummary:
    started = time.perf_counter()
    tally = SummaryTally(columns.group_by)
    for done, (item, record) in enumerate(scan_records(analyzer, scan_inputs(rows, columns, str(rows.path)), n_process), 1):
        if writer is not None:
            writer.write(record)
        tally.add(record, item.text)
        if on_progress is not None and done % _PROGRESS_EVERY == 0:
            on_progress(done, rows.position())
    if on_progress is not None:
        on_progress(tally.rows, rows.size)
    return tally.summary(str(rows.path), time.perf_counter() - started)
