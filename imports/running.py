"""Running an import: files in parallel processes, each streamed in batches of one transaction each, resumable
through the load manifest (payload id `import:<SHA-1 of the file>:<record position>`), with progress reports."""

from __future__ import annotations

import logging
import multiprocessing
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from queue import Empty
from typing import Any

from django.db import connections, transaction

from enrichment.versioning import ConfigWatcher
from iglu import api as iglu
from imports.formats import get_format
from imports.loading import BatchCounts, Item, items_load
from imports.sources import file_identity, open_stream

logger = logging.getLogger(__name__)

Progress = Callable[[int, BatchCounts], None]
# Larger than the drain's 500: fewer round trips and commits per event (bench/bench_imports.py), still bounded memory.
DEFAULT_BATCH_SIZE = 2000


@dataclass(frozen=True)
class ImportOptions:
    """How to run an import; checked once when the command parses its arguments."""

    format: str
    batch_size: int = DEFAULT_BATCH_SIZE
    dry_run: bool = False
    workers: int = 1

    def __post_init__(self) -> None:
        get_format(self.format)
        if self.batch_size < 1 or self.workers < 1:
            raise ValueError("batch size and workers must be at least 1")


@dataclass
class Notes:
    """Notes on values taken with a doubt (ambiguous times): all counted, the first few kept to show."""

    count: int = 0
    samples: list[str] = field(default_factory=list)
    keep: int = 20

    def append(self, note: str) -> None:
        self.count += 1
        if len(self.samples) < self.keep:
            self.samples.append(note)


@dataclass
class FileSummary:
    """One file's outcome. `error` is set when the file could not be read to its end; what was committed
    before stays, and a later run resumes after it."""

    path: str
    identity: str = ""
    counts: BatchCounts = field(default_factory=BatchCounts)
    headers: int = 0
    notes: Notes = field(default_factory=Notes)
    error: str | None = None


@dataclass
class ImportSummary:
    files: list[FileSummary] = field(default_factory=list)
    seconds: float = 0.0
    dry_run: bool = False

    @property
    def totals(self) -> BatchCounts:
        total = BatchCounts()
        for item in self.files:
            total.add(item.counts)
        return total

    def as_dict(self) -> dict[str, Any]:
        totals = self.totals
        return {
            "dry_run": self.dry_run,
            "files": len(self.files),
            "files_failed": sum(1 for item in self.files if item.error),
            "lines_read": totals.records + sum(item.headers for item in self.files),
            "headers_skipped": sum(item.headers for item in self.files),
            "already_imported": totals.already_imported,
            "payloads": totals.payloads,
            "events_loaded": totals.events_loaded,
            "bad_rows": totals.bad_rows,
            "duplicates_skipped": totals.duplicates_skipped,
            "notes": sum(item.notes.count for item in self.files),
            "seconds": round(self.seconds, 3),
            "events_per_second": round(totals.events_loaded / self.seconds) if self.seconds else 0,
        }


def import_files(paths: list[Path], options: ImportOptions, progress: Progress | None = None) -> ImportSummary:
    """Import every file; files go to `options.workers` processes. Files with the same content are imported
    once (the second would only be skipped record by record)."""
    started = time.monotonic()
    summary = ImportSummary(dry_run=options.dry_run)
    if options.workers == 1 or len(paths) == 1:
        identities = [file_identity(path) for path in paths]
        for path, identity in _distinct(paths, identities):
            summary.files.append(file_import(path, identity, options, progress))
    else:
        summary.files = _parallel(paths, options, progress)
    summary.seconds = time.monotonic() - started
    return summary


def _distinct(paths: list[Path], identities: list[str]) -> Iterator[tuple[Path, str]]:
    seen: set[str] = set()
    for path, identity in zip(paths, identities, strict=True):
        if identity in seen:
            logger.info("%s has the content of a file already in this import; skipped", path)
            continue
        seen.add(identity)
        yield path, identity


def file_import(path: Path, identity: str, options: ImportOptions, progress: Progress | None = None) -> FileSummary:
    """Stream one file in batches; each batch commits on its own, or, in a dry run, everything is rolled back
    at the end of the file, so the counts are exactly what a real run would do."""
    summary = FileSummary(str(path), identity)
    try:
        if options.dry_run:
            with transaction.atomic():
                _batches_run(path, options, summary, progress)
                transaction.set_rollback(True)
        else:
            _batches_run(path, options, summary, progress)
    except Exception as error:  # one unreadable file must not stop the others; the summary names it
        logger.exception("import of %s stopped", path)
        summary.error = f"{type(error).__name__}: {error}"
    return summary


_watcher = ConfigWatcher()


def _batches_run(path: Path, options: ImportOptions, summary: FileSummary, progress: Progress | None) -> None:
    import_format = get_format(options.format)
    decode, notes, batch_size = import_format.decode, summary.notes, options.batch_size
    prefix = f"import:{summary.identity}:"
    stream, counter = open_stream(path)
    reported = position = 0
    with stream:
        records = import_format.records(stream)
        while True:
            items: list[Item] = []
            start = position
            for record in islice(records, batch_size):
                position += 1
                value = decode(record, notes)
                if value is None:
                    summary.headers += 1
                else:
                    items.append((f"{prefix}{position}", value))
            if position == start:
                return
            if _watcher.changed():
                iglu.clear_caches()
            with transaction.atomic():
                counts = items_load(items)
            summary.counts.add(counts)
            if progress:
                progress(counter.consumed - reported, counts)
                reported = counter.consumed


# --- parallel ---------------------------------------------------------------------------------------------------

_queue: Any = None


def _worker_start(queue: Any) -> None:
    global _queue
    _queue = queue


def _worker_identity(path: Path) -> str:
    return file_identity(path)


def _worker_import(path: Path, identity: str, options: ImportOptions) -> FileSummary:
    try:
        return file_import(path, identity, options, lambda size, counts: _queue.put((size, counts)))
    finally:
        connections.close_all()


def _parallel(paths: list[Path], options: ImportOptions, progress: Progress | None) -> list[FileSummary]:
    """Fork workers (Django is set up already; connections are closed first so that no socket is shared)."""
    connections.close_all()
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    workers = min(options.workers, len(paths))
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_worker_start, initargs=(queue,)) as pool:
        identities = list(pool.map(_worker_identity, paths))
        pending: set[Future] = {pool.submit(_worker_import, path, identity, options)
                                for path, identity in _distinct(paths, identities)}
        futures = list(pending)
        while pending:
            _, pending = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
            _progress_drain(queue, progress)
    # Workers have exited, so every progress message they put is in the queue now.
    _progress_drain(queue, progress)
    order = {str(path): index for index, path in enumerate(paths)}
    return sorted((future.result() for future in futures), key=lambda item: order[item.path])


def _progress_drain(queue: Any, progress: Progress | None) -> None:
    while True:
        try:
            size, counts = queue.get_nowait()
        except Empty:
            return
        if progress:
            progress(size, counts)
