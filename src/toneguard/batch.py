"""Many replies at once, in this process or across worker processes, always in input order.

>>> from toneguard import Analyzer
>>> analyzer = Analyzer()
>>> for report in analyzer.analyze_many(["Reboot.", ("Fixed now.", "Is it fixed?")], n_process=2):
...     report.categories                                     # doctest: +SKIP

Work goes out in chunks and only a few chunks per process are in flight, so an
input of any length streams through in flat memory.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, TypeVar, Union

from pydantic import BaseModel, ConfigDict

from .models import Report
from .rule_schema import Category, Severity

if TYPE_CHECKING:
    from .analyzer import Analyzer
    from .config import Config

Item = TypeVar("Item")
Result = TypeVar("Result")
Reply = Union[str, tuple[str, Union[str, None]]]
"""A reply, or a (reply, customer message) pair."""

CHUNK_SIZE = 64
# Chunks queued per process: enough to keep every worker busy, few enough to keep memory flat.
_CHUNKS_IN_FLIGHT = 4


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class SpanHit(_Record):
    """A finding reduced to what a table of thousands of replies needs."""

    rule_id: str
    category: Category
    severity: Severity
    start: int
    end: int
    text: str


class ReplyOutcome(_Record):
    """A compact :class:`~toneguard.Report` for writing one line per reply."""

    language: str
    score: int
    categories: list[Category]
    scores: dict[Category, float]
    findings: list[SpanHit]
    words: int
    sentiment: float
    reading_grade: float | None
    rewrite: str | None = None

    @classmethod
    def from_report(cls, report: Report) -> ReplyOutcome:
        return cls(
            language=report.language,
            score=report.score,
            categories=report.categories,
            scores={category: score.score for category, score in report.scores.items()},
            findings=[
                SpanHit(
                    rule_id=f.rule_id, category=f.category, severity=f.severity, start=f.start, end=f.end, text=f.text
                )
                for f in report.findings
            ],
            words=report.metrics.words,
            sentiment=report.metrics.sentiment.compound,
            reading_grade=report.metrics.flesch_kincaid_grade,
            rewrite=report.rewrite if report.rewrite != report.reply else None,
        )

    def flat(self) -> dict[str, Any]:
        """One value per column (see :data:`FLAT_COLUMNS`), for CSV, Parquet and DataFrames."""
        return {
            "language": self.language,
            "score": self.score,
            "flagged": bool(self.categories),
            "categories": ";".join(c.value for c in self.categories),
            **{c.value: self.scores[c] for c in Category},
            "rules": ";".join(dict.fromkeys(f.rule_id for f in self.findings)),
            "findings": len(self.findings),
            "words": self.words,
            "sentiment": self.sentiment,
            "reading_grade": self.reading_grade,
            "rewrite": self.rewrite,
        }


# Column -> pandas dtype of ReplyOutcome.flat(); nullable dtypes so skipped rows can be empty.
FLAT_COLUMNS: dict[str, str] = {
    "language": "string",
    "score": "Int64",
    "flagged": "boolean",
    "categories": "string",
    **{category.value: "Float64" for category in Category},
    "rules": "string",
    "findings": "Int64",
    "words": "Int64",
    "sentiment": "Float64",
    "reading_grade": "Float64",
    "rewrite": "string",
}


def analyze_many(analyzer: Analyzer, replies: Iterable[Reply], n_process: int = 1) -> Iterator[Report]:
    """Reports for ``replies`` in their order; ``n_process > 1`` spreads the work over processes."""
    for _, report in ordered_map(analyzer, _reports, replies, n_process):
        yield report


def _reports(analyzer: Analyzer, replies: list[Reply]) -> list[Report]:
    return [analyzer.analyze(reply) if isinstance(reply, str) else analyzer.analyze(*reply) for reply in replies]


def ordered_map(
    analyzer: Analyzer,
    work: Callable[[Analyzer, list[Item]], list[Result]],
    items: Iterable[Item],
    n_process: int = 1,
    chunk_size: int = CHUNK_SIZE,
) -> Iterator[tuple[Item, Result]]:
    """Yields ``(item, result)`` in input order, where ``work(analyzer, chunk)`` maps a chunk to results.

    ``work`` must be a module-level function so worker processes can be sent it.
    """
    if n_process < 1:
        raise ValueError(f"n_process must be at least 1, not {n_process}")
    chunks = _chunks(items, chunk_size)
    if n_process == 1:
        for chunk in chunks:
            yield from zip(chunk, work(analyzer, chunk))
        return
    global _worker_analyzer
    _worker_analyzer = analyzer
    pool = ProcessPoolExecutor(
        n_process, mp_context=_process_context(), initializer=_start_worker, initargs=(analyzer.config,)
    )
    try:
        pending: deque[tuple[list[Item], Future[list[Result]]]] = deque()
        for chunk in chunks:
            pending.append((chunk, pool.submit(_run_chunk, work, chunk)))
            if len(pending) >= n_process * _CHUNKS_IN_FLIGHT:
                done, future = pending.popleft()
                yield from zip(done, future.result())
        while pending:
            done, future = pending.popleft()
            yield from zip(done, future.result())
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        _worker_analyzer = None


def _chunks(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _process_context() -> Any:
    # Forked workers inherit the parent's analyzer, which saves building one (seconds) in each.
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


_worker_analyzer: Analyzer | None = None


def _start_worker(config: Config) -> None:
    global _worker_analyzer
    if _worker_analyzer is None or _worker_analyzer.config != config:  # spawned, so nothing was inherited
        from .analyzer import Analyzer

        _worker_analyzer = Analyzer(config)


def _run_chunk(work: Callable[[Analyzer, list[Item]], list[Result]], chunk: list[Item]) -> list[Result]:
    assert _worker_analyzer is not None, "worker started without _start_worker"
    return work(_worker_analyzer, chunk)
