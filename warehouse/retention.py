"""Retention: drop events, their entities and keys, bad rows and archived payloads older than configured ages."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import asdict, dataclass

from django.conf import settings
from django.db import connection, transaction

from warehouse.archive import archive_purge_before
from warehouse.atomic import DEFAULT_PARTITION
from warehouse.entity_tables import quote
from warehouse.models import EventKey, ShreddedTable
from warehouse.partitions import month_start, partitions_drop_before

logger = logging.getLogger(__name__)


@dataclass
class RetentionReport:
    partitions_dropped: list[str]
    default_partition_rows: int = 0
    entity_rows: int = 0
    event_keys: int = 0
    bad_rows: int = 0
    archive_files: int = 0
    archive_rows: int = 0

    def as_dict(self) -> dict:
        return asdict(self)


def retention_apply(now: dt.datetime | None = None) -> RetentionReport:
    """Apply the WAREHOUSE_*_DAYS settings (0 keeps forever). Events go by whole monthly partitions: a month
    is dropped once all of it is older than the retention age; entities and keys before it go with it."""
    now = now or dt.datetime.now(dt.UTC)
    report = RetentionReport(partitions_dropped=[])
    if settings.WAREHOUSE_EVENTS_RETENTION_DAYS:
        events_before(month_start((now - dt.timedelta(days=settings.WAREHOUSE_EVENTS_RETENTION_DAYS)).date()), report)
    if settings.WAREHOUSE_BAD_ROWS_RETENTION_DAYS:
        from enrichment.models import BadRow

        cutoff = now - dt.timedelta(days=settings.WAREHOUSE_BAD_ROWS_RETENTION_DAYS)
        report.bad_rows, _ = BadRow.objects.filter(last_seen__lt=cutoff).delete()
    if settings.WAREHOUSE_RAW_ARCHIVE_DAYS:
        cutoff = now - dt.timedelta(days=settings.WAREHOUSE_RAW_ARCHIVE_DAYS)
        report.archive_files, report.archive_rows = archive_purge_before(cutoff)
    logger.info("retention: %s", report.as_dict())
    return report


def events_before(boundary: dt.date, report: RetentionReport) -> None:
    """Delete every event collected before `boundary` (a month start), with its entities and keys."""
    with transaction.atomic():
        report.partitions_dropped = partitions_drop_before(boundary)
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {DEFAULT_PARTITION} WHERE collector_tstamp < %s", [boundary])
            report.default_partition_rows = cursor.rowcount
            for table in ShreddedTable.objects.all():
                cursor.execute(f"DELETE FROM {quote('atomic')}.{quote(table.name)} WHERE root_tstamp < %s", [boundary])
                report.entity_rows += cursor.rowcount
        boundary_utc = dt.datetime.combine(boundary, dt.time(), dt.UTC)
        report.event_keys, _ = EventKey.objects.filter(collector_tstamp__lt=boundary_utc).delete()
