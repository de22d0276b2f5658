"""Build webhook CollectorPayloads as the collector records them, and read back what adapters made of them."""

from __future__ import annotations

import json
from typing import Any

from enrichment.adapters.base import AdapterResult
from enrichment.adapters.registry import get_adapter
from enrichment.processing import PayloadOutcome, process_payload
from enrichment.raw import LoadedPayload, RawEvent, load_payload
from tests.enrichment.payloads import collector_payload


def webhook_payload(path: str, query: str | dict | None = None, body: str | bytes | None = None,
                    content_type: str | None = None, headers: list[str] | None = None, **overrides: Any) -> bytes:
    """A recorded webhook request; a GET is `body=None` (the collector then records no content type)."""
    recorded = list(headers or [])
    if content_type is not None:
        recorded.append(content_type)
    return collector_payload(path, query=query, body=body, content_type=content_type, headers=recorded,
                             **overrides)


def adapt(path: str, query: str | dict | None = None, body: str | None = None, content_type: str | None = None,
          headers: list[str] | None = None) -> AdapterResult:
    loaded = load_payload(webhook_payload(path, query, body, content_type, headers))
    assert isinstance(loaded, LoadedPayload)
    adapter = get_adapter(loaded.vendor, loaded.version)
    assert adapter is not None, f"no adapter for {path}"
    return adapter.to_raw_events(loaded)


def process(path: str, query: str | dict | None = None, body: str | None = None, content_type: str | None = None,
            headers: list[str] | None = None) -> PayloadOutcome:
    return process_payload(webhook_payload(path, query, body, content_type, headers))


def unstruct(raw: RawEvent) -> tuple[str, Any]:
    """The (schema, data) of a raw event's `ue_pr`, checking the unstruct_event envelope on the way."""
    envelope = json.loads(raw.parameters["ue_pr"])
    assert envelope["schema"] == "iglu:com.snowplowanalytics.snowplow/unstruct_event/jsonschema/1-0-0"
    return envelope["data"]["schema"], envelope["data"]["data"]


def params(raw: RawEvent) -> dict[str, str]:
    """The tracker-protocol parameters without `ue_pr`."""
    return {k: v for k, v in raw.parameters.items() if k != "ue_pr"}


def only_event(result: AdapterResult) -> RawEvent:
    assert result.failures == [], [f.failure for f in result.failures]
    assert len(result.events) == 1
    return result.events[0]


def messages(result: AdapterResult) -> list[dict[str, Any]]:
    """The messages of the request's single adapter_failures bad row."""
    assert result.events == []
    assert len(result.failures) == 1
    row = result.failures[0]
    assert row.type == "adapter_failures"
    return row.failure["messages"]
