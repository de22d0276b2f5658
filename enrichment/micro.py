"""A debug store like Snowplow Micro's: the last N good and bad events, in Micro's JSON shapes.

It is written by the drain in the load transaction when MICRO_ENABLED is on, capped at MICRO_STORE_SIZE,
and cleared by `/micro/reset` without touching the warehouse.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings

from enrichment.badrows import BadRowData, iso_from_millis
from enrichment.pipeline import EnrichedEvent
from enrichment.raw import RawEvent
from enrichment.writers import to_analytics_json


def raw_event_json(raw: RawEvent) -> dict[str, Any]:
    p = raw.payload.thrift
    return {
        "api": {"vendor": raw.vendor, "version": raw.version},
        "parameters": dict(raw.parameters),
        "contentType": raw.content_type,
        "source": {"name": p.collector, "encoding": p.encoding, "hostname": p.hostname},
        "context": {"timestamp": iso_from_millis(p.timestamp), "ipAddress": p.ipAddress, "useragent": p.userAgent,
                    "refererUri": p.refererUri, "headers": raw.payload.headers, "userId": p.networkUserId},
    }


def good_event_json(item: EnrichedEvent) -> dict[str, Any]:
    event = item.event
    unstruct = event.get("unstruct_event")
    contexts = event.get("contexts") or {"data": []}
    return {
        "rawEvent": raw_event_json(item.raw) if item.raw else None,
        "eventType": event.get("event"),
        "schema": unstruct["data"]["schema"] if unstruct else None,
        "contexts": [c["schema"] for c in contexts["data"]],
        "event": to_analytics_json(event),
        "incomplete": False,
    }


def bad_event_json(row: BadRowData) -> dict[str, Any]:
    payload = row.payload if isinstance(row.payload, dict) else {}
    raw = payload.get("raw")
    collector = payload if "querystring" in payload else None
    return {"collectorPayload": collector, "rawEvent": raw, "errors": [json.dumps(row.as_json())]}


def is_enabled() -> bool:
    return settings.MICRO_ENABLED


def micro_record(good: list[EnrichedEvent], bad: list[BadRowData]) -> None:
    """Remember events for the debug API (inside the caller's transaction), then trim to the cap."""
    from enrichment.models import MicroEvent

    rows = []
    for item in good:
        document = good_event_json(item)
        rows.append(MicroEvent(good=True, event_type=document["eventType"] or "", schema=document["schema"] or "",
                               contexts=document["contexts"], vendor=item.raw.vendor if item.raw else "",
                               version=item.raw.version if item.raw else "", document=document))
    for row in bad:
        failure = row.failure if isinstance(row.failure, dict) else {}
        rows.append(MicroEvent(good=False, vendor=failure.get("vendor", "") or "",
                               version=failure.get("version", "") or "", document=bad_event_json(row)))
    if not rows:
        return
    created = MicroEvent.objects.bulk_create(rows)
    newest = max(row.pk for row in created)
    MicroEvent.objects.filter(pk__lte=newest - settings.MICRO_STORE_SIZE).delete()
