"""Load one batch of imported items: CollectorPayloads through the drain's own step, the rest straight in.

An item is (payload id, value). CollectorPayload bytes go through `enrichment.api.payloads_load`, the step the
live drain runs (adapters, enrichments, loader, bad rows, raw archive, load manifest). An already-enriched event
(enriched TSV) goes straight to the loader, and a bad row (a line no loader could read) is stored as it is; their
ids go to the load manifest too, so a repeated or resumed import skips every item (DESIGN contract 4)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields

from django.db import transaction

from collector.sinks import ClaimedPayload
from enrichment.api import BadRowData, badrows_record, payloads_load
from warehouse.api import LoadableEvent, batch_load, loaded_payload_ids

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

    def add(self, other: BatchCounts) -> None:
        for item in fields(self):
            setattr(self, item.name, getattr(self, item.name) + getattr(other, item.name))


def items_load(items: Sequence[Item]) -> BatchCounts:
    """Process and load `items` in the caller's transaction; ids already loaded are skipped (for CollectorPayloads
    by `payloads_load` itself, so each batch asks the manifest once per kind)."""
    counts = BatchCounts(records=len(items))
    payloads = [ClaimedPayload(payload_id, value) for payload_id, value in items if isinstance(value, bytes)]
    direct = [(payload_id, value) for payload_id, value in items if not isinstance(value, bytes)]
    done = loaded_payload_ids([payload_id for payload_id, _ in direct]) if direct else set()
    counts.already_imported = len(done)
    events: list[LoadableEvent] = []
    bad: list[BadRowData] = []
    direct_ids: list[str] = []
    for payload_id, value in direct:
        if payload_id in done:
            continue
        direct_ids.append(payload_id)
        if isinstance(value, BadRowData):
            bad.append(value)
        else:
            events.append(value)
    with transaction.atomic(savepoint=False):
        if payloads:
            drained = payloads_load(payloads)
            counts.already_imported += drained.skipped
            counts.payloads = drained.payloads - drained.skipped
            counts.events_loaded += drained.good
            counts.duplicates_skipped += drained.duplicates
            counts.bad_rows += drained.bad
        if direct_ids:
            loaded = batch_load(events, direct_ids)
            badrows_record(bad)
            counts.events_loaded += loaded.events_loaded
            counts.duplicates_skipped += loaded.duplicates_skipped
            counts.bad_rows += len(bad)
    return counts
