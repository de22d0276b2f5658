"""Webhook endpoints as the admin shows them: one row per registered adapter, its URL, recent activity."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.db import connection

from webhooks.models import WebhookEndpoint

RECENT_LIMIT = 20
RECENT_DAYS = 7


def endpoints_sync(using: str = "default") -> int:
    """Create the missing row of every registered adapter; return how many were created."""
    from webhooks.registry import WEBHOOK_ADAPTERS

    existing = set(WebhookEndpoint.objects.using(using).values_list("vendor", "version"))
    missing = [WebhookEndpoint(vendor=v, version=ver) for v, ver in WEBHOOK_ADAPTERS if (v, ver) not in existing]
    WebhookEndpoint.objects.using(using).bulk_create(missing)
    return len(missing)


def get_paste_url(endpoint: WebhookEndpoint, base_url: str) -> str:
    """The URL to paste into the vendor's console: base, path and the site's first app_id as `aid`."""
    base = (endpoint.public_url or base_url).rstrip("/")
    app_ids = endpoint.site.app_ids if endpoint.site else []
    query = f"?{urlencode({'aid': app_ids[0]})}" if app_ids else ""
    return f"{base}/{endpoint.vendor}/{endpoint.version}{query}"


def get_tracker_version(vendor: str, version: str) -> str:
    """The `v_tracker` the webhook's events carry (remote adapters set their own; we guess vendor-version)."""
    from webhooks.registry import WEBHOOK_ADAPTERS

    adapter = WEBHOOK_ADAPTERS.get((vendor, version))
    return getattr(adapter, "tracker_version", "") or f"{vendor}-{version}"


def list_recent_events(tracker_version: str, days: int = RECENT_DAYS, limit: int = RECENT_LIMIT
                       ) -> list[dict[str, Any]]:
    """The latest events of a webhook in atomic.events, from the last `days` (so only recent partitions are read)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT event_id, collector_tstamp, app_id, event_name, event_version FROM atomic.events "
            "WHERE v_tracker = %s AND collector_tstamp > now() at time zone 'utc' - make_interval(days => %s) "
            "ORDER BY collector_tstamp DESC LIMIT %s", [tracker_version, days, limit])
        columns = [c.name for c in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def list_recent_failures(vendor: str, version: str, limit: int = RECENT_LIMIT) -> list[Any]:
    """The latest bad rows of a webhook: its adapter failures and its events' schema violations."""
    from enrichment.models import BadRow

    return list(BadRow.objects.filter(data__data__failure__vendor=vendor, data__data__failure__version=version)
                .union(BadRow.objects.filter(data__data__payload__raw__vendor=vendor,
                                             data__data__payload__raw__version=version))
                .order_by("-first_seen")[:limit])


def describe_failure(row: Any) -> str:
    """One line for a bad row: its first message's expectation or error."""
    messages = (row.data.get("data", {}).get("failure", {}) or {}).get("messages") or [{}]
    first = messages[0] if isinstance(messages, list) and messages else {}
    if isinstance(first, dict):
        text = first.get("expectation") or first.get("error") or first.get("message")
        if isinstance(text, dict):
            text = text.get("error")
        return str(text or "")[:200]
    return str(first)[:200]
