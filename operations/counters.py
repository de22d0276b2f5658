"""Per-minute pipeline counters written by the drain inside its load transaction, so they count exactly once."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection
from django.db.models import Sum
from django.utils import timezone

STAGES = ("payloads", "enriched", "loaded", "failed", "duplicates")


def minute_floor(moment: datetime) -> datetime:
    return moment.replace(second=0, microsecond=0)


def batch_counts_record(worker: str, *, payloads: int, enriched: int, loaded: int, failed: int,
                        duplicates: int = 0) -> None:
    """Add one batch to this worker's row for the current minute (rows are per worker: no lock contention)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO operations_pipeline_minute
                (minute, worker, batches, payloads, enriched, loaded, failed, duplicates)
            VALUES (date_trunc('minute', now()), %s, 1, %s, %s, %s, %s, %s)
            ON CONFLICT (minute, worker) DO UPDATE SET
                batches = operations_pipeline_minute.batches + 1,
                payloads = operations_pipeline_minute.payloads + EXCLUDED.payloads,
                enriched = operations_pipeline_minute.enriched + EXCLUDED.enriched,
                loaded = operations_pipeline_minute.loaded + EXCLUDED.loaded,
                failed = operations_pipeline_minute.failed + EXCLUDED.failed,
                duplicates = operations_pipeline_minute.duplicates + EXCLUDED.duplicates
            """,
            [worker[:255], payloads, enriched, loaded, failed, duplicates],
        )


def list_minute_totals(since: datetime) -> dict[datetime, dict[str, int]]:
    """Per-minute sums over all workers since `since`."""
    from operations.models import PipelineMinute

    rows = (PipelineMinute.objects.filter(minute__gte=since).values("minute")
            .annotate(**{stage: Sum(stage) for stage in STAGES}))
    return {row["minute"]: {stage: int(row[stage] or 0) for stage in STAGES} for row in rows}


@dataclass(frozen=True)
class WorkerThroughput:
    worker: str
    events_per_minute: float
    payloads: int
    last_batch_minute: datetime


def list_worker_throughput(window_minutes: int = 5, now: datetime | None = None) -> list[WorkerThroughput]:
    """Events enriched per minute by each drain consumer over the last few minutes."""
    from operations.models import PipelineMinute

    now = now or timezone.now()
    since = minute_floor(now) - timedelta(minutes=window_minutes - 1)
    totals: dict[str, dict] = defaultdict(lambda: {"enriched": 0, "failed": 0, "payloads": 0, "last": since})
    for row in PipelineMinute.objects.filter(minute__gte=since):
        entry = totals[row.worker]
        entry["enriched"] += row.enriched
        entry["failed"] += row.failed
        entry["payloads"] += row.payloads
        entry["last"] = max(entry["last"], row.minute)
    return [WorkerThroughput(worker, (e["enriched"] + e["failed"]) / window_minutes, e["payloads"], e["last"])
            for worker, e in sorted(totals.items())]


def counters_prune(now: datetime | None = None) -> int:
    """Forget counters and sink samples older than OPERATIONS_COUNTER_RETENTION_DAYS."""
    from django.conf import settings

    from operations.models import PipelineMinute, SinkSample

    cutoff = (now or timezone.now()) - timedelta(days=settings.OPERATIONS_COUNTER_RETENTION_DAYS)
    deleted, _ = PipelineMinute.objects.filter(minute__lt=cutoff).delete()
    samples, _ = SinkSample.objects.filter(taken_at__lt=cutoff).delete()
    return deleted + samples
