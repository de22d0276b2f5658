"""MailChimp (`/com.mailchimp/v1`): a form POST with bracketed keys becomes one nested event (spec 2.3).

As enrich: `data[merges][FNAME]` nests into objects (numeric segments too: `GROUPINGS[0]` is an object
keyed "0"), leaves stay strings, `""` stays `""`, `type` stays in the data, `fired_at` becomes ISO 8601.
MailChimp's bodiless URL check becomes an "empty body" bad row. Decisions: a content type with a charset
parameter is accepted; `eid`, `ttm` and `url` from the query feed the atomic fields but are not copied into
the data (the schemas forbid extra properties, so enrich's copy loses the event).
"""

from __future__ import annotations

import re
from typing import Any

from webhooks.adapters.base import NOT_DATA, PASS_THROUGH, WebhookAdapter, WebhookEvent
from webhooks.checks import FORM, check_body, check_content_type, check_form
from webhooks.messages import Rejected, input_data, lookup_schema
from webhooks.requests import WebhookRequest
from webhooks.transforms import iso_from_pattern

_KEY_SEPARATOR = re.compile(r"\]?(?:\[|\])")
SCHEMAS = {
    "subscribe": "iglu:com.mailchimp/subscribe/jsonschema/1-0-0",
    "unsubscribe": "iglu:com.mailchimp/unsubscribe/jsonschema/1-0-0",
    "campaign": "iglu:com.mailchimp/campaign_sending_status/jsonschema/1-0-0",
    "cleaned": "iglu:com.mailchimp/cleaned_email/jsonschema/1-0-0",
    "upemail": "iglu:com.mailchimp/email_address_change/jsonschema/1-0-0",
    "profile": "iglu:com.mailchimp/profile_update/jsonschema/1-0-0",
}


class MailchimpAdapter(WebhookAdapter):
    vendor, version = "com.mailchimp", "v1"
    tracker_version = "com.mailchimp-v1"
    default_schemas = SCHEMAS

    def adapt(self, request: WebhookRequest) -> list[WebhookEvent]:
        body = check_body(request)
        check_content_type(request, FORM)
        fields = {**request.query, **dict(check_form(request))}
        if fields.get("type") is None:
            raise Rejected(input_data("body", body, "no `type` parameter provided: cannot determine event type"))
        schema = lookup_schema(fields["type"], self.schemas)
        excluded = NOT_DATA | set(PASS_THROUGH)
        kept = {name: value for name, value in fields.items() if value is not None and name not in excluded}
        if "fired_at" in kept:
            kept["fired_at"] = iso_from_pattern(kept["fired_at"])
        return [WebhookEvent(schema, nest_keys(kept), platform=fields.get("p") or None)]


def nest_keys(fields: dict[str, str]) -> dict[str, Any]:
    """`{"data[merges][EMAIL]": v}` -> `{"data": {"merges": {"EMAIL": v}}}`, fragments deep-merged in order."""
    nested: dict[str, Any] = {}
    for key, value in fields.items():
        parts = _KEY_SEPARATOR.split(key)
        while len(parts) > 1 and parts[-1] == "":
            parts.pop()
        fragment: Any = value
        for part in reversed(parts):
            fragment = {part: fragment}
        nested = deep_merge(nested, fragment)
    return nested


def deep_merge(left: dict[str, Any], right: dict[str, Any]) -> dict[str, Any]:
    merged = dict(left)
    for key, value in right.items():
        if isinstance(merged.get(key), dict) and isinstance(value, dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged
