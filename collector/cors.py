"""CORS headers that let the browser tracker's credentialed requests succeed from any site (spec 2.2, 2.3)."""

from __future__ import annotations

import functools
from urllib.parse import urlsplit

from collector.responses import Headers

PREFLIGHT_ALLOWED = ("Content-Type", "SP-Anonymous")
_CREDENTIALS = (b"access-control-allow-credentials", b"true")
_VARY = (b"vary", b"Origin")


@functools.lru_cache(maxsize=1024)
def allowed_origin(origin_header: str | None) -> bytes:
    """The first origin of the request as `scheme://host[:port]`, or `*` without one or for `null` (spec 2.2)."""
    first = origin_header.split(" ", 1)[0].strip() if origin_header else ""
    if not first or first == "null":
        return b"*"
    try:
        parts = urlsplit(first)
        host, port = parts.hostname, parts.port
    except ValueError:
        return b"*"
    if not parts.scheme or not host or not first.isascii() or not first.isprintable():
        return b"*"
    host = f"[{host}]" if ":" in host else host
    return f"{parts.scheme}://{host}{'' if port is None else f':{port}'}".encode("ascii")


def cors_headers(origin_header: str | None) -> Headers:
    """Sent on every tracking response. `Vary: Origin` keeps shared caches from mixing origins (pitfall 7.1)."""
    return [(b"access-control-allow-origin", allowed_origin(origin_header)), _CREDENTIALS, _VARY]


def preflight_headers(origin_header: str | None, max_age: int, requested_headers: str | None) -> Headers:
    """Answer a preflight; trackers with `customHeaders` get their requested headers allowed too (pitfall 7.2)."""
    allowed = list(PREFLIGHT_ALLOWED)
    known = {name.lower() for name in allowed}
    for name in (requested_headers or "").split(","):
        name = name.strip()
        if name and name.lower() not in known and _is_token(name):
            allowed.append(name)
            known.add(name.lower())
    return [
        *cors_headers(origin_header),
        (b"access-control-allow-headers", ", ".join(allowed).encode("ascii")),
        (b"access-control-max-age", str(max_age).encode()),
    ]


def _is_token(name: str) -> bool:
    return name.isascii() and all(char.isalnum() or char in "-_" for char in name)
