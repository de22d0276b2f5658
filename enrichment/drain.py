"""Drain the raw sink in batches: claim, process, load, acknowledge, all in one transaction (DESIGN 2-4)."""

from __future__ import annotations

import logging
import os
import socket
from dataclasses import dataclass

from django.db import transaction

from collector.sinks import ClaimedPayload, RawSink, get_sink
from enrichment import micro
from enrichment.badrows import badrows_record
from enrichment.config import get_pipeline
from enrichment.pipeline import Step
from enrichment.processing import process_payload
from enrichment.versioning import ConfigWatcher, config_version_get
from iglu import api as iglu
from operations.api import batch_counts_record

logger = logging.getLogger(__name__)


@dataclass
class DrainResult:
    payloads: int = 0
    skipped: int = 0
    enriched: int = 0
    good: int = 0
    bad: int = 0
    duplicates: int = 0


_watcher = ConfigWatcher()


def consumer_name() -> str:
    return f"{socket.gethostname()}-{os.getpid()}"


def drain_batch(batch_size: int, sink: RawSink | None = None) -> DrainResult:
    """Process one batch exactly once; the sink is acknowledged only if the warehouse commit succeeds.

    A payload already in the load manifest (a re-delivered stream entry) is acknowledged without loading.
    A registry outage raises before commit, so the batch stays in the sink for a later retry.
    """
    sink = sink or get_sink()
    version = config_version_get()  # read once: it decides both the Iglu caches and the phase-2 pipeline
    if _watcher.changed(version):
        iglu.clear_caches()
    with transaction.atomic():
        claimed = sink.claim(batch_size, consumer_name())
        if not claimed:
            return DrainResult()
        result = payloads_load(claimed, get_pipeline(version))
        sink.ack(claimed)
        batch_counts_record(consumer_name(), payloads=result.payloads, enriched=result.enriched,
                            loaded=result.good, failed=result.bad, duplicates=result.duplicates)
    return result


def payloads_load(payloads: list[ClaimedPayload], phase_2: list[tuple[str, Step]] | None = None) -> DrainResult:
    """Process payloads and load them exactly once, inside the caller's transaction.

    Shared by the drain and by imports of historical data: each payload id goes to the load manifest, so
    a payload seen before is skipped, and events, bad rows and the raw archive are written together.
    """
    from warehouse.api import LoadableEvent, batch_load, loaded_payload_ids, raw_archive_record

    phase_2 = phase_2 if phase_2 is not None else get_pipeline()
    result = DrainResult(payloads=len(payloads))
    already = loaded_payload_ids([payload.id for payload in payloads])
    good, bad, fresh, enriched = [], [], [], []
    for payload in payloads:
        if payload.id in already:
            result.skipped += 1
            continue
        fresh.append(payload)
        outcome = process_payload(payload.data, phase_2)
        good.extend(LoadableEvent(item.event, item.fingerprint) for item in outcome.good)
        enriched.extend(outcome.good)
        bad.extend(outcome.bad)
    loaded = batch_load(good, [payload.id for payload in fresh])
    raw_archive_record([(payload.id, payload.data) for payload in fresh])
    badrows_record(bad)
    if micro.is_enabled():
        micro.micro_record(enriched, bad)
    result.enriched = len(enriched)
    result.good = loaded.events_loaded
    result.duplicates = loaded.duplicates_skipped
    result.bad = len(bad)
    return result
