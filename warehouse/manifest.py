"""The load manifest (DESIGN contract 4): which raw payloads are already in the warehouse."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import psycopg
from django.db import IntegrityError, connection, transaction

from warehouse.arrays import text_array
from warehouse.copying import copy_rows
from warehouse.models import LoadManifest

TABLE = LoadManifest._meta.db_table


def loaded_payload_ids(payload_ids: Sequence[str]) -> set[str]:
    """Return the ids among `payload_ids` whose events were already loaded (committed, or in this transaction)."""
    if not payload_ids:
        return set()
    return set(LoadManifest.objects.filter(payload_id__in=list(payload_ids)).values_list("payload_id", flat=True))


def manifest_record(payload_ids: Sequence[str], batch_id: uuid.UUID) -> set[str]:
    """Record `payload_ids` as loaded by this batch; return the ids that were new.

    An id already present was loaded by another transaction (a payload reclaimed from a slow worker); the
    insert waits for that transaction, so the answer is final when it returns."""
    if not payload_ids:
        return set()
    # The drain skipped loaded payloads already, so a conflict is rare: try the fast COPY, and only when
    # it meets one, take the INSERT that skips conflicting ids.
    try:
        with transaction.atomic():
            copy_rows(TABLE, ["payload_id", "batch_id"], None, ((pid, batch_id) for pid in payload_ids))
        return set(payload_ids)
    except (IntegrityError, psycopg.errors.UniqueViolation):
        pass
    ids_sql, ids = text_array(payload_ids)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {TABLE} (payload_id, batch_id)
            SELECT unnest({ids_sql}), %s
            ON CONFLICT (payload_id) DO NOTHING
            RETURNING payload_id
            """,
            [ids, batch_id],
        )
        return {row[0] for row in cursor.fetchall()}


def manifest_sql(payload_ids: Sequence[str], batch_id: uuid.UUID) -> tuple[list[str], str, list]:
    """Return (CTEs, SELECT, params) recording `payload_ids` as manifest_record does, for a loader that runs it
    in one statement with others; the SELECT's one row is the number of ids that were new."""
    if not payload_ids:
        return [], "SELECT 0", []
    ids_sql, ids = text_array(payload_ids)
    cte = f"""recorded AS (
        INSERT INTO {TABLE} (payload_id, batch_id)
        SELECT unnest({ids_sql}), %s
        ON CONFLICT (payload_id) DO NOTHING
        RETURNING payload_id
    )"""
    return [cte], "SELECT count(*) FROM recorded", [ids, batch_id]
