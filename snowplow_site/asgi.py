"""ASGI entry point: the collector's hot paths are served by a lean ASGI app, everything else by Django."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "snowplow_site.settings")
django_application = get_asgi_application()

from collector.asgi import CollectorApp  # noqa: E402  (needs Django set up first)

collector_application = CollectorApp()


async def application(scope, receive, send) -> None:
    if scope["type"] == "http":
        route = collector_application.route(scope)
        if route is not None:
            await collector_application(scope, receive, send, route)
            return
    elif scope["type"] == "lifespan":
        await _lifespan(receive, send)
        return
    await django_application(scope, receive, send)


async def _lifespan(receive, send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return
