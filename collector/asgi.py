"""The collector's hot path as a minimal ASGI application, mounted beside Django in the same process.

`/i`, tp2 and the webhook paths pay for nothing they do not use: no middleware, sessions, ORM or templates.
A tracking request is one visible list of steps (`track`): read the body, check the redirect target, apply
the rate limits (429) and the site's privacy settings (refused origin: 403; cookieless: no cookie read or set),
read the cookies, resolve the network user id, build the CollectorPayload, store it (group commit, split or
size violation), answer. The answer is sent only after the sink write returned (DESIGN contract 2).
"""

from __future__ import annotations

import logging
from typing import Any

from asgiref.sync import sync_to_async

from collector import addresses, responses
from collector.bodies import BadBody, BodyTooLarge, ClientGone, Receive, decode_content_encoding, read_body
from collector.bounce import bounce_location, has_bounced
from collector.conf import CollectorConfig, get_collector_config
from collector.cookies import (
    is_do_not_track,
    is_uuid,
    nuid_param,
    parse_cookie_header,
    resolve_network_user_id,
    set_cookie_headers,
)
from collector.cors import cors_headers, preflight_headers
from collector.payload import CollectorPayload, payload_encode, payload_serialize
from collector.ratelimit import RedisWindows, TokenBuckets
from collector.recording import CollectorRequest, build_payload, request_from_scope
from collector.redirects import redirect_target
from collector.responses import Headers, Response, Send
from collector.routing import TP2, Route, build_route_table, match_route
from collector.sinks import get_sink
from collector.sites import SitePolicyCache, request_app_id, request_host
from collector.splitting import fit_payload

logger = logging.getLogger(__name__)
Scope = dict[str, Any]
GET_LIKE = frozenset({"GET", "HEAD"})


class SinkDown(Exception):
    """The payload could not be stored: answer 503 so that trackers retry."""


