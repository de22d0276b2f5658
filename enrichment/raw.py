"""What enrichment reads from a CollectorPayload: the loaded payload and the raw events adapters make of it."""

from __future__ import annotations

import copy
import json
import re
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote_plus, unquote_to_bytes

from collector.payload import CollectorPayload, payload_deserialize, payload_serialize
from enrichment.badrows import BadRowData, base64_payload, iso_from_millis, iso_timestamp

SCHEMA_PATTERN = re.compile(r"^iglu:com\.snowplowanalytics\.snowplow/CollectorPayload/thrift/1-0-\d+$")
VENDOR_VERSION_PATH = re.compile(r"^/?([^/]+)/([^/]+)/?$")
TP1 = ("com.snowplowanalytics.snowplow", "tp1")


@dataclass
class LoadedPayload:
    """A decoded, checked CollectorPayload with the adapter (vendor, version) its path selects."""

    thrift: CollectorPayload
    raw: bytes
    vendor: str
    version: str
    querystring: list[tuple[str, str]]
    body: str | None

    @property
    def headers(self) -> list[str]:
        return list(self.thrift.headers or [])

    def as_badrow_payload(self) -> dict[str, Any]:
        """The CollectorPayload JSON of adapter_failures and tracker_protocol_violations bad rows."""
        p = self.thrift
        return {
            "vendor": self.vendor,
            "version": self.version,
            "querystring": [{"name": k, "value": v} for k, v in self.querystring],
            "contentType": p.contentType,
            "body": self.body,
            "collector": p.collector,
            "encoding": p.encoding,
            "hostname": p.hostname,
            "timestamp": iso_from_millis(p.timestamp),
            "ipAddress": p.ipAddress,
            "useragent": p.userAgent,
            "refererUri": p.refererUri,
            "headers": self.headers,
            "networkUserId": p.networkUserId,
        }

    def with_body(self, body: str) -> bytes:
        """Serialise a copy holding another body: the original of one failed event of a POST batch."""
        single = copy.copy(self.thrift)
        single.body = body.encode("utf-8")
        return payload_serialize(single)


@dataclass
class RawEvent:
    """One event's tracker-protocol parameters plus the request context they came with."""

    vendor: str
    version: str
    parameters: dict[str, str]
    payload: LoadedPayload
    content_type: str | None = None
    single: tuple[str, Any] | None = None  # (envelope schema, event) when this is one event of a POST batch
    extra: dict[str, Any] = field(default_factory=dict)

    def original(self) -> bytes:
        """The bytes a bad row of this event keeps: a CollectorPayload with only this event, or the whole one.

        Built only when a bad row needs it, so good events pay nothing for it.
        """
        if self.single is None:
            return self.payload.raw
        schema, event = self.single
        body = json.dumps({"schema": schema, "data": [event]}, ensure_ascii=False, separators=(",", ":"))
        return self.payload.with_body(body)

    @property
    def timestamp(self) -> int:
        return self.payload.thrift.timestamp

    def as_badrow_raw(self) -> dict[str, Any]:
        """The `raw` part of schema_violations / enrichment_failures payloads."""
        p = self.payload.thrift
        return {
            "vendor": self.vendor,
            "version": self.version,
            "parameters": [{"name": k, "value": v} for k, v in self.parameters.items()],
            "contentType": self.content_type,
            "loaderName": "thrift",
            "encoding": p.encoding,
            "hostname": p.hostname,
            "timestamp": iso_from_millis(p.timestamp),
            "ipAddress": p.ipAddress,
            "useragent": p.userAgent,
            "refererUri": p.refererUri,
            "headers": self.payload.headers,
            "userId": p.networkUserId,
        }


def parse_querystring(raw: bytes | str | None) -> list[tuple[str, str]]:
    """Split a raw querystring leniently: invalid percent-escapes stay as they are, bad bytes are replaced."""
    if not raw:
        return []
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
    pairs = []
    for part in text.split("&"):
        if not part:
            continue
        name, _, value = part.partition("=")
        pairs.append((_unquote_plus(name), _unquote_plus(value)))
    return pairs


def _unquote_plus(text: str) -> str:
    """`unquote_plus(text, errors="replace")`, with its common cases taken without its general machinery."""
    if "%" not in text:
        return text.replace("+", " ") if "+" in text else text
    if text.isascii():  # unquote splits into ASCII runs and decodes each: here the whole text is one run
        return unquote_to_bytes(text.replace("+", " ")).decode("utf-8", "replace")
    return unquote_plus(text, errors="replace")


def _format_violation(data: bytes, message: dict[str, Any]) -> BadRowData:
    return BadRowData(
        type="collector_payload_format_violation",
        failure={"timestamp": iso_timestamp(), "loader": "thrift", "message": message},
        payload=base64_payload(data),
        original=data,
    )


def load_payload(data: bytes) -> LoadedPayload | BadRowData:
    """Decode and check a raw record as enrich's Thrift loader does (enrichment spec 2.1)."""
    try:
        thrift = payload_deserialize(data)
    except Exception as error:  # thriftpy2 raises several types on malformed input
        return _format_violation(data, {"error": f"error deserializing raw event: {error}"})
    if not isinstance(thrift.schema, str) or not SCHEMA_PATTERN.match(thrift.schema):
        return _format_violation(data, {"payloadField": "schema", "value": _text(thrift.schema),
                                        "expectation": "schema must be CollectorPayload/thrift/1-0-*"})
    if thrift.timestamp is None:
        return _format_violation(data, {"payloadField": "timestamp", "value": None, "expectation": "must be set"})
    if not thrift.path:
        return _format_violation(data, {"payloadField": "path", "value": None, "expectation": "path must be set"})
    api = _api_for_path(thrift.path)
    if api is None:
        return _format_violation(data, {"payloadField": "path", "value": thrift.path,
                                        "expectation": "path must be /vendor/version, /i or /ice.png"})
    if thrift.networkUserId is not None and not _is_uuid(thrift.networkUserId):
        return _format_violation(data, {"payloadField": "networkUserId", "value": thrift.networkUserId,
                                        "expectation": "not valid UUID"})
    body = thrift.body.decode("utf-8", "replace") if thrift.body is not None else None
    return LoadedPayload(thrift, data, api[0], api[1], parse_querystring(thrift.querystring), body)


def _api_for_path(path: str) -> tuple[str, str] | None:
    if path == "/i" or path.startswith(("/ice.png", "/i?")):
        return TP1
    match = VENDOR_VERSION_PATH.match(path)
    return (match.group(1), match.group(2)) if match else None


_CANONICAL_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


def _is_uuid(value: str) -> bool:
    if type(value) is str and _CANONICAL_UUID.fullmatch(value):
        return True  # the common case, without building a UUID
    try:
        uuid.UUID(value)
    except (ValueError, AttributeError, TypeError):
        return False
    return len(value) == 36


def _text(value: Any) -> str | None:
    return None if value is None else str(value)
