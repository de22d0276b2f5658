"""Webhook calls through the running product: HTTP server, Redis sink, Celery worker, atomic.events, bad_rows."""

from __future__ import annotations

import json
import os
import urllib.request
import uuid

import psycopg
import pytest

from tests.e2e.stack import poll, start_stack
from tests.e2e.test_pipeline_end_to_end import database_url

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def stack(tmp_path):
    redis_url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/4"
    env = {"DATABASE_URL": database_url(), "REDIS_URL": redis_url, "RAW_SINK": "redis",
           "RAW_STREAM_KEY": f"test:webhooks:e2e:{uuid.uuid4()}"}
    base, supervisor = start_stack(env, tmp_path)
    yield base
    supervisor.stop()


def send(url: str, body: str | None = None, content_type: str | None = None) -> int:
    request = urllib.request.Request(url, data=body.encode() if body is not None else None,
                                     method="POST" if body is not None else "GET")
    if content_type:
        request.add_header("Content-Type", content_type)
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status


def rows(sql: str, params: list) -> list[tuple]:
    with psycopg.connect(database_url()) as conn:
        return conn.execute(sql, params).fetchall()


def test_a_sendgrid_batch_lands_in_atomic_events_and_its_unsupported_event_in_bad_rows(stack):
    app_id = f"wh-{uuid.uuid4().hex[:8]}"
    batch = [{"email": "a@example.com", "timestamp": 1710403200, "event": "open",
              "sg_event_id": "Y0hKdlkyVnpjMlZrTFRFdw==", "useragent": "Mozilla/5.0", "ip": "198.51.100.61"},
             {"event": "account_status_change", "sg_event_id": "YWNjdC01MDAwMnh4eHh4eA==", "timestamp": 1710403201}]
    assert send(f"{stack}/com.sendgrid/v3?aid={app_id}", json.dumps(batch), "application/json; charset=utf-8") == 200

    events = poll(lambda: rows("SELECT event, event_vendor, event_name, event_version, v_tracker, platform, "
                               "unstruct_event FROM atomic.events WHERE app_id = %s", [app_id]), lambda r: len(r) >= 1)
    assert len(events) == 1
    event, vendor, name, version, tracker, platform, unstruct = events[0]
    assert (event, vendor, name, version, tracker, platform) == (
        "unstruct", "com.sendgrid", "open", "3-0-0", "com.sendgrid-v3", "srv")
    assert unstruct["data"] == {"schema": "iglu:com.sendgrid/open/jsonschema/3-0-0", "data": {
        "email": "a@example.com", "timestamp": "2024-03-14T08:00:00.000Z", "sg_event_id": "Y0hKdlkyVnpjMlZrTFRFdw==",
        "useragent": "Mozilla/5.0", "ip": "198.51.100.61"}}

    bad = poll(lambda: rows("SELECT type, data FROM bad_rows WHERE app_id = %s", [app_id]), lambda r: len(r) >= 1)
    [(badrow_type, data)] = bad
    assert badrow_type == "adapter_failures"
    assert data["schema"] == "iglu:com.snowplowanalytics.snowplow.badrows/adapter_failures/jsonschema/1-0-0"
    assert data["data"]["failure"]["vendor"] == "com.sendgrid"
    assert data["data"]["failure"]["messages"][0]["actual"] == "account_status_change"


def test_mailchimps_url_check_answers_200_and_becomes_an_adapter_failures_bad_row(stack):
    app_id = f"wh-{uuid.uuid4().hex[:8]}"
    assert send(f"{stack}/com.mailchimp/v1?aid={app_id}") == 200
    subscribe = ("type=subscribe&fired_at=2024-03-01+09%3A41%3A07&data%5Bemail%5D=quenby%40example.com"
                 "&data%5Bmerges%5D%5BFNAME%5D=Quenby")
    assert send(f"{stack}/com.mailchimp/v1?aid={app_id}", subscribe, "application/x-www-form-urlencoded") == 200

    bad = poll(lambda: rows("SELECT type, data FROM bad_rows WHERE app_id = %s", [app_id]), lambda r: len(r) >= 1)
    [(badrow_type, data)] = bad
    assert badrow_type == "adapter_failures"
    assert data["data"]["failure"]["messages"] == [
        {"field": "body", "value": None, "expectation": "empty body: no events to process"}]
    events = poll(lambda: rows("SELECT event_name, unstruct_event FROM atomic.events WHERE app_id = %s", [app_id]),
                  lambda r: len(r) >= 1)
    assert events[0][0] == "subscribe"
    assert events[0][1]["data"]["data"] == {"type": "subscribe", "fired_at": "2024-03-01T09:41:07.000Z",
                                            "data": {"email": "quenby@example.com", "merges": {"FNAME": "Quenby"}}}
