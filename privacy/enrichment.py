"""The enrichment step applying each site's privacy settings, run just before the `anon_ip` enrichment.

It sees the event after IP lookups (which need the whole address) and before any masking, so in order it:
drops do-not-track events, drops or tags internal traffic, drops or tags disallowed origins, drops referrer spam,
replaces the visitor ids by the cookieless hash, records consent changes and drops later events of visitors who
withdrew (per setting), applies the PII presets, and finally masks the IP address. Events of an app id that
belongs to no site are kept as they are, tagged `unknown_app_id` or dropped (PRIVACY_UNKNOWN_APP_IDS).
"""

from __future__ import annotations

import datetime as dt
import json
import time
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from privacy import consent
from privacy.pii import emails_redact, user_id_pseudonymise
from privacy.policies import SitePolicy, list_site_policies
from privacy.referrer_spam import is_spam_host
from privacy.visitors import get_visitor_id

# Sites are created and edited without bumping the configuration version, so the policies are simply re-read
# every few seconds (two small queries per worker); a new site is anonymised from its first events on.
REFRESH_SECONDS = 5.0
UNKNOWN_APP_ID_POLICIES = frozenset({"keep", "flag", "drop"})
_cache: dict[str, Any] = {"checked": None, "policies": {}, "unknown": "keep"}


def get_policies() -> dict[str, SitePolicy]:
    """Policies by app id, re-read every REFRESH_SECONDS (with PRIVACY_UNKNOWN_APP_IDS, checked once then)."""
    now = time.monotonic()
    if _cache["checked"] is None or now - _cache["checked"] >= REFRESH_SECONDS:
        unknown = settings.PRIVACY_UNKNOWN_APP_IDS
        if unknown not in UNKNOWN_APP_ID_POLICIES:
            raise ImproperlyConfigured(f"PRIVACY_UNKNOWN_APP_IDS must be one of {sorted(UNKNOWN_APP_ID_POLICIES)}")
        _cache.update(policies=list_site_policies(), checked=now, unknown=unknown)
    return _cache["policies"]


def forget_policies() -> None:
    """Tests and forked processes: read the settings again at the next event."""
    _cache.update(checked=None, policies={}, unknown="keep")


def site_privacy_step(ctx: Any) -> None:
    """The pipeline step (enrichment/config.py ORDER `builtin:site_privacy`)."""
    policies = get_policies()
    policy = policies.get(ctx.event.get("app_id") or "")
    if policy is None:
        if policies and _cache["unknown"] != "keep":  # an app id no site lists, once sites are set up
            if _cache["unknown"] == "drop":
                ctx.dropped = True
            else:
                _tag(ctx.event, "unknown_app_id")
        return
    event = ctx.event
    headers = _header_map(ctx.raw.payload.headers)
    if policy.respect_dnt and (headers.get("dnt") == "1" or headers.get("sec-gpc") == "1"):
        ctx.dropped = True
        return
    if policy.is_internal(event.get("user_ipaddress")):
        if policy.internal_policy == "drop":
            ctx.dropped = True
            return
        _tag(event, "internal")
    if policy.origin_policy != "keep" and not policy.allows_host(_origin_host(headers, event)):
        if policy.origin_policy == "refuse":
            ctx.dropped = True
            return
        _tag(event, "disallowed_origin")
    if policy.exclude_referrer_spam and is_spam_host(event.get("refr_urlhost"), policy.spam_domains):
        ctx.dropped = True
        return
    if policy.cookieless:
        visitor = get_visitor_id(event["collector_tstamp"], policy.site_id, event.get("user_ipaddress"),
                                 event.get("useragent"))
        event["network_userid"] = event["domain_userid"] = visitor
    if consent.consent_apply(policy, event, _when(event)):
        ctx.dropped = True
        return
    if policy.redact_emails:
        emails_redact(event)
    if policy.pseudonymise_user_id:
        user_id_pseudonymise(event)
    if policy.anonymise_ip and event.get("user_ipaddress"):
        from enrichment.enrichments.anon_ip import anonymise

        event["user_ipaddress"] = anonymise(event["user_ipaddress"], policy.anon_octets, policy.anon_segments)


def _header_map(lines: list[str]) -> dict[str, str]:
    found = {}
    for line in lines:
        name, sep, value = line.partition(":")
        if sep:
            found.setdefault(name.strip().lower(), value.strip())
    return found


def _origin_host(headers: dict[str, str], event: dict[str, Any]) -> str | None:
    origin = headers.get("origin")
    if origin and origin != "null":
        return urlsplit(origin.split()[0]).hostname
    return event.get("page_urlhost")


def _tag(event: dict[str, Any], tag: str) -> None:
    tags = json.loads(event["etl_tags"]) if event.get("etl_tags") else []
    if tag not in tags:
        tags.append(tag)
    event["etl_tags"] = json.dumps(tags)


def _when(event: dict[str, Any]) -> dt.datetime:
    return dt.datetime.fromtimestamp(event["collector_tstamp"] / 1000, dt.UTC)
