"""Pipeline health: the figures of the admin health page and of /metrics, and what makes them red."""

from __future__ import annotations

import itertools
import logging
import shutil
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import Count
from django.db.models.functions import TruncMinute
from django.utils import timezone

from operations.counters import WorkerThroughput, list_minute_totals, list_worker_throughput, minute_floor
from operations.sinkstats import SinkStats, get_sink_stats
from operations.workers import WorkerStatus, list_workers

logger = logging.getLogger(__name__)
SERIES = ("collected", "enriched", "loaded", "failed")


@dataclass(frozen=True)
class DiskUsage:
    path: str
    total_bytes: int
    free_bytes: int

    @property
    def free_percent(self) -> float:
        return 100.0 * self.free_bytes / self.total_bytes if self.total_bytes else 100.0


@dataclass(frozen=True)
class ModelRunInfo:
    name: str
    started_at: datetime
    duration_seconds: float
    succeeded: bool


@dataclass(frozen=True)
class Problem:
    """Something wrong; `kind` is the alert it raises (stalled or disk_low)."""

    kind: str
    message: str


@dataclass
class PipelineHealth:
    """Everything the health page shows. `problems` is empty when the pipeline is fine."""

    now: datetime
    minutes: list[datetime]  # the last 24 hours, one entry per minute, oldest first
    series: dict[str, list[int]]  # per-minute counts aligned with `minutes`
    sink: SinkStats
    workers: list[WorkerStatus]
    throughput: list[WorkerThroughput]
    model_run: ModelRunInfo | None
    database_bytes: int
    disk: DiskUsage | None
    problems: list[Problem] = field(default_factory=list)
    stuck_consumers: list[str] = field(default_factory=list)

    @property
    def workers_alive(self) -> int:
        return sum(1 for worker in self.workers if worker.alive)

    @property
    def sink_lag_seconds(self) -> float | None:
        return self.sink.lag_seconds(self.now)

    @property
    def ok(self) -> bool:
        return not self.problems

    def last(self, name: str, minutes: int) -> list[int]:
        return self.series[name][-minutes:]

    def last_minute(self, name: str) -> int:
        """The last complete minute (the current one is still filling)."""
        return self.series[name][-2] if len(self.series[name]) > 1 else 0


def get_pipeline_health(now: datetime | None = None, stall_seconds: int | None = None,
                        disk_free_percent: int | None = None) -> PipelineHealth:
    """Collect the figures; thresholds default to the admin's alert settings."""
    from operations.alerts import get_alert_settings

    now = now or timezone.now()
    if stall_seconds is None or disk_free_percent is None:
        alert_settings = get_alert_settings()
        stall_seconds = alert_settings.stall_seconds if stall_seconds is None else stall_seconds
        disk_free_percent = alert_settings.disk_free_percent if disk_free_percent is None else disk_free_percent
    minutes = [minute_floor(now) - timedelta(minutes=i) for i in range(24 * 60 - 1, -1, -1)]
    health = PipelineHealth(
        now=now, minutes=minutes, series=_series(minutes), sink=get_sink_stats(), workers=list_workers(now),
        throughput=list_worker_throughput(now=now), model_run=get_last_model_run(),
        database_bytes=get_database_bytes(), disk=get_disk_usage(),
    )
    _diagnose(health, stall_seconds, disk_free_percent)
    return health


def _series(minutes: list[datetime]) -> dict[str, list[int]]:
    since = minutes[0]
    drained = list_minute_totals(since)
    failed = _bad_rows_per_minute(since)
    collected = _collected_per_minute(minutes)
    return {
        "collected": [collected.get(m, 0) for m in minutes],
        "enriched": [drained.get(m, {}).get("enriched", 0) for m in minutes],
        "loaded": [drained.get(m, {}).get("loaded", 0) for m in minutes],
        "failed": [failed.get(m, 0) for m in minutes],
    }


def _bad_rows_per_minute(since: datetime) -> dict[datetime, int]:
    """Every part writes bad rows (collector, webhooks, enrichment, loader), so they are counted where they land."""
    from enrichment.models import BadRow

    rows = (BadRow.objects.filter(first_seen__gte=since).annotate(m=TruncMinute("first_seen"))
            .values("m").annotate(n=Count("id")))
    return {row["m"]: row["n"] for row in rows}


