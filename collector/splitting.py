"""Size limits: oversize payloads become size_violation bad rows, oversize POST batches are split (spec 4.4)."""

from __future__ import annotations

import json
from dataclasses import dataclass

from collector.payload import CollectorPayload, payload_serialize


@dataclass(frozen=True)
class SizeViolation:
    actual_size: int
    maximum_size: int
    expectation: str
    payload_text: str


@dataclass
class SizedPayloads:
    records: list[bytes]
    violations: list[SizeViolation]


def _serialize_with_body(payload: CollectorPayload, body: bytes) -> bytes:
    payload.body = body
    return payload_serialize(payload)


def fit_payload(payload: CollectorPayload, serialized: bytes, max_size: int) -> SizedPayloads:
    """Return records under `max_size`: the payload itself, its POST batch split into parts, or violations."""
    if len(serialized) <= max_size:
        return SizedPayloads([serialized], [])
    events = _payload_data_events(payload.body)
    if events is None:
        return SizedPayloads([], [_violation(serialized, max_size, "Payload exceeds max size and cannot be split")])
    schema = json.loads(payload.body)["schema"]
    records, violations, current = [], [], []
    for event in events:
        candidate = [*current, event]
        record = _serialize_with_body(payload, _envelope(schema, candidate))
        if len(record) <= max_size:
            current = candidate
            continue
        if current:
            records.append(_serialize_with_body(payload, _envelope(schema, current)))
        single = _serialize_with_body(payload, _envelope(schema, [event]))
        if len(single) <= max_size:
            current = [event]
        else:
            violations.append(_violation(single, max_size, "this POST request split is still too large"))
            current = []
    if current:
        records.append(_serialize_with_body(payload, _envelope(schema, current)))
    return SizedPayloads(records, violations)


def _payload_data_events(body: bytes | None) -> list | None:
    if not body:
        return None
    try:
        document = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None
    if isinstance(document, dict) and isinstance(document.get("data"), list) and isinstance(
        document.get("schema"), str
    ):
        return document["data"]
    return None


def _envelope(schema: str, events: list) -> bytes:
    return json.dumps({"schema": schema, "data": events}, separators=(",", ":")).encode()


def _violation(serialized: bytes, max_size: int, expectation: str) -> SizeViolation:
    return SizeViolation(
        actual_size=len(serialized),
        maximum_size=max_size,
        expectation=expectation,
        payload_text=serialized[: max_size // 10].decode("utf-8", "replace"),
    )
