"""CallRail (`/com.callrail/v1`): the post-call webhook's query string becomes one call_complete event (spec 2.2).

Only the query string is read; a body (newer CallRail versions also POST JSON) and the content type are
ignored, as in enrich. Decision: `eid`, `ttm` and `url` become event_id, true_tstamp and page_url but are not
also copied into the data, because call_complete does not allow extra properties and enrich's copy turns the
whole call into a schema violation. Other unknown parameters stay in the data: we do not drop data silently.
"""

from __future__ import annotations

from webhooks.adapters.base import NOT_DATA, PASS_THROUGH, WebhookAdapter, WebhookEvent
from webhooks.formatting import Formatter
from webhooks.messages import Rejected, input_data
from webhooks.requests import WebhookRequest

CALL_COMPLETE = "iglu:com.callrail/call_complete/jsonschema/1-0-2"
FORMATTER = Formatter(booleans=frozenset({"answered", "first_call"}), integers=frozenset({"duration"}),
                      datetimes=frozenset({"datetime"}))


class CallrailAdapter(WebhookAdapter):
    vendor, version = "com.callrail", "v1"
    tracker_version = "com.callrail-v1"
    default_schemas = {"call_complete": CALL_COMPLETE}

    def adapt(self, request: WebhookRequest) -> list[WebhookEvent]:
        if not request.query:
            raise Rejected(input_data("querystring", None, "empty querystring"))
        excluded = NOT_DATA | set(PASS_THROUGH)
        fields = {name: value for name, value in request.query.items() if name not in excluded}
        return [WebhookEvent(self.schemas["call_complete"], FORMATTER.format_map(fields))]
