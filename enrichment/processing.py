"""One raw payload through loading, its adapter and the enrichment pipeline into good events and bad rows."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from enrichment.adapters.base import input_data
from enrichment.adapters.registry import get_adapter
from enrichment.badrows import BadRowData, iso_timestamp
from enrichment.fingerprint import event_fingerprint
from enrichment.pipeline import EnrichedEvent, Step, enrich_event
from enrichment.raw import LoadedPayload, RawEvent, load_payload

logger = logging.getLogger(__name__)


@dataclass
class PayloadOutcome:
    good: list[EnrichedEvent] = field(default_factory=list)
    bad: list[BadRowData] = field(default_factory=list)
    dropped: int = 0


def process_payload(data: bytes, phase_2: list[tuple[str, Step]] | None = None) -> PayloadOutcome:
    """Never raises on input: anything unusable becomes a bad row (RegistryUnavailable propagates for retry)."""
    outcome = PayloadOutcome()
    loaded = load_payload(data)
    if isinstance(loaded, BadRowData):
        outcome.bad.append(loaded)
        return outcome
    adapter = get_adapter(loaded.vendor, loaded.version)
    if adapter is None:
        outcome.bad.append(unsupported_api(loaded))
        return outcome
    adapted = adapter.to_raw_events(loaded)
    outcome.bad.extend(adapted.failures)
    for raw in adapted.events:
        result = enrich_event(raw, phase_2)
        if result is None:
            outcome.dropped += 1
        elif isinstance(result, EnrichedEvent):
            outcome.good.append(result)
            if raw.extra:
                outcome.good.extend(pii_transformation_events(raw))
        else:
            outcome.bad.append(result)
    return outcome


def pii_transformation_events(raw: RawEvent) -> list[EnrichedEvent]:
    """The PII enrichment's `emitEvent` output: enrich writes it to a separate stream; here it loads as an
    ordinary unstruct event (no app_id, so it never counts on a site's dashboards), queryable by schema."""
    events = []
    for event in raw.extra.get("pii_events", []):
        event.setdefault("derived_tstamp", event.get("collector_tstamp"))
        events.append(EnrichedEvent(event, event_fingerprint({"eid": event["event_id"]}, excluded=frozenset()), raw))
    return events


def unsupported_api(loaded: LoadedPayload) -> BadRowData:
    return BadRowData(
        type="adapter_failures",
        failure={"timestamp": iso_timestamp(), "vendor": loaded.vendor, "version": loaded.version, "messages": [
            input_data("vendor/version", f"{loaded.vendor}/{loaded.version}",
                       "vendor/version combination is not supported")]},
        payload=loaded.as_badrow_payload(),
        original=loaded.raw,
    )