def _collected_per_minute(minutes: list[datetime]) -> dict[datetime, int]:
    """Payloads received per minute, from the sink's received counter sampled by the periodic check.

    The difference between two samples is spread evenly over the minutes after the first, up to the second.
    """
    from operations.models import SinkSample

    samples = list(SinkSample.objects.filter(taken_at__gte=minutes[0] - timedelta(minutes=10)))
    result: dict[datetime, int] = {}
    for before, after in itertools.pairwise(samples):
        received = after.received_total - before.received_total
        if received <= 0:
            continue  # a reset sink (a new stream) starts counting again
        first, last = minute_floor(before.taken_at), minute_floor(after.taken_at)
        steps = max(1, int((last - first).total_seconds() // 60))
        span = [last - timedelta(minutes=i) for i in range(steps - 1, -1, -1)]
        share, extra = divmod(received, len(span))
        for position, minute in enumerate(span):
            result[minute] = result.get(minute, 0) + share + (1 if position < extra else 0)
    return result


def get_last_model_run() -> ModelRunInfo | None:
    """The warehouse's data-model run status, or else the last run recorded through operations.api."""
    status = _warehouse_model_status()
    if status and status.get("last_run_at"):
        started = status["last_run_at"]
        if timezone.is_naive(started):
            started = timezone.make_aware(started, UTC)
        return ModelRunInfo("web", started, float(status.get("last_run_seconds") or 0), True)
    from operations.models import ModelRun

    run = ModelRun.objects.first()
    if run is None:
        return None
    return ModelRunInfo(run.name, run.started_at, run.duration_seconds, run.succeeded)


def _warehouse_model_status() -> dict | None:
    try:
        from warehouse.modeling.api import get_model_status
    except ImportError:
        return None
    try:
        with transaction.atomic():  # a savepoint: a missing derived schema must not break the caller
            return get_model_status()
    except DatabaseError as error:
        logger.info("no data-model status yet: %s", error)
        return None


def get_database_bytes() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        return int(cursor.fetchone()[0])


def get_disk_usage() -> DiskUsage | None:
    """Free space where the database keeps its files when that is this machine, else under VAR_DIR."""
    for candidate in (_data_directory(), Path(settings.VAR_DIR)):
        if candidate and candidate.exists():
            usage = shutil.disk_usage(candidate)
            return DiskUsage(str(candidate), usage.total, usage.free)
    return None


def _data_directory() -> Path | None:
    if not getattr(settings, "EMBEDDED_DATABASE", False):
        return None  # an external server's disk is not ours to measure; its host's monitoring covers it
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('data_directory', true)")
        value = cursor.fetchone()[0]
    return Path(value) if value else None


def _diagnose(health: PipelineHealth, stall_seconds: int, disk_free_percent: int) -> None:
    sink, stalled = health.sink, []
    if sink.error:
        stalled.append(f"The raw sink cannot be read: {sink.error}")
    lag = health.sink_lag_seconds
    if lag is not None and lag > stall_seconds:
        stalled.append(f"The oldest unprocessed payload has waited {lag:.0f} s "
                       f"(limit {stall_seconds} s); {sink.pending} payloads are pending.")
    for consumer in sink.consumers:
        if consumer.pending and consumer.idle_seconds > stall_seconds:
            health.stuck_consumers.append(consumer.name)
            stalled.append(f"Worker {consumer.name} holds {consumer.pending} payloads and has been idle for "
                           f"{consumer.idle_seconds:.0f} s.")
    if sink.pending and health.workers and not health.workers_alive:
        stalled.append("Payloads are waiting and no worker has sent a heartbeat in the last minute.")
    health.problems.extend(Problem("stalled", message) for message in stalled)
    if health.disk and health.disk.free_percent < disk_free_percent:
        health.problems.append(Problem(
            "disk_low", f"Only {health.disk.free_percent:.1f}% disk space is free at {health.disk.path}."))
