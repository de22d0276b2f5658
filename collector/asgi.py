"""The collector's hot path as a minimal ASGI application, mounted beside Django in the same process.

`/i`, tp2 and the webhook paths pay for nothing they do not use: no middleware, sessions, ORM or templates.
Each request is one visible list of steps: route, read the body, resolve the network user id, build the
CollectorPayload, check its size, write it to the sink (group commit), answer.
"""

from __future__ import annotations

import gzip
import logging
import uuid
import zlib
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from asgiref.sync import sync_to_async

from collector import responses
from collector.conf import CollectorConfig, get_collector_config
from collector.cookies import (
    is_do_not_track,
    parse_cookie_header,
    resolve_network_user_id,
    set_cookie_headers,
)
from collector.cors import cors_headers, preflight_headers
from collector.payload import payload_serialize
from collector.recording import CollectorRequest, build_payload
from collector.sinks import SinkUnavailable, get_sink
from collector.splitting import fit_payload

logger = logging.getLogger(__name__)

PIXEL, POST_OK, REDIRECT = "pixel", "ok", "redirect"


@dataclass(frozen=True)
class Route:
    kind: str  # "track", "health", "sink-health", "robots", "crossdomain", "redirect", "redirects-disabled"
    recorded_path: str = ""


def match_route(config: CollectorConfig, path: str) -> Route | None:
    """Collector routes; None hands the request to Django."""
    if path == "/health":
        return Route("health")
    if path == "/sink-health":
        return Route("sink-health")
    if path == "/robots.txt":
        return Route("robots")
    if path == "/crossdomain.xml":
        return Route("crossdomain")
    if path in config.custom_paths:
        target = config.custom_paths[path]
        return Route("redirect" if target == "/r/tp2" else "track", target)
    if path == "/i" or path.startswith("/ice.png"):
        return Route("track", path)
    if path.startswith("/r/"):
        return Route("redirect" if path == "/r/tp2" else "redirects-disabled", path)
    segments = path[1:].split("/")
    if len(segments) == 2 and "." in segments[0] and segments[1]:
        return Route("track", path)
    return None


class Response:
    """A complete response to send: status, headers and body."""

    __slots__ = ("body", "headers", "status")

    def __init__(self, status: int, headers: list[tuple[bytes, bytes]], body: bytes = b"") -> None:
        self.status, self.headers, self.body = status, headers, body

    async def send(self, send, method: str) -> None:
        headers = [*self.headers, (b"content-length", str(len(self.body)).encode())]
        await send({"type": "http.response.start", "status": self.status, "headers": headers})
        await send({"type": "http.response.body", "body": b"" if method == "HEAD" else self.body})


def text(status: int, body: bytes, extra: list[tuple[bytes, bytes]] | None = None) -> Response:
    return Response(status, [*responses.TEXT_HEADERS, *(extra or [])], body)


class BodyTooLarge(Exception):
    pass


async def read_body(receive, limit: int) -> bytes:
    chunks, size = [], 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ConnectionAbortedError("client disconnected")
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge
        chunks.append(chunk)
        if not message.get("more_body"):
            return b"".join(chunks)


def decode_content_encoding(body: bytes, encoding: str | None, limit: int) -> bytes:
    """Inflate gzip/deflate bodies, refusing any that expand beyond the drop limit."""
    if not encoding or encoding.strip().lower() in {"identity", ""}:
        return body
    kind = encoding.strip().lower()
    if kind not in {"gzip", "x-gzip", "deflate"}:
        raise ValueError(f"unsupported content encoding {encoding!r}")
    wbits = 16 + zlib.MAX_WBITS if kind != "deflate" else zlib.MAX_WBITS
    inflater = zlib.decompressobj(wbits)
    try:
        inflated = inflater.decompress(body, limit + 1)
    except (zlib.error, gzip.BadGzipFile) as error:
        raise ValueError(f"invalid {kind} body: {error}") from error
    if len(inflated) > limit or inflater.unconsumed_tail:
        raise BodyTooLarge
    return inflated


def to_request(scope, body: bytes | None) -> CollectorRequest:
    headers = [(name.decode("latin-1").lower(), value.decode("latin-1")) for name, value in scope["headers"]]
    client = scope.get("client")
    return CollectorRequest(
        method=scope["method"],
        path=scope["path"],
        query=scope.get("query_string", b""),
        headers=headers,
        peer=client[0] if client else None,
        body=body,
    )


