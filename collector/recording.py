"""Turn one HTTP request into the CollectorPayload that Snowplow's collector would record (spec section 4)."""

from __future__ import annotations

import time
from typing import Any

from collector import addresses
from collector.conf import CollectorConfig
from collector.cookies import rfc6265_cookie_header
from collector.payload import ENCODING, SCHEMA, CollectorPayload

# Headers dropped from the record when the request asks for server-side anonymisation (spec 3.5).
ANONYMOUS_DROPPED = frozenset({"x-forwarded-for", "x-real-ip", "cookie"})
# Headers that carry a client address. Enrich takes the client IP from them (spec 4.3), so they are kept only
# when the peer is a trusted proxy; from anyone else they would let a client choose its own recorded IP.
FORWARDING_HEADERS = frozenset({"x-forwarded-for", "forwarded", "x-real-ip"})


class CollectorRequest:
    """The parts of an HTTP request the collector looks at; header names lower-cased, values decoded."""

    __slots__ = ("body", "by_name", "headers", "method", "path", "peer", "query", "received_ms")

    def __init__(self, method: str, path: str, query: bytes, headers: list[tuple[str, str]], peer: str | None,
                 body: bytes | None = None, received_ms: int | None = None) -> None:
        self.method, self.path, self.query, self.headers = method, path, query, headers
        self.peer, self.body = peer, body
        self.received_ms = int(time.time() * 1000) if received_ms is None else received_ms
        # reversed, so the first occurrence of a repeated header wins, as http4s' `headers.get` does
        self.by_name = dict(reversed(headers))

    def header(self, name: str) -> str | None:
        return self.by_name.get(name)


def header_text(value: bytes) -> str:
    """Header bytes as text: UTF-8 when they are (browsers send it), else latin-1 so no byte is lost."""
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        return value.decode("latin-1")


def request_from_scope(scope: dict[str, Any], body: bytes | None) -> CollectorRequest:
    """Build a CollectorRequest from an ASGI HTTP scope."""
    raw = scope["headers"]
    try:  # the usual case in one pass: ASGI servers send lower-case names, and values are valid UTF-8
        headers = [(name.decode("ascii"), value.decode("utf-8")) for name, value in raw]
    except UnicodeDecodeError:
        headers = [(name.decode("latin-1").lower(), header_text(value)) for name, value in raw]
    client = scope.get("client")
    return CollectorRequest(scope["method"], scope["path"], scope.get("query_string", b""), headers,
                            client[0] if client else None, body)


def recorded_headers(request: CollectorRequest, anonymous: bool, chain: list[str] | None,
                     cookieless: bool = False) -> list[str]:
    """All request headers as `Name: value`, with Snowplow's quirks: Cookie rewritten, content type appended.

    For a cookieless site the Cookie header is not recorded: its cookies are neither set nor read.

    From a trusted proxy, X-Forwarded-For keeps only the entries the proxies vouch for (see addresses).
    """
    lines = []
    prefixes = _LINE_PREFIXES
    for name, value in request.headers:
        if name in _REWRITTEN:
            if name == "cookie":
                if anonymous or cookieless:
                    continue
                value = rfc6265_cookie_header(value)
            elif anonymous or chain is None:
                continue
            elif name == "x-forwarded-for":
                value = ", ".join(chain)
        prefix = prefixes.get(name)
        if prefix is None:
            prefix = line_prefix(name)
        lines.append(prefix + value)
    content_type = request.by_name.get("content-type")
    if content_type:
        lines.append(content_type.lower())
    return lines


_REWRITTEN = FORWARDING_HEADERS | {"cookie"}
_DISPLAY_NAMES: dict[str, str] = {}
_LINE_PREFIXES: dict[str, str] = {}


def line_prefix(name: str) -> str:
    """`Name: `, the start of a recorded header line (kept for the usual names: it is built per header)."""
    prefix = display_name(name) + ": "
    if len(_LINE_PREFIXES) < 1024:
        _LINE_PREFIXES[name] = prefix
    return prefix


def display_name(name: str) -> str:
    """`user-agent` -> `User-Agent`: ASGI servers lower-case names, Snowplow records them as sent (usually so)."""
    shown = _DISPLAY_NAMES.get(name)
    if shown is None:
        shown = "-".join(part.capitalize() for part in name.split("-"))
        if len(_DISPLAY_NAMES) < 1024:
            _DISPLAY_NAMES[name] = shown
    return shown


def host_without_port(host: str | None) -> str | None:
    """The Host header without its port; IPv6 literals keep their brackets."""
    if not host:
        return None
    if host.startswith("["):
        return host.partition("]")[0] + "]"
    return host.partition(":")[0]


def build_payload(config: CollectorConfig, request: CollectorRequest, path: str, network_user_id: str,
                  anonymous: bool, cookieless: bool = False) -> CollectorPayload:
    """The CollectorPayload for one request (field table in spec 4.1)."""
    by_name = request.by_name
    chain = addresses.forwarded_chain(config.trusted_proxies, request.peer, by_name.get("x-forwarded-for"))
    content_type = by_name.get("content-type")
    # positional, in the IDL's field order (checked in tests): thriftpy2's keyword matching costs a microsecond
    return CollectorPayload(
        SCHEMA,  # schema
        addresses.UNKNOWN if anonymous else addresses.client_ip(chain, request.peer),  # ipAddress
        request.received_ms,  # timestamp
        ENCODING,  # encoding
        config.name,  # collector
        by_name.get("user-agent"),  # userAgent
        by_name.get("referer"),  # refererUri
        path,  # path
        request.query,  # querystring
        request.body,  # body
        recorded_headers(request, anonymous, chain, cookieless),  # headers
        content_type.lower() if content_type and request.body is not None else None,  # contentType
        host_without_port(by_name.get("host")),  # hostname
        network_user_id,  # networkUserId
    )
