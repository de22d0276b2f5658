"""HubSpot (`/com.hubspot/v1`): a JSON array of CRM webhook events, one event per element.

`subscriptionType` (`contact.creation`, `deal.propertyChange`, ...) selects the schema and is removed;
`occurredAt` goes from epoch milliseconds to ISO 8601, as in enrich. Decisions: a batch keeps its good
events (subscription types without a schema go to one bad row); a charset on the content type is accepted;
the empty-body message reads "no events" (enrich's says "not events"). Signatures (v1, v2, v3) are checked in
`webhooks.signatures` when the app's client secret is configured.
"""

from __future__ import annotations

from typing import Any

from webhooks.adapters.base import Adapted, WebhookAdapter, WebhookEvent
from webhooks.checks import JSON, check_body, check_content_type, check_json
from webhooks.messages import Rejected, input_data, lookup_schema
from webhooks.requests import WebhookRequest
from webhooks.transforms import iso_from_epoch_millis

CHANGES = {"creation": "creation", "deletion": "deletion", "propertyChange": "change"}
SCHEMAS = {f"{kind}.{change}": f"iglu:com.hubspot/{kind}_{name}/jsonschema/1-0-0"
           for kind in ("contact", "company", "deal") for change, name in CHANGES.items()}


class HubspotAdapter(WebhookAdapter):
    vendor, version = "com.hubspot", "v1"
    tracker_version = "com.hubspot-v1"
    default_schemas = SCHEMAS

    def adapt(self, request: WebhookRequest) -> Adapted:
        body = check_body(request)
        check_content_type(request, JSON)
        events = check_json("body", body)
        if not isinstance(events, list):
            raise Rejected(input_data("body", body, "not a json array"))
        return self.adapt_batch(events, self.event)

    def event(self, index: int, element: Any) -> WebhookEvent:
        event_type = element.get("subscriptionType") if isinstance(element, dict) else None
        schema = lookup_schema(event_type, self.schemas, index)
        data = {key: value for key, value in element.items() if key != "subscriptionType"}
        occurred = data.get("occurredAt")
        if isinstance(occurred, int) and not isinstance(occurred, bool) and iso_from_epoch_millis(occurred):
            data["occurredAt"] = iso_from_epoch_millis(occurred)
        return WebhookEvent(schema, data)
