"""User settings, from ``toneguard.toml`` or ``[tool.toneguard]`` in ``pyproject.toml``."""

from __future__ import annotations

import sys
from pathlib import Path

from pydantic import Field, ValidationError

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
        path = settings_file(start)
        return cls() if path is None else cls.from_file(path)


def settings_file(start: str | Path = ".") -> Path | None:
    """The nearest ``toneguard.toml``, or ``pyproject.toml`` with a ``[tool.toneguard]`` table, from ``start`` up."""
    folder = Path(start).resolve()
    for candidate in (folder, *folder.parents):
        own = candidate / "toneguard.toml"
        if own.is_file():
            return own
        pyproject = candidate / "pyproject.toml"
        if pyproject.is_file() and "[tool.toneguard]" in pyproject.read_text("utf-8", "replace"):
            return pyproject
    return None


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
