"""A file as read for checking (``SourceFile``) and the texts in it (``Document``), each knowing its place in the file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from .offsets import Offsets, locate

FileKind = Literal["text", "markdown", "html", "json", "yaml"]

KINDS_BY_SUFFIX: dict[str, FileKind] = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".json": "json",
    ".yaml": "yaml",
    ".yml": "yaml",
}
"""The files a folder is searched for; a file named on the command line with another suffix is read as text."""

class SourceError(ValueError):
    """A file that cannot be checked: unreadable, not UTF-8, or a malformed export."""


class NotAnExport(ValueError):
    """A JSON or YAML file that holds no macros (a settings or workflow file found in a folder, say)."""


@dataclass(frozen=True)
class SourceFile:
    """A file's text, decoded, with its line endings made ``\\n`` (``newline`` says what they were)."""

    name: str
    text: str
    kind: FileKind
    path: Path | None = None
    newline: str = "\n"
    bom: bool = False

    @classmethod
    def read(cls, path: Path, name: str) -> SourceFile:
        try:
            data = path.read_bytes()
        except IsADirectoryError:
            raise SourceError(f"{name} is a directory, not a file") from None
        except OSError as err:
            raise SourceError(f"cannot read {name}: {err.strerror or err}") from None
        return cls.from_bytes(data, name, kind_of(path), path)

    @classmethod
    def from_bytes(cls, data: bytes, name: str, kind: FileKind, path: Path | None = None) -> SourceFile:
        bom = data.startswith(b"\xef\xbb\xbf")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as err:
            raise SourceError(
                f"{name} is not UTF-8 text (byte 0x{data[err.start]:02x} at offset {err.start}); save it as UTF-8"
            ) from None
        crlf = text.count("\r\n")
        newline = "\r\n" if crlf and crlf == text.count("\n") else "\n"
        return cls(name, text.replace("\r\n", "\n"), kind, path, newline, bom)

    def encoded(self, text: str) -> bytes:
        """``text`` (in this file's ``\\n`` form) as the bytes to write back: its line endings and BOM restored."""
        body = text.replace("\n", self.newline) if self.newline != "\n" else text
        return ("\ufeff" if self.bom else "").encode("utf-8") + body.encode("utf-8", "surrogatepass")


@dataclass(frozen=True)
class Document:
    """One text to check, and where it sits in its file. A macro export holds one per macro text."""

    source: SourceFile
    text: str
    offsets: Offsets
    title: str | None = None
    macro_id: str | None = None

    def position(self, offset: int) -> tuple[int, int]:
        """Line and column in the file of the text's ``offset``."""
        return locate(self.source.text, self.offsets(offset))

    @property
    def label(self) -> str:
        """The file's name, and the macro's title when the file holds macros."""
        return f"{self.source.name} › {self.title}" if self.title else self.source.name


def kind_of(path: Path) -> FileKind:
    return KINDS_BY_SUFFIX.get(path.suffix.lower(), "text")
