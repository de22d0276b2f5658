"""Turn one HTTP request into the CollectorPayload that Snowplow's collector would record (spec section 4)."""

from __future__ import annotations

import ipaddress
import time
from dataclasses import dataclass, field

from collector.conf import CollectorConfig
from collector.cookies import rfc6265_cookie_header
from collector.payload import ENCODING, SCHEMA, CollectorPayload

# Headers dropped from the record when the request asks for server-side anonymisation (spec 3.5).
ANONYMOUS_DROPPED = {"x-forwarded-for", "x-real-ip", "cookie"}
# Headers that carry a client address: only kept when the peer is a trusted proxy, because enrichment
# takes the client IP from them (spec 4.3) and an untrusted client could otherwise spoof it.
FORWARDING_HEADERS = {"x-forwarded-for", "forwarded", "x-real-ip"}


@dataclass
class CollectorRequest:
    """The parts of an HTTP request the collector looks at; header names lower-cased, values latin-1."""

    method: str
    path: str
    query: bytes
    headers: list[tuple[str, str]]
    peer: str | None
    body: bytes | None = None
    received_ms: int = field(default_factory=lambda: int(time.time() * 1000))

    def header(self, name: str) -> str | None:
        for key, value in self.headers:
            if key == name:
                return value
        return None


def is_trusted_proxy(config: CollectorConfig, peer: str | None) -> bool:
    if not peer or not config.trusted_proxies:
        return False
    try:
        address = ipaddress.ip_address(peer)
    except ValueError:
        return False
    return any(address in network for network in config.trusted_proxies)


def client_ip(config: CollectorConfig, request: CollectorRequest, anonymous: bool) -> str:
    """The first X-Forwarded-For address from a trusted proxy, else the socket peer; `unknown` if anonymous."""
    if anonymous:
        return "unknown"
    if is_trusted_proxy(config, request.peer):
        forwarded = request.header("x-forwarded-for")
        if forwarded:
            first = forwarded.split(",")[0].strip().strip("[]")
            try:
                return str(ipaddress.ip_address(first))
            except ValueError:
                return "unknown"
    return request.peer or "unknown"


def recorded_headers(config: CollectorConfig, request: CollectorRequest, anonymous: bool) -> list[str]:
    """All request headers as `Name: value`, with Snowplow's quirks: Cookie rewritten, content type appended."""
    trusted = is_trusted_proxy(config, request.peer)
    lines = []
    for name, value in request.headers:
        if anonymous and name in ANONYMOUS_DROPPED:
            continue
        if not trusted and name in FORWARDING_HEADERS:
            continue
        if name == "cookie":
            value = rfc6265_cookie_header(value)
        lines.append(f"{_display_name(name)}: {value}")
    content_type = request.header("content-type")
    if content_type:
        lines.append(content_type.lower())
    return lines


def _display_name(name: str) -> str:
    return "-".join(part.capitalize() for part in name.split("-"))


def build_payload(config: CollectorConfig, request: CollectorRequest, path: str, network_user_id: str,
                  anonymous: bool) -> CollectorPayload:
    host = request.header("host")
    content_type = request.header("content-type")
    return CollectorPayload(
        schema=SCHEMA,
        ipAddress=client_ip(config, request, anonymous),
        timestamp=request.received_ms,
        encoding=ENCODING,
        collector=config.name,
        userAgent=request.header("user-agent"),
        refererUri=request.header("referer"),
        path=path,
        querystring=request.query,
        body=request.body,
        headers=recorded_headers(config, request, anonymous),
        contentType=content_type.lower() if content_type and request.body is not None else None,
        hostname=host.rsplit(":", 1)[0] if host and not host.endswith("]") else host,
        networkUserId=network_user_id,
    )