class CollectorApp:
    """ASGI callable for the collector routes; `route()` says which requests are ours."""

    def __init__(self) -> None:
        self._config: CollectorConfig | None = None
        self._routes: dict[str, Route] | None = None
        self._sites: SitePolicyCache | None = None
        self._limits: tuple[TokenBuckets, TokenBuckets] | None = None
        self._shared_limits: RedisWindows | None = None

    def reset(self) -> None:
        """Forget the configuration read so far (tests change settings between requests)."""
        self._config = self._routes = self._sites = self._limits = self._shared_limits = None

    @property
    def sites(self) -> SitePolicyCache:
        if self._sites is None:
            self._sites = SitePolicyCache(self.config.site_policy_seconds)
        return self._sites

    @property
    def limits(self) -> tuple[TokenBuckets, TokenBuckets]:
        """Token buckets per client IP and per app id (ratelimit.py)."""
        if self._limits is None:
            self._limits = (TokenBuckets(self.config.rate_limit_per_ip),
                            TokenBuckets(self.config.rate_limit_per_app_id))
        return self._limits

    @property
    def config(self) -> CollectorConfig:
        if self._config is None:
            self._config = get_collector_config()
        return self._config

    def route(self, scope: Scope) -> Route | None:
        """The collector route for this request, or None to hand it to Django."""
        if self._routes is None:
            self._routes = build_route_table(self.config)
        return match_route(self._routes, scope["path"])

    async def __call__(self, scope: Scope, receive: Receive, send: Send, route: Route) -> None:
        method = scope["method"]
        try:
            if method == "GET" and route.kind == "track":  # the pixel: straight to `track`, as `respond` would
                response = await self.track(scope, receive, route)
            else:
                response = await self.respond(scope, receive, route)
        except ClientGone:
            return
        except Exception:  # answered 503, never 500: nothing was stored, so the tracker must retry
            logger.exception("collector failed on %s %s", method, scope["path"])
            response = responses.text(503, b"Service Unavailable")
        # Response.send, inlined: this runs on every request
        await send({"type": "http.response.start", "status": response.status, "headers": response.headers})
        await send({"type": "http.response.body", "body": b"" if method == "HEAD" else response.body})

    async def respond(self, scope: Scope, receive: Receive, route: Route) -> Response:
        """Dispatch on route kind and method (spec 2.1)."""
        method, kind = scope["method"], route.kind
        if method == "OPTIONS" and route.records:
            return responses.empty(200, preflight_headers(
                _header(scope, b"origin"), self.config.cors_max_age, _header(scope, b"access-control-request-headers")
            ))
        if kind == "redirects-disabled" or (kind == "redirect" and not self.config.redirects_enabled):
            return responses.text(404, b"redirects disabled")
        if kind == "track" and (method in GET_LIKE or (method == "POST" and route.recorded_path not in _TP1)):
            return await self.track(scope, receive, route)
        if kind == "redirect" and method in {"GET", "HEAD", "POST"}:
            return await self.track(scope, receive, route)
        if method in GET_LIKE and kind != "track" and kind != "redirect":
            return await self.service_route(kind)
        return responses.text(404, b"Not Found")

    async def service_route(self, kind: str) -> Response:
        """`/health`, `/sink-health`, `/robots.txt` and `/crossdomain.xml`."""
        if kind == "health":
            return responses.text(200, b"ok")
        if kind == "sink-health":
            healthy = await get_sink().healthy()
            return responses.text(200, b"ok") if healthy else responses.text(503, b"Service Unavailable")
        if kind == "robots":
            return responses.text(200, responses.ROBOTS_TXT)
        if kind == "crossdomain" and self.config.crossdomain_enabled:
            body = responses.crossdomain_xml(self.config.crossdomain_domains, self.config.crossdomain_secure)
            return responses.Response(200, [(b"content-type", b"text/xml"), (b"content-length", b"%d" % len(body))],
                                      body)
        return responses.text(404, b"Not Found")

    async def track(self, scope: Scope, receive: Receive, route: Route) -> Response:
        """Record one tracking request and answer it as SSC does (pixel, `ok` or a redirect)."""
        config = self.config
        method = scope["method"]
        body = None
        if method == "POST":
            try:
                body = await read_body(receive, config.drop_payload_size)
                body = decode_content_encoding(body, _header(scope, b"content-encoding"), config.drop_payload_size)
            except BodyTooLarge:
                return responses.text(413, b"Request Entity Too Large", cors_headers(_header(scope, b"origin")))
            except BadBody as error:
                return responses.text(400, str(error).encode(), cors_headers(_header(scope, b"origin")))
        request = request_from_scope(scope, body)
        origin = request.by_name.get("origin")
        location = None
        if route.kind == "redirect":
            location = redirect_target(config, request.query)
            if location is None:
                return responses.text(400, b"Invalid or disallowed redirect target", cors_headers(origin))
        headers = cors_headers(origin)
        policies = self.sites.fresh() or await self.sites.get()
        # the app id is looked for only when a limit or a site setting depends on it
        app_id = request_app_id(request.query, body) if policies.by_app_id or config.rate_limit_per_app_id else None
        if (config.rate_limit_per_ip or config.rate_limit_per_app_id) and not await self.within_limits(request, app_id):
            return responses.text(429, b"Too Many Requests", [*headers, (b"retry-after", b"1")])
        site = policies.find(app_id, request_host(origin, request.by_name.get("referer"))) if policies.by_host or (
            app_id is not None) else None
        if site is not None and site.refuse_other_origins and not site.allows_host(request_host(origin, None)):
            return responses.text(403, b"Origin not allowed", headers)
        cookieless = site is not None and site.cookieless
        cookies = {} if cookieless else parse_cookie_header(request.by_name.get("cookie"))
        if is_do_not_track(config, cookies):
            return _answer(route, method, headers, location)
        anonymous = "sp-anonymous" in request.by_name
        nuid, bounce = self.network_user_id(scope, request, route, cookies, anonymous or cookieless)
        if bounce is not None:  # not recorded: the browser comes back with n3pc=true
            return responses.redirect(bounce, headers + set_cookie_headers(config, nuid, origin))
        payload = build_payload(config, request, route.recorded_path, nuid, anonymous, cookieless)
        if route.recorded_path not in TRACKER_PATHS and await self.webhook_refused(request, route, payload):
            return responses.text(401, b"Unauthorized", headers)
        try:
            serialized = payload_encode(payload)
            if len(serialized) < config.max_payload_size:  # the usual case, without a coroutine of its own
                await get_sink().write(serialized)
            else:
                await self.store(payload, serialized)
        except Exception as error:
            if not isinstance(error, SinkDown):
                logger.warning("raw sink write failed, answering 503: %r", error)
            return responses.text(503, b"Service Unavailable", headers)
        if cookieless:  # the visitor id is a daily salted hash computed in enrichment (privacy.visitors)
            return _answer(route, method, headers, location)
        return _answer(route, method, headers + self.cookie_headers(nuid, origin, anonymous, cookies), location)

    async def within_limits(self, request: CollectorRequest, app_id: str | None) -> bool:
        """Take a token for the client IP and one for the app id; False when either is exhausted."""
        config = self.config
        if not (config.rate_limit_per_ip or config.rate_limit_per_app_id):
            return True
        client = None
        if config.rate_limit_per_ip:
            chain = addresses.forwarded_chain(config.trusted_proxies, request.peer,
                                              request.by_name.get("x-forwarded-for"))
            client = addresses.client_ip(chain, request.peer)
        if config.rate_limit_redis_url:
            if self._shared_limits is None:
                self._shared_limits = RedisWindows(config.rate_limit_redis_url)
            limits = [(f"ip:{client}", config.rate_limit_per_ip)] if client else []
            if config.rate_limit_per_app_id and app_id is not None:
                limits.append((f"aid:{app_id}", config.rate_limit_per_app_id))
            return not limits or await self._shared_limits.allow(limits)
        per_ip, per_app = self.limits
        if client is not None and not per_ip.allow(client):
            return False
        return not (per_app.capacity and app_id is not None and not per_app.allow(app_id))

    async def webhook_refused(self, request: CollectorRequest, route: Route, payload: CollectorPayload) -> bool:
        """True for a webhook whose signature fails its admin row's secret: not recorded, a bad row instead.

        The webhooks app decides (`webhooks.api`); it reads the admin configuration, so it runs in a thread.
        Only webhook paths pay for this, never the tracker paths.
        """
        vendor, _, version = route.recorded_path[1:].partition("/")
        verdict = await sync_to_async(_check_webhook)(vendor, version, request)
        if verdict is None or verdict.valid:
            return False
        logger.info("refused %s/%s webhook: %s", vendor, version, verdict.reason)
        await sync_to_async(_record_refusal)(payload_serialize(payload), verdict)
        return True

    def network_user_id(self, scope: Scope, request: CollectorRequest, route: Route, cookies: dict[str, str],
                        anonymous: bool) -> tuple[str, bytes | None]:
        """The nuid (spec 3.1), and a cookie-bounce Location when the request must be bounced first (3.7)."""
        config = self.config
        requested, from_cookie = nuid_param(request.query), cookies.get(config.cookie_name)
        nuid = resolve_network_user_id(anonymous, requested, from_cookie)
        if not (config.bounce_enabled and config.cookie_enabled) or anonymous or is_uuid(requested) or (
                is_uuid(from_cookie)):
            return nuid, None
        if request.method not in GET_LIKE or route.kind != "track":
            return nuid, None
        if not has_bounced(config, request.query):
            return nuid, bounce_location(config, scope, request)
        return config.bounce_fallback_nuid, None  # the cookie did not stick: third-party cookies are blocked

    def cookie_headers(self, nuid: str, origin: str | None, anonymous: bool, cookies: dict[str, str]) -> Headers:
        """Set-Cookie headers for a stored request; never raises, since a 5xx now would make trackers resend."""
        config = self.config
        try:
            if config.cookie_enabled and not anonymous:
                return set_cookie_headers(config, nuid, origin)
            if config.cookie_enabled and config.cookie_name in cookies:
                return set_cookie_headers(config, nuid, origin, delete=True)
        except Exception:
            logger.exception("could not build the cookie for a stored request; answering without it")
        return []

    async def store(self, payload: CollectorPayload, serialized: bytes | None = None) -> None:
        """Write the payload (or its split parts) and any size violations; raise SinkDown if not stored."""
        if serialized is None:
            serialized = payload_encode(payload)
        sink = get_sink()
        try:
            if len(serialized) < self.config.max_payload_size:
                await sink.write(serialized)
                return
            sized = fit_payload(payload, serialized, self.config.max_payload_size)
            for record in sized.records:
                await sink.write(record)
            if sized.violations:
                await sync_to_async(_record_size_violations)(sized.violations)
        except Exception as error:
            logger.warning("raw sink write failed, answering 503: %r", error)
            raise SinkDown from error


