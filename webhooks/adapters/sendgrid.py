"""SendGrid (`/com.sendgrid/v3`): the event webhook's JSON array, one event per element (spec 2.7).

Each element loses `event`, and every `timestamp` (any depth) goes from epoch seconds to ISO 8601; the content
type only has to contain `application/json`. Decisions where we differ from enrich:
- de-duplication: SendGrid retries can repeat an element, so elements sharing one `sg_event_id` are one
  event (the first is kept, in array order). Enrich also collapses every element *without* a string
  `sg_event_id` into one, silently losing events; we keep each of those (the schemas then report the missing
  id as a schema violation, so nothing disappears). Output follows the array order.
- a batch keeps its good events; unsupported elements (e.g. `account_status_change`) go to one bad row.
"""

from __future__ import annotations

from typing import Any

from webhooks.adapters.base import Adapted, WebhookAdapter, WebhookEvent
from webhooks.checks import JSON, check_body, check_json
from webhooks.messages import Rejected, input_data, lookup_schema
from webhooks.requests import WebhookRequest
from webhooks.transforms import clean_event_values

EVENT_TYPES = ("processed", "dropped", "delivered", "deferred", "bounce", "open", "click", "spamreport",
               "unsubscribe", "group_unsubscribe", "group_resubscribe")
SCHEMAS = {name: f"iglu:com.sendgrid/{name}/jsonschema/3-0-0" for name in EVENT_TYPES}
TIMESTAMP_KEYS = frozenset({"timestamp"})


class SendgridAdapter(WebhookAdapter):
    vendor, version = "com.sendgrid", "v3"
    tracker_version = "com.sendgrid-v3"
    default_schemas = SCHEMAS

    def adapt(self, request: WebhookRequest) -> Adapted:
        body = check_body(request)
        if request.content_type is None:
            raise Rejected(input_data("contentType", None, "no content type: expected application/json"))
        if JSON not in request.content_type.lower():
            raise Rejected(input_data("contentType", request.content_type, "expected application/json"))
        events = check_json("body", body)
        if not isinstance(events, list):
            raise Rejected(input_data("body", body, "body is not a json array"))
        return self.adapt_batch(without_duplicates(events), self.event)

    def event(self, index: int, element: Any) -> WebhookEvent:
        position, element = element
        event_type = element.get("event") if isinstance(element, dict) else None
        schema = lookup_schema(event_type, self.schemas, position)
        return WebhookEvent(schema, clean_event_values(element, ("event", event_type), TIMESTAMP_KEYS))

    def failed_body(self, elements: list[Any]) -> str:
        return super().failed_body([element for _, element in elements])


def without_duplicates(events: list[Any]) -> list[tuple[int, Any]]:
    """(original index, element) for each element, skipping repeats of an `sg_event_id` already seen."""
    seen: set[str] = set()
    kept = []
    for index, element in enumerate(events):
        event_id = element.get("sg_event_id") if isinstance(element, dict) else None
        if isinstance(event_id, str):
            if event_id in seen:
                continue
            seen.add(event_id)
        kept.append((index, element))
    return kept
