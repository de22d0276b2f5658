"""Celery tasks of the warehouse: periodic maintenance, thin wrappers over domain functions (STYLE 5)."""

from celery import shared_task

from warehouse.partitions import partitions_ensure


@shared_task(name="warehouse.ensure_partitions", ignore_result=True)
def ensure_partitions() -> list[str]:
    """Create next months' partitions of atomic.events ahead of time.

    Idempotent and serialised by an advisory lock, so a duplicate or late message is harmless; no retry,
    since beat sends it again within the hour and months are created well ahead."""
    return partitions_ensure()
