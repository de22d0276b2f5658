"""Import Snowplow history: CloudFront or Clojure collector logs, Thrift raw archives, enriched TSV archives."""

from __future__ import annotations

import json
import os
import time

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from imports.formats import FORMATS
from imports.loading import BatchCounts
from imports.running import DEFAULT_BATCH_SIZE, ImportOptions, import_files
from imports.sources import list_files


class Command(BaseCommand):
    help = (
        "Import historical Snowplow data from files, directories or globs (plain or gzip). Raw formats are "
        "processed like live traffic; enriched TSV is loaded as it is. Resumable: a second run changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("locations", nargs="+", help="files, directories (read recursively) or glob patterns")
        parser.add_argument("--format", required=True, choices=sorted(FORMATS),
                            help="; ".join(f"{name}: {item.description}" for name, item in FORMATS.items()))
        parser.add_argument("--dry-run", action="store_true", help="process everything, then roll back: report only")
        parser.add_argument("--workers", type=int, default=min(4, os.cpu_count() or 1),
                            help="processes importing files in parallel (default: up to 4)")
        parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE, help="records per transaction")

    def handle(self, *args, **options):
        try:
            paths = list_files(options["locations"])
            settings = ImportOptions(options["format"], options["batch_size"], options["dry_run"], options["workers"])
        except (FileNotFoundError, KeyError, ValueError) as error:
            raise CommandError(str(error)) from error
        total = sum(path.stat().st_size for path in paths)
        with ImportBar(total, options["format"], disable=options["verbosity"] == 0) as bar:
            summary = import_files(paths, settings, bar.update)
        for item in summary.files:
            if item.error:
                self.stderr.write(f"{item.path}: {item.error} (run again to resume)")
            for note in item.notes.samples[:5]:
                self.stderr.write(f"{item.path}: {note}")
            if item.notes.count > 5:
                self.stderr.write(f"{item.path}: {item.notes.count - 5} more notes like these")
        self.stdout.write(json.dumps(summary.as_dict()))


BAR_FORMAT = "{desc}: {percentage:3.0f}%|{bar}| {n_fmt}/{total_fmt} [{elapsed}<{remaining}]{postfix}"


class ImportBar:
    """A tqdm bar over the stored bytes read (so its ETA holds for gzip too) showing events/s and counts."""

    def __init__(self, total: int, name: str, disable: bool = False) -> None:
        self.bar = tqdm(total=total, unit="B", unit_scale=True, desc=name, disable=disable, bar_format=BAR_FORMAT)
        self.counts = BatchCounts()
        self.started = time.monotonic()

    def update(self, size: int, counts: BatchCounts) -> None:
        self.counts.add(counts)
        elapsed = max(time.monotonic() - self.started, 1e-9)
        self.bar.set_postfix_str(
            f"{self.counts.events_loaded / elapsed:,.0f} events/s, {self.counts.records:,} lines, "
            f"{self.counts.events_loaded:,} events, {self.counts.bad_rows:,} bad", refresh=False)
        self.bar.update(size)

    def __enter__(self) -> ImportBar:
        return self

    def __exit__(self, *exc) -> None:
        self.bar.close()
