"""CORS headers that let the browser tracker's credentialed requests succeed from any site."""

from __future__ import annotations


def allowed_origin(origin_header: str | None) -> bytes:
    """Echo the first origin of the request, or `*` when there is none or it is `null` (spec 2.2)."""
    if not origin_header:
        return b"*"
    first = origin_header.split()[0] if origin_header.split() else ""
    if not first or first == "null":
        return b"*"
    return first.encode("latin-1", "replace")


def cors_headers(origin_header: str | None) -> list[tuple[bytes, bytes]]:
    return [
        (b"access-control-allow-origin", allowed_origin(origin_header)),
        (b"access-control-allow-credentials", b"true"),
        (b"vary", b"Origin"),
    ]


def preflight_headers(
    origin_header: str | None, max_age: int, requested_headers: str | None
) -> list[tuple[bytes, bytes]]:
    """Answer a preflight; trackers with `customHeaders` get their requested headers allowed too (pitfall 7.2)."""
    allowed = b"Content-Type, SP-Anonymous"
    if requested_headers:
        extra = [h.strip() for h in requested_headers.split(",") if h.strip()]
        known = {"content-type", "sp-anonymous"}
        extra = [h for h in extra if h.lower() not in known and _is_token(h)]
        if extra:
            allowed += b", " + ", ".join(extra).encode("latin-1")
    return [
        *cors_headers(origin_header),
        (b"access-control-allow-headers", allowed),
        (b"access-control-max-age", str(max_age).encode()),
    ]


def _is_token(name: str) -> bool:
    return name.isascii() and all(c.isalnum() or c in "-_" for c in name)
