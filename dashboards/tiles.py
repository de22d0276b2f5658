"""Tile caching: every dashboard number is cached (Redis when configured, else the database cache) and tiles
in use are refreshed by Celery beat, so a page load rarely waits on a query."""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)
T = TypeVar("T")
IN_USE_KEY = "dashboards:tiles-in-use"
IN_USE_SECONDS = 3600
MAX_IN_USE = 500
_REGISTRY: dict[str, Callable] = {}


def tile(name: str) -> Callable[[Callable[..., T]], Callable[..., T]]:
    """Cache a selector's answer under its name and arguments (which must have a stable repr)."""

    def decorator(compute: Callable[..., T]) -> Callable[..., T]:
        _REGISTRY[name] = compute

        def cached(*args, **kwargs) -> T:
            ttl = settings.DASHBOARDS_TILE_TTL_SECONDS
            if ttl <= 0:
                return compute(*args, **kwargs)
            key = get_tile_key(name, args, kwargs)
            value = cache.get(key)
            if value is None:
                value = compute(*args, **kwargs)
                cache.set(key, value, ttl)
                _mark_in_use(key, name, args, kwargs)
            return value

        cached.__name__ = compute.__name__
        cached.__doc__ = compute.__doc__
        cached.uncached = compute
        return cached

    return decorator


def get_tile_key(name: str, args: tuple, kwargs: dict) -> str:
    parts = [getattr(arg, "cache_key", lambda arg=arg: repr(arg))() for arg in args]
    digest = hashlib.sha256(repr((parts, sorted(kwargs.items()))).encode()).hexdigest()[:32]
    return f"dashboards:tile:{name}:{digest}"


def _mark_in_use(key: str, name: str, args: tuple, kwargs: dict) -> None:
    entries = cache.get(IN_USE_KEY) or {}
    entries[key] = (name, args, kwargs, time.time())
    if len(entries) > MAX_IN_USE:
        entries = dict(sorted(entries.items(), key=lambda item: item[1][3])[-MAX_IN_USE:])
    cache.set(IN_USE_KEY, entries, IN_USE_SECONDS)


def tiles_refresh() -> int:
    """Recompute the tiles computed in the last hour and store them afresh; return how many were refreshed."""
    entries = cache.get(IN_USE_KEY) or {}
    cutoff = time.time() - IN_USE_SECONDS
    refreshed = 0
    for key, (name, args, kwargs, used) in entries.items():
        if used < cutoff or name not in _REGISTRY:
            continue
        try:
            cache.set(key, _REGISTRY[name](*args, **kwargs), settings.DASHBOARDS_TILE_TTL_SECONDS)
            refreshed += 1
        except Exception:  # one failing tile must not stop the others; it is recomputed on its next page load
            logger.exception("Refreshing dashboard tile %s failed", name)
    return refreshed
