"""The ``toneguard`` command: one module per subcommand, registered here; what they share is in ``common``.

To add a command, write its function in a module of its own and register it below.
"""

from __future__ import annotations

import os
import sys
from importlib import import_module
from typing import Annotated, Any

import typer

from .._version import VERSION
from .common import EXIT_ERROR, EXIT_OK, print_error

# Each command: its module and function, imported only when the command is run or listed.
COMMANDS = {
    "check": ("check", "check"),
    "rules": ("rules", "list_rules"),
    "explain": ("explain", "explain"),
    "eval": ("evaluate", "evaluate"),
    "calibrate": ("calibrate", "calibrate"),
    "serve": ("serve", "serve"),
    "scan": ("scan", "scan"),
}


def _print_version(asked: bool) -> None:
    if asked:
        typer.echo(f"toneguard {VERSION}")
        raise typer.Exit(EXIT_OK)


def _options(
    version: Annotated[
        bool, typer.Option("--version", help="Print the version and exit.", callback=_print_version, is_eager=True)
    ] = False,
) -> None:
    """Flags dismissive, clipped and overly technical wording in help-desk replies."""


def build_app(only: str | None = None) -> typer.Typer:
    """The ``toneguard`` command with every subcommand, or with ``only`` that one (the same group, built faster)."""
    app = typer.Typer(
        name="toneguard",
        help="Flags dismissive, clipped and overly technical wording in help-desk replies.",
        add_completion=False,
        no_args_is_help=True,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
    )
    app.callback()(_options)
    for name, (module, function) in COMMANDS.items():
        if only is None or name == only:
            app.command(name)(getattr(import_module(f".{module}", __name__), function))
    return app


def __getattr__(name: str) -> Any:
    if name == "app":  # the whole command, for embedding and tests
        globals()["app"] = build_app()
        return globals()["app"]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main() -> None:
    """The console-script entry point."""
    # A one-shot command builds only itself: importing and describing the other six is a
    # noticeable share of a `toneguard check` start-up. Anything else (--help, a typo) gets them all.
    named = sys.argv[1] if len(sys.argv) > 1 else None
    try:
        build_app(named if named in COMMANDS else None)()
    except BrokenPipeError:  # e.g. `toneguard rules | head`
        sys.stderr.close()
        os._exit(EXIT_OK)
    except Exception as err:  # a bug: say so briefly instead of a traceback
        if os.environ.get("TONEGUARD_DEBUG"):
            raise
        print_error(f"toneguard: internal error: {type(err).__name__}: {err} (set TONEGUARD_DEBUG=1 for the traceback)")
        sys.exit(EXIT_ERROR)