_TP1 = frozenset({"/i", "/ice.png"})
# Tracker paths never carry a vendor signature; every other recorded path is a webhook (or Iglu) path.
TRACKER_PATHS = frozenset({*_TP1, TP2, "/r/tp2"})


def _answer(route: Route, method: str, headers: responses.Headers, location: bytes | None) -> Response:
    if location is not None:
        return responses.redirect(location, headers)
    if method == "POST":
        return responses.post_ok(headers)
    return responses.pixel(headers)


def _record_size_violations(violations: list) -> None:
    """Runs in a worker thread; its database connection is closed after, as size violations are rare."""
    from django.db import connection

    from enrichment.api import record_size_violations  # the bad-row function of DESIGN contract 8

    try:
        record_size_violations(violations)
    finally:
        connection.close()


def _check_webhook(vendor: str, version: str, request: CollectorRequest):
    """Runs in a worker thread. The admin configuration it reads is cached, so a database connection is
    rarely opened; it is closed after, rather than left open in a thread Django's request cycle never visits."""
    from django.db import connection

    from webhooks.api import check_webhook_request

    try:
        return check_webhook_request(vendor, version, request.method, request.by_name.get("host"), request.path,
                                     request.query.decode("latin-1"), request.headers, request.body,
                                     request.received_ms)
    finally:
        connection.close()


def _record_refusal(payload: bytes, verdict) -> None:
    from django.db import connection

    from enrichment.api import badrows_record
    from webhooks.api import refused_request_badrow

    try:
        badrows_record([refused_request_badrow(payload, verdict)])
    finally:
        connection.close()


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key == name:
            return value.decode("latin-1")
    return None
