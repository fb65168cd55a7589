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
from .replies import Columns, ReplyRow
from .scan_summary import MIN_SAMPLE, ScanSummary, SummaryTally
from .scan_writers import RecordWriter, open_writer
from .sources import THREAD_GROUPS, ReplySource, open_source

ProgressCallback = Callable[[int, int], None]
"""Called now and then with (rows done, bytes of the input read)."""

_PROGRESS_EVERY = 256


def _outcomes(analyzer: Analyzer, inputs: list[ReplyRow]) -> list[ReplyOutcome | None]:
    return [
        None if item.text is None else ReplyOutcome.from_report(analyzer.analyze(item.text, item.customer, item.context))
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
            reply_id=item.reply_id,
            text_hash=item.text_hash,
            groups=item.groups,
            date=item.date,
            context=item.context,
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
    source: str = "auto",
    min_sample: int = MIN_SAMPLE,
) -> ScanSummary:
    """Analyses every reply of ``path``, writes one record per reply to ``out`` (if given) and summarises.

    ``source`` is "auto", "csv", "jsonl" or a help desk ("zendesk", "freshdesk", "intercom",
    "helpscout"), whose export is read as threads: one record per public agent reply, broken
    down by agent, team and channel unless ``columns.group_by`` says otherwise. ``out`` is
    ``.jsonl``, ``.csv`` (either optionally ``.gz``), ``.parquet`` (needs pyarrow) or ``-`` for
    JSON Lines on standard output. Raises :class:`RowFileError` when the input cannot be used.
    """
    columns = columns or Columns()
    replies = open_source(path, source, columns)
    threaded = replies.threads is not None
    breakdowns = columns.groups() or (THREAD_GROUPS if threaded else [])
    # Results go to a hidden partial file renamed into place only when every row is written,
    # so a crash or Ctrl-C never leaves a half-written file under the name asked for.
    target = Path(out) if out is not None and str(out) != "-" else None
    partial = target.with_name(f".partial-{target.name}") if target is not None else None
    writer = open_writer(partial or out, replies.group_names, threaded) if out is not None else None
    try:
        summary = summarise(analyzer, replies, breakdowns, writer, n_process, on_progress, min_sample)
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
    replies: ReplySource,
    breakdowns: list[str],
    writer: RecordWriter | None,
    n_process: int,
    on_progress: ProgressCallback | None,
    min_sample: int = MIN_SAMPLE,
) -> ScanSummary:
    started = time.perf_counter()
    tally = SummaryTally(breakdowns, min_sample)
    for done, (item, record) in enumerate(scan_records(analyzer, replies.replies(), n_process), 1):
        if writer is not None:
            writer.write(record)
        tally.add(record, item.text)
        if on_progress is not None and done % _PROGRESS_EVERY == 0:
            on_progress(done, replies.position())
    if on_progress is not None:
        on_progress(tally.rows, replies.size)
    return tally.summary(str(replies.path), time.perf_counter() - started, replies.name, replies.threads)
