"""PostgreSQL advisory locks keyed by name, so concurrent workers never race on DDL."""

from __future__ import annotations

import hashlib

from django.db import connection


def lock_key(name: str) -> int:
    """Return a stable signed 64-bit key for `name` (computed here, not by an internal PostgreSQL function)."""
    return int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), "big", signed=True)


def advisory_xact_lock(name: str) -> None:
    """Block until this transaction holds the lock named `name`; it is released at commit or rollback.
    Must run inside transaction.atomic()."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [lock_key(name)])
