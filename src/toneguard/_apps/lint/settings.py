"""Each checked file's settings, found from its own folder upwards like ruff, and an Analyzer per settings file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..._core.analyzer import Analyzer
from ..._core.config import Config, find_settings_file


@dataclass(frozen=True)
class Settings:
    """The settings that apply to a file: what they say, and the folder their file patterns are relative to."""

    config: Config
    root: Path
    path: Path | None = None

    @property
    def name(self) -> str:
        return str(self.path) if self.path else "the default settings"


class SettingsFinder:
    """Finds the settings of each folder (each settings file read once) and builds one Analyzer per settings.

    With ``fixed`` (``--config``), that file applies everywhere. ``adjust`` adds
    the command line's own options (``--select``, ``--ignore``, ...) to whatever was found.
    """

    def __init__(self, fixed: Path | None = None, adjust: Callable[[Config], Config] = lambda config: config):
        self._fixed = fixed
        self._adjust = adjust
        self._by_folder: dict[Path, Settings] = {}
        self._by_file: dict[Path | None, Settings] = {}
        self._analyzers: dict[Path | None, Analyzer] = {}

    def for_folder(self, folder: Path) -> Settings:
        folder = folder.resolve()
        if folder not in self._by_folder:
            path = self._fixed.resolve() if self._fixed is not None else find_settings_file(folder)
            self._by_folder[folder] = self._settings(path)
        return self._by_folder[folder]

    def for_file(self, path: Path) -> Settings:
        return self.for_folder(path.parent)

    def analyzer(self, settings: Settings) -> Analyzer:
        if settings.path not in self._analyzers:
            self._analyzers[settings.path] = Analyzer(settings.config)
        return self._analyzers[settings.path]

    @property
    def analyzers(self) -> list[Analyzer]:
        """Every Analyzer built so far, in the order they were first needed."""
        return list(self._analyzers.values())

    def _settings(self, path: Path | None) -> Settings:
        if path not in self._by_file:
            config = Config.from_file(path) if path is not None else Config()
            root = path.parent if path is not None else Path.cwd()
            self._by_file[path] = Settings(self._adjust(config), root, path)
        return self._by_file[path]
