"""Alerts: conditions checked periodically, one incident per condition episode, one notification per incident."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from operations.health import PipelineHealth, get_pipeline_health
from operations.models import AlertIncident, AlertSettings
from operations.notifying import incident_notify

logger = logging.getLogger(__name__)
SPIKE_WINDOW = timedelta(minutes=1)


@dataclass(frozen=True)
class Condition:
    kind: str
    key: str
    summary: str


def get_alert_settings() -> AlertSettings:
    settings_row, _ = AlertSettings.objects.get_or_create(id=1)
    return settings_row


def alerts_evaluate(now: datetime | None = None, health: PipelineHealth | None = None) -> list[AlertIncident]:
    """Open incidents for new conditions, resolve cleared ones, then notify; return the incidents opened.

    Runs under a row lock on the alert settings, so concurrent checks (two beats, a manual run) never open
    the same incident twice; the partial unique index on open incidents backs this up.
    """
    now = now or timezone.now()
    with transaction.atomic():
        alert_settings = AlertSettings.objects.select_for_update().filter(id=1).first() or get_alert_settings()
        if not alert_settings.enabled:
            return []
        health = health or get_pipeline_health(now, alert_settings.stall_seconds, alert_settings.disk_free_percent)
        interval = timedelta(seconds=settings.OPERATIONS_CHECK_INTERVAL_SECONDS)
        since = alert_settings.last_evaluated_at or now - 2 * interval
        conditions = list_conditions(health, alert_settings, since, now)
        opened = _incidents_sync(conditions, now)
        alert_settings.last_evaluated_at = now
        alert_settings.save(update_fields=["last_evaluated_at"])
    incidents_deliver(alert_settings)
    return opened


def list_conditions(health: PipelineHealth, alert_settings: AlertSettings, since: datetime,
                    now: datetime) -> list[Condition]:
    """Every alerting condition that holds now."""
    conditions = []
    stalled = [problem.message for problem in health.problems if problem.kind == "stalled"]
    if stalled:
        conditions.append(Condition(AlertIncident.Kind.STALLED, "", "\n".join(stalled)))
    disk = [problem.message for problem in health.problems if problem.kind == "disk_low"]
    if disk:
        conditions.append(Condition(AlertIncident.Kind.DISK_LOW, "", "\n".join(disk)))
    conditions.extend(_bad_row_conditions(alert_settings, since, now))
    return conditions


def _bad_row_conditions(alert_settings: AlertSettings, since: datetime, now: datetime) -> list[Condition]:
    from enrichment.models import BadRow

    conditions = []
    threshold = alert_settings.bad_rows_per_minute
    recent = BadRow.objects.filter(first_seen__gte=now - SPIKE_WINDOW, first_seen__lte=now).count()
    if threshold and recent >= threshold:
        conditions.append(Condition(AlertIncident.Kind.BAD_ROWS_SPIKE, "",
                                    f"{recent} bad rows in the last minute (threshold {threshold})."))
    if alert_settings.alert_on_new_signature:
        older = BadRow.objects.filter(failure_signature=OuterRef("failure_signature"), first_seen__lt=since)
        fresh = (BadRow.objects.filter(first_seen__gte=since, first_seen__lte=now).filter(~Exists(older))
                 .order_by("failure_signature", "first_seen").distinct("failure_signature")
                 .values_list("failure_signature", "type", "data"))
        for signature, badrow_type, data in fresh:
            conditions.append(Condition(AlertIncident.Kind.NEW_SIGNATURE, signature,
                                        f"New failure: {badrow_type} — {first_message(data)}"))
    return conditions


def first_message(data: dict) -> str:
    """A short, human description of a bad row's failure for alerts and the browser."""
    failure = (data or {}).get("data", {}).get("failure", {})
    messages = failure.get("messages") if isinstance(failure, dict) else None
    if messages:
        return str(messages[0])[:300]
    return str(failure)[:300]


def _incidents_sync(conditions: list[Condition], now: datetime) -> list[AlertIncident]:
    open_incidents = {(i.kind, i.key): i for i in AlertIncident.objects.select_for_update().filter(
        resolved_at__isnull=True)}
    opened = []
    for condition in conditions:
        incident = open_incidents.pop((condition.kind, condition.key), None)
        if incident is None:
            opened.append(AlertIncident.objects.create(kind=condition.kind, key=condition.key,
                                                       summary=condition.summary, opened_at=now, last_seen_at=now))
        else:
            incident.last_seen_at = now
            incident.save(update_fields=["last_seen_at"])
    for incident in open_incidents.values():  # conditions that cleared
        incident.resolved_at = now
        incident.save(update_fields=["resolved_at"])
    return opened


def incidents_deliver(alert_settings: AlertSettings, max_age: timedelta = timedelta(days=1)) -> int:
    """Notify each incident not yet notified (retrying failed deliveries); return how many were sent."""
    sent = 0
    pending = AlertIncident.objects.filter(notified_at__isnull=True, opened_at__gte=timezone.now() - max_age)
    for incident in pending.order_by("opened_at"):
        # Claim first, so that two checks running at once never send the same incident twice.
        if not AlertIncident.objects.filter(pk=incident.pk, notified_at__isnull=True).update(
                notified_at=timezone.now()):
            continue
        error = incident_notify(incident, alert_settings)
        if error:
            AlertIncident.objects.filter(pk=incident.pk).update(notified_at=None, delivery_error=error)
        else:
            sent += 1
    return sent
