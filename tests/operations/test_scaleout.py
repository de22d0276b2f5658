"""Scale-out: three Celery workers on one Redis Stream consumer group; one is SIGKILLed mid-batch while traffic
flows, its claimed payloads are reclaimed by the others, and every event lands exactly once."""

from __future__ import annotations

import threading
import time
import uuid

import psycopg
import pytest
from django.db import connection

from operations.workers import list_workers
from tests.e2e.stack import poll
from tests.operations.conftest import REDIS_URL
from tests.operations.scaleout import TrackerClient, page_views, start_scaleout_stack

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
POSTS, EVENTS_PER_POST = 300, 10


def database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def landed(app_id: str) -> tuple[int, int]:
    with psycopg.connect(database_url()) as conn:
        return conn.execute("SELECT count(*), count(DISTINCT event_id) FROM atomic.events WHERE app_id = %s",
                            [app_id]).fetchone()


@pytest.fixture
def stack(tmp_path):
    env = {"DATABASE_URL": database_url(), "DRAIN_BATCH_SIZE": "5", "DRAIN_INTERVAL_SECONDS": "1",
           "RAW_RECLAIM_IDLE_MS": "3000", "OPERATIONS_CHECK_INTERVAL_SECONDS": "3600"}
    stack = start_scaleout_stack(env, tmp_path, workers=3, redis_url=REDIS_URL)
    yield stack
    stack.stop()


def send_traffic(base: str, app_id: str, sent: list[str], stop_after: float) -> None:
    client = TrackerClient(base)
    deadline = time.monotonic() + stop_after
    for i in range(POSTS):
        events = page_views(app_id, EVENTS_PER_POST)
        client.post(events)
        sent.extend(event["eid"] for event in events)
        time.sleep(max(0.0, (deadline - time.monotonic()) / max(1, POSTS - i)))  # spread over stop_after seconds
    client.close()


def kill_a_worker_mid_batch(stack) -> tuple[str, int]:
    """Watch the consumer group; SIGKILL the worker of the first consumer holding claimed payloads."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        for consumer in stack.consumers():
            name = consumer["name"].decode()
            worker = stack.worker_of(name) if consumer["pending"] else None
            if worker is not None:
                stack.kill_worker(worker)
                held = next(c["pending"] for c in stack.consumers() if c["name"].decode() == name)
                if held:
                    return name, held
        time.sleep(0.002)
    raise AssertionError("no worker was caught holding a batch")


def test_a_worker_killed_mid_batch_loses_nothing_and_duplicates_nothing(stack):
    app_id = f"scaleout-{uuid.uuid4().hex[:8]}"
    sent: list[str] = []
    traffic = threading.Thread(target=send_traffic, args=(stack.base, app_id, sent, 8.0))
    traffic.start()
    poll(lambda: landed(app_id)[0], lambda count: count > 0, timeout=30)

    dead_consumer, held = kill_a_worker_mid_batch(stack)
    alive = [w for w in stack.workers if w.process.poll() is None]
    traffic.join()

    expected = POSTS * EVENTS_PER_POST
    assert len(sent) == expected and len(alive) == 2
    assert held > 0  # the killed worker died holding claimed, unacknowledged payloads
    count, distinct = poll(lambda: landed(app_id), lambda result: result[0] >= expected, timeout=90)
    time.sleep(2)  # let anything in flight settle, so a duplicate would show
    count, distinct = landed(app_id)
    assert (count, distinct) == (expected, expected)
    with psycopg.connect(database_url()) as conn:
        ids = {str(row[0]) for row in conn.execute("SELECT event_id FROM atomic.events WHERE app_id = %s", [app_id])}
    assert ids == set(sent)
    remaining = {c["name"].decode(): c["pending"] for c in stack.consumers()}
    assert remaining[dead_consumer] == 0 and sum(remaining.values()) == 0
    assert stack.redis.xlen(stack.stream) == 0
    heartbeats = {worker.name.split("@")[0][:2] for worker in list_workers() if stack.stream[-8:] in worker.name}
    assert heartbeats == {"w0", "w1", "w2"}  # every worker was seen alive by the health page
