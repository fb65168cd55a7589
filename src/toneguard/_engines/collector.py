"""Python's cycle collector paused while long-lived, acyclic data is made."""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector paused for the block (left as it was found).

    Building matchers, loading cached tables or importing a library makes many
    small objects that live as long as the process and form no cycles; each
    burst of them would otherwise set the collector scanning the whole young
    heap again and again, for nothing.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
