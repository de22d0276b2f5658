"""Replays: archived payloads of a time range, or selected bad rows, through the current configuration.

A replayed payload is recorded in the load manifest as `<run>:<payload id>` (or `<run>:badrow:<id>`), so
running the same replay twice changes nothing; a replay under another run name reprocesses the payloads,
and de-duplication keeps the events already loaded from being loaded again.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any

from django.conf import settings
from django.db import transaction

from warehouse.archive import archived_payloads
from warehouse.loading import LoadableEvent, batch_load
from warehouse.manifest import loaded_payload_ids

logger = logging.getLogger(__name__)

Progress = Callable[[int], None]


@dataclass
class ReplayReport:
    """What a replay did, in payloads and events."""

    payloads: int = 0
    skipped: int = 0
    events_loaded: int = 0
    duplicates_skipped: int = 0
    bad_rows: int = 0

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


def replay_archive(
    start: dt.datetime, end: dt.datetime, run: str = "replay", progress: Progress | None = None
) -> ReplayReport:
    """Reprocess every payload archived in [start, end); return the report."""
    report = ReplayReport()
    items = ((f"{run}:{payload.payload_id}", payload.data) for payload in archived_payloads(start, end))
    for batch in _batches(items, settings.DRAIN_BATCH_SIZE):
        with transaction.atomic():
            _replay_batch(batch, report, record_bad_rows=True)
        if progress:
            progress(len(batch))
    return report


def replay_bad_rows(bad_rows: Iterable[Any], run: str = "replay", progress: Progress | None = None) -> ReplayReport:
    """Reprocess the original payloads of `bad_rows` (enrichment BadRow instances). A row whose payload now
    gives only good events becomes "recovered", else "replayed"; its failures are not recorded again."""
    from enrichment.models import BadRow

    report = ReplayReport()
    rows = [row for row in bad_rows if row.payload is not None]
    for batch in _batches(iter(rows), settings.DRAIN_BATCH_SIZE):
        with transaction.atomic():
            outcomes = _replay_batch(
                [(f"{run}:badrow:{row.pk}", bytes(row.payload)) for row in batch], report, record_bad_rows=False
            )
            for row, bad_count in zip(batch, outcomes, strict=True):
                if bad_count is not None:
                    row.status = BadRow.Status.REPLAYED if bad_count else BadRow.Status.RECOVERED
            BadRow.objects.bulk_update(batch, ["status"])
        if progress:
            progress(len(batch))
    return report


def _replay_batch(items: list[tuple[str, bytes]], report: ReplayReport, record_bad_rows: bool) -> list[int | None]:
    """Process and load one batch in the caller's transaction; return per item its bad-row count, or None
    when it was replayed before."""
    from enrichment.api import badrows_record
    from enrichment.config import get_pipeline
    from enrichment.processing import process_payload

    phase_2 = get_pipeline()
    done = loaded_payload_ids([key for key, _ in items])
    good, bad, keys, outcomes = [], [], [], []
    for key, data in items:
        report.payloads += 1
        if key in done:
            report.skipped += 1
            outcomes.append(None)
            continue
        outcome = process_payload(data, phase_2)
        good += [LoadableEvent(item.event, item.fingerprint) for item in outcome.good]
        bad += outcome.bad
        keys.append(key)
        outcomes.append(len(outcome.bad))
    loaded = batch_load(good, keys)
    report.events_loaded += loaded.events_loaded
    report.duplicates_skipped += loaded.duplicates_skipped
    report.bad_rows += len(bad)
    if record_bad_rows:
        badrows_record(bad)
    return outcomes


def _batches(items: Iterator, size: int) -> Iterator[list]:
    while batch := list(islice(items, size)):
        yield batch
