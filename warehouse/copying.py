"""COPY rows into a table in PostgreSQL's binary format, through Django's connection (psycopg 3)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection
from psycopg import adapt, postgres
from psycopg.pq import Format


class _JsonTextBinaryDumper(adapt.Dumper):
    """Dump an already serialised JSON text as binary jsonb (version byte 1, then the text), so rows carry the
    text the loader checked rather than being serialised a second time by psycopg."""

    format = Format.BINARY
    oid = postgres.types["jsonb"].oid

    def dump(self, obj: Any) -> bytes:
        return b"\x01" + obj.encode()


class _JsonText(str):
    """Marker type the dumper is registered for; copy_rows selects the dumper by oid, values stay plain str."""


def copy_rows(table: str, columns: Sequence[str], types: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """COPY `rows` into `table` (binary format; `types` are psycopg type names per column). Raises what psycopg
    or PostgreSQL raise; the caller's transaction (or savepoint) is then aborted."""
    column_list = ", ".join(f'"{column}"' for column in columns)
    with connection.cursor() as wrapper:
        cursor = wrapper.cursor
        cursor.adapters.register_dumper(_JsonText, _JsonTextBinaryDumper)
        with cursor.copy(f"COPY {table} ({column_list}) FROM STDIN (FORMAT BINARY)") as copy:
            copy.set_types(list(types))
            for row in rows:
                copy.write_row(row)
