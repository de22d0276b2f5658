"""Import test fixtures: the warehouse as the imports leave it, read back in comparable form."""

from __future__ import annotations

import pytest
from django.db import connection

from warehouse import entity_tables


def fetch(sql: str, params: list | None = None) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
        return cursor.fetchall()


def warehouse_state() -> dict[str, list]:
    """What an import leaves, without the values that differ from run to run (load and ETL times, row ids)."""
    return {
        "events": fetch("SELECT event_id::text, collector_tstamp, app_id, page_url, page_title, user_ipaddress, "
                        "useragent, v_collector, network_userid FROM atomic.events ORDER BY event_id"),
        "bad_rows": fetch("SELECT type, data->'data'->'payload' FROM bad_rows ORDER BY 2::text, 1"),
        "manifest": fetch("SELECT payload_id FROM warehouse_load_manifest ORDER BY 1"),
        "archive": fetch("SELECT payload_id, md5(payload) FROM warehouse_raw_archive ORDER BY 1"),
    }


def warehouse_empty() -> None:
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE atomic.events, warehouse_event_key, warehouse_load_manifest, warehouse_raw_archive, "
                       "bad_rows")


@pytest.fixture(autouse=True)
def _fresh_table_cache():
    entity_tables.cache_clear()
    yield
    entity_tables.cache_clear()
