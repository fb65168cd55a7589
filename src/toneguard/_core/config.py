"""User settings, from ``.toneguard.toml``, ``toneguard.toml`` or ``[tool.toneguard]`` in ``pyproject.toml``."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from pydantic import Field, ValidationError, field_validator

from .._rules.patterns import PatternLimits
from ..models import Category, Record, Severity

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


SETTINGS_FILES = (".toneguard.toml", "toneguard.toml", "pyproject.toml")
"""The names a settings file may have, in the order they are tried within one folder (as ruff does)."""

_SELECTOR = re.compile(r"^[A-Za-z]+[0-9]*$")


class ConfigError(ValueError):
    """A settings file could not be used."""


class Config(Record):
    """How an :class:`~toneguard.Analyzer` is set up. Every field has a sensible default."""

    disable: list[str] = Field(default=[], description="Rule ids (TG101) or categories (technical) to turn off.")
    select: list[str] = Field(
        default=[],
        description="Only these rules: ids (TG301), id prefixes (TG3, ACME), categories or severities. Empty: all.",
    )
    ignore: list[str] = Field(
        default=[], description="Rules to turn off, named as in ``select``; wins over ``select``."
    )
    min_severity: Severity | None = Field(default=None, description="Turn off the rules of lower severity.")
    include: list[str] = Field(
        default=[],
        description="File patterns `toneguard check` also reads in folders, beside .txt, .md, .html, .json, .yaml.",
    )
    exclude: list[str] = Field(default=[], description="File and folder patterns `toneguard check` skips.")
    rules: list[Path] = Field(default=[], description="Extra rules files, added to the built-in ones.")
    builtin_rules: bool = Field(
        default=True, description="Load the rules shipped with toneguard (its scoring numbers are loaded either way)."
    )
    thresholds: dict[Category, float] = Field(default={}, description="Score at which a category is flagged (0-1).")
    spacy_model: str | None = Field(default=None, description="An installed trained spaCy pipeline to use.")
    max_chars: int = Field(default=2_000_000, gt=0, description="Longer replies are analysed up to this many characters.")
    max_seconds: float = Field(
        default=10.0,
        gt=0,
        description="Time budget of one analysis: past it, matching stops and the report notes its findings may be incomplete.",
    )
    max_findings_per_rule: int = Field(default=100, gt=0, description="Findings kept per rule in one report; a note counts the rest.")
    max_findings: int = Field(default=1000, gt=0, description="Findings kept in one report; a note counts the rest.")
    patterns: PatternLimits = Field(
        default=PatternLimits(), description="How large token patterns may be, and how much the matcher reads at a time."
    )

    @field_validator("select", "ignore")
    @classmethod
    def _selectors(cls, values: list[str]) -> list[str]:
        wrong = [value for value in values if not _SELECTOR.match(value)]
        if wrong:
            raise ValueError(f"{', '.join(map(repr, wrong))}: give rule ids, id prefixes, categories or severities")
        return values

    @classmethod
    def from_file(cls, path: str | Path) -> Config:
        """Reads ``toneguard.toml`` or ``.toneguard.toml`` (top-level keys) or ``pyproject.toml`` (``[tool.toneguard]``)."""
        path = Path(path)
        try:
            data = tomllib.loads(path.read_text("utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
            raise ConfigError(f"{path}: cannot read settings: {err}") from err
        if path.name == "pyproject.toml":
            data = data.get("tool", {}).get("toneguard", {})
        try:
            config = cls.model_validate(data)
        except ValidationError as err:
            problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in err.errors())
            raise ConfigError(f"{path}: invalid settings: {problems}") from err
        # Rules files are named relative to the settings file, wherever toneguard runs from.
        return config.model_copy(update={"rules": [path.parent / p for p in config.rules]})

    @classmethod
    def discover(cls, start: str | Path = ".") -> Config:
        """The settings of the nearest settings file from ``start`` upwards (see :func:`find_settings_file`)."""
        path = find_settings_file(start)
        return cls.from_file(path) if path is not None else cls()


def find_settings_file(start: str | Path = ".") -> Path | None:
    """The nearest ``.toneguard.toml``, ``toneguard.toml`` or ``pyproject.toml`` with a ``[tool.toneguard]`` table.

    Searched from ``start`` (a folder, or a file's folder) up to the root; within one
    folder the names are tried in that order.
    """
    folder = Path(start).resolve()
    if not folder.is_dir():
        folder = folder.parent
    for candidate in (folder, *folder.parents):
        for name in SETTINGS_FILES:
            path = candidate / name
            if path.is_file() and (name != "pyproject.toml" or _has_toneguard_table(path)):
                return path
    return None


def _has_toneguard_table(pyproject: Path) -> bool:
    try:
        text = pyproject.read_text("utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    if "toneguard" not in text:  # most pyproject.toml files: no need to parse them
        return False
    try:
        tool = tomllib.loads(text).get("tool", {})
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"{pyproject}: cannot read settings: {err}") from err
    return isinstance(tool, dict) and "toneguard" in tool


def write_thresholds(path: str | Path, thresholds: dict[Category, float]) -> None:
    """Sets ``thresholds`` in a settings file, keeping everything else in it (comments and layout too).

    ``toneguard.toml`` takes it at the top level, ``pyproject.toml`` under
    ``[tool.toneguard]``; a missing file is created. The file is replaced in
    one step, so an interrupted write leaves the old one whole.
    """
    import tomlkit  # only this command writes settings
    from tomlkit.exceptions import TOMLKitError

    path = Path(path)
    try:
        document = tomlkit.parse(path.read_text("utf-8")) if path.exists() else tomlkit.document()
    except (OSError, UnicodeDecodeError, TOMLKitError) as err:
        raise ConfigError(f"{path}: cannot read settings: {err}") from err
    table = document
    if path.name == "pyproject.toml":
        if "tool" not in document:
            document["tool"] = tomlkit.table(is_super_table=True)
        if "toneguard" not in document["tool"]:
            document["tool"]["toneguard"] = tomlkit.table()
        table = document["tool"]["toneguard"]
    if not isinstance(table.get("thresholds"), dict):
        table["thresholds"] = tomlkit.inline_table()
    for category in Category:
        if category in thresholds:
            table["thresholds"][category.value] = thresholds[category]
    staged = path.with_name(f".{path.name}.toneguard-tmp")
    try:
        staged.write_text(tomlkit.dumps(document), "utf-8")
        staged.replace(path)
    except OSError as err:
        staged.unlink(missing_ok=True)
        raise ConfigError(f"{path}: cannot write settings: {err}") from err
