"""De-duplication (spec 1.6): natural copies (same event_id and fingerprint) are loaded once, across batches;
synthetic copies (same event_id, another fingerprint) get a new event_id and a `duplicate` context.

The new id is uuid5(original id, fingerprint): a replayed or re-delivered synthetic copy gets the same id
again and is then recognised as a natural duplicate of itself.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.db import connection

from warehouse.arrays import text_array
from warehouse.models import EventKey

logger = logging.getLogger(__name__)

DUPLICATE_SCHEMA = "iglu:com.snowplowanalytics.snowplow/duplicate/jsonschema/1-0-0"
CONTEXTS_SCHEMA = "iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/1-0-1"
TABLE = EventKey._meta.db_table


@dataclass
class Deduplicated:
    """The events to load, and how many copies were dropped or re-identified."""

    events: list[dict[str, Any]] = field(default_factory=list)
    natural_duplicates: int = 0
    synthetic_duplicates: int = 0


@dataclass(slots=True)
class _Candidate:
    event_id: str
    fingerprint: str
    event: dict[str, Any]
    reidentified: bool = False


def events_deduplicate(events: list[tuple[dict[str, Any], str]]) -> Deduplicated:
    """Drop natural duplicates within the batch and against every earlier load, re-identify synthetic ones.

    Keys are inserted in the caller's transaction: a concurrent load holding the same event_id makes this one
    wait for its outcome, so two workers never both load one event. The first copy of an event_id ever loaded
    keeps it; which copy that is is only known once the first occurrences' keys are in."""
    claim = batch_claim(events)
    return claim.resolve(_keys_insert(claim.firsts))


@dataclass
class Claim:
    """A batch split for de-duplication: the first occurrence of each event_id, whose keys are inserted in one
    statement (`keys_sql`, which the loader may run together with others), and the other copies."""

    firsts: list[_Candidate]
    others: list[_Candidate]
    result: Deduplicated

    def keys_sql(self) -> tuple[list[str], str, list[Any]]:
        """Return (CTEs, SELECT, params) inserting the first occurrences' keys; the SELECT's one column lists
        the event_ids that were already there (the conflicts `resolve` takes)."""
        return _keys_sql(self.firsts)

    def resolve(self, conflicts: set[str]) -> Deduplicated:
        """Finish de-duplication once the first occurrences' keys are in, given the event_ids that conflicted."""
        result = self.result
        if not conflicts and not self.others:  # the usual batch: nothing seen before
            result.events = [candidate.event for candidate in self.firsts]
            return result
        loaded = [candidate for candidate in self.firsts if candidate.event_id not in conflicts]
        pending = [candidate for candidate in self.firsts if candidate.event_id in conflicts] + self.others
        if pending:
            stored = _stored_fingerprints({candidate.event_id for candidate in pending})
            retry = []
            for candidate in pending:
                if stored.get(candidate.event_id) == candidate.fingerprint:
                    result.natural_duplicates += 1
                else:
                    retry.append(_reidentified(candidate))
            loaded += _retry(retry, result)
        result.events = [candidate.event for candidate in loaded]
        result.synthetic_duplicates = sum(candidate.reidentified for candidate in loaded)
        return result


def batch_claim(events: list[tuple[dict[str, Any], str]]) -> Claim:
    """Split a batch for de-duplication (no database access)."""
    result = Deduplicated()
    firsts, others = _within_batch(events, result)
    return Claim(firsts, others, result)


def _within_batch(
    events: list[tuple[dict[str, Any], str]], result: Deduplicated
) -> tuple[list[_Candidate], list[_Candidate]]:
    """Split the batch into the first occurrence of each event_id and the other copies with another
    fingerprint; copies with the same fingerprint are natural duplicates and dropped here."""
    ids = [str(event["event_id"]).lower() for event, _ in events]
    if len(set(ids)) == len(ids):  # the usual batch: every event_id once
        pairs = zip(ids, events, strict=True)
        return [_Candidate(event_id, fingerprint, event) for event_id, (event, fingerprint) in pairs], []
    seen: set[tuple[str, str]] = set()
    first_ids: set[str] = set()
    firsts, others = [], []
    for event_id, (event, fingerprint) in zip(ids, events, strict=True):
        key = (event_id, fingerprint)
        if key in seen:
            result.natural_duplicates += 1
            continue
        seen.add(key)
        if event_id in first_ids:
            others.append(_Candidate(event_id, fingerprint, event))
        else:
            first_ids.add(event_id)
            firsts.append(_Candidate(event_id, fingerprint, event))
    return firsts, others


def _retry(candidates: list[_Candidate], result: Deduplicated) -> list[_Candidate]:
    """Insert the keys of synthetic copies found against earlier loads; a conflict now is a copy seen before."""
    conflicts = _keys_insert(candidates)
    stored = _stored_fingerprints(conflicts) if conflicts else {}
    for candidate in candidates:
        if candidate.event_id in conflicts:
            _log_collision(candidate, stored)
            result.natural_duplicates += 1
    return [candidate for candidate in candidates if candidate.event_id not in conflicts]


def _log_collision(candidate: _Candidate, stored: dict[str, str]) -> None:
    if stored.get(candidate.event_id) != candidate.fingerprint:
        # Only a uuid5 collision between a re-identified copy and another event gets here.
        logger.error("event_id %s collides with another event; dropped", candidate.event_id)


def _keys_insert(candidates: list[_Candidate]) -> set[str]:
    """Insert the candidates' keys; return the event_ids that were already there (or loaded concurrently)."""
    if not candidates:
        return set()
    ctes, select, params = _keys_sql(candidates)
    with connection.cursor() as cursor:
        cursor.execute(f"WITH {', '.join(ctes)} {select}", params)
        return {row[0] for row in cursor.fetchall()}


def _keys_sql(candidates: list[_Candidate]) -> tuple[list[str], str, list[Any]]:
    if not candidates:
        return [], "SELECT NULL::text WHERE false", []
    ids_sql, ids = text_array([candidate.event_id for candidate in candidates])
    fingerprints_sql, fingerprints = text_array([candidate.fingerprint for candidate in candidates])
    ms_sql, ms = text_array([str(int(candidate.event["collector_tstamp"])) for candidate in candidates])
    ctes = [
        f"""keys AS (
            SELECT * FROM unnest({ids_sql}::uuid[], {fingerprints_sql}, {ms_sql}::bigint[])
                AS k(event_id, fingerprint, ms)
        )""",
        f"""inserted AS (
            INSERT INTO {TABLE} (event_id, fingerprint, collector_tstamp)
            SELECT event_id, fingerprint, to_timestamp(ms / 1000.0) FROM keys
            ON CONFLICT (event_id) DO NOTHING
            RETURNING event_id
        )""",
    ]
    select = "SELECT keys.event_id::text FROM keys LEFT JOIN inserted USING (event_id) WHERE inserted.event_id IS NULL"
    return ctes, select, [ids, fingerprints, ms]


def _stored_fingerprints(event_ids: set[str]) -> dict[str, str]:
    # A new statement, so it sees keys committed by the concurrent load this one waited for.
    ids_sql, ids = text_array(sorted(event_ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT event_id::text, fingerprint FROM {TABLE} WHERE event_id = ANY({ids_sql}::uuid[])", [ids]
        )
        return dict(cursor.fetchall())


def _reidentified(candidate: _Candidate) -> _Candidate:
    event = duplicate_reidentify(candidate.event, candidate.fingerprint)
    return _Candidate(event["event_id"], candidate.fingerprint, event, reidentified=True)


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
