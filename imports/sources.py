"""Input files of an import: discovery (file, directory, glob), identity, and streaming reads of plain or gzip."""

from __future__ import annotations

import glob
import gzip
import hashlib
import io
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

GZIP_MAGIC = b"\x1f\x8b"
# Files Snowplow's pipelines left beside the data: Hadoop split indexes and EmrEtlRunner markers.
IGNORED_SUFFIXES = (".lzo.index", ".crc")
IGNORED_NAMES = {"_SUCCESS", "_FINISHED", ".DS_Store"}
READ_SIZE = 1 << 20
# Decompressed data is handed on in smaller pieces, so that a file cut short still yields its first lines.
DECODED_READ_SIZE = 64 << 10


def list_files(locations: Iterable[str]) -> list[Path]:
    """Expand files, directories (recursively) and glob patterns into a sorted, de-duplicated list of data files.

    Raises FileNotFoundError naming a location that matches nothing, so a typo is not a silent empty import."""
    found: dict[Path, None] = {}
    for location in locations:
        matches = [Path(match) for match in sorted(glob.glob(location, recursive=True))] or [Path(location)]
        if not any(match.exists() for match in matches):
            raise FileNotFoundError(f"{location}: no such file, directory or matching path")
        for match in matches:
            candidates = sorted(p for p in match.rglob("*") if p.is_file()) if match.is_dir() else [match]
            found.update((path.resolve(), None) for path in candidates if is_data_file(path))
    return list(found)


def is_data_file(path: Path) -> bool:
    name = path.name
    return not (name in IGNORED_NAMES or name.startswith(".") or name.endswith(IGNORED_SUFFIXES))


def file_identity(path: Path) -> str:
    """The SHA-1 of the file's bytes as stored: the same file imported again, under any name, gets the same
    payload ids and so is skipped by the load manifest."""
    digest = hashlib.sha1()
    with path.open("rb") as handle:
        while chunk := handle.read(READ_SIZE):
            digest.update(chunk)
    return digest.hexdigest()


class CountingReader(io.RawIOBase):
    """A file wrapper that counts the stored bytes read, for progress on compressed files."""

    def __init__(self, raw: BinaryIO) -> None:
        self.raw = raw
        self.consumed = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[override]
        count = self.raw.readinto(buffer)  # type: ignore[attr-defined]
        self.consumed += count or 0
        return count

    def close(self) -> None:
        self.raw.close()
        super().close()


def open_stream(path: Path) -> tuple[BinaryIO, CountingReader]:
    """Open a file for streaming, gunzipping it when it starts with the gzip magic whatever its name.

    Returns the decoded stream and the counter of stored bytes consumed."""
    counter = CountingReader(path.open("rb"))
    buffered = io.BufferedReader(counter, READ_SIZE)
    if buffered.peek(2)[:2] == GZIP_MAGIC:
        gunzipped = gzip.GzipFile(fileobj=buffered, mode="rb")
        return io.BufferedReader(gunzipped, DECODED_READ_SIZE), counter  # type: ignore[arg-type]
    return buffered, counter


def text_lines(stream: BinaryIO) -> Iterator[str]:
    """Yield each line without its line ending; undecodable bytes become U+FFFD."""
    return (raw.rstrip(b"\r\n").decode("utf-8", "replace") for raw in stream)
