"""Mailgun (`/com.mailgun/v1`): one JSON webhook `{"signature": {...}, "event-data": {...}}` per request.

The data is the signature block merged with the event data (its `timestamp` replaced by the signature's, as
ISO 8601), keys camelCased (`delivery-status` -> `deliveryStatus`), `event` and `bodyPlain` dropped and
`attachmentCount` an integer, as in enrich. Decisions: current Mailgun reports permanent failures as
`failed` with `severity: permanent`, which enrich does not map (the event is lost); we map it to
message_dropped, Mailgun's own successor of its legacy "dropped" webhook. A charset on the content type is
accepted. Signatures are checked in `webhooks.signatures` when a signing key is configured.
"""

from __future__ import annotations

import contextlib
from typing import Any

from enrichment.jsonparse import JsonTooDeep, parse_json
from webhooks.adapters.base import WebhookAdapter, WebhookEvent
from webhooks.checks import JSON, check_body, check_content_type
from webhooks.messages import Rejected, input_data, lookup_schema
from webhooks.requests import WebhookRequest
from webhooks.transforms import camel_case_keys, epoch_seconds_value, iso_from_epoch_seconds

SCHEMAS = {
    "bounced": "iglu:com.mailgun/message_bounced/jsonschema/1-0-0",
    "clicked": "iglu:com.mailgun/message_clicked/jsonschema/1-0-0",
    "complained": "iglu:com.mailgun/message_complained/jsonschema/1-0-0",
    "delivered": "iglu:com.mailgun/message_delivered/jsonschema/1-0-0",
    "dropped": "iglu:com.mailgun/message_dropped/jsonschema/1-0-0",
    "failed": "iglu:com.mailgun/message_dropped/jsonschema/1-0-0",
    "opened": "iglu:com.mailgun/message_opened/jsonschema/1-0-0",
    "unsubscribed": "iglu:com.mailgun/recipient_unsubscribed/jsonschema/1-0-0",
}
SIGNATURE_PARTS = ("timestamp", "token", "signature")


class MailgunAdapter(WebhookAdapter):
    vendor, version = "com.mailgun", "v1"
    tracker_version = "com.mailgun-v1"
    default_schemas = SCHEMAS

    def adapt(self, request: WebhookRequest) -> list[WebhookEvent]:
        body = check_body(request)
        check_content_type(request, JSON)
        try:
            parsed = parse_json(body)
        except (ValueError, JsonTooDeep) as error:
            raise Rejected(input_data("body", body, f"could not parse body: {error}")) from None
        signature = parsed.get("signature") if isinstance(parsed, dict) else None
        event_data = parsed.get("event-data") if isinstance(parsed, dict) else None
        if not isinstance(event_data, dict) or not isinstance(event_data.get("event"), str):
            raise Rejected(input_data("body", body, "no `event` parameter provided: cannot determine event type"))
        event_type = event_data["event"]
        if event_type == "failed" and event_data.get("severity") != "permanent":
            event_type = "temporary_failure"  # not a final outcome: no schema, so it is reported, not guessed
        schema = lookup_schema(event_type, self.schemas)
        return [WebhookEvent(schema, merged_data(signature_parts(signature), event_data))]


def signature_parts(signature: Any) -> dict[str, Any]:
    """The signature's timestamp, token and signature, or Rejected naming each one missing."""
    block = signature if isinstance(signature, dict) else {}
    missing = [input_data(part, None, f"missing '{part}'") for part in SIGNATURE_PARTS if part not in block]
    if missing:
        raise Rejected(*missing)
    return {part: block[part] for part in SIGNATURE_PARTS}


def merged_data(signature: dict[str, Any], event_data: dict[str, Any]) -> dict[str, Any]:
    data = {key: value for key, value in event_data.items() if key not in {"event", "body-plain", "bodyPlain"}}
    data.update(signature)
    seconds = epoch_seconds_value(signature["timestamp"])
    if seconds is not None and iso_from_epoch_seconds(seconds):
        data["timestamp"] = iso_from_epoch_seconds(seconds)
    data = camel_case_keys(data)
    if "attachmentCount" in data:
        with contextlib.suppress(TypeError, ValueError):  # left as sent otherwise: the schema reports it
            data["attachmentCount"] = int(data["attachmentCount"])
    return data
