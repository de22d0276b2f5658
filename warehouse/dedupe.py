"""De-duplication (spec 1.6): natural copies (same event_id and fingerprint) are loaded once, across batches;
synthetic copies (same event_id, another fingerprint) get a new event_id and a `duplicate` context."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from django.db import connection

from warehouse.models import EventKey

DUPLICATE_SCHEMA = "iglu:com.snowplowanalytics.snowplow/duplicate/jsonschema/1-0-0"
CONTEXTS_SCHEMA = "iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/1-0-1"


@dataclass
class Deduplicated:
    """The events to load, in batch order, and how many copies were dropped or re-identified."""

    events: list[dict[str, Any]] = field(default_factory=list)
    natural_duplicates: int = 0
    synthetic_duplicates: int = 0


def events_deduplicate(events: list[tuple[dict[str, Any], str]]) -> Deduplicated:
    """Drop natural duplicates within the batch and against every earlier load, re-identify synthetic ones.

    The keys are inserted into the side table in the caller's transaction: a concurrent batch holding the same
    key makes this one wait for its outcome, so two workers never both load one event."""
    result = Deduplicated()
    unique: dict[tuple[str, str], dict[str, Any]] = {}
    for event, fingerprint in events:
        key = (str(event["event_id"]).lower(), fingerprint)
        if key in unique:
            result.natural_duplicates += 1
        else:
            unique[key] = event
    fresh = _keys_insert(unique, events_collector_ms=[event["collector_tstamp"] for event in unique.values()])
    seen_ids: set[str] = set()
    for key, event in unique.items():
        if key not in fresh:
            result.natural_duplicates += 1
            continue
        event_id, fingerprint = key
        if fresh[key] or event_id in seen_ids:
            event = duplicate_reidentify(event, fingerprint)
            result.synthetic_duplicates += 1
        seen_ids.add(event_id)
        result.events.append(event)
    return result


def _keys_insert(
    unique: dict[tuple[str, str], dict[str, Any]], events_collector_ms: list[int]
) -> dict[tuple[str, str], bool]:
    """Insert the keys; return the new ones, each mapped to whether its event_id was already loaded with
    another fingerprint (a synthetic duplicate of an earlier batch)."""
    if not unique:
        return {}
    event_ids = [key[0] for key in unique]
    fingerprints = [key[1] for key in unique]
    table = EventKey._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH inserted AS (
                INSERT INTO {table} (event_id, fingerprint, collector_tstamp)
                SELECT k.event_id, k.fingerprint, to_timestamp(k.ms / 1000.0)
                FROM unnest(%s::uuid[], %s::text[], %s::bigint[]) AS k(event_id, fingerprint, ms)
                ON CONFLICT (event_id, fingerprint) DO NOTHING
                RETURNING event_id, fingerprint
            )
            SELECT i.event_id::text, i.fingerprint, EXISTS (
                SELECT 1 FROM {table} earlier
                WHERE earlier.event_id = i.event_id AND earlier.fingerprint <> i.fingerprint
            )
            FROM inserted i
            """,
            [event_ids, fingerprints, events_collector_ms],
        )
        return {(row[0], row[1]): row[2] for row in cursor.fetchall()}


def duplicate_reidentify(event: dict[str, Any], fingerprint: str) -> dict[str, Any]:
    """Return a copy of a synthetic duplicate with a new event_id and a `duplicate` derived context naming the
    original. The new id is derived from (original id, fingerprint), so a replay re-identifies it the same way."""
    original = str(event["event_id"]).lower()
    copy = dict(event)
    copy["event_id"] = str(uuid.uuid5(uuid.UUID(original), fingerprint))
    context = {"schema": DUPLICATE_SCHEMA, "data": {"originalEventId": original}}
    derived = copy.get("derived_contexts") or {"schema": CONTEXTS_SCHEMA, "data": []}
    copy["derived_contexts"] = {**derived, "data": [*derived.get("data", []), context]}
    return copy
