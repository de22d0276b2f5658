"""Split page and referrer URLs into their components leniently, keeping them raw (percent-encoded)."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from urllib.parse import urlsplit


class UriError(ValueError):
    """The URL cannot be parsed even leniently (an enrichment failure, as in enrich)."""


@dataclass(frozen=True)
class UrlParts:
    scheme: str | None
    host: str | None
    port: int | None
    path: str | None
    query: str | None
    fragment: str | None


@functools.lru_cache(maxsize=16384)
def split_url(url: str) -> UrlParts:
    """Split like enrich: spaces become %20 first; the port defaults to 80, or 443 for https.

    Cached: pages and referrers repeat endlessly in real traffic, and the parts are immutable.
    """
    candidate = url.strip().replace(" ", "%20")
    try:
        parts = urlsplit(candidate)
        explicit_port = parts.port
    except ValueError as error:
        raise UriError(f"Provided URI [{url}] could not be parsed: {error}") from None
    scheme = parts.scheme.lower() or None
    host = parts.hostname
    if not host and scheme in {"http", "https"}:
        raise UriError(f"Provided URI [{url}] could not be parsed: no host")
    port = explicit_port
    if port is None and host:
        port = 443 if scheme == "https" else 80
    return UrlParts(
        scheme=scheme,
        host=host or None,
        port=port,
        path=parts.path or None,
        query=parts.query or None,
        fragment=parts.fragment or None,
    )
