"""Marketo (`/com.marketo/v1`): a webhook whose JSON template the user writes, one event per call.

Marketo's `yyyy-MM-dd HH:mm:ss` date tokens become ISO 8601 wherever the known date keys appear (at any
depth), as in enrich. The content type is not checked (Marketo lets users choose it).
"""

from __future__ import annotations

from typing import Any

from webhooks.adapters.base import WebhookAdapter, WebhookEvent
from webhooks.checks import check_body, check_json
from webhooks.messages import Rejected, input_data
from webhooks.requests import WebhookRequest
from webhooks.transforms import iso_from_pattern

EVENT = "iglu:com.marketo/event/jsonschema/2-0-0"
DATE_KEYS = frozenset({"acquisition_date", "created_at", "email_suspended_at", "last_referred_enrollment",
                       "last_referred_visit", "updated_at", "datetime", "last_interesting_moment_date"})


class MarketoAdapter(WebhookAdapter):
    vendor, version = "com.marketo", "v1"
    tracker_version = "com.marketo-v1"
    default_schemas = {"event": EVENT}

    def adapt(self, request: WebhookRequest) -> list[WebhookEvent]:
        body = check_body(request)
        event = check_json("body", body)
        if not isinstance(event, dict):
            raise Rejected(input_data("body", body, "not a json object"))
        return [WebhookEvent(self.schemas["event"], iso_dates(event))]


def iso_dates(value: Any) -> Any:
    if isinstance(value, list):
        return [iso_dates(item) for item in value]
    if not isinstance(value, dict):
        return value
    return {key: iso_from_pattern(item) if key in DATE_KEYS and isinstance(item, str) else iso_dates(item)
            for key, item in value.items()}
