"""Reading request bodies within the drop limit, and inflating gzip/deflate bodies (spec 2.5)."""

from __future__ import annotations

import zlib
from collections.abc import Awaitable, Callable
from typing import Any

Receive = Callable[[], Awaitable[dict[str, Any]]]
# wbits that accept a zlib or a gzip header (HTTP "deflate" is zlib-wrapped; gzip is what trackers send).
_AUTO_HEADER = 32 + zlib.MAX_WBITS


class BodyTooLarge(Exception):
    """The body (or what it inflates to) is above the drop limit: answered 413, nothing recorded."""


class BadBody(Exception):
    """The body cannot be decoded as its Content-Encoding says: answered 400, nothing recorded."""


class ClientGone(Exception):
    """The client disconnected before sending its whole body; nothing to answer."""


async def read_body(receive: Receive, limit: int) -> bytes:
    """Read the whole body, refusing as soon as it passes `limit` so memory stays bounded."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ClientGone
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge
        chunks.append(chunk)
        if not message.get("more_body"):
            return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def decode_content_encoding(body: bytes, encoding: str | None, limit: int) -> bytes:
    """Inflate gzip or deflate bodies (several gzip members too), never beyond `limit` bytes."""
    kind = (encoding or "").strip().lower()
    if kind in {"", "identity"}:
        return body
    if kind not in {"gzip", "x-gzip", "deflate"}:
        raise BadBody(f"unsupported content encoding {encoding!r}")
    parts: list[bytes] = []
    size, rest = 0, body
    try:
        while rest:
            inflater = zlib.decompressobj(_AUTO_HEADER)
            part = inflater.decompress(rest, limit + 1 - size)
            size += len(part)
            if size > limit or inflater.unconsumed_tail:
                raise BodyTooLarge
            if not inflater.eof:
                raise BadBody(f"truncated {kind} body")
            parts.append(part)
            rest = inflater.unused_data
    except zlib.error as error:
        raise BadBody(f"invalid {kind} body: {error}") from None
    return b"".join(parts)
