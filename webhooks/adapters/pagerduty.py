"""PagerDuty (`/com.pagerduty/v1`): the v1 webhook's `{"messages": [...]}`, one incident event each (spec 2.5).

As enrich: `type` loses its `incident.` prefix, the string "null" becomes null, and `created_on` /
`last_status_change_on` ending in " 00:00" (a `+` decoded to a space) are repaired to "+00:00"; these
rewrites go through nested objects but not arrays, as in enrich (the incident schema has no date-time inside
its arrays, so there is nothing to gain). Current PagerDuty (v2/v3) webhooks have no `messages` array and
are refused: there is no public schema for them; send them through the Iglu adapter with your own schema.
Decisions: a batch keeps its good messages (bad ones go to one bad row); a charset on the content type is fine.
"""

from __future__ import annotations

from typing import Any

from webhooks.adapters.base import Adapted, WebhookAdapter, WebhookEvent, compact_json
from webhooks.checks import JSON, check_body, check_content_type, check_json
from webhooks.messages import Rejected, input_data, lookup_schema
from webhooks.requests import WebhookRequest

INCIDENT = "iglu:com.pagerduty/incident/jsonschema/1-0-0"
EVENT_TYPES = ("trigger", "acknowledge", "unacknowledge", "resolve", "assign", "escalate", "delegate")
SCHEMAS = {f"incident.{name}": INCIDENT for name in EVENT_TYPES}
TIME_KEYS = frozenset({"created_on", "last_status_change_on"})


class PagerdutyAdapter(WebhookAdapter):
    vendor, version = "com.pagerduty", "v1"
    tracker_version = "com.pagerduty-v1"
    default_schemas = SCHEMAS

    def adapt(self, request: WebhookRequest) -> Adapted:
        body = check_body(request)
        check_content_type(request, JSON)
        parsed = check_json("body", body)
        messages = parsed.get("messages") if isinstance(parsed, dict) else None
        if not isinstance(messages, list):
            raise Rejected(input_data("messages", body, "field `messages` is not an array"))
        return self.adapt_batch(messages, self.event)

    def event(self, index: int, message: Any) -> WebhookEvent:
        event_type = message.get("type") if isinstance(message, dict) else None
        schema = lookup_schema(event_type, self.schemas, index)
        return WebhookEvent(schema, repair(message))

    def failed_body(self, elements: list[Any]) -> str:
        return compact_json({"messages": elements})


def repair(value: dict[str, Any]) -> dict[str, Any]:
    """Apply enrich's three rewrites through nested objects (arrays are left untouched)."""
    repaired: dict[str, Any] = {}
    for key, item in value.items():
        if item == "null":
            item = None
        elif key == "type" and isinstance(item, str):
            item = item.removeprefix("incident.")
        elif key in TIME_KEYS and isinstance(item, str) and item.endswith(" 00:00"):
            item = item[: -len(" 00:00")] + "+00:00"
        elif isinstance(item, dict):
            item = repair(item)
        repaired[key] = item
    return repaired
