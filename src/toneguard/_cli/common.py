"""What every command shares: options, exit codes, settings and analyzer set-up, errors and output.

Exit codes: 0 = nothing flagged (or the command just reports), 1 = something
flagged, 2 = a usage or input error. Errors are printed as one-line messages,
never as tracebacks (set ``TONEGUARD_DEBUG=1`` to see one).
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Callable, Iterator, Optional, TypeVar

import typer

from ..models import Category

if TYPE_CHECKING:  # the heavy modules are imported inside the commands that need them
    from rich.console import Console

    from .._core.analyzer import Analyzer
    from .._core.config import Config

EXIT_OK, EXIT_FLAGGED, EXIT_ERROR = 0, 1, 2

CATEGORY_STYLES = {Category.dismissive: "red", Category.clipped: "yellow", Category.technical: "cyan"}


class OutputFormat(str, Enum):
    text = "text"
    json = "json"


class ColorMode(str, Enum):
    auto = "auto"
    always = "always"
    never = "never"


class InputError(Exception):
    """Bad input from the user: reported as one line, exit code 2."""


Choice = TypeVar("Choice", bound=Enum)


def choice_of(kind: type[Choice]) -> Callable[[Any], Choice]:
    """Reads an option's value as a member of ``kind`` (any case); a wrong value is one clear line listing the choices."""

    def parse(value: Any) -> Choice:
        if isinstance(value, kind):
            return value
        wanted = str(value).strip().lower()
        for member in kind:
            if str(member.value) == wanted:
                return member
        raise typer.BadParameter(f"{value!r} is not one of {', '.join(repr(m.value) for m in kind)}.")

    return parse


def choices_metavar(kind: type[Enum]) -> str:
    return "[" + "|".join(str(member.value) for member in kind) + "]"


ConfigOption = Annotated[
    Optional[Path],
    typer.Option("--config", help="Settings file (toneguard.toml or pyproject.toml); default: discovered from here."),
]
DisableOption = Annotated[
    Optional[list[str]],
    typer.Option("--disable", help="Rule id (TG101) or category to turn off; repeatable.", metavar="ID_OR_CATEGORY"),
]
RulesOption = Annotated[
    Optional[list[Path]],
    typer.Option("--rules", help="Extra rules file added to the configured ones; repeatable.", metavar="EXTRA.yaml"),
]
FormatOption = Annotated[
    OutputFormat,
    typer.Option("--format", help="Output format.", parser=choice_of(OutputFormat), metavar=choices_metavar(OutputFormat)),
]
# The columns of a file of replies (scan and eval).
TextColumnOption = Annotated[str, typer.Option(help="Column holding the reply.")]
CustomerColumnOption = Annotated[str, typer.Option(help="Column holding the customer's message (optional).")]
IdColumnOption = Annotated[str, typer.Option(help="Column holding a row id (optional).")]


def print_error(message: str) -> None:
    """One line on standard error."""
    typer.echo(message, err=True)


@contextmanager
def user_errors() -> Iterator[None]:
    """Turns the errors a user can cause into a one-line message and exit code 2."""
    from .._apps.row_files import RowFileError
    from .._core.config import ConfigError
    from .._rules.loading import RulesError

    try:
        yield
    except RulesError as err:
        print_error("toneguard: the rules cannot be used:")
        for problem in err.problems:
            print_error(f"  - {problem}")
        raise typer.Exit(EXIT_ERROR) from None
    except (ConfigError, RowFileError, InputError) as err:
        print_error(f"toneguard: {err}")
        raise typer.Exit(EXIT_ERROR) from None


def load_config(config_path: Path | None, disable: list[str] | None, rules: list[Path] | None) -> Config:
    """The discovered (or given) settings with the command line's additions."""
    from .._core.config import Config, ConfigError

    if config_path is not None and not config_path.is_file():
        raise ConfigError(f"{config_path}: no such settings file")
    config = Config.from_file(config_path) if config_path is not None else Config.discover()
    update: dict[str, Any] = {}
    if disable:
        update["disable"] = [*config.disable, *disable]
    if rules:
        update["rules"] = [*config.rules, *rules]
    return config.model_copy(update=update) if update else config


def build_analyzer(config: Config) -> Analyzer:
    from .._core.analyzer import Analyzer
    from .._rules.loading import RulesError

    try:
        return Analyzer(config)
    except RulesError:
        raise
    except ValueError as err:  # e.g. a spacy_model that is not installed
        raise InputError(f"cannot set up the analyzer: {err}") from err


def analyzer_for(config_path: Path | None, disable: list[str] | None, rules: list[Path] | None) -> Analyzer:
    """The Analyzer a command's ``--config``, ``--disable`` and ``--rules`` ask for, warning of unknown ``--disable`` values."""
    analyzer = build_analyzer(load_config(config_path, disable, rules))
    _warn_unknown_disables(analyzer, disable)
    return analyzer


def _warn_unknown_disables(analyzer: Analyzer, disable: list[str] | None) -> None:
    """--disable takes ids and categories; a typo would otherwise silently disable nothing."""
    known = {loaded.rule.id for loaded in analyzer.rule_set.rules} | {c.value for c in Category}
    for value in disable or []:
        if value not in known:
            print_error(f"toneguard: warning: --disable {value}: no rule or category by that name")


def make_console(color: ColorMode = ColorMode.auto, stderr: bool = False) -> Console:
    from rich.console import Console

    force = {ColorMode.auto: None, ColorMode.always: True, ColorMode.never: False}[color]
    return Console(
        stderr=stderr,
        highlight=False,
        soft_wrap=True,
        force_terminal=force,
        no_color=True if color is ColorMode.never else None,
    )


def print_json(data: Any) -> None:
    """Indented JSON on standard output."""
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False))

