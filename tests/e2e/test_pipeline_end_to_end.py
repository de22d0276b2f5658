"""The whole pipeline for real: HTTP server, Redis sink, Celery worker and beat, the official Python tracker."""

from __future__ import annotations

import datetime as dt
import os
import uuid

import psycopg
import pytest
from django.db import connection
from snowplow_tracker import (
    Emitter,
    PageView,
    SelfDescribing,
    SelfDescribingJson,
    StructuredEvent,
    Subject,
    Tracker,
)

from tests.e2e.stack import poll, start_stack

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
LINK_CLICK = "iglu:com.snowplowanalytics.snowplow/link_click/jsonschema/1-0-1"
WEB_PAGE = "iglu:com.snowplowanalytics.snowplow/web_page/jsonschema/1-0-0"
COLUMNS = ("event_id", "event", "app_id", "platform", "page_url", "page_urlhost", "page_urlpath", "se_category",
           "se_action", "se_label", "se_value", "event_vendor", "event_name", "v_tracker", "collector_tstamp",
           "dvce_created_tstamp", "contexts", "unstruct_event")


def database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def fetch_events(app_id: str) -> dict[str, dict]:
    with psycopg.connect(database_url()) as conn:
        rows = conn.execute(
            f"SELECT {', '.join(COLUMNS)} FROM atomic.events WHERE app_id = %s", [app_id]
        ).fetchall()
    return {str(row[0]): dict(zip(COLUMNS, row, strict=True)) for row in rows}


@pytest.fixture
def stack(tmp_path):
    redis_url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    env = {"DATABASE_URL": database_url(), "REDIS_URL": redis_url.rsplit("/", 1)[0] + "/9",
           "RAW_STREAM_KEY": f"test:e2e:{uuid.uuid4()}", "RAW_SINK": "redis"}
    base, supervisor = start_stack(env, tmp_path)
    yield base
    supervisor.stop()


class CapturingEmitter(Emitter):
    """The official emitter, remembering each payload it was given so the test knows what was sent."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.sent: list[dict[str, str]] = []

    def input(self, payload) -> None:
        self.sent.append({k: str(v) for k, v in payload.items()})
        super().input(payload)


def millis(value: str) -> dt.datetime:
    return dt.datetime.fromtimestamp(int(value) / 1000, dt.UTC).replace(tzinfo=None)


def test_events_from_the_official_python_tracker_land_in_atomic_events_with_the_values_sent(stack):
    app_id = f"e2e-{uuid.uuid4().hex[:8]}"
    host, port = stack.removeprefix("http://").split(":")
    post_emitter = CapturingEmitter(stack, method="post", batch_size=1)
    get_emitter = CapturingEmitter(host, protocol="http", port=int(port), method="get")
    post = Tracker(namespace="e2e-post", app_id=app_id, emitters=post_emitter, subject=Subject().set_platform("web"))
    get = Tracker(namespace="e2e-get", app_id=app_id, emitters=get_emitter, subject=Subject().set_platform("srv"))

    before = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    page_view_id = post.track(PageView(page_url="https://shop.example/products/42?ref=mail", page_title="Product"))
    struct_id = get.track(StructuredEvent(category="checkout", action="add-to-basket", label="sku-42", value=19.99))
    context = SelfDescribingJson(WEB_PAGE, {"id": str(uuid.uuid4())})
    link_id = post.track(SelfDescribing(SelfDescribingJson(LINK_CLICK, {"targetUrl": "https://partner.example/"}),
                                        context=[context]))
    post.flush()
    get.flush()
    after = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    sent = {p["eid"]: p for p in post_emitter.sent + get_emitter.sent}

    events = poll(lambda: fetch_events(app_id), lambda found: len(found) >= 3)
    assert sorted(events) == sorted([page_view_id, struct_id, link_id])
    for event_id, event in events.items():
        assert event["app_id"] == app_id
        assert event["v_tracker"] == "py-1.1.0"
        assert event["dvce_created_tstamp"] == millis(sent[event_id]["dtm"])
        assert before - dt.timedelta(seconds=1) <= event["collector_tstamp"] <= after + dt.timedelta(seconds=1)

    pv = events[page_view_id]
    assert (pv["event"], pv["platform"]) == ("page_view", "web")
    assert pv["page_url"] == "https://shop.example/products/42?ref=mail"
    assert (pv["page_urlhost"], pv["page_urlpath"]) == ("shop.example", "/products/42")
    assert (pv["event_vendor"], pv["event_name"]) == ("com.snowplowanalytics.snowplow", "page_view")

    se = events[struct_id]
    assert (se["event"], se["platform"]) == ("struct", "srv")
    assert (se["se_category"], se["se_action"], se["se_label"], se["se_value"]) == (
        "checkout", "add-to-basket", "sku-42", 19.99)
    assert (se["event_vendor"], se["event_name"]) == ("com.google.analytics", "event")

    ue = events[link_id]
    assert (ue["event"], ue["event_vendor"], ue["event_name"]) == (
        "unstruct", "com.snowplowanalytics.snowplow", "link_click")
    assert ue["unstruct_event"]["data"] == {"schema": LINK_CLICK, "data": {"targetUrl": "https://partner.example/"}}
    assert ue["contexts"]["data"] == [context.to_json()]
