"""Draining the raw sink into atomic.events and bad_rows: exactly once, per-event bad rows, both sinks."""

import os
import uuid

import pytest
from django.db import connection

from collector.sinks.postgres_table import PostgresTableSink
from collector.sinks.redis_stream import RedisStreamSink
from enrichment.drain import drain_batch
from enrichment.models import BadRow
from tests.enrichment.payloads import collector_payload, tp2

EID_A = "11111111-1111-4111-8111-111111111111"
EID_B = "22222222-2222-4222-8222-222222222222"


def atomic_rows(columns: str = "event_id::text, event, app_id") -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM atomic.events ORDER BY event_id")
        return cursor.fetchall()


def good_and_bad_batch() -> list[bytes]:
    return [
        collector_payload("/i", {"e": "pv", "eid": EID_A, "p": "web", "tv": "t", "aid": "shop"}),
        tp2([{"e": "se", "eid": EID_B, "p": "web", "tv": "t", "aid": "shop", "se_ca": "c", "se_ac": "a"},
             {"e": "pv", "p": "web", "tv": "t", "aid": "shop", "bogus": "1"}]),
        b"not thrift at all",
    ]


@pytest.mark.django_db
def test_a_batch_lands_good_events_and_one_bad_row_per_failure():
    sink = PostgresTableSink()
    sink.write_batch(good_and_bad_batch())
    result = drain_batch(100, sink)
    assert (result.payloads, result.good, result.bad) == (3, 2, 2)
    assert atomic_rows() == [(EID_A, "page_view", "shop"), (EID_B, "struct", "shop")]
    assert sorted(BadRow.objects.values_list("type", flat=True)) == [
        "collector_payload_format_violation", "tracker_protocol_violations"]
    assert sink.pending_count() == 0


@pytest.mark.django_db
def test_the_same_event_delivered_twice_lands_once():
    sink = PostgresTableSink()
    payload = collector_payload("/i", {"e": "pv", "eid": EID_A, "p": "web", "tv": "t"})
    sink.write_batch([payload])
    drain_batch(10, sink)
    sink.write_batch([payload])
    result = drain_batch(10, sink)
    assert result.duplicates == 1
    assert len(atomic_rows()) == 1


@pytest.mark.django_db(transaction=True)
def test_the_redis_sink_is_acknowledged_only_after_commit_and_a_redelivery_lands_once():
    url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    sink = RedisStreamSink(url, f"test:drain:{uuid.uuid4()}", "enrich")
    try:
        sink.write_batch(good_and_bad_batch())
        result = drain_batch(100, sink)
        assert (result.good, result.bad) == (2, 2)
        assert sink.pending_count() == 0
        assert sink.client.xpending(sink.stream, sink.group)["pending"] == 0
        assert len(atomic_rows()) == 2
    finally:
        sink.client.delete(sink.stream)


@pytest.mark.django_db
def test_a_configuration_change_clears_the_workers_schema_caches(monkeypatch):
    from enrichment import drain
    from enrichment.versioning import config_version_bump
    from iglu import api as iglu

    cleared = []
    monkeypatch.setattr(iglu, "clear_caches", lambda: cleared.append(True))
    monkeypatch.setattr(drain, "_watcher", drain.ConfigWatcher())
    sink = PostgresTableSink()
    drain_batch(10, sink)
    drain_batch(10, sink)
    assert cleared == []
    config_version_bump()
    drain_batch(10, sink)
    drain_batch(10, sink)
    assert cleared == [True]


@pytest.mark.django_db
def test_a_batch_reads_the_configuration_version_once_for_caches_and_pipeline(monkeypatch):
    from enrichment import config, drain, versioning
    from enrichment.config import reset_pipeline

    reads = []
    real_get = versioning.config_version_get
    monkeypatch.setattr(versioning, "config_version_get", lambda: reads.append(1) or real_get())
    monkeypatch.setattr(drain, "config_version_get", versioning.config_version_get)
    monkeypatch.setattr(drain, "_watcher", drain.ConfigWatcher())
    reset_pipeline()
    sink = PostgresTableSink()
    sink.write_batch(good_and_bad_batch())
    result = drain_batch(100, sink)
    assert (result.payloads, result.good, result.bad) == (3, 2, 2)
    assert len(reads) == 1
    assert config._current.version == real_get()  # the pipeline was built for the version read
    reset_pipeline()


@pytest.mark.django_db
def test_every_processed_payload_is_kept_in_the_raw_archive_once(settings):
    settings.WAREHOUSE_RAW_ARCHIVE = "table"
    sink = PostgresTableSink()
    batch = good_and_bad_batch()
    sink.write_batch(batch)
    drain_batch(100, sink)
    with connection.cursor() as cursor:
        cursor.execute("SELECT payload FROM warehouse_raw_archive ORDER BY id")
        archived = [bytes(row[0]) for row in cursor.fetchall()]
    assert archived == batch


@pytest.mark.django_db
def test_a_size_violation_keeps_the_oversize_payload_for_recovery():
    from collector.splitting import SizeViolation
    from enrichment.api import record_size_violations

    record_size_violations([SizeViolation(actual_size=2000, maximum_size=1000, expectation="too big",
                                          payload_text="abc", collector_payload=b"thrift-bytes")])
    row = BadRow.objects.get()
    assert row.type == "size_violation" and bytes(row.payload) == b"thrift-bytes"
    assert row.data["data"]["failure"]["maximumAllowedSizeBytes"] == 1000
