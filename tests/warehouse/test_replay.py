"""Replays push archived payloads or bad rows through the current configuration, exactly once per run."""

from __future__ import annotations

import datetime as dt

import pytest

from enrichment.models import BadRow
from tests.warehouse.conftest import fetch
from tests.warehouse.factories import T0, collector_payload, page_view_query
from warehouse.api import raw_archive_record, replay_archive, replay_bad_rows
from warehouse.models import RawArchiveEntry
from warehouse.partitions import partitions_ensure

pytestmark = pytest.mark.django_db

H10 = dt.datetime(2026, 12, 3, 10, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _partition():
    partitions_ensure(months_back=0, months_ahead=0, today=dt.date(2026, 12, 1))


def _archive(*payloads: bytes) -> None:
    raw_archive_record([(f"p{i}", data) for i, data in enumerate(payloads)])
    RawArchiveEntry.objects.update(received_at=H10 + dt.timedelta(minutes=5))


def _events() -> list[tuple]:
    return fetch("SELECT event_id::text, page_title, domain_userid FROM atomic.events ORDER BY page_title")


def test_a_replayed_range_loads_its_events_and_running_it_again_changes_nothing(storage_dir):
    first, second = page_view_query(), dict(page_view_query(), page="Socks")
    _archive(collector_payload(first), collector_payload(second))
    report = replay_archive(H10, H10 + dt.timedelta(hours=1))
    assert report.as_dict() == {"payloads": 2, "skipped": 0, "events_loaded": 2, "duplicates_skipped": 0, "bad_rows": 0}
    assert _events() == [
        (first["eid"], "Shoes", first["duid"]),
        (second["eid"], "Socks", second["duid"]),
    ]
    again = replay_archive(H10, H10 + dt.timedelta(hours=1))
    assert (again.skipped, again.events_loaded) == (2, 0)
    other_run = replay_archive(H10, H10 + dt.timedelta(hours=1), run="after-schema-fix")
    assert (other_run.skipped, other_run.events_loaded, other_run.duplicates_skipped) == (0, 0, 2)
    assert len(_events()) == 2


def test_a_replay_only_takes_its_time_range(storage_dir):
    _archive(collector_payload(page_view_query()))
    assert replay_archive(H10 + dt.timedelta(hours=1), H10 + dt.timedelta(hours=2)).payloads == 0


def test_replaying_bad_rows_loads_what_now_succeeds_and_marks_each_row():
    query = page_view_query()
    now = dt.datetime.now(dt.UTC)
    common = {"processor": "test", "failure_signature": "x", "first_seen": now, "last_seen": now, "data": {}}
    fixed = BadRow.objects.create(type="schema_violations", payload=collector_payload(query), **common)
    hopeless = BadRow.objects.create(type="collector_payload_format_violation", payload=b"\x00garbage", **common)
    no_payload = BadRow.objects.create(type="size_violation", payload=None, **common)
    report = replay_bad_rows(BadRow.objects.order_by("id"))
    assert (report.payloads, report.events_loaded, report.bad_rows) == (2, 1, 1)
    assert [row[0] for row in _events()] == [query["eid"]]
    statuses = dict(BadRow.objects.values_list("id", "status"))
    assert statuses == {fixed.id: "recovered", hopeless.id: "replayed", no_payload.id: "new"}
    assert BadRow.objects.count() == 3, "a replay records no new bad rows for old ones"
    assert replay_bad_rows(BadRow.objects.filter(id=fixed.id)).skipped == 1


def test_the_replayed_event_keeps_the_collector_timestamp_of_its_payload(storage_dir):
    _archive(collector_payload(page_view_query()))
    replay_archive(H10, H10 + dt.timedelta(hours=1))
    assert fetch("SELECT collector_tstamp FROM atomic.events") == [(dt.datetime(2026, 12, 3, 10, 0, 0, 123000),)]
    assert T0 % 1000 == 123
