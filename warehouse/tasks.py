"""Celery tasks of the warehouse: periodic maintenance, thin wrappers over domain functions (STYLE 5).

Each is idempotent and serialised by an advisory lock, so a duplicate or late message is harmless; none is
retried, since beat sends it again (partitions are created months ahead, hours are archived once finished).
"""

from celery import shared_task
from django.conf import settings

from warehouse.archive import raw_archive_flush
from warehouse.partitions import partitions_ensure
from warehouse.retention import retention_apply


@shared_task(name="warehouse.ensure_partitions", ignore_result=True)
def ensure_partitions() -> list[str]:
    """Create next months' partitions of atomic.events ahead of time."""
    return partitions_ensure(months_ahead=settings.WAREHOUSE_PARTITIONS_AHEAD_MONTHS)


@shared_task(name="warehouse.flush_raw_archive", ignore_result=True)
def flush_raw_archive() -> list[str]:
    """Write finished hours of archived payloads to compressed files in the warehouse storage."""
    return raw_archive_flush()


@shared_task(name="warehouse.apply_retention", ignore_result=True)
def apply_retention() -> dict:
    """Drop events, bad rows and archived payloads older than their configured ages."""
    return retention_apply().as_dict()