class CollectorApp:
    """ASGI callable for the collector routes."""

    def __init__(self) -> None:
        self._config: CollectorConfig | None = None

    @property
    def config(self) -> CollectorConfig:
        if self._config is None:
            self._config = get_collector_config()
        return self._config

    def route(self, scope) -> Route | None:
        return match_route(self.config, scope["path"])

    async def __call__(self, scope, receive, send, route: Route) -> None:
        method = scope["method"]
        try:
            response = await self.respond(scope, receive, route)
        except ConnectionAbortedError:
            return
        except Exception:
            logger.exception("collector failed on %s %s", method, scope["path"])
            response = text(500, b"Internal server error")
        await response.send(send, method)

    async def respond(self, scope, receive, route: Route) -> Response:
        method = scope["method"]
        origin = _header(scope, b"origin")
        if method == "OPTIONS" and route.kind in {"track", "redirect"}:
            requested = _header(scope, b"access-control-request-headers")
            return Response(200, preflight_headers(origin, self.config.cors_max_age, requested))
        if route.kind == "health":
            return text(200, b"ok")
        if route.kind == "sink-health":
            healthy = await get_sink().healthy()
            return text(200, b"ok") if healthy else text(503, b"Service Unavailable")
        if route.kind == "robots":
            return text(200, responses.ROBOTS_TXT)
        if route.kind in {"crossdomain", "redirects-disabled"} or (
            route.kind == "redirect" and not self.config.redirects_enabled
        ):
            return text(404, b"redirects disabled" if route.kind != "crossdomain" else b"Not found")
        if route.kind == "redirect":
            if method not in {"GET", "POST", "HEAD"}:
                return text(404, b"Not found")
            return await self.track(scope, receive, route, REDIRECT, origin)
        if method in {"GET", "HEAD"}:
            return await self.track(scope, receive, route, PIXEL, origin)
        if method == "POST" and route.recorded_path != "/i" and not route.recorded_path.startswith("/ice.png"):
            return await self.track(scope, receive, route, POST_OK, origin)
        return text(404, b"Not found")

    async def track(self, scope, receive, route: Route, answer: str, origin: str | None) -> Response:
        config = self.config
        body = None
        if answer == POST_OK:
            try:
                body = await read_body(receive, config.drop_payload_size)
                body = decode_content_encoding(body, _header(scope, b"content-encoding"), config.drop_payload_size)
            except BodyTooLarge:
                return text(413, b"Request entity too large")
            except ValueError as error:
                return text(400, str(error).encode())
        request = to_request(scope, body)
        location = None
        if answer == REDIRECT:
            location = redirect_target(config, request.query)
            if location is None:
                return text(400, b"Invalid or disallowed redirect target")
        cookies = parse_cookie_header(request.header("cookie"))
        if is_do_not_track(config, cookies):
            return self.answer(answer, cors_headers(origin), location)
        anonymous = request.header("sp-anonymous") is not None
        nuid = resolve_network_user_id(anonymous, _nuid_param(request.query), cookies.get(config.cookie_name))
        payload = build_payload(config, request, route.recorded_path, nuid, anonymous)
        try:
            await self.store(payload)
        except SinkUnavailable as error:
            logger.warning("raw sink unavailable, answering 503: %s", error)
            return text(503, b"Service Unavailable", cors_headers(origin))
        headers = cors_headers(origin)
        if config.cookie_enabled and not anonymous:
            headers += set_cookie_headers(config, nuid, origin)
        elif config.cookie_enabled and anonymous and config.cookie_name in cookies:
            headers += set_cookie_headers(config, nuid, origin, delete=True)
        return self.answer(answer, headers, location)

    async def store(self, payload) -> None:
        serialized = payload_serialize(payload)
        sink = get_sink()
        if len(serialized) <= self.config.max_payload_size:
            await sink.write(serialized)
            return
        sized = fit_payload(payload, serialized, self.config.max_payload_size)
        for record in sized.records:
            await sink.write(record)
        if sized.violations:
            from enrichment.api import record_size_violations

            await sync_to_async(record_size_violations)(sized.violations)

    @staticmethod
    def answer(answer: str, headers: list[tuple[bytes, bytes]], location: str | None) -> Response:
        if answer == PIXEL:
            return Response(200, [*responses.PIXEL_HEADERS, *headers], responses.PIXEL)
        if answer == REDIRECT:
            return Response(302, [(b"location", location.encode("latin-1", "replace")), *headers])
        return Response(200, [*responses.POST_OK_HEADERS, *headers], responses.OK_BODY)


def redirect_target(config: CollectorConfig, query: bytes) -> str | None:
    """The `u` target if it is an absolute http(s) URI whose host is explicitly allowed (never open)."""
    values = parse_qs(query.decode("latin-1"), keep_blank_values=True).get("u")
    if not values:
        return None
    target = values[0]
    try:
        parts = urlsplit(target)
    except ValueError:
        return None
    host = (parts.hostname or "").lower()
    if parts.scheme not in {"http", "https"} or not host:
        return None
    return target if host in config.redirect_domains else None


def _nuid_param(query: bytes) -> str | None:
    if b"nuid=" not in query:
        return None
    values = parse_qs(query.decode("latin-1")).get("nuid")
    return values[0] if values else None


def _header(scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key.lower() == name:
            return value.decode("latin-1")
    return None


def new_event_id() -> str:
    return str(uuid.uuid4())
