"""Mandrill (`/com.mandrill/v1`): form field `mandrill_events` holds a JSON array, one event each (spec 2.4).

Each element loses its `event` key and every `ts` (at any depth) goes from epoch seconds to ISO 8601.
Decisions where we differ from enrich, so the user keeps more of their data:
- a batch with a bad element (a sync event such as `whitelist`, an inbound message) keeps its good events;
  the bad ones go to one adapter_failures bad row whose payload holds only them;
- extra form fields next to `mandrill_events` are ignored instead of failing the request
  ("body should have size 1"); a charset parameter on the content type is accepted;
- the NotJson message names the field `mandrill_events` (enrich spells it `mandril_events`).
Mandrill's bodiless URL check becomes an "empty body" bad row, as in enrich.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote_plus

from webhooks.adapters.base import Adapted, WebhookAdapter, WebhookEvent, compact_json
from webhooks.checks import FORM, check_body, check_content_type, check_form, check_json
from webhooks.messages import Rejected, input_data, lookup_schema
from webhooks.requests import WebhookRequest
from webhooks.transforms import clean_event_values

FIELD = "mandrill_events"
TIMESTAMP_KEYS = frozenset({"ts"})
SCHEMAS = {
    "hard_bounce": "iglu:com.mandrill/message_bounced/jsonschema/1-0-2",
    "click": "iglu:com.mandrill/message_clicked/jsonschema/1-0-2",
    "deferral": "iglu:com.mandrill/message_delayed/jsonschema/1-0-2",
    "spam": "iglu:com.mandrill/message_marked_as_spam/jsonschema/1-0-2",
    "open": "iglu:com.mandrill/message_opened/jsonschema/1-0-3",
    "reject": "iglu:com.mandrill/message_rejected/jsonschema/1-0-1",
    "send": "iglu:com.mandrill/message_sent/jsonschema/1-0-1",
    "soft_bounce": "iglu:com.mandrill/message_soft_bounced/jsonschema/1-0-2",
    "unsub": "iglu:com.mandrill/recipient_unsubscribed/jsonschema/1-0-2",
    "delivered": "iglu:com.mandrill/message_delivered/jsonschema/1-0-0",
}


class MandrillAdapter(WebhookAdapter):
    vendor, version = "com.mandrill", "v1"
    tracker_version = "com.mandrill-v1"
    default_schemas = SCHEMAS

    def adapt(self, request: WebhookRequest) -> Adapted:
        body = check_body(request)
        check_content_type(request, FORM)
        fields = dict(check_form(request))
        if FIELD not in fields:
            raise Rejected(input_data("body", body, f"no `{FIELD}` parameter provided"))
        if not fields[FIELD]:
            raise Rejected(input_data("body", body, f"`{FIELD}` field is empty"))
        events = check_json(FIELD, fields[FIELD])
        if not isinstance(events, list):
            raise Rejected(input_data(FIELD, fields[FIELD], "not a json array"))
        return self.adapt_batch(events, self.event)

    def event(self, index: int, element: Any) -> WebhookEvent:
        event_type = element.get("event") if isinstance(element, dict) else None
        schema = lookup_schema(event_type, self.schemas, index)
        return WebhookEvent(schema, clean_event_values(element, ("event", event_type), TIMESTAMP_KEYS))

    def failed_body(self, elements: list[Any]) -> str:
        return f"{FIELD}={quote_plus(compact_json(elements))}"
