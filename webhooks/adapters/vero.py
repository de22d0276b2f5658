"""Vero (`/com.getvero/v1`): one JSON object per webhook call, typed by `type`.

`type` is removed, `<type>_at` and `triggered_at` go from epoch seconds to ISO 8601 and `_tags` is renamed
`tags` (at any depth), as in enrich. The content type is not checked.
"""

from __future__ import annotations

from typing import Any

from webhooks.adapters.base import WebhookAdapter, WebhookEvent
from webhooks.checks import check_body, check_json
from webhooks.messages import Rejected, input_data, lookup_schema
from webhooks.requests import WebhookRequest
from webhooks.transforms import clean_event_values

NAMES = {"bounced": "bounced", "clicked": "clicked", "delivered": "delivered", "opened": "opened", "sent": "sent",
         "unsubscribed": "unsubscribed", "user_created": "created", "user_updated": "updated"}
SCHEMAS = {event_type: f"iglu:com.getvero/{name}/jsonschema/1-0-0" for event_type, name in NAMES.items()}


class VeroAdapter(WebhookAdapter):
    vendor, version = "com.getvero", "v1"
    tracker_version = "com.getvero-v1"
    default_schemas = SCHEMAS

    def adapt(self, request: WebhookRequest) -> list[WebhookEvent]:
        body = check_body(request)
        event = check_json("body", body)
        event_type = event.get("type") if isinstance(event, dict) else None
        if not isinstance(event_type, str):
            raise Rejected(input_data("type", None, "could not extract 'type': missing or not a string"))
        schema = lookup_schema(event_type, self.schemas)
        keys = frozenset({f"{event_type}_at", "triggered_at"})
        return [WebhookEvent(schema, renamed_tags(clean_event_values(event, ("type", event_type), keys)))]


def renamed_tags(value: Any) -> Any:
    if isinstance(value, list):
        return [renamed_tags(item) for item in value]
    if isinstance(value, dict):
        return {("tags" if key == "_tags" else key): renamed_tags(item) for key, item in value.items()}
    return value
