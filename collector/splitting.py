"""Size limits: oversize payloads become size_violation bad rows, oversize POST batches are split (spec 4.4).

Follows SSC's `SplitBatch`: a payload under the limit is one record; a POST whose body is a self-describing
JSON with a `data` array is repacked into several records carrying the same metadata; an event too big on
its own, or a payload that cannot be split, becomes a size violation. Record sizes are computed exactly
from the Thrift layout (the body is one length-prefixed field), so splitting never re-serializes per event.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass

from collector.payload import CollectorPayload, payload_deserialize, payload_serialize

PREFIX = "oversized collector payload: "


@dataclass(frozen=True)
class SizeViolation:
    """One size_violation bad row to record through `enrichment.api.record_size_violations`."""

    actual_size: int
    maximum_size: int
    expectation: str
    payload_text: str  # the first maximum_size/10 characters of the payload's string form, as SSC keeps
    collector_payload: bytes = b""  # the Thrift payload (for one event of a split batch: holding only it)


@dataclass
class SizedPayloads:
    records: list[bytes]
    violations: list[SizeViolation]


class Unsplittable(Exception):
    """The payload is over the limit and cannot be repacked; the message is SSC's."""


def fit_payload(payload: CollectorPayload, serialized: bytes, max_size: int) -> SizedPayloads:
    """Records each under `max_size` bytes: the payload itself, its POST batch split, and violations."""
    if len(serialized) < max_size:
        return SizedPayloads([serialized], [])
    try:
        schema, events = split_body(payload.body)
        envelope_size = len(serialized) - len(payload.body) + len(_body(schema, []))
        if envelope_size >= max_size:
            raise Unsplittable('cannot split this POST request because event without "data" field is still too big')
    except Unsplittable as error:
        return SizedPayloads([], [_violation(payload, serialized, max_size, str(error))])
    records, violations = [], []
    for batch, oversized in pack(events, max_size - envelope_size):
        record = _with_body(payload, _body(schema, batch))
        if oversized:
            violations.append(_violation(payload, record, max_size, "this POST request split is still too large"))
        else:
            records.append(record)
    return SizedPayloads(records, violations)


def split_body(body: bytes | None) -> tuple[str, list[str]]:
    """The envelope schema and each event of a `payload_data` body, as compact JSON strings."""
    if body is None:
        raise Unsplittable("GET requests cannot be split")
    try:
        document = json.loads(body)
    except (ValueError, RecursionError) as error:
        raise Unsplittable(f"cannot split POST requests which are not json {error}") from None
    if not isinstance(document, dict) or not isinstance(document.get("schema"), str) or "data" not in document:
        raise Unsplittable("cannot split POST requests which are not self-describing")
    if not isinstance(document["data"], list):
        raise Unsplittable("cannot split POST requests which do not contain a data array")
    return document["schema"], [_compact(event) for event in document["data"]]


def pack(events: list[str], budget: int) -> list[tuple[list[str], bool]]:
    """Greedy in-order batches whose events plus joining commas fit `budget`; an event alone over it is flagged."""
    batches: list[tuple[list[str], bool]] = []
    current: list[str] = []
    total = 0
    for event in events:
        size = len(event.encode()) + 1
        if size > budget:
            batches.append(([event], True))
        elif total + size > budget:
            batches.append((current, False))
            current, total = [event], size
        else:
            current.append(event)
            total += size
    if current:
        batches.append((current, False))
    return batches


def payload_text(payload: CollectorPayload, limit: int) -> str:
    """The payload rendered as Java Thrift's `toString` does, cut to `limit` characters (SSC's bad-row payload)."""
    parts = []
    for name in ("schema", "ipAddress", "timestamp", "encoding", "collector", "userAgent", "refererUri", "path",
                 "querystring", "body", "headers", "contentType", "hostname", "networkUserId"):
        value = getattr(payload, name)
        if value is None:
            continue
        if isinstance(value, bytes):
            value = value[: limit * 4].decode("utf-8", "replace")
        elif isinstance(value, list):
            value = "[" + ", ".join(value) + "]"
        parts.append(f"{name}:{value}")
        if sum(map(len, parts)) > limit:
            break
    return f"CollectorPayload({', '.join(parts)})"[:limit]


def _compact(event: object) -> str:
    return json.dumps(event, separators=(",", ":"))  # ASCII escapes: a lone surrogate stays encodable


def _body(schema: str, events: list[str]) -> bytes:
    return ('{"schema":' + json.dumps(schema) + ',"data":[' + ",".join(events) + "]}").encode()


def _with_body(payload: CollectorPayload, body: bytes) -> bytes:
    part = copy.copy(payload)
    part.body = body
    return payload_serialize(part)


def _violation(payload: CollectorPayload, serialized: bytes, max_size: int, message: str) -> SizeViolation:
    """A size violation about `serialized` (the whole payload, or the part holding one oversized event)."""
    return SizeViolation(
        actual_size=len(serialized),
        maximum_size=max_size,
        expectation=PREFIX + message,
        payload_text=payload_text(payload_deserialize(serialized), max_size // 10),
        collector_payload=serialized,
    )
