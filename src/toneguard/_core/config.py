"""User settings, from ``toneguard.toml`` or ``[tool.toneguard]`` in ``pyproject.toml``."""

from __future__ import annotations

import sys
from pathlib import Path

from pydantic import Field, ValidationError

from .._rules.patterns import PatternLimits
from ..models import Category, Record

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


class ConfigError(ValueError):
    """A settings file could not be used."""


class Config(Record):
    """How an :class:`~toneguard.Analyzer` is set up. Every field has a sensible default."""

    disable: list[str] = Field(default=[], description="Rule ids (TG101) or categories (technical) to turn off.")
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

    @classmethod
    def from_file(cls, path: str | Path) -> Config:
        """Reads ``toneguard.toml`` (top-level keys) or ``pyproject.toml`` (``[tool.toneguard]``)."""
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
        """The nearest ``toneguard.toml``, or ``pyproject.toml`` with a ``[tool.toneguard]`` table."""
        folder = Path(start).resolve()
        for candidate in (folder, *folder.parents):
            own = candidate / "toneguard.toml"
            if own.is_file():
                return cls.from_file(own)
            pyproject = candidate / "pyproject.toml"
            if pyproject.is_file() and "[tool.toneguard]" in pyproject.read_text("utf-8", "replace"):
                return cls.from_file(pyproject)
        return cls()
