"""The ``toneguard`` command: one module per subcommand, registered here; what they share is in ``common``.

To add a command, write its function in a module of its own and register it in ``COMMANDS``.
"""

from __future__ import annotations

from importlib import import_module
from typing import Annotated

import typer

from .._version import VERSION
from .common import EXIT_OK

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
            app.command(name)(getattr(import_module(f".{module}", __package__), function))
    return app
