"""Command-line paths to files: files, folders (searched for the kinds toneguard reads), globs and ``-``.

Folders skip hidden entries, dependency and build folders, and whatever the
nearest settings ``exclude``; they also take the files the settings ``include``.
A file named outright is checked whatever its name, unless an ``exclude`` names it
and ``force_exclude`` is set (as pre-commit, which names every changed file, wants).
"""

from __future__ import annotations

import fnmatch
import glob
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Iterator

from .settings import Settings, SettingsFinder
from .sources import KINDS_BY_SUFFIX

SKIPPED_FOLDERS = frozenset({"node_modules", "__pycache__", "venv", "site-packages", "build", "dist", "_build"})
_GLOB_CHARACTERS = re.compile(r"[*?\[]")


@dataclass(frozen=True)
class Target:
    """A file to check, named as the user will see it."""

    path: Path
    name: str


class NoSuchPath(ValueError):
    """A command-line argument that names no file, folder or glob match."""


def is_glob(argument: str) -> bool:
    return bool(_GLOB_CHARACTERS.search(argument))


def expand(arguments: list[str], finder: SettingsFinder, force_exclude: bool = False) -> list[Target]:
    """The files named by ``arguments`` (paths, folders, globs), each once, in the order given."""
    seen: set[Path] = set()
    targets = []
    for argument in arguments:
        for target in _expand_one(argument, finder, force_exclude):
            key = target.path.resolve()
            if key not in seen:
                seen.add(key)
                targets.append(target)
    return targets


def _expand_one(argument: str, finder: SettingsFinder, force_exclude: bool) -> Iterator[Target]:
    path = Path(argument)
    if path.is_dir():
        yield from _walk(path, finder)
    elif path.exists():  # a file, or a pipe such as <(command) named outright
        if not (force_exclude and excluded(path, finder.for_file(path))):
            yield Target(path, argument)
    elif is_glob(argument):
        matches = sorted(glob.glob(argument, recursive=True))
        if not matches:
            raise NoSuchPath(f"no files match {argument}")
        for match in matches:
            yield from _expand_one(match, finder, force_exclude)
    else:
        raise NoSuchPath(f"no such file or folder: {argument}")


def _walk(folder: Path, finder: SettingsFinder) -> Iterator[Target]:
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError:
        return  # an unreadable folder holds nothing we can check
    for entry in entries:
        path = folder / entry.name
        if entry.name.startswith("."):
            continue
        if entry.is_dir(follow_symlinks=False):
            if entry.name not in SKIPPED_FOLDERS and not excluded(path, finder.for_folder(path)):
                yield from _walk(path, finder)
        elif entry.is_file():
            settings = finder.for_file(path)
            wanted = path.suffix.lower() in KINDS_BY_SUFFIX or _any_match(settings.config.include, path, settings)
            if wanted and not excluded(path, settings):
                yield Target(path, str(path))


def excluded(path: Path, settings: Settings) -> bool:
    return _any_match(settings.config.exclude, path, settings)


def _any_match(patterns: list[str], path: Path, settings: Settings) -> bool:
    if not patterns:
        return False
    try:
        relative = PurePosixPath(path.resolve().relative_to(settings.root.resolve()).as_posix())
    except ValueError:  # outside the settings' folder: only patterns without a slash can apply
        relative = PurePosixPath(path.name)
    return any(matches(pattern, relative) for pattern in patterns)


def matches(pattern: str, relative: PurePosixPath) -> bool:
    """Whether a gitignore-style ``pattern`` names ``relative`` or one of its folders.

    Without a slash it matches a name at any depth (``drafts``, ``*.bak``); with one it
    is anchored at the settings' folder (``macros/old/*.json``, ``**/archive``).
    """
    pattern = pattern.strip().rstrip("/")
    if not pattern:
        return False
    if "/" not in pattern:
        return any(fnmatch.fnmatchcase(part, pattern) for part in relative.parts)
    regex = _anchored(pattern.lstrip("/"))
    return any(regex.fullmatch("/".join(relative.parts[:depth])) for depth in range(1, len(relative.parts) + 1))


@lru_cache(maxsize=256)
def _anchored(pattern: str) -> re.Pattern[str]:
    pieces = []
    for piece in re.split(r"(\*\*/|\*\*|\*|\?|\[[^\]]*\])", pattern):
        if piece == "**/":
            pieces.append("(?:.*/)?")
        elif piece == "**":
            pieces.append(".*")
        elif piece == "*":
            pieces.append("[^/]*")
        elif piece == "?":
            pieces.append("[^/]")
        elif piece.startswith("[") and piece.endswith("]") and len(piece) > 2:
            pieces.append("[" + ("^" if piece[1] == "!" else "") + re.escape(piece[2 if piece[1] == "!" else 1 : -1]) + "]")
        else:
            pieces.append(re.escape(piece))
    return re.compile("".join(pieces))
