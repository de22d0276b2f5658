"""COPY rows into a table through Django's connection (psycopg 3), in binary or text format."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection
from psycopg import adapt, postgres
from psycopg.pq import Format


class _JsonTextBinaryDumper(adapt.Dumper):
    """Dump an already serialised JSON text as binary jsonb (version byte 1, then the text), so rows carry the
    text the loader built rather than being serialised a second time by psycopg."""

    format = Format.BINARY
    oid = postgres.types["jsonb"].oid

    def dump(self, obj: Any) -> bytes:
        return b"\x01" + obj.encode()


class _JsonText(str):
    """Marker type the dumper is registered for; copy_rows selects the dumper by oid, values stay plain str."""


def copy_rows(table: str, columns: Sequence[str], types: Sequence[str] | None, rows: Iterable[Sequence[Any]]) -> None:
    """COPY `rows` into `table` (already quoted as needed). With `types` (psycopg type names per column) the
    binary format is used, else text, where PostgreSQL parses each value for its column. Raises what psycopg or
    PostgreSQL raise; the caller's transaction (or savepoint) is then aborted."""
    column_list = ", ".join('"' + column.replace('"', '""') + '"' for column in columns)
    binary = types is not None
    with connection.cursor() as wrapper:
        cursor = wrapper.cursor
        if binary:
            cursor.adapters.register_dumper(_JsonText, _JsonTextBinaryDumper)
        statement = f"COPY {table} ({column_list}) FROM STDIN" + (" (FORMAT BINARY)" if binary else "")
        with cursor.copy(statement) as copy:
            if binary:
                copy.set_types(list(types))
            for row in rows:
                copy.write_row(row)
