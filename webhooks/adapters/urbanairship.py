"""Urban Airship Connect (`/com.urbanairship.connect/v1`): one Connect event JSON per request (spec 2.8).

The whole JSON is the data; `id` becomes event_id, `occurred` the true timestamp and `processed` the
collector timestamp. Decisions where we differ from enrich, so the user keeps more of their data:
- enrich refuses any content type because it was written for a relay posting raw bodies; a real HTTP
  webhook always sends one, so we also accept a JSON content type (anything else is still refused);
- enrich maps `RICH_HEAD` (which has no public schema) but not `RICH_READ` (which has one); we map both,
  each to its own schema;
- an `occurred` / `processed` that is not an ISO date-time is an InputData failure, where enrich crashes.
"""

from __future__ import annotations

import calendar
from datetime import datetime
from typing import Any

from webhooks.adapters.base import WebhookAdapter, WebhookEvent
from webhooks.checks import JSON, check_body, check_json
from webhooks.messages import Rejected, input_data, lookup_schema
from webhooks.requests import WebhookRequest
from webhooks.transforms import parse_iso_datetime

EVENT_TYPES = ("CLOSE", "CUSTOM", "FIRST_OPEN", "IN_APP_MESSAGE_DISPLAY", "IN_APP_MESSAGE_EXPIRATION",
               "IN_APP_MESSAGE_RESOLUTION", "LOCATION", "OPEN", "PUSH_BODY", "REGION", "RICH_DELETE",
               "RICH_DELIVERY", "RICH_HEAD", "RICH_READ", "SEND", "TAG_CHANGE", "UNINSTALL")
SCHEMAS = {name: f"iglu:com.urbanairship.connect/{name}/jsonschema/1-0-0" for name in EVENT_TYPES}
REQUIRED = ("occurred", "id", "processed")


class UrbanAirshipAdapter(WebhookAdapter):
    vendor, version = "com.urbanairship.connect", "v1"
    tracker_version = "com.urbanairship.connect-v1"
    default_schemas = SCHEMAS

    def adapt(self, request: WebhookRequest) -> list[WebhookEvent]:
        body = check_body(request)
        if request.content_type is not None and request.media_type != JSON:
            raise Rejected(input_data("contentType", request.content_type,
                                      "expected no content type or application/json"))
        event = check_json("body", body)
        fields, messages = required_fields(event)
        try:
            schema = lookup_schema(event.get("type") if isinstance(event, dict) else None, self.schemas)
        except Rejected as rejected:
            messages.extend(rejected.messages)
        if messages:
            raise Rejected(*messages)
        occurred, processed = fields["occurred"], fields["processed"]
        return [WebhookEvent(schema, event, overrides={"eid": fields["id"], "ttm": str(millis(occurred))},
                             collector_tstamp=millis(processed))]


def required_fields(event: Any) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The string fields `occurred`, `id`, `processed` (dates parsed), and a failure for each one missing."""
    found: dict[str, Any] = {}
    messages = []
    for name in REQUIRED:
        value = event.get(name) if isinstance(event, dict) else None
        if not isinstance(value, str):
            messages.append(input_data(name, None, f"could not extract '{name}': missing or not a string"))
            continue
        if name == "id":
            found[name] = value
            continue
        moment = parse_iso_datetime(value)
        if moment is None:
            messages.append(input_data(name, value, f"could not parse '{name}' as an ISO 8601 date-time"))
        found[name] = moment
    return found, messages


def millis(moment: datetime) -> int:
    return calendar.timegm(moment.utctimetuple()) * 1000 + moment.microsecond // 1000
