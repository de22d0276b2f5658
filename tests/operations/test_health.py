"""Pipeline health: per-minute figures, red when stuck, one alert per incident, and /metrics behind a token."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from dashboards.tokens import token_create
from enrichment.drain import drain_batch
from operations.alerts import get_alert_settings
from operations.checks import pipeline_check
from operations.health import get_pipeline_health
from operations.models import AlertIncident
from tests.enrichment.payloads import collector_payload, tp2

pytestmark = pytest.mark.django_db(transaction=True)


def page_view(eid: str | None = None) -> bytes:
    query = {"e": "pv", "p": "web", "tv": "t", "aid": "shop"}
    return collector_payload("/i", query | ({"eid": eid} if eid else {}))


def configure_alerts(smtp_server, webhook_receiver, **thresholds) -> None:
    alert_settings = get_alert_settings()
    alert_settings.email_recipients = "ops@example.com"
    alert_settings.webhook_url = webhook_receiver.url
    for name, value in thresholds.items():
        setattr(alert_settings, name, value)
    alert_settings.save()


def test_drained_events_show_as_enriched_loaded_and_failed_in_the_current_minute(postgres_sink):
    postgres_sink.write_batch([page_view(), page_view(),
                               tp2([{"e": "pv", "p": "web", "tv": "t"}, {"e": "pv", "p": "web", "tv": "t", "x": "1"}])])
    pipeline_check()
    drain_batch(100)
    health = get_pipeline_health()
    assert health.series["enriched"][-1] == 3
    assert health.series["loaded"][-1] == 3
    assert health.series["failed"][-1] == 1
    assert [t.payloads for t in health.throughput] == [3]
    assert health.ok


def test_collected_payloads_per_minute_come_from_sink_samples(postgres_sink):
    start = timezone.now().replace(second=5, microsecond=0) - timedelta(minutes=3)
    pipeline_check(start)
    postgres_sink.write_batch([page_view() for _ in range(7)])
    pipeline_check(start + timedelta(minutes=1))
    postgres_sink.write_batch([page_view() for _ in range(4)])
    pipeline_check(start + timedelta(minutes=3))
    collected = get_pipeline_health().series["collected"]
    assert sum(collected) == 11
    assert collected[-3:] == [7, 2, 2]


def test_a_stuck_worker_shows_red_and_raises_exactly_one_alert(redis_sink, smtp_server, webhook_receiver, admin_client):
    configure_alerts(smtp_server, webhook_receiver, stall_seconds=1)
    redis_sink.write_batch([page_view() for _ in range(5)])
    held = redis_sink.claim(3, "stuck-worker-4242")  # claimed, never acknowledged: the worker hangs
    assert len(held) == 3
    time.sleep(1.3)

    for _ in range(3):  # three periodic checks while the worker stays stuck
        pipeline_check()

    health = get_pipeline_health()
    assert not health.ok and health.stuck_consumers == ["stuck-worker-4242"]
    page = admin_client.get("/admin/operations/pipelinehealth/").content.decode()
    assert 'data-status="stuck"' in page and "stuck-worker-4242" in page
    assert len(smtp_server.messages) == 1
    assert smtp_server.messages[0]["to"] == ["ops@example.com"]
    assert "Pipeline stalled" in smtp_server.messages[0]["data"]
    assert len(webhook_receiver.received) == 1
    assert webhook_receiver.received[0]["kind"] == "stalled"
    assert "stuck-worker-4242" in webhook_receiver.received[0]["summary"]


def test_an_incident_resolves_when_the_pipeline_recovers_and_a_new_stall_alerts_again(
        postgres_sink, smtp_server, webhook_receiver):
    configure_alerts(smtp_server, webhook_receiver, stall_seconds=60)
    postgres_sink.write_batch([page_view()])
    now = timezone.now()
    pipeline_check(now + timedelta(minutes=5))  # the payload has waited five minutes by then
    drain_batch(10)
    pipeline_check(now + timedelta(minutes=6))
    postgres_sink.write_batch([page_view()])
    pipeline_check(now + timedelta(minutes=12))
    incidents = AlertIncident.objects.filter(kind="stalled").order_by("opened_at")
    assert [i.resolved_at is not None for i in incidents] == [True, False]
    assert len(smtp_server.messages) == 2 and len(webhook_receiver.received) == 2


def test_a_bad_row_spike_and_a_new_failure_signature_alert_once_each(postgres_sink, smtp_server, webhook_receiver):
    configure_alerts(smtp_server, webhook_receiver, bad_rows_per_minute=5)
    pipeline_check()
    postgres_sink.write_batch([b"not thrift" for _ in range(6)])
    drain_batch(100)
    pipeline_check()
    pipeline_check()
    kinds = sorted(AlertIncident.objects.values_list("kind", flat=True))
    assert kinds == ["bad_rows_spike", "new_signature"]
    assert sorted(r["kind"] for r in webhook_receiver.received) == ["bad_rows_spike", "new_signature"]
    assert len(smtp_server.messages) == 2


def test_a_failed_delivery_is_retried_on_the_next_check_without_resending_the_channel_that_worked(
        postgres_sink, smtp_server, webhook_receiver):
    configure_alerts(smtp_server, webhook_receiver, stall_seconds=1)
    get_alert_settings().__class__.objects.update(webhook_url="http://127.0.0.1:9/unreachable")
    postgres_sink.write_batch([page_view()])
    pipeline_check(timezone.now() + timedelta(minutes=1))
    incident = AlertIncident.objects.get()
    assert incident.notified_at is None and "webhook" in incident.delivery_error
    get_alert_settings().__class__.objects.update(webhook_url=webhook_receiver.url)
    pipeline_check(timezone.now() + timedelta(minutes=2))
    assert len(smtp_server.messages) == 1 and len(webhook_receiver.received) == 1
    assert AlertIncident.objects.get().notified_at is not None


def test_metrics_need_a_metrics_token_and_expose_the_health_figures(client, postgres_sink):
    postgres_sink.write_batch([page_view(), page_view()])
    assert client.get("/metrics").status_code == 401
    _, api_only = token_create("api", ["api"])
    assert client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {api_only}").status_code == 401
    _, secret = token_create("prometheus", ["metrics"])
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=0.0.4")
    text = response.content.decode()
    assert 'snowplow_sink_pending_payloads{sink="postgres"} 2' in text
    assert 'snowplow_pipeline_events_last_hour{stage="loaded"} 0' in text
    assert "snowplow_database_size_bytes " in text
    assert "snowplow_pipeline_healthy 1" in text


def test_the_health_page_draws_its_charts_inline_without_external_assets(admin_client, postgres_sink):
    page = admin_client.get("/admin/operations/pipelinehealth/").content.decode()
    assert page.count('class="ops-chart"') == 2 and 'data-status="ok"' in page
    assert "cdn." not in page.lower()


def test_the_check_forgets_consumers_and_workers_gone_for_a_day_but_keeps_those_holding_payloads(redis_sink):
    from operations.models import WorkerHeartbeat
    from operations.sinkstats import get_sink_stats, idle_consumers_forget

    redis_sink.write_batch([page_view(), page_view()])
    redis_sink.claim(1, "holding-1")
    redis_sink.ack(redis_sink.claim(5, "empty-2"))
    WorkerHeartbeat.objects.create(name="old@host", last_seen=timezone.now() - timedelta(days=2))
    pipeline_check()
    assert not WorkerHeartbeat.objects.filter(name="old@host").exists()
    assert idle_consumers_forget(max_idle_seconds=-1) == 1
    assert [c.name for c in get_sink_stats().consumers] == ["holding-1"]
