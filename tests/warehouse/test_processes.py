"""Real worker processes: concurrent loads of one new schema and one payload, and a SIGKILL mid-transaction."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from tests.warehouse.conftest import fetch
from tests.warehouse.factories import UNSTRUCT, loadable, page_view
from warehouse.models import ShreddedTable, ShreddedVersion
from warehouse.partitions import partitions_ensure

pytestmark = pytest.mark.django_db(transaction=True)

LINK_CLICK = "iglu:com.snowplowanalytics.snowplow/link_click/jsonschema/1-0-1"


@pytest.fixture(autouse=True)
def _clean_atomic():
    """Transactional tests commit; leave atomic as the migration made it for the next test."""
    yield
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE atomic.events")
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'atomic' AND c.relkind = 'r' AND NOT c.relispartition"
        )
        for (name,) in cursor.fetchall():
            cursor.execute(f'DROP TABLE atomic."{name}"')


def _batch_file(tmp_path: Path, name: str, payloads: dict[str, list]) -> Path:
    """Write a batch: payload id -> its loadable events."""
    events = [[event, fingerprint, pid] for pid, loadables in payloads.items() for event, fingerprint in loadables]
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps({"payload_ids": list(payloads), "events": events}))
    return path


def _worker(mode: str, batch: Path, test_database_url: str, barrier: Path | None = None) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": test_database_url, "DJANGO_SETTINGS_MODULE": "snowplow_site.settings"}
    if barrier:
        env["WAREHOUSE_TEST_BARRIER"] = str(barrier)
    return subprocess.Popen(
        [sys.executable, "-m", "tests.warehouse.worker", mode, str(batch)],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _finish(process: subprocess.Popen) -> dict:
    out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    return json.loads(out.splitlines()[0])


def _link_click_event() -> dict:
    click = {"schema": LINK_CLICK, "data": {"targetUrl": "https://shop.example/sale", "elementId": "banner"}}
    return page_view(event="unstruct", unstruct_event={"schema": UNSTRUCT, "data": click}, contexts=None)


def test_two_workers_meeting_a_new_schema_at_once_create_one_table(tmp_path, test_database_url):
    partitions_ensure(months_back=0, months_ahead=0, today=dt.date(2026, 12, 1))
    barrier = tmp_path / "go"
    batches = [_batch_file(tmp_path, f"w{i}", {f"p{i}": [loadable(_link_click_event())]}) for i in range(4)]
    workers = [_worker("load", batch, test_database_url, barrier) for batch in batches]
    barrier.touch()
    results = [_finish(worker) for worker in workers]
    assert [r["loaded"] for r in results] == [1, 1, 1, 1]
    assert ShreddedTable.objects.filter(name="com_snowplowanalytics_snowplow_link_click_1").count() == 1
    assert list(ShreddedVersion.objects.values_list("uri", flat=True)) == [LINK_CLICK]
    rows = fetch("SELECT target_url, element_id FROM atomic.com_snowplowanalytics_snowplow_link_click_1")
    assert rows == [("https://shop.example/sale", "banner")] * 4


def test_two_workers_loading_the_same_payload_at_once_land_it_once(tmp_path, test_database_url):
    events = [loadable(), loadable()]
    batch = _batch_file(tmp_path, "same", {"1700000000000-0": events})
    barrier = tmp_path / "go"
    workers = [_worker("load", batch, test_database_url, barrier) for _ in range(3)]
    barrier.touch()
    results = [_finish(worker) for worker in workers]
    assert sorted(r["loaded"] for r in results) == [0, 0, 2]
    assert fetch("SELECT count(*) FROM atomic.events") == [(2,)]


def test_a_worker_killed_inside_its_load_transaction_loses_nothing_and_doubles_nothing(tmp_path, test_database_url):
    payloads = {"1700000000000-0": [loadable(), loadable()], "1700000000001-0": [loadable(_link_click_event())]}
    batch = _batch_file(tmp_path, "batch", payloads)
    doomed = _worker("hang", batch, test_database_url)
    lines = [doomed.stdout.readline(), doomed.stdout.readline()]
    assert lines[1].strip() == "LOADED", doomed.stderr.read()
    assert fetch("SELECT count(*) FROM atomic.events") == [(0,)], "nothing is visible before the commit"
    doomed.send_signal(signal.SIGKILL)
    doomed.wait(timeout=10)

    # The sink re-delivers the unacknowledged payloads to a restarted worker: all three events land once.
    assert _finish(_worker("load", batch, test_database_url)) == {"loaded": 3, "skipped": 0}
    # Delivered yet again (the worker died after the commit, before acknowledging): skipped by the manifest.
    assert _finish(_worker("load", batch, test_database_url)) == {"loaded": 0, "skipped": 0}
    assert fetch("SELECT count(*), count(DISTINCT event_id) FROM atomic.events") == [(3, 3)]
    assert fetch("SELECT count(*) FROM atomic.com_snowplowanalytics_snowplow_link_click_1") == [(1,)]
    assert fetch("SELECT count(*) FROM warehouse_load_manifest") == [(2,)]
