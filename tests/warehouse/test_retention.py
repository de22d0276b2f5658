"""Retention drops whole old months of events with their entities and keys, old bad rows and archives."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from enrichment.models import BadRow
from tests.warehouse.conftest import fetch
from tests.warehouse.factories import CONTEXTS, loadable, page_view
from warehouse.api import batch_load
from warehouse.models import EventKey
from warehouse.partitions import list_partitions, partitions_ensure
from warehouse.retention import retention_apply

pytestmark = pytest.mark.django_db

OCTOBER = 1_791_021_600_000  # 2026-10-03 10:00 UTC
DECEMBER = 1_796_292_000_123  # 2026-12-03 10:00 UTC
WEB_PAGE = "iglu:com.snowplowanalytics.snowplow/web_page/jsonschema/1-0-0"


def _event(ms: int) -> dict:
    context = {"schema": WEB_PAGE, "data": {"id": "0f4b3c2a-1d2e-4f5a-8b6c-7d8e9f0a1b2c"}}
    return page_view(collector_tstamp=ms, contexts={"schema": CONTEXTS, "data": [context]})


def test_old_months_go_with_their_entities_keys_and_bad_rows(settings, storage_dir):
    partitions_ensure(months_back=2, months_ahead=0, today=dt.date(2026, 12, 1))
    october, december, ancient = _event(OCTOBER), _event(DECEMBER), _event(0)
    batch_load([loadable(october), loadable(december), loadable(ancient)], [])
    now = dt.datetime(2026, 12, 20, tzinfo=dt.UTC)
    old_bad = now - dt.timedelta(days=100)
    BadRow.objects.create(
        type="x", processor="t", failure_signature="s", first_seen=old_bad, last_seen=old_bad, data={}
    )
    BadRow.objects.create(type="x", processor="t", failure_signature="s", first_seen=now, last_seen=now, data={})
    settings.WAREHOUSE_EVENTS_RETENTION_DAYS = 45  # cutoff 2026-11-05: everything before November goes
    settings.WAREHOUSE_BAD_ROWS_RETENTION_DAYS = 90

    report = retention_apply(now=now)

    assert "events_2026_10" in report.partitions_dropped and "events_2026_11" not in report.partitions_dropped
    assert report.default_partition_rows == 1
    assert (report.entity_rows, report.event_keys, report.bad_rows) == (2, 2, 1)
    assert fetch("SELECT event_id::text FROM atomic.events") == [(december["event_id"],)]
    assert fetch("SELECT root_id::text FROM atomic.com_snowplowanalytics_snowplow_web_page_1") == [
        (december["event_id"],)
    ]
    assert list(EventKey.objects.values_list("event_id", flat=True).order_by()) == [uuid.UUID(december["event_id"])]
    assert min(p.start for p in list_partitions()) == dt.date(2026, 11, 1)


def test_zero_keeps_everything(settings, storage_dir):
    settings.WAREHOUSE_EVENTS_RETENTION_DAYS = 0
    settings.WAREHOUSE_BAD_ROWS_RETENTION_DAYS = 0
    settings.WAREHOUSE_RAW_ARCHIVE_DAYS = 0
    batch_load([loadable(_event(0))], [])
    assert retention_apply().as_dict()["partitions_dropped"] == []
    assert fetch("SELECT count(*) FROM atomic.events") == [(1,)]
