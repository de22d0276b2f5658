"""Click redirects on `/r/tp2`: off by default and, unlike Snowplow's, never an open redirect (spec 2.1, 7.12)."""

from __future__ import annotations

from urllib.parse import parse_qs, quote, urlsplit

from collector.conf import CollectorConfig

# Characters left as they are when the target is made safe for a Location header (RFC 3986 reserved + unreserved).
_URI_SAFE = ":/?#[]@!$&'()*+,;=-._~%"


def redirect_target(config: CollectorConfig, query: bytes) -> bytes | None:
    """The `u` target as Location bytes, if it is an absolute http(s) URI to an allowed host; else None.

    Snowplow allows any host when `redirectDomains` is empty; here an empty list allows none, so a
    collector can never be used to bounce visitors to an attacker's site.
    """
    values = parse_qs(query.decode("utf-8", "replace"), keep_blank_values=True).get("u")
    if not values:
        return None
    target = values[0]
    if "\\" in target or any(ord(char) < 0x21 or ord(char) == 0x7F for char in target):
        return None  # browsers read `\` as `/`, and control characters could split the response or hide the host
    try:
        parts = urlsplit(target)
        host = (parts.hostname or "").lower()
    except ValueError:
        return None
    if parts.scheme.lower() not in {"http", "https"} or host not in config.redirect_domains:
        return None
    if parts.username is not None or parts.password is not None:
        return None  # `user@host` targets only serve to make a link look like it goes somewhere else
    return quote(target, safe=_URI_SAFE).encode("ascii")
