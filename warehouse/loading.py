"""The loader: one batch of enriched events into atomic.events, exactly once, inside the caller's transaction."""

from __future__ import annotations

import datetime as dt
import logging
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import psycopg
from django.db import DatabaseError, transaction

from warehouse.atomic import COLUMNS, EVENTS_TABLE
from warehouse.copying import copy_rows
from warehouse.dedupe import events_deduplicate
from warehouse.encoding import EVENT_COPY_TYPES, event_row, events_sanitize
from warehouse.manifest import manifest_record
from warehouse.modeling.realtime import realtime_record
from warehouse.shredding import TableRows, events_shred, tables_copy

logger = logging.getLogger(__name__)

REQUIRED_FIELDS = ("event_id", "collector_tstamp", "v_collector", "v_etl")
_UUID = re.compile(r"[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}\Z")


class LoadableEvent(NamedTuple):
    """One canonical event (dict keyed by field name, absent = null) and its de-duplication fingerprint."""

    event: dict[str, Any]
    fingerprint: str


@dataclass(frozen=True)
class LoadResult:
    """What one batch_load did. `events_loaded` counts rows written to atomic.events, re-identified synthetic
    duplicates included; `duplicates_skipped` counts natural duplicates dropped."""

    events_loaded: int
    duplicates_skipped: int
    synthetic_duplicates: int
    payloads_recorded: int
    entities_loaded: int
    batch_id: uuid.UUID


def check_loadable(events: Sequence[LoadableEvent]) -> None:
    """Raise ValueError naming the first event that lacks a field atomic.events requires, or has a bad id."""
    for position, (event, fingerprint) in enumerate(events):
        event_id = event.get("event_id")
        if not (event_id and event.get("v_collector") and event.get("v_etl")) or event.get("collector_tstamp") is None:
            missing = [name for name in REQUIRED_FIELDS if event.get(name) in (None, "")]
            raise ValueError(f"event {position} cannot be loaded: missing {missing}")
        if fingerprint.__class__ is not str:
            raise ValueError(f"event {position} cannot be loaded: its fingerprint is no string")
        if event_id.__class__ is not str or not _UUID.match(event_id):
            raise ValueError(f"event {position} cannot be loaded: event_id {event_id!r} is no UUID")


def batch_load(events: Sequence[LoadableEvent], payload_ids: Sequence[str]) -> LoadResult:
    """Load a batch of events and record its raw payloads in the manifest, in the caller's transaction.

    Natural duplicates (same event_id and fingerprint, in this batch or any earlier one) are dropped; synthetic
    ones are re-identified. Nothing is visible to others until the caller commits; if the caller rolls back,
    nothing was loaded. Raises ValueError for events missing a required field (a caller bug, not bad data)."""
    check_loadable(events)
    batch_id = uuid.uuid4()
    # Joins the caller's transaction (no savepoint: on any error the caller rolls back the whole batch).
    with transaction.atomic(savepoint=False):
        recorded = manifest_record(payload_ids, batch_id)
        deduplicated = events_deduplicate([(event.event, event.fingerprint) for event in events])
        entities = _batch_copy(deduplicated.events)
        # Issue 9 (data models): feed the realtime table; never fails the load (warehouse/modeling/realtime.py).
        realtime_record(deduplicated.events)
    result = LoadResult(
        events_loaded=len(deduplicated.events),
        duplicates_skipped=deduplicated.natural_duplicates,
        synthetic_duplicates=deduplicated.synthetic_duplicates,
        payloads_recorded=len(recorded),
        entities_loaded=entities,
        batch_id=batch_id,
    )
    logger.debug("batch %s: %s", batch_id, result)
    return result


def _batch_copy(events: list[dict[str, Any]]) -> int:
    """COPY the events and their entities; return the entity rows written. Tables are created or migrated
    first; if PostgreSQL then refuses a value (hostile input), the batch is cleaned and copied again."""
    if not events:
        return 0
    load_tstamp = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    try:
        with transaction.atomic():
            return _copy(events, events_shred(events), load_tstamp)
    except (DatabaseError, psycopg.Error, ValueError, OverflowError, TypeError, UnicodeError) as error:
        logger.info("COPY refused a value (%s); loading the cleaned batch", error)
    clean = events_sanitize(events)
    with transaction.atomic():
        return _copy(clean, events_shred(clean, sanitize=True), load_tstamp)


def _copy(events: list[dict[str, Any]], tables: dict[str, TableRows], load_tstamp: dt.datetime) -> int:
    copy_rows(EVENTS_TABLE, COLUMNS, EVENT_COPY_TYPES, (event_row(event, load_tstamp) for event in events))
    return tables_copy(tables)
