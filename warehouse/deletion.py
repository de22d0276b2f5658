"""Erasure requests (GDPR): every row of one person, by user_id, domain_userid or network_userid, deleted from
atomic.events, the per-schema tables, the derived tables, the bad rows and the raw archive, with a report.

Bad rows and archived payloads hold the identifier only inside raw payloads, so they are matched by substring
(the value as sent and URL-encoded); a value shorter than MIN_SUBSTRING_LENGTH would match unrelated rows, so
those two stores are then left alone and the report says so.
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any
from urllib.parse import quote as url_quote

from django.db import connection, transaction

from warehouse.archive import PREFIX, decode_records, encode_records
from warehouse.atomic import EVENTS_TABLE
from warehouse.entity_tables import quote
from warehouse.models import DeletionRequest, RawArchiveEntry, ShreddedTable
from warehouse.storage import get_storage, storage_list, storage_write

logger = logging.getLogger(__name__)

IDENTIFIERS = ("user_id", "domain_userid", "network_userid")
MIN_SUBSTRING_LENGTH = 6
DERIVED_SCHEMA = "derived"
# Derived tables name the visitor `visitor_id` (domain_userid, else network_userid).
_DERIVED_COLUMNS = {"user_id": ("user_id",), "domain_userid": ("visitor_id",), "network_userid": ("visitor_id",)}


def person_delete(identifier: str, value: str) -> dict[str, Any]:
    """Delete every row of the person with `identifier` = `value`; return and record the report."""
    if identifier not in IDENTIFIERS:
        raise ValueError(f"identifier must be one of {', '.join(IDENTIFIERS)}")
    if not value:
        raise ValueError("an empty identifier matches no one")
    report: dict[str, Any] = {"identifier": identifier}
    with transaction.atomic():
        with connection.cursor() as cursor:
            _atomic_delete(cursor, identifier, value, report)
            _derived_delete(cursor, identifier, value, report)
        if len(value) >= MIN_SUBSTRING_LENGTH:
            report["bad_rows"] = _bad_rows_delete(value)
            report["raw_archive_rows"] = _archive_rows_delete(value)
        else:
            report["not_searched"] = ["bad_rows", "raw_archive"]
        DeletionRequest.objects.create(
            identifier=identifier, value_sha256=hashlib.sha256(value.encode()).hexdigest(), report=report
        )
    if len(value) >= MIN_SUBSTRING_LENGTH:
        # Files cannot take part in the transaction; rewriting them after the commit keeps a failed request from
        # having deleted archived payloads while keeping the events.
        report["raw_archive_files"] = _archive_files_rewrite(value)
        DeletionRequest.objects.filter(value_sha256=hashlib.sha256(value.encode()).hexdigest()).update(report=report)
    logger.info("deletion request on %s: %s", identifier, report)
    return report


def _atomic_delete(cursor, identifier: str, value: str, report: dict[str, Any]) -> None:
    cursor.execute(
        f"CREATE TEMP TABLE doomed_events ON COMMIT DROP AS "
        f"SELECT event_id, collector_tstamp FROM {EVENTS_TABLE} WHERE {identifier} = %s",
        [value],
    )
    report["entities"] = {}
    for table in ShreddedTable.objects.all():
        cursor.execute(
            f"DELETE FROM {quote('atomic')}.{quote(table.name)} t USING doomed_events d "
            "WHERE t.root_id = d.event_id AND t.root_tstamp = d.collector_tstamp"
        )
        if cursor.rowcount:
            report["entities"][table.name] = cursor.rowcount
    cursor.execute(f"DELETE FROM {EVENTS_TABLE} WHERE {identifier} = %s", [value])
    report["events"] = cursor.rowcount


def _derived_delete(cursor, identifier: str, value: str, report: dict[str, Any]) -> None:
    """Delete from every derived table that names the person (by column) or holds their events."""
    report["derived"] = {}
    for table, columns in _derived_tables(cursor).items():
        matching = [c for c in (identifier, *_DERIVED_COLUMNS[identifier]) if c in columns]
        conditions = [f"{quote(column)} = %s" for column in matching]
        params: list[Any] = [value] * len(matching)
        if "event_id" in columns:
            conditions.append("event_id IN (SELECT event_id FROM doomed_events)")
        if not conditions:
            continue
        cursor.execute(f"DELETE FROM {quote(DERIVED_SCHEMA)}.{quote(table)} WHERE {' OR '.join(conditions)}", params)
        if cursor.rowcount:
            report["derived"][table] = cursor.rowcount


def _derived_tables(cursor) -> dict[str, set[str]]:
    cursor.execute(
        "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = %s",
        [DERIVED_SCHEMA],
    )
    tables: dict[str, set[str]] = {}
    for table, column in cursor.fetchall():
        tables.setdefault(table, set()).add(column)
    return tables


def _needles(value: str) -> list[str]:
    return sorted({value, url_quote(value, safe=""), url_quote(value, safe="").replace("%20", "+")})


def _bad_rows_delete(value: str) -> int:
    from enrichment.models import BadRow

    table = BadRow._meta.db_table
    conditions, params = [], []
    for needle in _needles(value):
        conditions.append("strpos(data::text, %s) > 0 OR position(convert_to(%s, 'UTF8') in payload) > 0")
        params += [needle, needle]
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE {' OR '.join(conditions)}", params)
        return cursor.rowcount


def _archive_rows_delete(value: str) -> int:
    conditions = " OR ".join("position(convert_to(%s, 'UTF8') in payload) > 0" for _ in _needles(value))
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {RawArchiveEntry._meta.db_table} WHERE {conditions}", _needles(value))
        return cursor.rowcount


def _archive_files_rewrite(value: str) -> dict[str, int]:
    """Rewrite each archive file holding the person's payloads without them; return removed records by file."""
    needles = [needle.encode() for needle in _needles(value)]
    storage = get_storage()
    removed = {}
    for name in storage_list(PREFIX):
        records = list(decode_records(storage.open(name).read()))
        kept = [(pid, data) for pid, data in records if not any(needle in data for needle in needles)]
        if len(kept) == len(records):
            continue
        if kept:
            storage_write(name, encode_records(kept))
        else:
            storage.delete(name)
        removed[name] = len(records) - len(kept)
    return removed
