"""Fixtures for the data-model tests: hand-made events loaded through warehouse.api.batch_load."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

WEB_PAGE = "iglu:com.snowplowanalytics.snowplow/web_page/jsonschema/1-0-0"
CLIENT_SESSION = "iglu:com.snowplowanalytics.snowplow/client_session/jsonschema/1-0-1"
SCREEN_VIEW = "iglu:com.snowplowanalytics.mobile/screen_view/jsonschema/1-0-0"
APPLICATION = "iglu:com.snowplowanalytics.mobile/application/jsonschema/1-0-0"
APPLICATION_ERROR = "iglu:com.snowplowanalytics.snowplow/application_error/jsonschema/1-0-2"


def millis(when: dt.datetime) -> int:
    return int(when.replace(tzinfo=dt.UTC).timestamp() * 1000)


def event(when: dt.datetime, visitor: str | None = "v1", session: str | None = "s1", kind: str = "page_view",
          app_id: str = "shop", page_view: str | None = None, contexts: list | None = None, **fields) -> dict:
    """A web event at `when` (UTC) of `visitor` in `session`; `page_view` is its web_page context id."""
    ctx = list(contexts or [])
    if page_view:
        ctx.append({"schema": WEB_PAGE, "data": {"id": page_view}})
    result = {
        "event_id": str(uuid.uuid4()), "app_id": app_id, "platform": "web", "event": kind, "event_name": kind,
        "collector_tstamp": millis(when), "derived_tstamp": millis(when), "dvce_created_tstamp": millis(when),
        "v_collector": "test", "v_etl": "test", "domain_userid": visitor, "domain_sessionid": session,
    }
    if ctx:
        result["contexts"] = {"schema": "iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/1-0-0", "data": ctx}
    result.update(fields)
    return {k: v for k, v in result.items() if v is not None}


def page_view(when: dt.datetime, pv: str, path: str = "/", **fields) -> dict:
    return event(when, page_view=pv, page_urlpath=path, page_url=f"https://shop.example{path}", **fields)


def ping(when: dt.datetime, pv: str, **fields) -> dict:
    return event(when, kind="page_ping", page_view=pv, **fields)


def struct(when: dt.datetime, category: str, action: str, **fields) -> dict:
    return event(when, kind="struct", se_category=category, se_action=action, **{"event_name": "event", **fields})


def unstruct(when: dt.datetime, vendor: str, name: str, data: dict, **fields) -> dict:
    envelope = {"schema": "iglu:com.snowplowanalytics.snowplow/unstruct_event/jsonschema/1-0-0",
                "data": {"schema": f"iglu:{vendor}/{name}/jsonschema/1-0-0", "data": data}}
    return event(when, kind="unstruct", event_vendor=vendor, event_name=name, unstruct_event=envelope, **fields)


def load(events: list[dict]) -> None:
    from django.db import transaction

    from warehouse.api import LoadableEvent, batch_load

    with transaction.atomic():
        batch_load([LoadableEvent(e, e["event_id"]) for e in events], [f"test-{uuid.uuid4()}"])


def rows(sql: str, params=None) -> list[tuple]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
        return cursor.fetchall()


@pytest.fixture
def site(db):
    from dashboards.models import Site

    return Site.objects.create(name="Shop", slug="shop", timezone="UTC", app_ids=["shop"],
                               domains=["shop.example"])


@pytest.fixture
def run(db):
    """Run the models incrementally (the first run is a full refresh)."""
    from warehouse.modeling.runs import model_run

    return model_run
