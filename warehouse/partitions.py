"""Monthly partitions of atomic.events: created ahead of time, listed, and dropped by retention."""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass

from django.db import connection, transaction

from warehouse.atomic import DEFAULT_PARTITION, EVENTS_TABLE, SCHEMA
from warehouse.locks import advisory_xact_lock

logger = logging.getLogger(__name__)

PARTITION_PREFIX = "events_"
_NAME = re.compile(r"^events_(\d{4})_(\d{2})$")


@dataclass(frozen=True, order=True)
class Partition:
    """One monthly partition: rows with start <= collector_tstamp < end."""

    name: str
    start: dt.date
    end: dt.date

    @property
    def qualified_name(self) -> str:
        return f"{SCHEMA}.{self.name}"


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(month: dt.date, count: int) -> dt.date:
    """Return the first day of the month `count` months after `month` (negative goes back)."""
    index = month.year * 12 + month.month - 1 + count
    return dt.date(index // 12, index % 12 + 1, 1)


def partition_for_month(month: dt.date) -> Partition:
    start = month_start(month)
    return Partition(f"{PARTITION_PREFIX}{start:%Y_%m}", start, add_months(start, 1))


def list_partitions() -> list[Partition]:
    """Return the monthly partitions that exist, oldest first (the DEFAULT partition is not listed)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT child.relname FROM pg_inherits
            JOIN pg_class child ON child.oid = pg_inherits.inhrelid
            WHERE pg_inherits.inhparent = %s::regclass
            """,
            [EVENTS_TABLE],
        )
        names = [row[0] for row in cursor.fetchall()]
    months = [_NAME.match(name) for name in names]
    return sorted(partition_for_month(dt.date(int(m[1]), int(m[2]), 1)) for m in months if m)


def partitions_ensure(months_back: int = 0, months_ahead: int = 3, today: dt.date | None = None) -> list[str]:
    """Create the monthly partitions from `months_back` before to `months_ahead` after this month that are
    missing; return the names created. Safe to run concurrently (one advisory lock) and repeatedly."""
    this_month = month_start(today or dt.datetime.now(dt.UTC).date())
    wanted = [partition_for_month(add_months(this_month, n)) for n in range(-months_back, months_ahead + 1)]
    created = []
    with transaction.atomic():
        advisory_xact_lock("warehouse.partitions")
        existing = {partition.name for partition in list_partitions()}
        for partition in wanted:
            if partition.name not in existing:
                _partition_create(partition)
                created.append(partition.name)
    if created:
        logger.info("created partitions %s", ", ".join(created))
    return created


def _partition_create(partition: Partition) -> None:
    """Create one partition. Rows already in the DEFAULT partition for its range (a log import, a replay) are
    moved into it first, since PostgreSQL refuses to attach a range the DEFAULT partition still holds rows for."""
    bounds = f"FROM ('{partition.start.isoformat()}') TO ('{partition.end.isoformat()}')"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT 1 FROM {DEFAULT_PARTITION} WHERE collector_tstamp >= %s AND collector_tstamp < %s LIMIT 1",
            [partition.start, partition.end],
        )
        if cursor.fetchone() is None:
            cursor.execute(f"CREATE TABLE {partition.qualified_name} PARTITION OF {EVENTS_TABLE} FOR VALUES {bounds}")
            return
        cursor.execute(
            f"CREATE TABLE {partition.qualified_name} (LIKE {EVENTS_TABLE} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)"
        )
        cursor.execute(
            f"""
            WITH moved AS (
                DELETE FROM {DEFAULT_PARTITION} WHERE collector_tstamp >= %s AND collector_tstamp < %s RETURNING *
            )
            INSERT INTO {partition.qualified_name} SELECT * FROM moved
            """,
            [partition.start, partition.end],
        )
        logger.info("moved %d rows from the default partition into %s", cursor.rowcount, partition.name)
        cursor.execute(f"ALTER TABLE {EVENTS_TABLE} ATTACH PARTITION {partition.qualified_name} FOR VALUES {bounds}")


def partitions_drop_before(cutoff: dt.date) -> list[str]:
    """Drop the monthly partitions that end on or before `cutoff`; return their names (retention)."""
    dropped = []
    with transaction.atomic():
        advisory_xact_lock("warehouse.partitions")
        for partition in list_partitions():
            if partition.end <= cutoff:
                with connection.cursor() as cursor:
                    cursor.execute(f"DROP TABLE {partition.qualified_name}")
                dropped.append(partition.name)
    return dropped
