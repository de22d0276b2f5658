"""Webhook adapters keyed by (vendor, version) exactly as they appear in `/{vendor}/{version}` paths.

An unknown pair is an adapter_failures bad row ("vendor/version combination is not supported"), so
`/com.sendgrid/v1` fails: SendGrid is registered under v3 only, as in enrich. Remote adapters configured in
the admin join after the built-in ones; the admin's on/off switch and signing secrets wrap the adapter.
"""

from __future__ import annotations

from enrichment.adapters.base import Adapter
from webhooks.adapters.callrail import CallrailAdapter
from webhooks.adapters.iglu import IgluAdapter
from webhooks.adapters.mailchimp import MailchimpAdapter
from webhooks.adapters.mandrill import MandrillAdapter
from webhooks.adapters.pagerduty import PagerdutyAdapter
from webhooks.adapters.pingdom import PingdomAdapter
from webhooks.adapters.sendgrid import SendgridAdapter
from webhooks.adapters.urbanairship import UrbanAirshipAdapter

WEBHOOK_ADAPTERS: dict[tuple[str, str], Adapter] = {
    ("com.snowplowanalytics.iglu", "v1"): IgluAdapter(),
    ("com.callrail", "v1"): CallrailAdapter(),
    ("com.mailchimp", "v1"): MailchimpAdapter(),
    ("com.mandrill", "v1"): MandrillAdapter(),
    ("com.pagerduty", "v1"): PagerdutyAdapter(),
    ("com.pingdom", "v1"): PingdomAdapter(),
    ("com.sendgrid", "v3"): SendgridAdapter(),
    ("com.urbanairship.connect", "v1"): UrbanAirshipAdapter(),
}


def get_webhook_adapter(vendor: str, version: str) -> Adapter | None:
    """The adapter for a webhook path, or None for an unsupported (vendor, version)."""
    return WEBHOOK_ADAPTERS.get((vendor, version))
