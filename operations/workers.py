"""Worker liveness: Celery heartbeats recorded in the database, readable from any machine."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

import psycopg
from django.utils import timezone

logger = logging.getLogger(__name__)
HEARTBEAT_EVERY_SECONDS = 10.0
ALIVE_WITHIN_SECONDS = 60
_last_recorded: dict[str, float] = {}


@dataclass(frozen=True)
class WorkerStatus:
    name: str
    last_seen: datetime
    alive: bool


def heartbeat_connect() -> None:
    """Record each worker's heartbeat (celery's heartbeat_sent fires every 2 s in the worker's main process)."""
    from celery.signals import heartbeat_sent

    heartbeat_sent.connect(_on_heartbeat, weak=False, dispatch_uid="operations-heartbeat")


def _on_heartbeat(sender: object, **_kwargs: object) -> None:
    name = getattr(getattr(sender, "eventer", None), "hostname", None) or "worker"
    now = time.monotonic()
    if now - _last_recorded.get(name, -HEARTBEAT_EVERY_SECONDS) < HEARTBEAT_EVERY_SECONDS:
        return
    _last_recorded[name] = now
    try:
        worker_heartbeat_record(name)
    except psycopg.Error as error:
        logger.warning("could not record the heartbeat of %s: %s", name, error)


def worker_heartbeat_record(name: str) -> None:
    """Upsert the heartbeat on a short-lived connection of its own.

    The worker's main process forks pool children; a Django connection opened here would be inherited by them,
    so this one is opened and closed around the write.
    """
    from collector.sinks.postgres_table import database_conninfo

    with psycopg.connect(database_conninfo(), autocommit=True, connect_timeout=5) as conn:
        conn.execute(
            "INSERT INTO operations_worker_heartbeat (name, last_seen) VALUES (%s, now()) "
            "ON CONFLICT (name) DO UPDATE SET last_seen = EXCLUDED.last_seen",
            [name],
        )


def list_workers(now: datetime | None = None) -> list[WorkerStatus]:
    """Workers that sent a heartbeat in the last day, alive if within ALIVE_WITHIN_SECONDS."""
    from operations.models import WorkerHeartbeat

    now = now or timezone.now()
    rows = WorkerHeartbeat.objects.filter(last_seen__gte=now - timedelta(days=1))
    return [WorkerStatus(row.name, row.last_seen, row.last_seen >= now - timedelta(seconds=ALIVE_WITHIN_SECONDS))
            for row in rows]
