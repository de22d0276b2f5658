"""The webhook adapter contract: a recorded vendor request in, `e=ue` raw events and one bad row out.

Subclasses implement `adapt(request)`, returning the events (`WebhookEvent`) or raising `Rejected` with the
adapter_failures messages. Batch vendors use `adapt_batch`, which keeps the good elements of a batch and
reports the bad ones in one bad row: Snowplow drops the whole batch when one element fails (spec 1.5); we
keep the user's good events and still record every failure, with a CollectorPayload holding only the failed
elements so that a replay after a fix does not duplicate the good ones.
"""

from __future__ import annotations

import abc
import copy
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings

from enrichment.adapters.base import Adapter, AdapterResult
from enrichment.raw import LoadedPayload, RawEvent
from webhooks.messages import Rejected, input_data
from webhooks.requests import WebhookRequest

logger = logging.getLogger(__name__)

UNSTRUCT_SCHEMA = "iglu:com.snowplowanalytics.snowplow/unstruct_event/jsonschema/1-0-0"
CONTEXTS_SCHEMA = "iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/1-0-1"
# Query parameters copied to the raw event as they are (spec 1.4); every other one is dropped from the top level.
PASS_THROUGH = ("nuid", "aid", "cv", "eid", "ttm", "url")
# Query parameters never copied into formatter-built data (spec 1.4).
NOT_DATA = frozenset({"nuid", "aid", "cv", "p"})


@dataclass
class WebhookEvent:
    """One vendor event: its schema and data, plus what the adapter sets beyond the query parameters."""

    schema: str
    data: Any
    platform: str | None = None  # the adapter's default platform when the query has no `p`
    overrides: dict[str, str] = field(default_factory=dict)  # tracker-protocol params that beat the query's
    collector_tstamp: int | None = None  # epoch millis replacing the collector's own time (Urban Airship)


@dataclass
class Adapted:
    """What `adapt` returns: events, and for a partly failed batch the failures and the failed elements."""

    events: list[WebhookEvent] = field(default_factory=list)
    messages: list[dict[str, Any]] = field(default_factory=list)
    failed_elements: list[Any] = field(default_factory=list)


class WebhookAdapter(Adapter):
    """Base of every vendor adapter; set vendor, version, tracker_version and (if typed) `default_schemas`."""

    tracker_version: str = ""
    default_platform: str = "srv"
    default_schemas: dict[str, str] = {}

    @property
    def schemas(self) -> dict[str, str]:
        """Event type -> schema URI: the defaults, overridden per vendor by settings.WEBHOOK_SCHEMAS."""
        overrides = getattr(settings, "WEBHOOK_SCHEMAS", {}).get(self.vendor, {})
        return {**self.default_schemas, **overrides}

    @abc.abstractmethod
    def adapt(self, request: WebhookRequest) -> list[WebhookEvent] | Adapted:
        """Return the request's events; raise Rejected with adapter_failures messages to refuse it."""

    def failed_body(self, elements: list[Any]) -> str:
        """The vendor-format body holding only `elements`: what a partly failed batch's bad row keeps."""
        return compact_json(elements)

    def to_raw_events(self, payload: LoadedPayload) -> AdapterResult:
        request = WebhookRequest(payload)
        app_id = request.query.get("aid") or ""
        try:
            adapted = self.adapt(request)
        except Rejected as rejected:
            return AdapterResult(failures=[self.failure(payload, rejected.messages, app_id=app_id)])
        except Exception as error:  # the contract: never raise on input, so a bug costs one bad row, not a drain
            logger.exception("%s adapter failed on a payload", self.vendor)
            return AdapterResult(failures=[self.failure(payload, [input_data(
                "payload", None, f"unexpected adapter error: {type(error).__name__}")], app_id=app_id)])
        if isinstance(adapted, list):
            adapted = Adapted(events=adapted)
        result = AdapterResult(events=[self.raw_event(request, event) for event in adapted.events])
        if adapted.messages:
            result.failures.append(self.batch_failure(payload, adapted, app_id))
        return result

    def batch_failure(self, payload: LoadedPayload, adapted: Adapted, app_id: str) -> Any:
        if not adapted.events:
            return self.failure(payload, adapted.messages, app_id=app_id)
        body = self.failed_body(adapted.failed_elements)
        return self.failure(payload, adapted.messages, original=payload.with_body(body), body=body, app_id=app_id)

    def adapt_batch(self, elements: list[Any], build: Callable[[int, Any], WebhookEvent]) -> Adapted:
        """Build one event per element; an element's Rejected becomes a failure and the others are kept."""
        if not elements:
            raise Rejected(input_data("", None, "empty list of events"))
        adapted = Adapted()
        for index, element in enumerate(elements):
            try:
                adapted.events.append(build(index, element))
            except Rejected as rejected:
                adapted.messages.extend(rejected.messages)
                adapted.failed_elements.append(element)
        return adapted

    def raw_event(self, request: WebhookRequest, event: WebhookEvent) -> RawEvent:
        payload = request.payload
        if event.collector_tstamp is not None:
            payload = with_collector_timestamp(payload, event.collector_tstamp)
        return RawEvent(payload.vendor, payload.version, self.parameters(request, event), payload,
                        request.content_type)

    def parameters(self, request: WebhookRequest, event: WebhookEvent) -> dict[str, str]:
        """tv, e, p, the pass-through query parameters, the adapter's overrides and ue_pr (spec 1.4).

        A `p=` without a value falls back to the default platform (enrich would leave the platform empty).
        """
        query = request.query
        parameters = {"tv": self.tracker_version, "e": "ue",
                      "p": query.get("p") or event.platform or self.default_platform}
        parameters.update({name: query[name] for name in PASS_THROUGH if query.get(name)})
        parameters.update(event.overrides)
        parameters["ue_pr"] = compact_json({"schema": UNSTRUCT_SCHEMA,
                                            "data": {"schema": event.schema, "data": event.data}})
        return parameters


def compact_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def with_collector_timestamp(payload: LoadedPayload, millis: int) -> LoadedPayload:
    """A copy of the payload whose collector timestamp is `millis` (the raw bytes are left as recorded)."""
    thrift = copy.copy(payload.thrift)
    thrift.timestamp = millis
    return LoadedPayload(thrift, payload.raw, payload.vendor, payload.version, payload.querystring, payload.body)
