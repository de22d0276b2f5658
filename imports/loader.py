"""What Snowplow's log loaders share (enrich 3.9.0 `Loader.scala`): timestamps, the path-to-API rule, the
`%25` fix-up, the CollectorPayload a log line becomes, and the format-violation bad row of an unusable line."""

from __future__ import annotations

import datetime as dt
import ipaddress
import re
from dataclasses import dataclass, field
from typing import Protocol

from collector.payload import ENCODING, SCHEMA, CollectorPayload, payload_serialize
from enrichment.badrows import BadRowData, iso_timestamp

_VENDOR_VERSION = re.compile(r"^/?[^/]+/[^/]+/?$")
_DOUBLE_ENCODED = re.compile(r"%25([0-9A-Fa-f]{2})")
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
    text = f"{date}T{time}+00:00"
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError as error:
        failures.add("dateTime", text, f"could not convert timestamp: {error}")
        return None
    return (moment - EPOCH) // dt.timedelta(milliseconds=1)


def check_path(path: str, failures: LineFailures) -> None:
    """The path must select an API: /vendor/version, or the legacy /i and /ice.png pixels."""
    if path == "/i" or path.startswith(("/i?", "/ice.png")) or _VENDOR_VERSION.match(path):
        return
    failures.add("path", path, "path does not match (/)vendor/version(/) nor is a legacy /i(ce.png) request")


def single_encode_pcts(text: str) -> str:
    """Undo CloudFront's double encoding since 2013: every `%25XX` (XX hex) becomes `%XX`, blindly, as enrich does."""
    return _DOUBLE_ENCODED.sub(r"%\1", text) if "%25" in text else text


def first_ip(value: str | None) -> str | None:
    """The first address of an X-Forwarded-For style list, if it is an IPv4 or IPv6 address."""
    if not value:
        return None
    candidate = value.split(",")[0].strip()
    try:
        ipaddress.ip_address(candidate)
    except ValueError:
        return None
    return candidate


def log_payload(source: str, path: str, querystring: str | None, timestamp: int, ip: str | None,
                useragent: str | None, referer: str | None, content_type: str | None = None,
                body: bytes | None = None) -> bytes:
    """The Thrift CollectorPayload a log line stands for: no hostname, no headers, no cookie (as enrich)."""
    return payload_serialize(CollectorPayload(
        schema=SCHEMA, ipAddress=ip, timestamp=timestamp, encoding=ENCODING, collector=source,
        userAgent=useragent, refererUri=referer, path=path,
        querystring=querystring.encode("utf-8") if querystring else None,
        body=body, contentType=content_type,
    ))


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
