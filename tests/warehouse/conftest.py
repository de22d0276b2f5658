"""Warehouse test fixtures: real PostgreSQL, the migrated atomic schema."""

from __future__ import annotations

import os

import pytest
from django.conf import settings
from django.db import connection


def fetch(sql: str, params: list | None = None) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
        return cursor.fetchall()


@pytest.fixture
def test_database_url() -> str:
    """The URL of the test database, for subprocesses that must see what the test sees."""
    db = settings.DATABASES["default"]
    host = db.get("HOST") or "127.0.0.1"
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    port = db.get("PORT") or 5432
    return os.environ.get("WAREHOUSE_TEST_SUBPROCESS_URL") or f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"
