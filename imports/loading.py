"""Process and load one batch of imported items, the way the enrichment drain does, minus the sink.

An item is (payload id, value): CollectorPayload bytes go through `process_payload` as live traffic does, an
already-enriched event (enriched TSV) goes straight to the loader, and a bad row (a line no loader could read)
is stored as it is. Every id is recorded in the load manifest in the batch's transaction, bad lines included,
so a repeated or resumed import skips them all (DESIGN contract 4)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields

from django.db import transaction

from enrichment.badrows import BadRowData, badrows_record
from enrichment.config import get_pipeline
from enrichment.processing import process_payload
from warehouse.api import LoadableEvent, batch_load, loaded_payload_ids, raw_archive_record

Item = tuple[str, "bytes | LoadableEvent | BadRowData"]


@dataclass
class BatchCounts:
    """What loading a batch did; summed per file and per import."""

    records: int = 0
    already_imported: int = 0
    payloads: int = 0
    events_loaded: int = 0
    duplicates_skipped: int = 0
    bad_rows: int = 0
    dropped: int = 0

    def add(self, other: BatchCounts) -> None:
        for item in fields(self):
            setattr(self, item.name, getattr(self, item.name) + getattr(other, item.name))


def unloaded_ids(payload_ids: Sequence[str]) -> set[str]:
    """The ids among `payload_ids` not yet in the load manifest: what a resumed import still has to do."""
    return set(payload_ids) - loaded_payload_ids(payload_ids)


def items_load(items: Sequence[Item], archive: bool = True) -> BatchCounts:
    """Process and load `items` in the caller's transaction; ids already loaded are skipped.

    With `archive`, CollectorPayloads are kept in the raw archive as the drain keeps live ones, so a later
    replay can reprocess imported history too."""
    counts = BatchCounts(records=len(items))
    done = loaded_payload_ids([payload_id for payload_id, _ in items])
    counts.already_imported = len(done)
    fresh = [(payload_id, value) for payload_id, value in items if payload_id not in done]
    good: list[LoadableEvent] = []
    bad: list[BadRowData] = []
    raw: list[tuple[str, bytes]] = []
    phase_2 = get_pipeline() if any(isinstance(value, bytes) for _, value in fresh) else None
    for payload_id, value in fresh:
        if isinstance(value, BadRowData):
            bad.append(value)
        elif isinstance(value, bytes):
            raw.append((payload_id, value))
            outcome = process_payload(value, phase_2)
            good.extend(LoadableEvent(item.event, item.fingerprint) for item in outcome.good)
            bad.extend(outcome.bad)
            counts.dropped += outcome.dropped
        else:
            good.append(value)
    with transaction.atomic(savepoint=False):
        loaded = batch_load(good, [payload_id for payload_id, _ in fresh])
        if archive:
            raw_archive_record(raw)
        badrows_record(bad)
    counts.payloads = len(raw)
    counts.events_loaded = loaded.events_loaded
    counts.duplicates_skipped = loaded.duplicates_skipped
    counts.bad_rows = len(bad)
    return counts
