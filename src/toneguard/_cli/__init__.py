"""The ``toneguard`` command line (``application`` builds it) and its entry point.

Nothing heavy is imported here, so that :func:`main` decides how the program starts.
"""

from __future__ import annotations

import gc
import os
import sys
from contextlib import contextmanager
from importlib import import_module
from typing import Any, Iterator

from .._engines.collector import collector_paused

# The engine: what a command that names rules or analyses text imports first.
_ENGINE = "toneguard._core.analyzer"


def main() -> None:
    """The console-script entry point."""
    args = sys.argv[1:]
    with _start_up():
        from .application import COMMANDS, build_app

        # A one-shot command builds only itself: importing and describing the other six is a
        # noticeable share of a `toneguard check` start-up. Anything else (--help, a typo) gets them all.
        named = args[0] if args and args[0] in COMMANDS else None
        app = build_app(named)
        if named is not None and "--help" not in args:
            import_module(_ENGINE)
    from .common import EXIT_ERROR, EXIT_OK, print_error

    try:
        app()
    except BrokenPipeError:  # e.g. `toneguard rules | head`
        sys.stderr.close()
        os._exit(EXIT_OK)
    except Exception as err:  # a bug: say so briefly instead of a traceback
        if os.environ.get("TONEGUARD_DEBUG"):
            raise
        print_error(f"toneguard: internal error: {type(err).__name__}: {err} (set TONEGUARD_DEBUG=1 for the traceback)")
        sys.exit(EXIT_ERROR)
    finally:
        # The process ends with the command. Python's last collection would scan everything the
        # command built (the engine's matchers and vocabulary) only to let the process go; Python
        # does not promise to finalize objects still alive at exit, and the commands close what
        # they write themselves.
        gc.freeze()


@contextmanager
def _start_up() -> Iterator[None]:
    """The program's imports, with Python's cycle collector paused, their objects then kept out of its scans.

    Importing spaCy, pydantic and the command line makes about a hundred
    thousand objects that live as long as the process and form no garbage.
    Collecting while they were made, and scanning them again in later full
    collections and in the one at exit, took about 0.15 s of a one-shot
    ``toneguard check``; ``gc.freeze`` is meant for such objects. The
    collector runs as usual afterwards, over what the command itself makes.
    """
    with collector_paused():
        try:
            yield
        finally:
            gc.freeze()  # while still paused: the collector's first pass would otherwise scan them all


def __getattr__(name: str) -> Any:
    if name in ("app", "build_app", "COMMANDS"):  # the whole command, for embedding and tests
        from . import application

        value = application.build_app() if name == "app" else getattr(application, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
