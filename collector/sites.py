"""Per-site collector behaviour from the privacy settings: cookieless sites and refused origins.

A request belongs to a site by its `aid` (query string, or the first `"aid"` in a POST body), else by its Origin
(or Referer) host being one of the site's domains or a subdomain. The snapshot is read from the database in a
thread every COLLECTOR_SITE_POLICY_SECONDS; until the first read succeeded, requests wait for it, so a cookieless
site never gets a cookie from a worker that just started.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

from asgiref.sync import sync_to_async

logger = logging.getLogger(__name__)
_BODY_AID = re.compile(rb'"aid"\s*:\s*"([^"\\]{1,255})"')
RETRY_AFTER_FAILURE_SECONDS = 5.0


@dataclass(frozen=True)
class SitePolicy:
    cookieless: bool
    refuse_other_origins: bool
    hosts: frozenset[str]

    def allows_host(self, host: str | None) -> bool:
        if not host:
            return True
        return any(host == allowed or host.endswith("." + allowed) for allowed in self.hosts)


@dataclass(frozen=True)
class SitePolicies:
    by_app_id: dict[str, SitePolicy] = field(default_factory=dict)
    by_host: dict[str, SitePolicy] = field(default_factory=dict)

    def find(self, app_id: str | None, host: str | None) -> SitePolicy | None:
        """The site of the app id, else of the host or its closest parent domain."""
        if app_id is not None and app_id in self.by_app_id:
            return self.by_app_id[app_id]
        while host:
            policy = self.by_host.get(host)
            if policy is not None:
                return policy
            host = host.partition(".")[2]
        return None


NO_POLICIES = SitePolicies()


def build_policies(entries: list[dict[str, Any]]) -> SitePolicies:
    by_app_id: dict[str, SitePolicy] = {}
    by_host: dict[str, SitePolicy] = {}
    for entry in entries:
        policy = SitePolicy(entry["cookieless"], entry["refuse_other_origins"],
                            frozenset(entry["domains"]) | frozenset(entry["allowed_origins"]))
        for app_id in entry["app_ids"]:
            by_app_id.setdefault(app_id, policy)
        for host in entry["domains"]:
            by_host.setdefault(host, policy)
    return SitePolicies(by_app_id, by_host)


def request_app_id(query: bytes, body: bytes | None) -> str | None:
    """The `aid` of a GET (query) or the first one in a POST body; None when there is none."""
    if b"aid=" in query:
        values = parse_qs(query.decode("utf-8", "replace")).get("aid")
        if values:
            return values[0]
    if body and b'"aid"' in body:
        match = _BODY_AID.search(body)
        if match:
            return match.group(1).decode("utf-8", "replace")
    return None


def request_host(origin: str | None, referer: str | None) -> str | None:
    """The Origin host (the first of several), else the Referer host; lower-case."""
    for value in (origin, referer):
        if value and value != "null":
            host = urlsplit(value.split()[0]).hostname
            if host:
                return host
    return None


def _load() -> SitePolicies:
    from django.db import connection

    from privacy.api import get_collector_policies

    try:
        return build_policies(get_collector_policies())
    finally:
        connection.close()


class SitePolicyCache:
    """The snapshot of one worker process, refreshed by the first request that finds it stale."""

    def __init__(self, max_age: float, loader: Callable[[], SitePolicies] = _load) -> None:
        self.max_age, self.loader = max_age, loader
        self.policies: SitePolicies | None = None
        self.expires = 0.0
        self._refresh: asyncio.Future | None = None

    def fresh(self) -> SitePolicies | None:
        """The snapshot when it is current, without a coroutine (the hot path); else None: await `get`."""
        if self.policies is not None and time.monotonic() < self.expires:
            return self.policies
        return None

    async def get(self) -> SitePolicies:
        if self.policies is not None and time.monotonic() < self.expires:
            return self.policies
        if self._refresh is None or self._refresh.done():
            self._refresh = asyncio.ensure_future(self._reload())
        if self.policies is None:  # nothing to fall back on yet: wait for the first read
            return await asyncio.shield(self._refresh)
        return self.policies

    async def _reload(self) -> SitePolicies:
        try:
            self.policies = await sync_to_async(self.loader, thread_sensitive=False)()
            self.expires = time.monotonic() + self.max_age
        except Exception:  # keep the last snapshot (or none) and try again soon; the collector stays up
            logger.warning("could not read the sites' privacy settings; retrying", exc_info=True)
            self.expires = time.monotonic() + RETRY_AFTER_FAILURE_SECONDS
            if self.policies is None:
                self.policies = NO_POLICIES
        return self.policies
