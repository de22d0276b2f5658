"""Pingdom (`/com.pingdom/v1`): a GET whose `message` parameter is the incident JSON (spec 2.6).

`action` selects the schema and is removed; the other JSON values keep their types. Decision: where enrich
refuses a value wrapped as a Python unicode tuple (`(u'...',)`, from an old collector), we unwrap it and keep
the event.
"""

from __future__ import annotations

import re

from webhooks.adapters.base import WebhookAdapter, WebhookEvent
from webhooks.checks import check_json, query_text
from webhooks.messages import Rejected, input_data, lookup_schema
from webhooks.requests import WebhookRequest

_UNICODE_WRAPPER = re.compile(r"^\(u'([^']+)',\)$")
SCHEMAS = {
    "assign": "iglu:com.pingdom/incident_assign/jsonschema/1-0-0",
    "notify_user": "iglu:com.pingdom/incident_notify_user/jsonschema/1-0-0",
    "notify_of_close": "iglu:com.pingdom/incident_notify_of_close/jsonschema/1-0-0",
}


class PingdomAdapter(WebhookAdapter):
    vendor, version = "com.pingdom", "v1"
    tracker_version = "com.pingdom-v1"
    default_schemas = SCHEMAS

    def adapt(self, request: WebhookRequest) -> list[WebhookEvent]:
        if not request.query:
            raise Rejected(input_data("querystring", None, "empty querystring: no events to process"))
        message = unwrap(request.query.get("message"))
        if message is None:
            raise Rejected(input_data("querystring", query_text(request), "no `message` parameter provided"))
        incident = check_json("message", message)
        action = incident.get("action") if isinstance(incident, dict) else None
        schema = lookup_schema(action, self.schemas)
        return [WebhookEvent(schema, {key: value for key, value in incident.items() if key != "action"})]


def unwrap(value: str | None) -> str | None:
    match = _UNICODE_WRAPPER.match(value) if value else None
    return match.group(1) if match else value
