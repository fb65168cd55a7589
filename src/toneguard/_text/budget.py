"""The time one analysis may take, so no reply and no rules file can keep it running.

Work is checked against the deadline between steps that are themselves
bounded (one matcher call over a bounded window, a few hundred matches): a
step in progress finishes, then the analysis stops with what it has and says so.
"""

from __future__ import annotations

import time


class Budget:
    """A deadline, checked between steps; once it has passed, it stays spent."""

    def __init__(self, seconds: float | None = None):
        self._deadline = None if seconds is None else time.monotonic() + seconds
        self.seconds = seconds
        self.spent = False

    def exhausted(self) -> bool:
        """True once the deadline has passed (and from then on)."""
        if not self.spent and self._deadline is not None and time.monotonic() > self._deadline:
            self.spent = True
        return self.spent
