"""Collector settings validated once into a frozen object (read lazily, never at import time)."""

from __future__ import annotations

import functools
import ipaddress
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

CANONICAL_PATHS = frozenset({"/com.snowplowanalytics.snowplow/tp2", "/r/tp2", "/com.snowplowanalytics.iglu/v1"})
# Product pages and the collector's own fixed routes: a custom path may not shadow them.
RESERVED_PREFIXES = (
    "/admin", "/accounts", "/dashboards", "/api", "/micro", "/static", "/health", "/sink-health",
    "/robots.txt", "/crossdomain.xml", "/i", "/ice.png",
)
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class CollectorConfig:
    name: str
    cookie_enabled: bool
    cookie_name: str
    cookie_expiration_seconds: int
    cookie_domains: tuple[str, ...]
    cookie_fallback_domain: str
    cookie_secure: bool
    cookie_httponly: bool
    cookie_samesite: str
    client_cookie_name: str
    dnt_cookie_name: str
    dnt_cookie_value: re.Pattern[str] | None
    trusted_proxies: tuple[Network, ...]
    max_payload_size: int
    drop_payload_size: int
    max_request_line: int
    max_headers_size: int
    redirects_enabled: bool
    redirect_domains: frozenset[str]
    custom_paths: dict[str, str]
    cors_max_age: int
    crossdomain_enabled: bool
    crossdomain_domains: tuple[str, ...]
    crossdomain_secure: bool
    bounce_enabled: bool
    bounce_name: str
    bounce_fallback_nuid: str
    bounce_protocol_header: str
    rate_limit_per_ip: int
    rate_limit_per_app_id: int
    rate_limit_redis_url: str
    site_policy_seconds: float


def check_custom_paths(paths: dict[str, str]) -> dict[str, str]:
    """Refuse mappings that would shadow product pages or point at a non-collector path."""
    for source, target in paths.items():
        reserved = any(source == prefix or source.startswith(prefix + "/") for prefix in RESERVED_PREFIXES)
        if not source.startswith("/") or source == "/" or source.endswith("/") or reserved:
            raise ImproperlyConfigured(
                f"COLLECTOR_CUSTOM_PATHS: {source!r} must start with /, not end with /, and not use a reserved prefix."
            )
        if target not in CANONICAL_PATHS:
            raise ImproperlyConfigured(
                f"COLLECTOR_CUSTOM_PATHS: {source!r} must map to one of {sorted(CANONICAL_PATHS)}."
            )
    return dict(paths)


def check_dnt_pattern(name: str, value: str) -> re.Pattern[str] | None:
    """Compile the do-not-track value once; the feature is on when a cookie name is set."""
    if not name:
        return None
    try:
        return re.compile(value)
    except re.error as error:
        raise ImproperlyConfigured(f"COLLECTOR_DNT_COOKIE_VALUE must be a regular expression ({error}).") from None


@functools.cache
def get_collector_config() -> CollectorConfig:
    """Read the COLLECTOR_* settings once per process."""
    samesite = settings.COLLECTOR_COOKIE_SAMESITE.strip()
    return CollectorConfig(
        name=f"{settings.COLLECTOR_NAME}-{settings.RAW_SINK}sink",
        cookie_enabled=settings.COLLECTOR_COOKIE_ENABLED,
        cookie_name=settings.COLLECTOR_COOKIE_NAME,
        cookie_expiration_seconds=settings.COLLECTOR_COOKIE_EXPIRATION_DAYS * 86400,
        cookie_domains=tuple(d.lstrip(".").lower() for d in settings.COLLECTOR_COOKIE_DOMAINS),
        cookie_fallback_domain=settings.COLLECTOR_COOKIE_FALLBACK_DOMAIN.lstrip("."),
        cookie_secure=settings.COLLECTOR_COOKIE_SECURE,
        cookie_httponly=settings.COLLECTOR_COOKIE_HTTPONLY,
        cookie_samesite=samesite.capitalize() if samesite else "",
        client_cookie_name=settings.COLLECTOR_CLIENT_COOKIE_NAME,
        dnt_cookie_name=settings.COLLECTOR_DNT_COOKIE_NAME,
        dnt_cookie_value=check_dnt_pattern(settings.COLLECTOR_DNT_COOKIE_NAME, settings.COLLECTOR_DNT_COOKIE_VALUE),
        trusted_proxies=tuple(settings.COLLECTOR_TRUSTED_PROXIES),
        max_payload_size=settings.COLLECTOR_MAX_PAYLOAD_SIZE,
        drop_payload_size=settings.COLLECTOR_DROP_PAYLOAD_SIZE,
        max_request_line=settings.COLLECTOR_MAX_REQUEST_LINE,
        max_headers_size=settings.COLLECTOR_MAX_HEADERS_SIZE,
        redirects_enabled=settings.COLLECTOR_REDIRECTS_ENABLED,
        redirect_domains=frozenset(d.lower() for d in settings.COLLECTOR_REDIRECT_DOMAINS),
        custom_paths=check_custom_paths(settings.COLLECTOR_CUSTOM_PATHS),
        cors_max_age=settings.COLLECTOR_CORS_MAX_AGE,
        crossdomain_enabled=settings.COLLECTOR_CROSSDOMAIN_ENABLED,
        crossdomain_domains=tuple(settings.COLLECTOR_CROSSDOMAIN_DOMAINS),
        crossdomain_secure=settings.COLLECTOR_CROSSDOMAIN_SECURE,
        bounce_enabled=settings.COLLECTOR_COOKIE_BOUNCE_ENABLED,
        bounce_name=settings.COLLECTOR_COOKIE_BOUNCE_NAME,
        bounce_fallback_nuid=settings.COLLECTOR_COOKIE_BOUNCE_FALLBACK_NUID,
        bounce_protocol_header=settings.COLLECTOR_COOKIE_BOUNCE_PROTOCOL_HEADER.lower(),
        rate_limit_per_ip=settings.COLLECTOR_RATE_LIMIT_PER_IP,
        rate_limit_per_app_id=settings.COLLECTOR_RATE_LIMIT_PER_APP_ID,
        rate_limit_redis_url=settings.REDIS_URL if settings.COLLECTOR_RATE_LIMIT_REDIS else "",
        site_policy_seconds=settings.COLLECTOR_SITE_POLICY_SECONDS,
    )
