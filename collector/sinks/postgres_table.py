"""Raw sink on a PostgreSQL table: the embedded default when no Redis is configured.

Rows are claimed with `FOR UPDATE SKIP LOCKED` and deleted in the same transaction as the warehouse load,
so a payload is either loaded and gone, or still there for the next drain.
"""

from __future__ import annotations

import asyncio

import psycopg
from django.db import connection
from psycopg.conninfo import make_conninfo

from collector.sinks.base import ClaimedPayload, RawSink, SinkUnavailable

TABLE = "collector_rawpayload"


def database_conninfo() -> str:
    """A libpq connection string for the default database, built from Django's settings."""
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    params.pop("prepare_threshold", None)
    return make_conninfo(**{k: v for k, v in params.items() if v not in (None, "")})


class PostgresTableSink(RawSink):
    name = "postgres"

    def __init__(self) -> None:
        super().__init__()
        self._conn: psycopg.AsyncConnection | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    async def _connection(self) -> psycopg.AsyncConnection:
        """One autocommit connection per event loop (a connection cannot move between loops)."""
        loop = asyncio.get_running_loop()
        if self._conn is None or self._conn.closed or self._loop is not loop:
            self._conn = await psycopg.AsyncConnection.connect(database_conninfo(), autocommit=True,
                                                               connect_timeout=5)
            self._loop = loop
        return self._conn

    async def write_batch_async(self, records: list[bytes]) -> None:
        try:
            conn = await self._connection()
            await conn.execute(f"INSERT INTO {TABLE} (payload) SELECT unnest(%s::bytea[])", [records])
        except psycopg.Error as error:
            if self._conn is not None:
                await self._conn.close()
            self._conn = None
            raise SinkUnavailable(str(error)) from error

    def write_batch(self, records: list[bytes]) -> list[str]:
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {TABLE} (payload) SELECT unnest(%s::bytea[]) RETURNING id", [records]
            )
            return [str(row[0]) for row in cursor.fetchall()]

    def claim(self, count: int, consumer: str) -> list[ClaimedPayload]:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id, payload FROM {TABLE} ORDER BY id LIMIT %s FOR UPDATE SKIP LOCKED", [count]
            )
            return [ClaimedPayload(f"pg-{row_id}", bytes(data)) for row_id, data in cursor.fetchall()]

    def ack(self, claimed: list[ClaimedPayload]) -> None:
        ids = [int(payload.id.removeprefix("pg-")) for payload in claimed]
        if ids:
            with connection.cursor() as cursor:
                cursor.execute(f"DELETE FROM {TABLE} WHERE id = ANY(%s)", [ids])

    def pending_count(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {TABLE}")
            return int(cursor.fetchone()[0])

    async def healthy(self) -> bool:
        try:
            conn = await self._connection()
            await conn.execute("SELECT 1")
            return True
        except psycopg.Error:
            self._conn = None
            return False
