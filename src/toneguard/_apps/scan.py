"""Scanning an export of tickets: every row analysed in order, written out, and summarised.

>>> summary = scan_file("export.csv.gz", Analyzer(), Columns(text="reply_text", group_by=["agent"]),
...                     out="results.jsonl", n_process=2)            # doctest: +SKIP
>>> summary.flagged                                                  # doctest: +SKIP
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Callable, Iterable, Iterator

from .._core.analyzer import Analyzer
from .._core.parallel import ordered_map
from .outcome import ReplyOutcome, ScanRecord
from .replies import Columns, ReplyReader, ReplyRow
from .row_files import RowFile
from .scan_summary import ScanSummary, SummaryTally
from .scan_writers import RecordWriter, open_writer

ProgressCallback = Callable[[int, int], None]
"""Called now and then with (rows done, bytes of the input read)."""

_PROGRESS_EVERY = 256


def _outcomes(analyzer: Analyzer, inputs: list[ReplyRow]) -> list[ReplyOutcome | None]:
    return [
        None if item.text is None else ReplyOutcome.from_report(analyzer.analyze(item.text, item.customer))
        for item in inputs
    ]


def scan_records(
    analyzer: Analyzer, inputs: Iterable[ReplyRow], n_process: int = 1
) -> Iterator[tuple[ReplyRow, ScanRecord]]:
    """Each input with its output record, in input order."""
    for item, outcome in ordered_map(analyzer, _outcomes, inputs, n_process):
        yield item, ScanRecord(
            row=item.row,
            line=item.line,
            id=item.id,
            text_hash=item.text_hash,
            groups=item.groups,
            date=item.date,
            skipped=item.skipped,
            result=outcome,
        )


def scan_file(
    path: str | Path,
    analyzer: Analyzer,
    columns: Columns | None = None,
    out: str | Path | None = None,
    n_process: int = 1,
    on_progress: ProgressCallback | None = None,
) -> ScanSummary:
    """Analyses every row of ``path``, writes one record per row to ``out`` (if given) and summarises.

    ``out`` is ``.jsonl``, ``.csv`` (either optionally ``.gz``), ``.parquet`` (needs pyarrow) or
    ``-`` for JSON Lines on standard output. Raises :class:`RowFileError` when the input cannot be used.
    """
    columns = columns or Columns()
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
    columns: Columns,
    writer: RecordWriter | None,
    n_process: int,
    on_progress: ProgressCallback | None,
) -> ScanSummary:
    started = time.perf_counter()
    tally = SummaryTally(columns.group_by)
    replies = ReplyReader(columns, str(rows.path)).read(rows)
    for done, (item, record) in enumerate(scan_records(analyzer, replies, n_process), 1):
        if writer is not None:
            writer.write(record)
        tally.add(record, item.text)
        if on_progress is not None and done % _PROGRESS_EVERY == 0:
            on_progress(done, rows.position())
    if on_progress is not None:
        on_progress(tally.rows, rows.size)
    return tally.summary(str(rows.path), time.perf_counter() - started)
