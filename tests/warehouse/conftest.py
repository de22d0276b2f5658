"""Warehouse test fixtures: real PostgreSQL, the migrated atomic schema."""

from __future__ import annotations

import copy
from typing import Any
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from warehouse import entity_tables


def fetch(sql: str, params: list | None = None) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
        return cursor.fetchall()


@pytest.fixture
def test_database_url() -> str:
    """The URL of the test database, for subprocesses that must see what the test sees."""
    db = settings.DATABASES["default"]
    host = db.get("HOST") or "127.0.0.1"
    user = quote(db.get("USER") or "postgres")
    password = f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else ""
    if host.startswith("/"):  # a Unix socket directory (the embedded server)
        return f"postgres://{user}{password}@/{db['NAME']}?host={quote(host)}&port={db.get('PORT') or 5432}"
    return f"postgres://{user}{password}@{host}:{db.get('PORT') or 5432}/{db['NAME']}"


def acme_schema(name: str, version: str, properties: dict[str, Any], required: list[str] | None = None) -> dict:
    """A self-describing JSON Schema of vendor com.acme."""
    return {
        "$schema": "http://iglucentral.com/schemas/com.snowplowanalytics.self-desc/schema/jsonschema/1-0-0#",
        "self": {"vendor": "com.acme", "name": name, "format": "jsonschema", "version": version},
        "type": "object",
        "properties": properties,
        "required": required or [],
        "additionalProperties": False,
    }


@pytest.fixture(autouse=True)
def _fresh_table_cache():
    entity_tables.cache_clear()
    yield
    entity_tables.cache_clear()


@pytest.fixture
def schemas(monkeypatch) -> dict[str, dict]:
    """Schemas the test registers by URI; other URIs go to the real resolver (built-in schemas)."""
    registered: dict[str, dict] = {}
    real = entity_tables.resolve_schema

    def resolve(uri: str) -> dict:
        return copy.deepcopy(registered[uri]) if uri in registered else real(uri)

    monkeypatch.setattr(entity_tables, "resolve_schema", resolve)
    return registered


@pytest.fixture
def storage_dir(settings, tmp_path):
    """The warehouse storage in a fresh directory."""
    settings.WAREHOUSE_STORAGE_OPTIONS = {"location": str(tmp_path)}
    settings.WAREHOUSE_RAW_ARCHIVE = "files"
    return tmp_path
