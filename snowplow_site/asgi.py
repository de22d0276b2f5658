"""ASGI entry point: the collector's hot paths are served by a lean ASGI app, everything else by Django.

Request-line and header sizes are capped here, for every path, because httptools accepts header lines
of any length; SSC's HTTP server refuses them (spec 2.5), and so do we, with a 4xx rather than a 500.
"""

import os
from itertools import chain

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "snowplow_site.settings")
django_application = get_asgi_application()

from collector import responses  # noqa: E402  (needs Django set up first)
from collector.asgi import CollectorApp  # noqa: E402

collector_application = CollectorApp()


async def application(scope, receive, send) -> None:
    """Route collector paths to the collector app, the rest to Django."""
    if scope["type"] == "http":
        refusal = oversized_request(scope)
        if refusal is not None:
            await refusal.send(send)
            return
        route = collector_application.route(scope)
        if route is not None:
            await collector_application(scope, receive, send, route)
            return
    elif scope["type"] == "lifespan":
        await _lifespan(receive, send)
        return
    await django_application(scope, receive, send)


def oversized_request(scope) -> responses.Response | None:
    """414 for a request target over the limit, 431 for headers over it (SSC: 20480 and 40960 bytes)."""
    config = collector_application.config
    target = len(scope.get("raw_path") or scope["path"]) + len(scope.get("query_string", b""))
    if target > config.max_request_line:
        return responses.text(414, b"URI Too Long", [(b"connection", b"close")])
    headers = scope["headers"]
    # `Name: value\r\n` per line; one join of every name and value (this runs on every request)
    if len(b"".join(chain.from_iterable(headers))) + 4 * len(headers) > config.max_headers_size:
        return responses.text(431, b"Request Header Fields Too Large", [(b"connection", b"close")])
    return None


async def _lifespan(receive, send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return
