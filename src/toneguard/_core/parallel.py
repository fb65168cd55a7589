"""Work over many items, in this process or across worker processes, always in input order.

Work goes out in chunks and only a few chunks per process are in flight, so an
input of any length streams through in flat memory. Forked workers inherit the
parent's Analyzer; spawned ones build their own from its settings.

The parent alone decides when work stops. Workers ignore SIGINT and SIGTERM,
which a terminal or a supervisor sends to the whole process group: the parent
handles them, and when its iteration ends early (an exception, a signal turned
into one, a consumer that stops) it tells its workers to stop after the item
in hand, and they return at once. (Killing them instead could cut a result off
half sent, and the pool would wait for the rest of it forever.) Workers also
die with the parent, even one killed outright: on Linux the kernel sends them
SIGKILL (``PR_SET_PDEATHSIG``), elsewhere each worker watches its parent. So
no worker outlives a scan to hold its pipes open.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import threading
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures import TimeoutError as ResultTimeout  # the built-in TimeoutError from 3.11, not before
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
    should_stop: Callable[[], bool] | None = None,
) -> Iterator[tuple[Item, Result]]:
    """Yields ``(item, result)`` in input order, where ``work(analyzer, chunk)`` maps a chunk to results.

    ``work`` must be a module-level function so worker processes can be sent it.
    ``should_stop`` is asked while waiting for results: once it says yes,
    KeyboardInterrupt is raised here, where stopping is safe (a signal handler
    that raised at any moment could land inside a library that turns it into
    an error of its own).
    """
    should_stop = should_stop or _never
    if n_process < 1:
        raise ValueError(f"n_process must be at least 1, not {n_process}")
    chunks = _chunks(items, chunk_size)
    if n_process == 1:
        for chunk in chunks:
            for item in chunk:
                _stop_if(should_stop)
                yield item, work(analyzer, [item])[0]
        return
    global _worker_analyzer
    _worker_analyzer = analyzer
    context = _process_context()
    stop = context.Event()
    pool = ProcessPoolExecutor(
        n_process,
        mp_context=context,
        initializer=_start_worker,
        initargs=(type(analyzer), analyzer.config, os.getpid(), stop),
    )
    finished = False
    try:
        pending: deque[tuple[list[Item], Future[list[Result]]]] = deque()
        for chunk in chunks:
            pending.append((chunk, pool.submit(_run_chunk, work, chunk)))
            if len(pending) >= n_process * _CHUNKS_IN_FLIGHT:
                done, future = pending.popleft()
                yield from zip(done, _result(future, should_stop))
        while pending:
            done, future = pending.popleft()
            yield from zip(done, _result(future, should_stop))
        finished = True
    finally:
        if not finished:
            stop.set()  # the chunks under way end after their current item
        pool.shutdown(wait=True, cancel_futures=True)
        _worker_analyzer = None


# How often a wait for a worker's results looks at should_stop.
_STOP_CHECK_SECONDS = 0.1


def _never() -> bool:
    return False


def _stop_if(should_stop: Callable[[], bool]) -> None:
    if should_stop():
        raise KeyboardInterrupt


def _result(future: Future[list[Result]], should_stop: Callable[[], bool]) -> list[Result]:
    while True:
        _stop_if(should_stop)
        try:
            return future.result(timeout=_STOP_CHECK_SECONDS)
        except ResultTimeout:
            continue


def _chunks(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _process_context() -> Any:
    # Forked workers inherit the parent's analyzer, which saves building one (seconds) in each.
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


_worker_analyzer: Rebuildable | None = None
_stop: Any = None  # in a worker: the event the parent sets when it wants no more results


def _start_worker(analyzer_class: type[Rebuildable], config: Config, parent: int, stop: Any) -> None:
    global _worker_analyzer, _stop
    _stop = stop
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    _die_with(parent)
    if _worker_analyzer is None or _worker_analyzer.config != config:  # spawned, so nothing was inherited
        _worker_analyzer = analyzer_class(config)


_PR_SET_PDEATHSIG = 1
_PARENT_CHECK_SECONDS = 1.0


def _die_with(parent: int) -> None:
    """Ends this worker when the process ``parent`` ends, however it ends."""
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            _watch(parent)
    else:
        _watch(parent)
    if os.getppid() != parent:  # the parent ended before the kernel was told to watch it
        os._exit(1)


def _watch(parent: int) -> None:
    def watch() -> None:
        while os.getppid() == parent:
            threading.Event().wait(_PARENT_CHECK_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="toneguard-parent-watch", daemon=True).start()


def _run_chunk(work: Callable[[Rebuildable, list[Item]], list[Result]], chunk: list[Item]) -> list[Result]:
    """The chunk's results, item by item, so a stop the parent asks for ends it after the item in hand."""
    assert _worker_analyzer is not None, "worker started without _start_worker"
    results: list[Result] = []
    for item in chunk:
        if _stop is not None and _stop.is_set():
            break
        results += work(_worker_analyzer, [item])
    return results
