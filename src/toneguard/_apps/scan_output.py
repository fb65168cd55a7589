"""Where a scan's results go: a partial file while rows are written, the output only once every row is.

The partial file is ``<output>.partial`` beside the output (``results.jsonl`` ->
``results.jsonl.partial``). It is JSON Lines: a first line naming the scan (a
checksum of the input's format, header and first rows, and one of the
settings), then one result per input row, in order, exactly as a ``.jsonl``
output holds them. When the last row is written, the results are copied into
the output's own format under a temporary name that is renamed into place, and
the partial file is removed: a completed scan leaves only its output.

An interrupted scan keeps the partial file, so ``--resume`` continues after
its last row. A failure that cannot be resumed (a full disk, an input error)
leaves nothing behind, and nothing is ever written at the output's own path
before the output is whole.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
from pathlib import Path
from typing import IO, Iterator

from pydantic import ValidationError

from .outcome import ScanRecord
from .row_files import RowFileError
from .scan_writers import PARQUET_NEEDS_PYARROW, open_writer, output_kind, parquet_available

PARTIAL_SUFFIX = ".partial"
_HEADER_KEY = "toneguard_partial_scan"
_FORMAT_VERSION = 1
_COPY_CHUNK = 1 << 20


class ScanOutputError(RowFileError):
    """The results cannot be written, or a partial file cannot be resumed."""


class ResumeMismatch(ScanOutputError):
    """A partial file does not fit the input it is resumed with; it is left as it is."""


def partial_path(out: Path) -> Path:
    """The partial file of the output ``out``."""
    return out.with_name(out.name + PARTIAL_SUFFIX)


def check_destination(path: Path) -> None:
    """Raises :class:`ScanOutputError` unless a file can be written at ``path``: checked before any work."""
    folder = path.parent
    if path.is_dir():
        raise ScanOutputError(f"{path}: is a folder; give a file name")
    if not folder.is_dir():
        raise ScanOutputError(f"{path}: the folder {folder} does not exist")
    if not os.access(folder, os.W_OK | os.X_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise ScanOutputError(f"{path}: permission denied")


def check_output(out: Path) -> None:
    """Raises :class:`ScanOutputError` unless ``out`` names a format that can be written, where it can be written."""
    check_destination(out)
    kind, _ = output_kind(out)
    if kind == ".parquet" and not parquet_available():
        raise ScanOutputError(f"{out}: {PARQUET_NEEDS_PYARROW}")
    check_destination(partial_path(out))


class PartialResults:
    """The partial file of one scan: rows appended as they are written, published as the output at the end."""

    def __init__(self, out: Path, stream: IO[str]):
        self.out = out
        self.path = partial_path(out)
        self._stream = stream
        self.resumed = 0
        """Rows that were already in the partial file when the scan began (read back so far)."""
        self.written = 0
        """Rows in the partial file now."""
        self._unread: tuple[int, int] | None = None  # byte range of the rows a resumed scan has yet to read back

    @classmethod
    def start(cls, out: Path, identity: dict[str, str]) -> PartialResults:
        """A new partial file; refuses to replace one left by an interrupted scan."""
        path = partial_path(out)
        if path.exists():
            raise ScanOutputError(
                f"{path} holds the results of an interrupted scan: add --resume to continue it, or delete it to start over"
            )
        try:
            stream = path.open("x", encoding="utf-8", newline="\n")
            stream.write(json.dumps({_HEADER_KEY: _FORMAT_VERSION, **identity}) + "\n")
        except OSError as err:
            path.unlink(missing_ok=True)
            raise ScanOutputError(f"{out}: cannot write: {err.strerror or err}") from err
        return cls(out, stream)

    @classmethod
    def resume(cls, out: Path, identity: dict[str, str]) -> PartialResults:
        """The partial file left by an interrupted scan of the same input with the same settings.

        A row cut short by the interruption is dropped. Its rows (:meth:`resumed_records`)
        must be read before new ones are written.
        """
        path = partial_path(out)
        try:
            with path.open("rb") as handle:
                header = handle.readline()
            _check_header(path, header, identity)
            kept_end = max(_last_whole_line_end(path), len(header))
            stream = path.open("a", encoding="utf-8", newline="\n")
            stream.truncate(kept_end)  # a line cut short by the interruption goes
        except OSError as err:
            raise ScanOutputError(f"{path}: cannot read: {err.strerror or err}") from err
        partial = cls(out, stream)
        partial._unread = (len(header), kept_end)
        return partial

    def resumed_records(self) -> Iterator[ScanRecord]:
        """The rows an interrupted scan wrote, counted in :attr:`resumed` as they are read."""
        if self._unread is None:
            return
        start, end = self._unread
        self._unread = None
        with self.path.open("rb") as handle:
            handle.seek(start)
            line_number = 1
            while handle.tell() < end:
                line = handle.readline()
                line_number += 1
                try:
                    record = ScanRecord.model_validate_json(line)
                except ValidationError:
                    raise ResumeMismatch(f"{self.path}: line {line_number} is damaged; delete it to start over") from None
                self.resumed += 1
                self.written += 1
                yield record

    def write(self, record: ScanRecord) -> None:
        try:
            self._stream.write(record.model_dump_json(exclude_none=True) + "\n")
        except OSError as err:
            self.discard()
            raise ScanOutputError(f"cannot write {self.out}: {err.strerror or err}; nothing was kept") from err
        self.written += 1

    def keep(self) -> None:
        """Closes the file for a later --resume (after an interruption); if it cannot be saved, nothing is kept."""
        try:
            self._stream.close()
        except OSError:
            self.discard()

    def discard(self) -> None:
        """Removes the partial file, whatever state its stream is in."""
        try:
            self._stream.close()
        except OSError:
            pass  # the file goes anyway; what did not reach it does not matter
        self.path.unlink(missing_ok=True)

    def publish(self, group_names: list[str], threaded: bool = False) -> None:
        """Writes the output from the partial file and removes the partial file."""
        try:
            self._stream.close()
        except OSError as err:
            self.discard()
            raise ScanOutputError(f"cannot write {self.out}: {err.strerror or err}; nothing was kept") from err
        staging = self.out.with_name(f".{self.out.name}.{os.getpid()}.tmp")
        try:
            self._copy_to(staging, group_names, threaded)
            os.replace(staging, self.out)
        except BaseException as err:
            staging.unlink(missing_ok=True)
            if isinstance(err, OSError):
                self.path.unlink(missing_ok=True)
                raise ScanOutputError(f"cannot write {self.out}: {err.strerror or err}; nothing was kept") from err
            raise  # interrupted while copying: the partial file is whole, and --resume finishes the copy
        self.path.unlink(missing_ok=True)

    def _copy_to(self, staging: Path, group_names: list[str], threaded: bool) -> None:
        kind, compressed = output_kind(self.out)
        with self.path.open("rb") as source:
            source.readline()  # the header
            if kind == ".jsonl":  # the lines are the output already
                opener = gzip.open if compressed else open
                with opener(staging, "wb") as target:
                    shutil.copyfileobj(source, target, _COPY_CHUNK)
                return
            writer = open_writer(self.out, group_names, threaded, write_to=staging)
            try:
                for line in source:
                    writer.write(ScanRecord.model_validate_json(line))
            finally:
                writer.close()


def _last_whole_line_end(path: Path) -> int:
    """The byte offset just after the file's last newline."""
    with path.open("rb") as handle:
        end = handle.seek(0, os.SEEK_END)
        position = end
        while position > 0:
            step = min(_COPY_CHUNK, position)
            handle.seek(position - step)
            block = handle.read(step)
            newline = block.rfind(b"\n")
            if newline >= 0:
                return position - step + newline + 1
            position -= step
    return 0


def _check_header(path: Path, header: bytes, identity: dict[str, str]) -> None:
    try:
        fields = json.loads(header)
    except ValueError:
        fields = None
    if not isinstance(fields, dict) or fields.get(_HEADER_KEY) != _FORMAT_VERSION:
        raise ScanOutputError(f"{path} is not a partial file of this version of toneguard; delete it to start over")
    for key, what in (("fingerprint", "input (its header or first rows differ)"), ("settings", "settings (rules, columns or options differ)")):
        if fields.get(key) != identity[key]:
            raise ScanOutputError(f"{path} was written for another {what}; delete it to start over")
