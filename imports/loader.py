"""What Snowplow's log loaders share (enrich 3.9.0 `Loader.scala`): timestamps, the path-to-API rule, the
`%25` fix-up, the CollectorPayload a log line becomes, and the format-violation bad row of an unusable line."""

from __future__ import annotations

import datetime as dt
import ipaddress
import re
import struct
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Protocol

from collector.payload import ENCODING, SCHEMA
from enrichment.badrows import BadRowData, iso_timestamp

_VENDOR_VERSION = re.compile(r"^/?[^/]+/[^/]+/?$")
# `%25` followed by two hex digits; only the `%25` is consumed, so a literal replacement does what
# `%25(XX)` -> `%\1` does (the digits cannot start another match) without expanding a template per match.
_DOUBLE_ENCODED = re.compile(r"%25(?=[0-9A-Fa-f]{2})")
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


class NoteSink(Protocol):
    """Where a decoder notes a value it took with a doubt (a list does)."""

    def append(self, note: str) -> None: ...


@dataclass
class LineFailures:
    """The messages of one line, accumulated as enrich's ValidatedNel does."""

    messages: list[dict[str, str | None]] = field(default_factory=list)

    def add(self, payload_field: str, value: str | None, expectation: str) -> None:
        self.messages.append({"payloadField": payload_field, "value": value, "expectation": expectation})


def absent(value: str | None) -> str | None:
    """enrich's toOption: `-`, the empty string and null are all absent."""
    return None if value in (None, "", "-") else value


def to_millis(date: str, time: str, failures: LineFailures) -> int | None:
    """Join a log's UTC date and time (fractional seconds allowed) into epoch milliseconds."""
    millis = cached_millis(date, time)
    if millis is None:
        text = f"{date}T{time}+00:00"
        try:
            dt.datetime.fromisoformat(text)
        except ValueError as error:
            failures.add("dateTime", text, f"could not convert timestamp: {error}")
    return millis


@lru_cache(maxsize=1024)  # lines of a log come in time order: most share their second with the line before
def cached_millis(date: str, time: str) -> int | None:
    """Epoch milliseconds of a log's UTC date and time, or None when they do not parse."""
    try:
        moment = dt.datetime.fromisoformat(f"{date}T{time}+00:00")
    except ValueError:
        return None
    return (moment - EPOCH) // dt.timedelta(milliseconds=1)


def is_api_path(path: str) -> bool:
    """The path selects an API: /vendor/version, or the legacy /i and /ice.png pixels."""
    return path == "/i" or path.startswith(("/i?", "/ice.png")) or _VENDOR_VERSION.match(path) is not None


def check_path(path: str, failures: LineFailures) -> None:
    if not is_api_path(path):
        failures.add("path", path, "path does not match (/)vendor/version(/) nor is a legacy /i(ce.png) request")


def single_encode_pcts(text: str) -> str:
    """Undo CloudFront's double encoding since 2013: every `%25XX` (XX hex) becomes `%XX`, blindly, as enrich does."""
    return _DOUBLE_ENCODED.sub("%", text) if "%25" in text else text


def first_ip(value: str | None) -> str | None:
    """The first address of an X-Forwarded-For style list, if it is an IPv4 or IPv6 address."""
    return _first_ip(value) if value else None


@lru_cache(maxsize=8192)  # a log repeats its visitors' addresses
def _first_ip(value: str) -> str | None:
    candidate = value.split(",")[0].strip()
    try:
        ipaddress.ip_address(candidate)
    except ValueError:
        return None
    return candidate


# The Thrift binary encoding of a CollectorPayload (log-formats spec 5.2), written directly: the fields in the
# IDL's order, as thriftpy2 writes them, so the bytes are the ones `collector.payload.payload_serialize` makes.
_STRING_HEADER = struct.Struct(">bhi")
_I64_FIELD = struct.Struct(">bhq")
_STRING, _I64 = 11, 10


def _string_field(field_id: int, data: bytes) -> bytes:
    return _STRING_HEADER.pack(_STRING, field_id, len(data)) + data


_SCHEMA_FIELD = _string_field(31337, SCHEMA.encode())
_ENCODING_FIELD = _string_field(210, ENCODING.encode())


@lru_cache(maxsize=64)
def _source_field(source: str) -> bytes:
    return _ENCODING_FIELD + _string_field(220, source.encode())


def log_payload(source: str, path: str, querystring: str | None, timestamp: int, ip: str | None,
                useragent: str | None, referer: str | None, content_type: str | None = None,
                body: bytes | None = None) -> bytes:
    """The Thrift CollectorPayload a log line stands for: no hostname, no headers, no cookie (as enrich)."""
    parts = [_SCHEMA_FIELD]
    if ip is not None:
        parts.append(_string_field(100, ip.encode()))
    parts.append(_I64_FIELD.pack(_I64, 200, timestamp))
    parts.append(_source_field(source))
    if useragent is not None:
        parts.append(_string_field(300, useragent.encode()))
    if referer is not None:
        parts.append(_string_field(310, referer.encode()))
    parts.append(_string_field(320, path.encode()))
    if querystring:
        parts.append(_string_field(330, querystring.encode()))
    if body is not None:
        parts.append(_string_field(340, body))
    if content_type is not None:
        parts.append(_string_field(360, content_type.encode()))
    parts.append(b"\x00")
    return b"".join(parts)


def format_violation(loader: str, line: str, messages: list[dict[str, str | None]]) -> BadRowData:
    """A collector_payload_format_violation keeping the whole line. Several accumulated messages are joined into
    one Fallback message, since the 1-0-0 schema carries a single one."""
    if len(messages) == 1:
        message: dict[str, str | None] = messages[0]
    else:
        message = {"error": "; ".join(_describe(item) for item in messages)}
    return BadRowData(type="collector_payload_format_violation",
                      failure={"timestamp": iso_timestamp(), "loader": loader, "message": message}, payload=line)


def fallback(loader: str, line: str, error: str) -> BadRowData:
    return format_violation(loader, line, [{"error": error}])


def _describe(message: dict[str, str | None]) -> str:
    if "error" in message:
        return str(message["error"])
    return f"{message['payloadField']}: {message['expectation']} (value: {message['value']})"
