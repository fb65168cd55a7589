"""The texts a file holds: a reply per text, Markdown or HTML file (Markdown without its front matter), a text per
macro in a macro export.

>>> source = SourceFile.read(Path("macros/refund.md"), "macros/refund.md")     # doctest: +SKIP
>>> [document.text for document in documents(source)]                          # doctest: +SKIP
"""

from __future__ import annotations

import re

from .macros import macro_documents
from .offsets import Offsets
from .sources import Document, SourceFile

# YAML (---) or TOML (+++) front matter: the page's metadata, not its prose.
_FRONT_MATTER = re.compile(r"\A(---|\+\+\+)[ \t]*\n.*?^\1[ \t]*(?:\n|\Z)", re.DOTALL | re.MULTILINE)


def documents(source: SourceFile) -> list[Document]:
    """The texts of a file. Raises :class:`~.sources.SourceError` or :class:`~.sources.NotAnExport`."""
    if source.kind in ("json", "yaml"):
        return macro_documents(source)
    if source.kind == "markdown":
        front = _FRONT_MATTER.match(source.text)
        if front:
            return [Document(source, source.text[front.end() :], Offsets(base=front.end()))]
    return [Document(source, source.text, Offsets())]
