"""Iglu webhook adapter (`/com.snowplowanalytics.iglu/v1`): any caller sends a self-describing event (spec 2.1).

Decisions where we differ from or sharpen enrich:
- The default platform stays `app` for GET and JSON bodies and `srv` for form bodies, as enrich's code does
  (the docs say `srv`): events keep the platform they have in existing Snowplow warehouses.
- `eid`, `ttm` and `url` stay inside GET data as well as becoming event_id/true_tstamp/page_url, as in enrich,
  because the user's own schema decides whether it declares them.
- A JSON content type is recognised by its media type (`application/json;charset=utf-8`, without the space,
  is accepted; enrich refuses it). An empty POST body counts as no body, so `?schema=` data still arrives.
"""

from __future__ import annotations

from typing import Any

from webhooks.adapters.base import NOT_DATA, WebhookAdapter, WebhookEvent
from webhooks.checks import FORM, JSON, check_json
from webhooks.messages import Rejected, input_data, not_iglu
from webhooks.requests import WebhookRequest, parse_pairs
from webhooks.schemakeys import schema_key_error, self_describing_error

ALL_TYPES = "expected one of application/json, application/json; charset=utf-8, application/x-www-form-urlencoded"
JSON_TYPES = "expected one of application/json, application/json; charset=utf-8"


class IgluAdapter(WebhookAdapter):
    vendor, version = "com.snowplowanalytics.iglu", "v1"
    tracker_version = "com.snowplowanalytics.iglu-v1"
    default_platform = "app"

    def adapt(self, request: WebhookRequest) -> list[WebhookEvent]:
        schema = request.query.get("schema") or None
        if request.body is not None and request.content_type is None:
            raise Rejected(input_data("contentType", None, ALL_TYPES))
        if schema is None and request.body is not None:
            return [self.self_describing_body(request)]
        if schema is None:
            raise Rejected(input_data("schema", None, "empty `schema` field"), input_data("body", None, "empty body"))
        error = schema_key_error(schema)
        if error:
            raise Rejected(input_data("schema", schema, error))
        if request.body is None:
            return [WebhookEvent(schema, query_data(request))]
        if request.media_type == JSON:
            return [WebhookEvent(schema, data) for data in json_body_items(request.body)]
        if request.media_type == FORM:
            return [WebhookEvent(schema, dict(parse_pairs(request.body)), platform="srv")]
        raise Rejected(input_data("contentType", request.content_type, ALL_TYPES))

    def self_describing_body(self, request: WebhookRequest) -> WebhookEvent:
        if request.media_type != JSON:
            raise Rejected(input_data("contentType", request.content_type, JSON_TYPES))
        body = check_json("body", request.body)
        error = self_describing_error(body)
        if error:
            raise Rejected(not_iglu(body, error))
        return WebhookEvent(body["schema"], body["data"])


def query_data(request: WebhookRequest) -> dict[str, str | None]:
    """Every query parameter but `schema` and the tracker ones, as strings; empty or valueless is null."""
    return {name: value or None for name, value in request.query.items() if name not in NOT_DATA | {"schema"}}


def json_body_items(body: str) -> list[Any]:
    """An array is one event per element; a non-empty object is one event; anything else is refused."""
    value = check_json("body", body)
    if isinstance(value, list):
        if not value:
            raise Rejected(input_data("body", "[]", "empty array of events"))
        return value
    if isinstance(value, dict) and value:
        return [value]
    raise Rejected(input_data("body", body, "has no key-value pairs"))
