"""Benchmark baseline (d): the smallest ASGI app answering the collector's pixel, for the same server."""

import base64

PIXEL = base64.b64decode("R0lGODlhAQABAPAAAP///wAAACH5BAUAAAAALAAAAAABAAEAAAICRAEAOw==")
HEADERS = [
    (b"content-type", b"image/gif"),
    (b"cache-control", b"no-cache, no-store, must-revalidate"),
    (b"content-length", b"43"),
]


async def app(scope, receive, send) -> None:
    """Answer every HTTP request with the GIF; nothing else."""
    if scope["type"] != "http":
        return
    await send({"type": "http.response.start", "status": 200, "headers": HEADERS})
    await send({"type": "http.response.body", "body": PIXEL})
