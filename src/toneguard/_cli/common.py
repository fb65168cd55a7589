"""What every command shares: options, exit codes, settings and analyzer set-up, errors and output.

Exit codes: 0 = nothing flagged (or the command just reports), 1 = something
flagged, 2 = a usage or input error. Errors are printed as one-line messages,
never as tracebacks (set ``TONEGUARD_DEBUG=1`` to see one).
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Callable, Iterator, Optional, TypeVar

import typer

from ..models import Category, Severity

if TYPE_CHECKING:  # the heavy modules are imported inside the commands that need them
    from rich.console import Console

    from .._core.analyzer import Analyzer
    from .._core.config import Config

EXIT_OK, EXIT_FLAGGED, EXIT_ERROR = 0, 1, 2

CATEGORY_STYLES = {Category.dismissive: "red", Category.clipped: "yellow", Category.technical: "cyan"}


class OutputFormat(str, Enum):
    text = "text"
    json = "json"


class CheckFormat(str, Enum):
    """``toneguard check``'s formats: for people, for scripts, for code scanning and for GitHub Actions."""

    text = "text"
    json = "json"
    jsonl = "jsonl"
    sarif = "sarif"
    github = "github"


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
    typer.Option(
        "--config",
        help="Settings file for everything (.toneguard.toml, toneguard.toml or pyproject.toml); "
        "default: the nearest one above each checked file, or above the current folder.",
    ),
]
DisableOption = Annotated[
    Optional[list[str]],
    typer.Option("--disable", help="Rule id (TG101) or category to turn off; repeatable (as --ignore).", metavar="ID_OR_CATEGORY"),
]
SelectOption = Annotated[
    Optional[list[str]],
    typer.Option(
        "--select",
        help="Only these rules: ids (TG301), id prefixes (TG3, ACME), categories or severities; "
        "comma-separated or repeated. Replaces the settings' select.",
        metavar="RULES",
    ),
]
IgnoreOption = Annotated[
    Optional[list[str]],
    typer.Option(
        "--ignore",
        help="Turn off rules named as for --select; added to the settings' ignore, and wins over select.",
        metavar="RULES",
    ),
]
MinSeverityOption = Annotated[
    Optional[Severity],
    typer.Option(
        "--min-severity",
        help="Only rules of this severity or higher.",
        parser=choice_of(Severity),
        metavar=choices_metavar(Severity),
    ),
]
RulesOption = Annotated[
    Optional[list[Path]],
    typer.Option("--rules", help="Extra rules file added to the configured ones; repeatable.", metavar="EXTRA.yaml"),
]
ExitZeroOption = Annotated[
    bool, typer.Option("--exit-zero", help="Exit 0 even when something is flagged (2 still means an error).")
]
FormatOption = Annotated[
    OutputFormat,
    typer.Option("--format", help="Output format.", parser=choice_of(OutputFormat), metavar=choices_metavar(OutputFormat)),
]
# The columns of a file of replies (scan and eval).
TextColumnOption = Annotated[str, typer.Option(help="Column holding the reply.")]
CustomerColumnOption = Annotated[
    Optional[str],
    typer.Option(help="Column holding the customer's message; a column named here must exist. [default: customer, if present]"),
]
IdColumnOption = Annotated[
    Optional[str], typer.Option(help="Column holding a row id; a column named here must exist. [default: id, if present]")
]


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


@dataclass(frozen=True)
class RuleOptions:
    """What the command line says about which rules run, laid over the settings files."""

    select: list[str] | None = None
    ignore: list[str] = field(default_factory=list)
    min_severity: Severity | None = None
    rules: list[Path] = field(default_factory=list)

    @classmethod
    def of(
        cls,
        select: list[str] | None = None,
        ignore: list[str] | None = None,
        disable: list[str] | None = None,
        min_severity: Severity | None = None,
        rules: list[Path] | None = None,
    ) -> RuleOptions:
        """From the options as typed: each of --select, --ignore and --disable may be repeated and comma-separated."""

        def split(values: list[str] | None) -> list[str]:
            return [part.strip() for value in values or [] for part in value.split(",") if part.strip()]

        return cls(
            select=split(select) if select else None,
            ignore=[*split(disable), *split(ignore)],
            min_severity=min_severity,
            rules=list(rules or []),
        )

    def apply(self, config: Config) -> Config:
        """``config`` with these options: --select replaces, --ignore and --rules add, --min-severity sets."""
        from pydantic import ValidationError

        update: dict[str, Any] = {}
        if self.select is not None:
            update["select"] = self.select
        if self.ignore:
            update["ignore"] = [*config.ignore, *self.ignore]
        if self.min_severity is not None:
            update["min_severity"] = self.min_severity
        if self.rules:
            update["rules"] = [*config.rules, *self.rules]
        if not update:
            return config
        try:
            return type(config).model_validate({**config.model_dump(), **update})
        except ValidationError as err:
            problems = "; ".join(f"--{'.'.join(map(str, e['loc'][:1])).replace('_', '-')}: {e['msg']}" for e in err.errors())
            raise InputError(problems.replace("Value error, ", "")) from None

    @property
    def selectors(self) -> list[str]:
        return [*(self.select or []), *self.ignore]


def load_config(config_path: Path | None, options: RuleOptions = RuleOptions()) -> Config:
    """The discovered (or given) settings with the command line's additions."""
    from .._core.config import Config, ConfigError

    if config_path is not None and not config_path.is_file():
        raise ConfigError(f"{config_path}: no such settings file")
    config = Config.from_file(config_path) if config_path is not None else Config.discover()
    return options.apply(config)


def build_analyzer(config: Config) -> Analyzer:
    from .._core.analyzer import Analyzer
    from .._rules.loading import RulesError

    try:
        return Analyzer(config)
    except RulesError:
        raise
    except ValueError as err:  # e.g. a spacy_model that is not installed
        raise InputError(f"cannot set up the analyzer: {err}") from err


def analyzer_for(config_path: Path | None, options: RuleOptions = RuleOptions()) -> Analyzer:
    """The Analyzer a command's ``--config`` and rule options ask for, warning of selectors that name no rule."""
    analyzer = build_analyzer(load_config(config_path, options))
    warn_unmatched([analyzer], options)
    return analyzer


def warn_unmatched(analyzers: list[Analyzer], options: RuleOptions) -> None:
    """--select and --ignore take ids, prefixes, categories and severities; a typo would otherwise select nothing."""
    from .._core.selection import RuleSelection
    from .._core.config import Config

    if not options.selectors or not analyzers:
        return
    probe = RuleSelection(Config(select=options.selectors))
    every_rule = [loaded.rule for analyzer in analyzers for loaded in analyzer.rule_set.rules]
    for selector in probe.unmatched(every_rule):
        print_error(f"toneguard: warning: {selector}: no rule, id prefix, category or severity by that name")


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

