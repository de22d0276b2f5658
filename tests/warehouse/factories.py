"""Canonical events for warehouse tests, shaped as the enrichment drain hands them to batch_load."""

from __future__ import annotations

import uuid
from typing import Any

from warehouse.api import LoadableEvent

CONTEXTS = "iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/1-0-1"
UNSTRUCT = "iglu:com.snowplowanalytics.snowplow/unstruct_event/jsonschema/1-0-0"
# 2026-12-03 10:00:00.123 UTC
T0 = 1_796_292_000_123


def page_view(**fields: Any) -> dict[str, Any]:
    """A web page view with the fields a JS tracker and the default enrichments fill."""
    event = {
        "app_id": "shop",
        "platform": "web",
        "etl_tstamp": T0 + 500,
        "collector_tstamp": T0,
        "dvce_created_tstamp": T0 - 250,
        "event": "page_view",
        "event_id": str(uuid.uuid4()),
        "name_tracker": "sp",
        "v_tracker": "js-3.24.0",
        "v_collector": "spdj-0.1.0",
        "v_etl": "snowplow-django-enrich-0.1.0",
        "user_ipaddress": "203.0.113.7",
        "domain_userid": "c7f2f4b5-0c9e-4a8e-9a43-5d3a3b0e6d11",
        "domain_sessionidx": 3,
        "network_userid": "9b1e7a22-3a43-4e2e-8a18-0d1f2c3b4a5d",
        "geo_country": "DE",
        "geo_latitude": 52.52,
        "geo_longitude": 13.405,
        "page_url": "https://shop.example/products/shoes?utm_source=news",
        "page_title": "Shoes",
        "page_urlscheme": "https",
        "page_urlhost": "shop.example",
        "page_urlport": 443,
        "page_urlpath": "/products/shoes",
        "page_urlquery": "utm_source=news",
        "mkt_source": "news",
        "br_cookies": True,
        "dvce_ismobile": False,
        "br_viewwidth": 1280,
        "br_viewheight": 720,
        "dvce_sent_tstamp": T0 - 100,
        "domain_sessionid": "5a1c2e3f-4b5d-4c6e-8f70-123456789abc",
        "derived_tstamp": T0 - 100,
        "event_vendor": "com.snowplowanalytics.snowplow",
        "event_name": "page_view",
        "event_format": "jsonschema",
        "event_version": "1-0-0",
        "contexts": {
            "schema": CONTEXTS,
            "data": [
                {
                    "schema": "iglu:com.snowplowanalytics.snowplow/web_page/jsonschema/1-0-0",
                    "data": {"id": "0f4b3c2a-1d2e-4f5a-8b6c-7d8e9f0a1b2c"},
                }
            ],
        },
    }
    event.update(fields)
    return event


def loadable(event: dict[str, Any] | None = None, fingerprint: str | None = None, **fields: Any) -> LoadableEvent:
    event = event if event is not None else page_view(**fields)
    return LoadableEvent(event, fingerprint or f"fp-{event['event_id']}")


def collector_payload(query: dict[str, str], timestamp: int = T0, network_userid: str | None = None) -> bytes:
    """A GET /i CollectorPayload as the collector records it (Thrift binary)."""
    from urllib.parse import urlencode

    from collector.payload import ENCODING, SCHEMA, CollectorPayload, payload_serialize

    return payload_serialize(
        CollectorPayload(
            schema=SCHEMA,
            ipAddress="203.0.113.7",
            timestamp=timestamp,
            encoding=ENCODING,
            collector="spdj-0.1.0",
            userAgent="Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0",
            path="/i",
            querystring=urlencode(query).encode(),
            headers=[],
            hostname="collector.example",
            networkUserId=network_userid,
        )
    )


def page_view_query(event_id: str | None = None, domain_userid: str = "d1d1d1d1-0000-4000-8000-000000000001") -> dict:
    """Tracker-protocol parameters of a JS tracker page view."""
    return {
        "e": "pv",
        "eid": event_id or str(uuid.uuid4()),
        "tv": "js-3.24.0",
        "p": "web",
        "aid": "shop",
        "url": "https://shop.example/products/shoes",
        "page": "Shoes",
        "duid": domain_userid,
        "dtm": str(T0 - 250),
    }
