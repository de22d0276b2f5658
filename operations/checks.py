"""One periodic pipeline check: what Celery beat runs every OPERATIONS_CHECK_INTERVAL_SECONDS."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from operations.alerts import alerts_evaluate
from operations.counters import counters_prune
from operations.models import AlertIncident, SinkSample, WorkerHeartbeat
from operations.sinkstats import get_sink_stats, idle_consumers_forget


def sink_sample_record(now: datetime | None = None) -> SinkSample | None:
    """Store the sink's received-payload counter, from which the health page draws payloads collected per minute."""
    stats = get_sink_stats()
    if stats.received_total is None:
        return None
    sample, _ = SinkSample.objects.update_or_create(
        taken_at=now or timezone.now(), defaults={"received_total": stats.received_total, "pending": stats.pending})
    return sample


def pipeline_check(now: datetime | None = None) -> list[AlertIncident]:
    """Sample the sink, evaluate the alerts, forget old counters and workers; return the incidents opened."""
    now = now or timezone.now()
    sink_sample_record(now)
    opened = alerts_evaluate(now)
    counters_prune(now)
    WorkerHeartbeat.objects.filter(last_seen__lt=now - timedelta(days=1)).delete()
    idle_consumers_forget()
    return opened
