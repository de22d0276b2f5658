"""Webhook adapters keyed by (vendor, version) exactly as they appear in `/{vendor}/{version}` paths.

An unknown pair is an adapter_failures bad row ("vendor/version combination is not supported"), so
`/com.sendgrid/v1` fails: SendGrid is registered under v3 only, as in enrich. Remote adapters configured in
the admin come after the built-in ones; the admin's on/off switch and signing secrets wrap the adapter.
"""

from __future__ import annotations

from enrichment.adapters.base import Adapter
from webhooks.adapters.callrail import CallrailAdapter
from webhooks.adapters.google_analytics import GoogleAnalyticsAdapter
from webhooks.adapters.hubspot import HubspotAdapter
from webhooks.adapters.iglu import IgluAdapter
from webhooks.adapters.mailchimp import MailchimpAdapter
from webhooks.adapters.mailgun import MailgunAdapter
from webhooks.adapters.mandrill import MandrillAdapter
from webhooks.adapters.marketo import MarketoAdapter
from webhooks.adapters.olark import OlarkAdapter
from webhooks.adapters.pagerduty import PagerdutyAdapter
from webhooks.adapters.pingdom import PingdomAdapter
from webhooks.adapters.remote import RemoteAdapter
from webhooks.adapters.sendgrid import SendgridAdapter
from webhooks.adapters.statusgator import StatusGatorAdapter
from webhooks.adapters.unbounce import UnbounceAdapter
from webhooks.adapters.urbanairship import UrbanAirshipAdapter
from webhooks.adapters.vero import VeroAdapter
from webhooks.config import get_endpoint_config, get_remote_config
from webhooks.guard import GuardedAdapter

WEBHOOK_ADAPTERS: dict[tuple[str, str], Adapter] = {
    ("com.snowplowanalytics.iglu", "v1"): IgluAdapter(),
    ("com.callrail", "v1"): CallrailAdapter(),
    ("com.mailchimp", "v1"): MailchimpAdapter(),
    ("com.mandrill", "v1"): MandrillAdapter(),
    ("com.pagerduty", "v1"): PagerdutyAdapter(),
    ("com.pingdom", "v1"): PingdomAdapter(),
    ("com.sendgrid", "v3"): SendgridAdapter(),
    ("com.urbanairship.connect", "v1"): UrbanAirshipAdapter(),
    ("com.mailgun", "v1"): MailgunAdapter(),
    ("com.statusgator", "v1"): StatusGatorAdapter(),
    ("com.unbounce", "v1"): UnbounceAdapter(),
    ("com.olark", "v1"): OlarkAdapter(),
    ("com.marketo", "v1"): MarketoAdapter(),
    ("com.getvero", "v1"): VeroAdapter(),
    ("com.hubspot", "v1"): HubspotAdapter(),
    ("com.google.analytics", "v1"): GoogleAnalyticsAdapter(),
}


def get_webhook_adapter(vendor: str, version: str) -> Adapter | None:
    """The adapter for a webhook path (built-in, then remote), wrapped by its admin settings; None if unknown."""
    adapter = WEBHOOK_ADAPTERS.get((vendor, version))
    if adapter is None:
        remote = get_remote_config(vendor, version)
        adapter = RemoteAdapter(remote) if remote else None
    if adapter is None:
        return None
    config = get_endpoint_config(vendor, version)
    if config is None or (config.enabled and not config.signing_secret):
        return adapter
    return GuardedAdapter(adapter, config)
