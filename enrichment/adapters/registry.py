"""The adapter registry, keyed like the wire: (vendor, version) from the request path."""

from __future__ import annotations

from enrichment.adapters.base import Adapter
from enrichment.adapters.cloudfront_access_log import CloudfrontAccessLogAdapter
from enrichment.adapters.tracker_protocol import RedirectAdapter, Tp1Adapter, Tp2Adapter

TRACKER_PROTOCOL_ADAPTERS: dict[tuple[str, str], Adapter] = {
    ("com.snowplowanalytics.snowplow", "tp1"): Tp1Adapter(),
    ("com.snowplowanalytics.snowplow", "tp2"): Tp2Adapter(),
    ("r", "tp2"): RedirectAdapter(),
    ("com.amazon.aws.cloudfront", "wd_access_log"): CloudfrontAccessLogAdapter(),  # log lines (imports)
}


def get_adapter(vendor: str, version: str) -> Adapter | None:
    """The tracker-protocol adapter or the webhook vendor's adapter; None for an unsupported pair."""
    adapter = TRACKER_PROTOCOL_ADAPTERS.get((vendor, version))
    if adapter is not None:
        return adapter
    from webhooks.registry import get_webhook_adapter

    return get_webhook_adapter(vendor, version)
