"""The ``toneguard`` command: one module per subcommand, registered here; what they share is in ``common``.

To add a command, write its function in a module of its own and register it below.
"""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer

from .._version import VERSION
from . import calibrate, check, evaluate, explain, rules, scan, serve
from .common import EXIT_ERROR, EXIT_OK, print_error

app = typer.Typer(
    name="toneguard",
    help="Flags dismissive, clipped and overly technical wording in help-desk replies.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _print_version(asked: bool) -> None:
    if asked:
        typer.echo(f"toneguard {VERSION}")
        raise typer.Exit(EXIT_OK)


@app.callback()
def _options(
    version: Annotated[
        bool, typer.Option("--version", help="Print the version and exit.", callback=_print_version, is_eager=True)
    ] = False,
) -> None:
    """Flags dismissive, clipped and overly technical wording in help-desk replies."""


app.command("check")(check.check)
app.command("rules")(rules.list_rules)
app.command("explain")(explain.explain)
app.command("eval")(evaluate.evaluate)
app.command("calibrate")(calibrate.calibrate)
app.command("serve")(serve.serve)
app.command("scan")(scan.scan)


def main() -> None:
    """The console-script entry point."""
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
