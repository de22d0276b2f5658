"""Shared test setup. App-specific fixtures live in tests/<app>/conftest.py."""

from __future__ import annotations

import pytest

WAREHOUSE_SCHEMAS = ("atomic", "derived")


def _is_transactional(request: pytest.FixtureRequest) -> bool:
    marker = request.node.get_closest_marker("django_db")
    uses_marker = bool(marker and (marker.kwargs.get("transaction") or marker.kwargs.get("serialized_rollback")))
    return uses_marker or bool({"transactional_db", "live_server"} & set(request.fixturenames))


@pytest.fixture(autouse=True)
def _empty_warehouse_after_transactional_tests(request: pytest.FixtureRequest):
    """Django flushes only its own models after a transactional test; the warehouse's raw-SQL tables
    (atomic.events, per-schema tables, derived models) are emptied here so tests stay independent."""
    yield
    if not _is_transactional(request):
        return
    from django.db import connection
    from psycopg import sql

    with connection.cursor() as cursor:
        cursor.execute("SELECT schemaname, tablename FROM pg_tables WHERE schemaname = ANY(%s)",
                       [list(WAREHOUSE_SCHEMAS)])
        tables = cursor.fetchall()
        if tables:
            names = sql.SQL(", ").join(sql.Identifier(schema, table) for schema, table in tables)
            cursor.execute(sql.SQL("TRUNCATE {}").format(names).as_string(cursor.connection))
