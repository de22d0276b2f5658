"""The `sp` network-user cookie: resolving the id, and the Set-Cookie headers (collector spec section 3)."""

from __future__ import annotations

import functools
import re
import time
import uuid
from email.utils import formatdate
from urllib.parse import parse_qs, urlsplit

from collector.conf import CollectorConfig

ANONYMOUS_NUID = "00000000-0000-0000-0000-000000000000"
_UUID_RE = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
# RFC 6265 cookie-octet: printable ASCII except space, DQUOTE, comma, semicolon and backslash.
_OCTET = r"[\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]"
_COOKIE_OCTETS = re.compile(rf"{_OCTET}*")
# The usual header, every pair well formed, takes one match instead of a loop over the pairs.
_WELL_FORMED = re.compile(rf"{_OCTET}+={_OCTET}*(?:; ?{_OCTET}+={_OCTET}*)*")


def is_uuid(value: str | None) -> bool:
    """True for the 8-4-4-4-12 hex form enrich parses as a network user id."""
    return bool(value) and _UUID_RE.fullmatch(value) is not None


def nuid_param(query: bytes) -> str | None:
    """The collector-level `nuid` query parameter (spec 3.1), looked for only when the bytes are there."""
    if b"nuid=" not in query:
        return None
    values = parse_qs(query.decode("utf-8", "replace")).get("nuid")
    return values[0] if values else None


def parse_cookie_header(header: str | None) -> dict[str, str]:
    """Parse `a=b; c=d` leniently; the first occurrence of a name wins, as browsers send the most specific first."""
    cookies: dict[str, str] = {}
    if not header:
        return cookies
    if _WELL_FORMED.fullmatch(header):  # the usual header: no quotes or stray spaces, every part has a `=`
        cookies = dict(reversed([part.split("=", 1) for part in header.replace(" ", "").split(";")]))
        cookies.pop("", None)  # `=value` has no name
        return cookies
    for part in header.split(";"):
        name, sep, value = part.strip().partition("=")
        if sep and name and name not in cookies:
            cookies[name] = value.strip().strip('"')
    return cookies


def rfc6265_cookie_header(header: str) -> str:
    """Rewrite a Cookie header as Snowplow records it: no spaces, invalid parts dropped (spec 4.2)."""
    if _WELL_FORMED.fullmatch(header):
        return header.replace(" ", "")
    parts = []
    for part in header.split(";"):
        part = part.strip()
        name, sep, value = part.partition("=")
        if sep and name and _COOKIE_OCTETS.fullmatch(name) and _COOKIE_OCTETS.fullmatch(value.strip('"')):
            parts.append(part)
    return ";".join(parts)


def resolve_network_user_id(anonymous: bool, nuid_param: str | None, cookie_value: str | None) -> str:
    """Pick the network user id: anonymous zeros, then a valid `nuid` param, then a valid cookie, else new.

    Unlike Snowplow's collector, a value that is not a UUID is replaced by a fresh one, because enrich would
    otherwise reject the whole payload (spec 3.1 recommendation).
    """
    if anonymous:
        return ANONYMOUS_NUID
    if is_uuid(nuid_param):
        return nuid_param.lower()
    if is_uuid(cookie_value):
        return cookie_value.lower()
    return str(uuid.uuid4())


def cookie_domain(config: CollectorConfig, origin_header: str | None) -> str:
    """First configured domain matching an Origin host, else the fallback, else none (spec 3.3)."""
    if config.cookie_domains and origin_header:
        hosts = [urlsplit(origin).hostname or "" for origin in origin_header.split()]
        for domain in config.cookie_domains:
            if any(host == domain or host.endswith("." + domain) for host in hosts):
                return domain
    return config.cookie_fallback_domain


def set_cookie_headers(config: CollectorConfig, nuid: str, origin_header: str | None, *, delete: bool = False,
                       now: float | None = None) -> list[tuple[bytes, bytes]]:
    """Build the Set-Cookie header(s): the `sp` cookie and the optional client-readable copy (spec 3.2, 3.4).

    Deleting sends an empty value that expired `expiration` ago, as SSC does for SP-Anonymous requests.
    """
    seconds = int(time.time() if now is None else now)
    value = "" if delete else nuid
    domain = cookie_domain(config, origin_header)
    key = (id(config), seconds, domain, delete)
    cached = _SUFFIXES.get(key)
    if cached is None:
        if len(_SUFFIXES) >= 16:
            _SUFFIXES.clear()
        # the entry keeps its config alive, so no other config can take the same id while it is cached
        cached = _SUFFIXES[key] = (config, *_cookie_suffixes(config, seconds, domain, delete))
    _, name, suffix, client_name, client_suffix = cached
    headers = [(b"set-cookie", name + value.encode("latin-1") + suffix)]
    if client_name:
        headers.append((b"set-cookie", client_name + value.encode("latin-1") + client_suffix))
    return headers


# The parts of the Set-Cookie values around the id; they change once a second, so they are built once a second.
_SUFFIXES: dict[tuple, tuple[CollectorConfig, bytes, bytes, bytes, bytes]] = {}


def _cookie_suffixes(config: CollectorConfig, seconds: int, domain: str, delete: bool,
                     ) -> tuple[bytes, bytes, bytes, bytes]:
    lifetime = -config.cookie_expiration_seconds if delete else config.cookie_expiration_seconds
    attributes = f"; Expires={_http_date(seconds + lifetime)}"
    if domain:
        attributes += f"; Domain={domain}"
    attributes += "; Path=/"
    if config.cookie_secure:
        attributes += "; Secure"
    samesite = f"; SameSite={config.cookie_samesite}" if config.cookie_samesite else ""
    httponly = "; HttpOnly" if config.cookie_httponly else ""
    client = config.client_cookie_name
    return (f"{config.cookie_name}=".encode("latin-1"), f"{attributes}{httponly}{samesite}".encode("latin-1"),
            f"{client}=".encode("latin-1") if client else b"", f"{attributes}{samesite}".encode("latin-1"))


@functools.lru_cache(maxsize=4)
def _http_date(seconds: int) -> str:
    """An IMF-fixdate; cached because every tracking response in the same second carries the same one."""
    return formatdate(seconds, usegmt=True)


def is_do_not_track(config: CollectorConfig, cookies: dict[str, str]) -> bool:
    """True when the do-not-track cookie is present and its value fully matches the configured regex (spec 3.6)."""
    if config.dnt_cookie_value is None or config.dnt_cookie_name not in cookies:
        return False
    return config.dnt_cookie_value.fullmatch(cookies[config.dnt_cookie_name]) is not None
