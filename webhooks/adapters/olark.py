"""Olark (`/com.olark/v1`): a chat transcript or offline message as form field `data` holding JSON.

A payload with `operators` is a transcript, otherwise an offline message; `items[].timestamp`
("1307116657.1", seconds with a fraction) becomes ISO 8601 with millis and keys are camelCased, as in
enrich. A charset on the content type is accepted.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from webhooks.adapters.base import WebhookAdapter, WebhookEvent
from webhooks.checks import FORM, check_body, check_content_type, check_form, check_json
from webhooks.messages import Rejected, input_data
from webhooks.requests import WebhookRequest
from webhooks.transforms import camel_case_keys, iso_from_epoch_millis

SCHEMAS = {
    "transcript": "iglu:com.olark/transcript/jsonschema/1-0-0",
    "offline_message": "iglu:com.olark/offline_message/jsonschema/1-0-0",
}


class OlarkAdapter(WebhookAdapter):
    vendor, version = "com.olark", "v1"
    tracker_version = "com.olark-v1"
    default_schemas = SCHEMAS

    def adapt(self, request: WebhookRequest) -> list[WebhookEvent]:
        body = check_body(request)
        check_content_type(request, FORM)
        fields = dict(check_form(request))
        if not fields.get("data"):
            raise Rejected(input_data("data", body, "missing 'data' field"))
        chat = check_json("data", fields["data"])
        if not isinstance(chat, dict):
            raise Rejected(input_data("data", fields["data"], "not a json object"))
        kind = "transcript" if "operators" in chat else "offline_message"
        return [WebhookEvent(self.schemas[kind], camel_case_keys(with_iso_item_times(chat)))]


def with_iso_item_times(chat: dict[str, Any]) -> dict[str, Any]:
    items = chat.get("items")
    if not isinstance(items, list):
        return chat
    return {**chat, "items": [_item_time(item) for item in items]}


def _item_time(item: Any) -> Any:
    if not isinstance(item, dict) or "timestamp" not in item:
        return item
    try:
        millis = int(Decimal(str(item["timestamp"])) * 1000)
    except (InvalidOperation, ValueError):
        raise Rejected(input_data("timestamp", str(item["timestamp"]), "unexpected timestamp format")) from None
    iso = iso_from_epoch_millis(millis)
    if iso is None:
        raise Rejected(input_data("timestamp", str(item["timestamp"]), "unexpected timestamp format"))
    return {**item, "timestamp": iso}
