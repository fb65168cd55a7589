"""Scanning an export of tickets: every row analysed in order, written out, and summarised.

>>> summary = scan_file("export.csv.gz", Analyzer(), Columns(text="reply_text", group_by=["agent"]),
...                     out="results.jsonl", n_process=2)            # doctest: +SKIP
>>> summary.flagged                                                  # doctest: +SKIP

Every input row gives one output row, in order: its analysis, or why it has
none (an unreadable row, a missing text, an analysis that failed). Results
build up in a partial file beside the output (see ``scan_output``); an
interrupted scan can be resumed from it with ``resume=True``.
"""

from __future__ import annotations

import hashlib
import time
from pathlib import Path
from typing import Callable, Iterable, Iterator, Union

from .._core.analyzer import Analyzer
from .._core.parallel import ordered_map
from .._version import VERSION
from .outcome import ReplyOutcome, ScanRecord
from .replies import Columns, ReplyRow
from .scan_output import PartialResults, ResumeMismatch, check_output, partial_path
from .scan_summary import MIN_SAMPLE, ScanSummary, SummaryTally
from .scan_writers import RecordWriter, open_writer
from .sources import THREAD_GROUPS, ReplySource, open_source

ProgressCallback = Callable[[int, int], None]
"""Called now and then with (rows done, bytes of the input read)."""
StopCheck = Callable[[], bool]
"""Asked between rows (and while waiting for workers) whether the scan should stop."""

_PROGRESS_EVERY = 256

Outcome = Union[ReplyOutcome, str, None]
"""A row's analysis, why its analysis failed, or None when it had nothing to analyse."""


class ScanInterrupted(KeyboardInterrupt):
    """The scan was interrupted; ``partial`` holds its rows for a resume, when it wrote to a file."""

    def __init__(self, rows: int, partial: Path | None):
        super().__init__(f"interrupted after {rows} rows")
        self.rows = rows
        self.partial = partial


def _outcomes(analyzer: Analyzer, inputs: list[ReplyRow]) -> list[Outcome]:
    return [None if item.text is None else _outcome(analyzer, item) for item in inputs]


def _outcome(analyzer: Analyzer, item: ReplyRow) -> ReplyOutcome | str:
    try:
        return ReplyOutcome.from_report(analyzer.analyze(item.text or "", item.customer, item.context))
    except Exception as err:  # one row's failure is that row's result, not the end of the scan
        return f"the analysis failed ({type(err).__name__})"


def scan_records(
    analyzer: Analyzer, inputs: Iterable[ReplyRow], n_process: int = 1, should_stop: StopCheck | None = None
) -> Iterator[tuple[ReplyRow, ScanRecord]]:
    """Each input with its output record, in input order; KeyboardInterrupt once ``should_stop()`` says so."""
    for item, outcome in ordered_map(analyzer, _outcomes, inputs, n_process, should_stop=should_stop):
        failed = outcome if isinstance(outcome, str) else None
        yield item, ScanRecord(
            row=item.row,
            line=item.line,
            id=item.id,
            reply_id=item.reply_id,
            text_hash=item.text_hash,
            groups=item.groups,
            date=item.date,
            context=item.context,
            skipped=item.skipped or failed,
            encoding=item.encoding,
            result=outcome if isinstance(outcome, ReplyOutcome) else None,
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
    resume: bool = False,
    should_stop: StopCheck | None = None,
) -> ScanSummary:
    """Analyses every reply of ``path``, writes one record per reply to ``out`` (if given) and summarises.

    ``source`` is "auto", "csv", "jsonl" or a help desk ("zendesk", "freshdesk", "intercom",
    "helpscout"), whose export is read as threads: one record per public agent reply, broken
    down by agent, team and channel unless ``columns.group_by`` says otherwise. ``out`` is
    ``.jsonl``, ``.csv`` (either optionally ``.gz``), ``.parquet`` (needs pyarrow) or ``-`` for
    JSON Lines on standard output. With ``resume``, a scan interrupted earlier continues from the
    rows its partial file holds (starting afresh when there is none). Raises :class:`RowFileError`
    when the input cannot be used or the output cannot be written, and :class:`ScanInterrupted`
    when interrupted: by KeyboardInterrupt, or, between rows, once ``should_stop()`` says so (how
    a caller's signal handler stops a scan safely).
    """
    columns = columns or Columns()
    replies = open_source(path, source, columns)
    threaded = replies.threads is not None
    breakdowns = columns.groups() or (THREAD_GROUPS if threaded else [])
    target = Path(out) if out is not None and str(out) != "-" else None
    if target is None:
        writer = None if out is None else open_writer(out, replies.group_names, threaded)
        try:
            return summarise(analyzer, replies, breakdowns, writer, n_process, on_progress, min_sample, should_stop)
        finally:
            if writer is not None:
                writer.close()
    check_output(target)
    identity = {"fingerprint": replies.fingerprint(), "settings": settings_fingerprint(analyzer, columns, source)}
    if resume and partial_path(target).exists():
        partial = PartialResults.resume(target, identity)
    else:
        partial = PartialResults.start(target, identity)
    try:
        summary = summarise(analyzer, replies, breakdowns, partial, n_process, on_progress, min_sample, should_stop)
    except ResumeMismatch:
        partial.keep()  # it may belong to another input: the user decides
        raise
    except KeyboardInterrupt as interrupt:
        partial.keep()
        kept = partial.path if partial.path.exists() else None
        raise ScanInterrupted(partial.written, kept) from interrupt
    except BaseException:
        partial.discard()
        raise
    try:
        partial.publish(replies.group_names, threaded)
    except KeyboardInterrupt as interrupt:
        raise ScanInterrupted(partial.written, partial.path) from interrupt
    return summary


def settings_fingerprint(analyzer: Analyzer, columns: Columns, source: str) -> str:
    """A checksum of everything besides the input that decides a scan's results."""
    settings = f"{VERSION}\0{analyzer.config.model_dump_json()}\0{columns.model_dump_json()}\0{source}"
    digest = hashlib.sha256(settings.encode())
    for rules_file in analyzer.config.rules:
        try:
            digest.update(Path(rules_file).read_bytes())
        except OSError:
            digest.update(b"unreadable")
    return digest.hexdigest()


def summarise(
    analyzer: Analyzer,
    replies: ReplySource,
    breakdowns: list[str],
    sink: RecordWriter | PartialResults | None,
    n_process: int,
    on_progress: ProgressCallback | None,
    min_sample: int = MIN_SAMPLE,
    should_stop: StopCheck | None = None,
) -> ScanSummary:
    started = time.perf_counter()
    tally = SummaryTally(breakdowns, min_sample)
    items = replies.replies()
    if isinstance(sink, PartialResults):
        for record in sink.resumed_records():
            item = next(items, None)
            if item is None or (item.row, item.line) != (record.row, record.line):
                where = "past the end of the input" if item is None else f"at line {item.line} there"
                raise ResumeMismatch(
                    f"{sink.path} does not match {replies.path}: its row {record.row} (line {record.line}) is {where}; "
                    "delete it to start over"
                )
            tally.add(record, item.text)
        tally.resumed = tally.rows
    for item, record in scan_records(analyzer, items, n_process, should_stop):
        if sink is not None:
            sink.write(record)
        tally.add(record, item.text)
        if on_progress is not None and tally.rows % _PROGRESS_EVERY == 0:
            on_progress(tally.rows, replies.position())
    if on_progress is not None:
        on_progress(tally.rows, replies.size)
    return tally.summary(str(replies.path), time.perf_counter() - started, replies.name, replies.threads)
