"""StatusGator (`/com.statusgator/v1`): a form POST on a service's status change, one status_change event.

The form fields become the data with camelCased keys (`service_name` -> `serviceName`), values strings, as
in enrich. A charset on the content type is accepted; a malformed form body is read as far as possible.
"""

from __future__ import annotations

from webhooks.adapters.base import WebhookAdapter, WebhookEvent
from webhooks.checks import FORM, check_body, check_content_type, check_form
from webhooks.requests import WebhookRequest
from webhooks.transforms import camel_case

STATUS_CHANGE = "iglu:com.statusgator/status_change/jsonschema/1-0-0"


class StatusGatorAdapter(WebhookAdapter):
    vendor, version = "com.statusgator", "v1"
    tracker_version = "com.statusgator-v1"
    default_schemas = {"status_change": STATUS_CHANGE}

    def adapt(self, request: WebhookRequest) -> list[WebhookEvent]:
        check_body(request)
        check_content_type(request, FORM)
        fields = {camel_case(name): value for name, value in check_form(request) if value is not None}
        return [WebhookEvent(self.schemas["status_change"], fields)]
