"""Checking files: every text of every file, with the Analyzer of that file's settings.

>>> linter = Linter(SettingsFinder())
>>> results = [linter.check_file(target) for target in expand(["macros/"], linter.finder)]   # doctest: +SKIP
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..._core.analyzer import Analyzer
from ...models import Report
from .discovery import Target
from .settings import Settings, SettingsFinder
from .sources import Document, NotAnExport, SourceError, SourceFile
from .texts import documents


@dataclass(frozen=True)
class Checked:
    """One text and its report, with the Analyzer that wrote it (for its rules' metadata)."""

    document: Document
    report: Report
    analyzer: Analyzer


@dataclass(frozen=True)
class FileResult:
    """What checking one file gave: its texts' reports, or why it was not checked."""

    name: str
    source: SourceFile | None = None
    settings: Settings | None = None
    checked: list[Checked] = field(default_factory=list)
    error: str | None = None
    skipped: str | None = None

    @property
    def flagged(self) -> bool:
        return any(item.report.flagged for item in self.checked)


class Linter:
    """Checks files with the settings found for each; ``customer`` (if any) is the message every text answers."""

    def __init__(self, finder: SettingsFinder, customer: str | None = None):
        self.finder = finder
        self.customer = customer

    def check_file(self, target: Target) -> FileResult:
        try:
            source = SourceFile.read(target.path, target.name)
        except SourceError as err:
            return FileResult(target.name, error=str(err))
        return self.check_source(source, self.finder.for_file(target.path))

    def check_source(self, source: SourceFile, settings: Settings) -> FileResult:
        try:
            texts = documents(source)
        except NotAnExport as err:
            return FileResult(source.name, source, settings, skipped=str(err))
        except SourceError as err:
            return FileResult(source.name, source, settings, error=str(err))
        analyzer = self.finder.analyzer(settings)
        checked = [Checked(text, analyzer.analyze(text.text, self.customer), analyzer) for text in texts]
        return FileResult(source.name, source, settings, checked)

    def settings_for(self, path: Path | None) -> Settings:
        """The settings for a file, or for text from the command line or standard input (from here)."""
        return self.finder.for_file(path) if path is not None else self.finder.for_folder(Path.cwd())
