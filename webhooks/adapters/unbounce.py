"""Unbounce (`/com.unbounce/v1`): a landing-page form submission, one form_post event.

Requires `page_id`, `page_name`, `variant`, `page_url` and `data.json`; `data.json` (the submitted fields) is
parsed and nested, `data.xml` dropped and keys camelCased, as in enrich. A charset on the content type is
accepted.
"""

from __future__ import annotations

from webhooks.adapters.base import WebhookAdapter, WebhookEvent
from webhooks.checks import FORM, check_body, check_content_type, check_form, check_json
from webhooks.messages import Rejected, input_data
from webhooks.requests import WebhookRequest
from webhooks.transforms import camel_case, camel_case_keys

FORM_POST = "iglu:com.unbounce/form_post/jsonschema/1-0-0"
REQUIRED = ("page_id", "page_name", "variant", "page_url", "data.json")


class UnbounceAdapter(WebhookAdapter):
    vendor, version = "com.unbounce", "v1"
    tracker_version = "com.unbounce-v1"
    default_schemas = {"form_post": FORM_POST}

    def adapt(self, request: WebhookRequest) -> list[WebhookEvent]:
        check_body(request)
        check_content_type(request, FORM)
        fields = {name: value for name, value in check_form(request) if value is not None}
        missing = [input_data("body", None, f"missing '{name}' field in body") for name in REQUIRED
                   if name not in fields]
        if missing:
            raise Rejected(*missing)
        if not fields["data.json"]:
            raise Rejected(input_data("data.json", "", "empty 'data.json' field in body"))
        submitted = check_json("data.json", fields["data.json"])
        data = {camel_case(name): value for name, value in fields.items() if name not in {"data.json", "data.xml"}}
        data["data.json"] = camel_case_keys(submitted)
        return [WebhookEvent(self.schemas["form_post"], data)]
