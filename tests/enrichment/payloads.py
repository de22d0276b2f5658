"""Build CollectorPayloads the way the collector records them, for enrichment tests."""

from __future__ import annotations

import json
from urllib.parse import urlencode

from collector.payload import ENCODING, SCHEMA, CollectorPayload, payload_serialize

NUID = "9a1c3e5f-2b4d-4f6a-8c0e-1d3f5a7b9c2e"
COLLECTOR_TSTAMP = 1_700_000_000_000
PAYLOAD_DATA = "iglu:com.snowplowanalytics.snowplow/payload_data/jsonschema/1-0-4"


def collector_payload(path: str = "/i", query: dict | str | None = None, body: dict | str | bytes | None = None,
                      content_type: str | None = None, headers: list[str] | None = None, **overrides) -> bytes:
    querystring = urlencode(query) if isinstance(query, dict) else (query or "")
    if isinstance(body, dict):
        body = json.dumps(body)
    if isinstance(body, str):
        body = body.encode()
    fields = {
        "schema": SCHEMA, "ipAddress": "198.51.100.7", "timestamp": COLLECTOR_TSTAMP, "encoding": ENCODING,
        "collector": "spdj-0.1.0-postgressink", "userAgent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0",
        "refererUri": "https://shop.example/from-header", "path": path, "querystring": querystring.encode(),
        "body": body, "headers": headers or [], "contentType": content_type, "hostname": "collector.example",
        "networkUserId": NUID,
    }
    fields.update(overrides)
    return payload_serialize(CollectorPayload(**fields))


def tp2(events: list[dict], query: str = "", content_type: str = "application/json; charset=utf-8") -> bytes:
    return collector_payload("/com.snowplowanalytics.snowplow/tp2", query=query,
                             body={"schema": PAYLOAD_DATA, "data": events}, content_type=content_type)
