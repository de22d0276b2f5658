"""Upgrades are plain migrations: from an older schema with data in it to the latest, keeping the data."""

from __future__ import annotations

import uuid

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)
PROJECT_APPS = ("collector", "webhooks", "iglu", "enrichment", "warehouse", "dashboards", "operations")


def migrate(targets: list[tuple[str, str | None]]):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state([t for t in targets if t[1] is not None]).apps


def first_and_latest() -> tuple[list[tuple[str, str | None]], list[tuple[str, str]]]:
    """The oldest schema: every app at its first migration, and operations (added later) not installed."""
    graph = MigrationExecutor(connection).loader.graph
    first = [(app, None if app == "operations" else min(name for a, name in graph.nodes if a == app))
             for app in PROJECT_APPS]
    latest = [key for app in PROJECT_APPS for key in graph.leaf_nodes(app)]
    return first, latest


def test_data_written_under_the_first_schema_survives_migrating_to_the_latest():
    first, latest = first_and_latest()
    try:
        old = migrate(first)
        site = old.get_model("dashboards", "Site").objects.create(name="Shop", slug="shop", app_ids=["shop"])
        old.get_model("enrichment", "BadRow").objects.create(
            type="adapter_failures", processor="p", failure_signature="abc", first_seen="2026-01-01T00:00Z",
            last_seen="2026-01-01T00:00Z", data={"schema": "x", "data": {}}, payload=b"\x0b")
        old.get_model("iglu", "Schema").objects.create(vendor="com.acme", name="a", version="1-0-0", model=1,
                                                        revision=0, addition=0, schema={"self": {}})
        event_id = str(uuid.uuid4())
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO atomic.events (event_id, collector_tstamp, v_collector, v_etl, app_id) "
                           "VALUES (%s, '2026-01-02 03:04:05', 'c', 'e', 'shop')", [event_id])
    finally:
        new = migrate(latest)

    assert new.get_model("dashboards", "Site").objects.get(pk=site.pk).app_ids == ["shop"]
    assert new.get_model("enrichment", "BadRow").objects.get().status == "new"
    assert new.get_model("iglu", "Schema").objects.get().vendor == "com.acme"
    assert new.get_model("operations", "AlertSettings").objects.count() == 0  # new tables exist, empty
    with connection.cursor() as cursor:
        cursor.execute("SELECT app_id FROM atomic.events WHERE event_id = %s", [event_id])
        assert cursor.fetchone() == ("shop",)
