"""``--fix`` and ``--diff``: the safe plain-English replacements written into the files they were found in.

Only findings with a ``replacement`` (the drop-in wordings the rewrite uses) are
applied, and only where the finding's text stands in the file character for
character; in JSON and HTML the wording is escaped as the format needs. A fixed
file is read again before it is written: unless every text reads exactly as its
rewrite, the file is left alone. Files are replaced atomically (written beside,
then renamed), keeping their line endings, byte-order mark and permissions.
"""

from __future__ import annotations

import difflib
import html
import json
import os
import shutil
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

from ..._core.rewrite import apply_replacements, safe_replacements
from .run import FileResult
from .sources import FileKind, NotAnExport, SourceError, SourceFile
from .texts import documents


@dataclass(frozen=True)
class Fix:
    """A file's text with the safe replacements made; ``unplaced`` could not be made in the file itself."""

    source: SourceFile
    text: str
    applied: int
    unplaced: int = 0
    problem: str | None = None

    @property
    def changed(self) -> bool:
        return self.problem is None and self.text != self.source.text

    def diff(self) -> str:
        """A unified diff of the change, as ``git diff`` would show it."""
        return "".join(
            difflib.unified_diff(
                self.source.text.splitlines(keepends=True),
                self.text.splitlines(keepends=True),
                fromfile=f"a/{self.source.name}",
                tofile=f"b/{self.source.name}",
            )
        )

    def write(self) -> None:
        """Writes the fixed text over the file, atomically. Raises ``OSError``."""
        assert self.source.path is not None, "only files are written"
        write_atomically(self.source.path, self.source.encoded(self.text))


def plan_fix(result: FileResult) -> Fix | None:
    """The fix of one checked file, or None when it has nothing to fix."""
    source = result.source
    if source is None or not result.checked:
        return None
    edits: list[tuple[int, int, str]] = []
    expected: list[str] = []
    unplaced = 0
    for item in result.checked:
        placed = []
        for finding in safe_replacements(item.report.findings):
            offsets = item.document.offsets
            if not offsets.verbatim(finding.start, finding.end):
                unplaced += 1
                continue
            placed.append(finding)
            edits.append((offsets(finding.start), offsets(finding.end), escaped_wording(finding.replacement or "", source.kind)))
        expected.append(apply_replacements(item.document.text, placed))
    if not edits:
        return Fix(source, source.text, 0, unplaced) if unplaced else None
    text = _spliced(source.text, edits)
    fix = Fix(source, text, len(edits), unplaced)
    if _texts_of(replace(source, text=text)) != expected:
        return replace(fix, text=source.text, problem="the fixed file would not read back as the rewrite; left as it was")
    return fix


def write_atomically(path: Path, data: bytes) -> None:
    handle = tempfile.NamedTemporaryFile(dir=path.parent, prefix=f".{path.name}.", suffix=".toneguard", delete=False)
    try:
        with handle:
            handle.write(data)
        shutil.copymode(path, handle.name)
        os.replace(handle.name, path)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise


def escaped_wording(wording: str, kind: FileKind) -> str:
    """A wording as it must be written into a file of this kind."""
    if kind == "json":
        return json.dumps(wording, ensure_ascii=False)[1:-1]
    if kind == "html":
        return html.escape(wording, quote=False)
    return wording


def _spliced(text: str, edits: list[tuple[int, int, str]]) -> str:
    pieces = []
    cursor = 0
    for start, end, wording in sorted(edits):
        pieces += [text[cursor:start], wording]
        cursor = end
    pieces.append(text[cursor:])
    return "".join(pieces)


def _texts_of(source: SourceFile) -> list[str] | None:
    try:
        return [document.text for document in documents(source)]
    except (SourceError, NotAnExport):
        return None
