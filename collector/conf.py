"""Collector settings validated once into a frozen object (read lazily, never at import time)."""

from __future__ import annotations

import functools
import ipaddress
from dataclasses import dataclass

from django.conf import settings

CANONICAL_PATHS = {"/com.snowplowanalytics.snowplow/tp2", "/r/tp2", "/com.snowplowanalytics.iglu/v1"}
RESERVED_PREFIXES = ("/admin", "/accounts", "/dashboards", "/api", "/micro", "/static", "/health", "/sink-health")


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
    dnt_cookie_value: str
    trusted_proxies: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]
    max_payload_size: int
    drop_payload_size: int
    redirects_enabled: bool
    redirect_domains: tuple[str, ...]
    custom_paths: dict[str, str]
    cors_max_age: int


def check_custom_paths(paths: dict[str, str]) -> dict[str, str]:
    """Refuse mappings that would shadow product pages or point at a non-collector path."""
    for source, target in paths.items():
        if not source.startswith("/") or source.startswith(RESERVED_PREFIXES):
            raise ValueError(f"Custom collector path {source!r} must start with / and not use a reserved prefix.")
        if target not in CANONICAL_PATHS:
            raise ValueError(f"Custom collector path {source!r} must map to one of {sorted(CANONICAL_PATHS)}.")
    return dict(paths)


@functools.cache
def get_collector_config() -> CollectorConfig:
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
        dnt_cookie_value=settings.COLLECTOR_DNT_COOKIE_VALUE,
        trusted_proxies=tuple(settings.COLLECTOR_TRUSTED_PROXIES),
        max_payload_size=settings.COLLECTOR_MAX_PAYLOAD_SIZE,
        drop_payload_size=settings.COLLECTOR_DROP_PAYLOAD_SIZE,
        redirects_enabled=settings.COLLECTOR_REDIRECTS_ENABLED,
        redirect_domains=tuple(d.lower() for d in settings.COLLECTOR_REDIRECT_DOMAINS),
        custom_paths=check_custom_paths(settings.COLLECTOR_CUSTOM_PATHS),
        cors_max_age=settings.COLLECTOR_CORS_MAX_AGE,
    )
