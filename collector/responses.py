"""The exact bytes and headers the Scala Stream Collector answers with (collector spec section 2)."""

from __future__ import annotations

import base64
from collections.abc import Awaitable, Callable
from typing import Any

Headers = list[tuple[bytes, bytes]]
Send = Callable[[dict[str, Any]], Awaitable[None]]

PIXEL = base64.b64decode("R0lGODlhAQABAPAAAP///wAAACH5BAUAAAAALAAAAAABAAEAAAICRAEAOw==")
PIXEL_HEADERS: Headers = [
    (b"content-type", b"image/gif"),
    (b"cache-control", b"no-cache, no-store, must-revalidate"),
    (b"content-length", b"43"),
]
OK_BODY = b"ok"
# SSC answers tracking POSTs with a bare text/plain (spec 2.2) and its own routes through http4s, which adds a charset.
POST_OK_HEADERS: Headers = [(b"content-type", b"text/plain"), (b"content-length", b"2")]
TEXT_CONTENT_TYPE = (b"content-type", b"text/plain; charset=UTF-8")
ROBOTS_TXT = (
    b"User-agent: *\nDisallow: /\n\n"
    b"User-agent: Googlebot\nDisallow: /\n\n"
    b"User-agent: AdsBot-Google\nDisallow: /"
)


class Response:
    """A complete response: status, headers (content-length included by the constructors) and body."""

    __slots__ = ("body", "headers", "status")

    def __init__(self, status: int, headers: Headers, body: bytes = b"") -> None:
        self.status, self.headers, self.body = status, headers, body

    async def send(self, send: Send, head_only: bool = False) -> None:
        """Write the response; a HEAD response keeps the headers but sends no body."""
        await send({"type": "http.response.start", "status": self.status, "headers": self.headers})
        await send({"type": "http.response.body", "body": b"" if head_only else self.body})


def text(status: int, body: bytes, extra: Headers | None = None) -> Response:
    """A plain-text answer (health, errors, `redirects disabled`)."""
    headers = [TEXT_CONTENT_TYPE, (b"content-length", str(len(body)).encode()), *(extra or ())]
    return Response(status, headers, body)


def pixel(extra: Headers) -> Response:
    """The 43-byte transparent GIF with no-cache headers, answered to GET tracking requests."""
    return Response(200, [*PIXEL_HEADERS, *extra], PIXEL)


def post_ok(extra: Headers) -> Response:
    """`ok` as text/plain: Firefox logs an error on an empty XHR response (JS tracker issue 482)."""
    return Response(200, [*POST_OK_HEADERS, *extra], OK_BODY)


def redirect(location: bytes, extra: Headers) -> Response:
    """302 to an allowed click-redirect target, with no body."""
    return Response(302, [(b"location", location), (b"content-length", b"0"), *extra])


def empty(status: int, extra: Headers) -> Response:
    """An answer with no body, such as a CORS preflight."""
    return Response(status, [(b"content-length", b"0"), *extra])


def crossdomain_xml(domains: tuple[str, ...], secure: bool) -> bytes:
    """The Flash cross-domain policy SSC serves when `crossDomain.enabled` is set."""
    flag = "true" if secure else "false"
    lines = "\n".join(f'  <allow-access-from domain="{domain}" secure="{flag}" />' for domain in domains)
    return f'<?xml version="1.0"?>\n<cross-domain-policy>\n{lines}\n</cross-domain-policy>'.encode()
