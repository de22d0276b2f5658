"""The loader: one batch of enriched events into atomic.events, exactly once, inside the caller's transaction."""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import logging
import re
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import psycopg
from django.db import DatabaseError, connection, transaction

from warehouse.atomic import COLUMNS, EVENTS_TABLE
from warehouse.copying import copy_rows
from warehouse.dedupe import Deduplicated, batch_claim, events_deduplicate
from warehouse.encoding import EVENT_COPY_TYPES, event_row, events_sanitize
from warehouse.manifest import manifest_record, manifest_sql
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
    pairs = [(event.event, event.fingerprint) for event in events]
    load_tstamp = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    # Joins the caller's transaction (no savepoint: on any error the caller rolls back the whole batch).
    with _gc_paused(), transaction.atomic(savepoint=False):
        try:
            recorded, deduplicated, entities = _load_at_once(pairs, payload_ids, batch_id, load_tstamp)
        except _Refused as refused:
            # The fast attempt was rolled back whole (manifest, keys, tables, rows): do it again step by step,
            # with the values cleaned.
            logger.info("COPY refused a value (%s); loading the cleaned batch", refused.__cause__)
            recorded = len(manifest_record(payload_ids, batch_id))
            deduplicated = events_deduplicate(pairs)
            clean = events_sanitize(deduplicated.events)
            entities = _copy(clean, events_shred(clean, sanitize=True), load_tstamp) if clean else 0
        # Issue 9 (data models): feed the realtime table; never fails the load (warehouse/modeling/realtime.py).
        realtime_record(deduplicated.events)
    result = LoadResult(
        events_loaded=len(deduplicated.events),
        duplicates_skipped=deduplicated.natural_duplicates,
        synthetic_duplicates=deduplicated.synthetic_duplicates,
        payloads_recorded=recorded,
        entities_loaded=entities,
        batch_id=batch_id,
    )
    logger.debug("batch %s: %s", batch_id, result)
    return result


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a batch is loaded. A batch allocates tens of thousands of
    short-lived rows (none in cycles); each allocation burst would otherwise trigger collections that walk every
    object the process holds, which costs more than the load itself in a process holding many events."""
    if not (_PAUSE_GC and gc.isenabled()):
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


_PAUSE_GC = True


class _Refused(Exception):
    """PostgreSQL (or a conversion on the way) refused a value of the batch; the cause is chained."""


# What a hostile value can make the COPY path raise.
_REFUSALS = (DatabaseError, psycopg.Error, ValueError, OverflowError, TypeError, UnicodeError)


def _load_at_once(
    pairs: list[tuple[dict[str, Any], str]], payload_ids: Sequence[str], batch_id: uuid.UUID, load_tstamp: dt.datetime
) -> tuple[int, Deduplicated, int]:
    """The fast path, in few round trips: one savepoint, one statement recording the manifest and claiming the
    de-duplication keys (sent together, pipelined), then one COPY per table. Returns (payloads recorded, the
    de-duplicated events, entity rows). Raises _Refused, after rolling back to the savepoint, when a value was
    refused."""
    claim = batch_claim(pairs)
    manifest_ctes, manifest_select, manifest_params = manifest_sql(payload_ids, batch_id)
    key_ctes, key_select, key_params = claim.keys_sql()
    ctes = manifest_ctes + key_ctes
    statement = (
        (f"WITH {', '.join(ctes)} " if ctes else "")
        + f"SELECT NULL::text, ({manifest_select}) UNION ALL SELECT conflict, NULL FROM ({key_select}) AS k(conflict)"
    )
    with contextlib.ExitStack() as stack:
        cursor = stack.enter_context(connection.cursor())
        with _pipeline():
            stack.enter_context(transaction.atomic())  # the savepoint, sent with the statement
            cursor.execute(statement, manifest_params + key_params)
        rows = cursor.fetchall()
        recorded = next(count for conflict, count in rows if conflict is None)
        deduplicated = claim.resolve({conflict for conflict, _ in rows if conflict is not None})
        try:
            events = deduplicated.events
            entities = _copy(events, events_shred(events), load_tstamp) if events else 0
        except _REFUSALS as error:
            raise _Refused(str(error)) from error
    return recorded, deduplicated, entities


def _pipeline() -> contextlib.AbstractContextManager:
    """Pipeline mode on Django's psycopg connection: statements are sent at once, results read at the end."""
    connection.ensure_connection()
    if psycopg.Pipeline.is_supported():
        return connection.connection.pipeline()
    return contextlib.nullcontext()


def _copy(events: list[dict[str, Any]], tables: dict[str, TableRows], load_tstamp: dt.datetime) -> int:
    copy_rows(EVENTS_TABLE, COLUMNS, EVENT_COPY_TYPES, (event_row(event, load_tstamp) for event in events))
    return tables_copy(tables)
