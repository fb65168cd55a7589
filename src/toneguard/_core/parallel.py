"""Work over many items, in this process or across worker processes, always in input order.

Work goes out in chunks and only a few chunks per process are in flight, so an
input of any length streams through in flat memory. Forked workers inherit the
parent's Analyzer; spawned ones build their own from its settings.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice
from typing import Any, Callable, Iterable, Iterator, Protocol, TypeVar

from .config import Config


class Rebuildable(Protocol):
    """What the workers use (an Analyzer): forked ones inherit it, spawned ones build their own from ``config``."""

    config: Config

    def __init__(self, config: Config) -> None: ...


Item = TypeVar("Item")
Result = TypeVar("Result")
Worker = TypeVar("Worker", bound=Rebuildable)

CHUNK_SIZE = 64
# Chunks queued per process: enough to keep every worker busy, few enough to keep memory flat.
_CHUNKS_IN_FLIGHT = 4


def ordered_map(
    analyzer: Worker,
    work: Callable[[Worker, list[Item]], list[Result]],
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
        n_process, mp_context=_process_context(), initializer=_start_worker, initargs=(type(analyzer), analyzer.config)
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


_worker_analyzer: Rebuildable | None = None


def _start_worker(analyzer_class: type[Rebuildable], config: Config) -> None:
    global _worker_analyzer
    if _worker_analyzer is None or _worker_analyzer.config != config:  # spawned, so nothing was inherited
        _worker_analyzer = analyzer_class(config)


def _run_chunk(work: Callable[[Rebuildable, list[Item]], list[Result]], chunk: list[Item]) -> list[Result]:
    assert _worker_analyzer is not None, "worker started without _start_worker"
    return work(_worker_analyzer, chunk)
