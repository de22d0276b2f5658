"""Monthly partitions are created ahead, idempotently, and take over rows the DEFAULT partition held."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.warehouse.conftest import fetch
from tests.warehouse.factories import loadable
from warehouse.api import batch_load
from warehouse.partitions import add_months, list_partitions, partitions_drop_before, partitions_ensure
from warehouse.tasks import ensure_partitions

pytestmark = pytest.mark.django_db

# 2031-03-21 12:00:00 UTC, beyond the partitions the migration creates.
MARCH_2031_MS = 1_931_860_800_000


def test_add_months_crosses_years_both_ways():
    assert add_months(dt.date(2026, 11, 1), 3) == dt.date(2027, 2, 1)
    assert add_months(dt.date(2026, 1, 1), -1) == dt.date(2025, 12, 1)


def test_ensure_creates_the_missing_months_once():
    created = partitions_ensure(months_back=1, months_ahead=2, today=dt.date(2031, 3, 20))
    assert created == ["events_2031_02", "events_2031_03", "events_2031_04", "events_2031_05"]
    assert partitions_ensure(months_back=1, months_ahead=2, today=dt.date(2031, 3, 20)) == []
    march = next(p for p in list_partitions() if p.name == "events_2031_03")
    assert (march.start, march.end) == (dt.date(2031, 3, 1), dt.date(2031, 4, 1))


def test_the_beat_task_keeps_three_months_ahead():
    ensure_partitions.apply()
    this_month = dt.datetime.now(dt.UTC).date().replace(day=1)
    names = {p.name for p in list_partitions()}
    for ahead in range(4):
        assert f"events_{add_months(this_month, ahead):%Y_%m}" in names


def test_a_new_partition_takes_over_the_rows_the_default_partition_held():
    event = loadable(collector_tstamp=MARCH_2031_MS).event
    batch_load([loadable(event)], [])
    assert fetch("SELECT tableoid::regclass::text FROM atomic.events") == [("atomic.events_default",)]
    partitions_ensure(months_back=0, months_ahead=0, today=dt.date(2031, 3, 1))
    assert fetch("SELECT tableoid::regclass::text, event_id::text FROM atomic.events") == [
        ("atomic.events_2031_03", event["event_id"])
    ]
    indexes = fetch("SELECT count(*) FROM pg_indexes WHERE tablename = 'events_2031_03'")
    assert indexes == [(6,)], "an attached partition gets the parent's indexes"


def test_dropping_old_partitions_keeps_newer_ones():
    partitions_ensure(months_back=0, months_ahead=1, today=dt.date(2031, 3, 1))
    dropped = partitions_drop_before(dt.date(2031, 4, 1))
    assert "events_2031_03" in dropped
    assert "events_2031_04" not in dropped
    assert "events_2031_04" in {p.name for p in list_partitions()}
