"""Third-party cookie bounce (spec 3.7): learn whether the browser keeps the `sp` cookie before recording.

A pixel request that arrives without a network user id is answered 302 to the same URI plus `n3pc=true`,
with a fresh cookie, and is not recorded. When the browser follows the redirect, the cookie is either back
(and used) or it was refused, in which case the configured fallback id is recorded instead of an id that
would change on every request.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

from collector.conf import CollectorConfig
from collector.recording import CollectorRequest


def has_bounced(config: CollectorConfig, query: bytes) -> bool:
    """True when the query already carries the bounce marker."""
    if config.bounce_name.encode() not in query:
        return False
    return config.bounce_name in parse_qs(query.decode("utf-8", "replace"), keep_blank_values=True)


def bounce_location(config: CollectorConfig, scope: dict[str, Any], request: CollectorRequest) -> bytes:
    """The same URI with `<name>=true` appended; the scheme from the proxy's header when one is configured."""
    scheme = scope.get("scheme", "http")
    if config.bounce_protocol_header:
        scheme = request.by_name.get(config.bounce_protocol_header, scheme).split(",")[0].strip() or scheme
    host = request.by_name.get("host")
    if not host:
        server = scope.get("server") or ("localhost", None)
        host = server[0] if server[1] in (None, 80, 443) else f"{server[0]}:{server[1]}"
    path = scope.get("raw_path") or request.path.encode()
    marker = f"{config.bounce_name}=true".encode()
    query = request.query + b"&" + marker if request.query else marker
    return f"{scheme}://{host}".encode("latin-1", "replace") + path + b"?" + query
