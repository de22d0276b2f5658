"""Consent: the consent events of Snowplow's trackers, who withdrew, and what is done with their later events.

Recognised: the consent plugin's `consent_granted` / `consent_withdrawn` events and the enhanced consent plugin's
`consent_preferences` event (eventType deny_all / withdrawn count as withdrawal; allow_all / allow_selected /
implicit_consent as a grant). A withdrawal is stored per site and visitor; a later grant removes it.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from privacy.models import ConsentWithdrawal

VENDOR = "com.snowplowanalytics.snowplow"
CONSENT_EVENTS = ("consent_granted", "consent_withdrawn", "consent_preferences")
WITHDRAWING_TYPES = frozenset({"deny_all", "withdrawn"})
GRANTING_TYPES = frozenset({"allow_all", "allow_selected", "implicit_consent"})
REFRESH_SECONDS = 10.0
_withdrawn: dict[str, Any] = {"loaded": 0.0, "keys": set()}


def visitor_key(event: dict[str, Any]) -> str | None:
    """The visitor as DESIGN defines it: domain_userid, else network_userid; else the user id."""
    return event.get("domain_userid") or event.get("network_userid") or event.get("user_id") or None


def consent_change(event: dict[str, Any]) -> str | None:
    """`withdrawn`, `granted` or None for an enriched event."""
    if event.get("event_vendor") != VENDOR or event.get("event_name") not in CONSENT_EVENTS:
        return None
    name = event["event_name"]
    if name == "consent_withdrawn":
        return "withdrawn"
    if name == "consent_granted":
        return "granted"
    data = ((event.get("unstruct_event") or {}).get("data") or {}).get("data") or {}
    kind = data.get("eventType")
    return "withdrawn" if kind in WITHDRAWING_TYPES else "granted" if kind in GRANTING_TYPES else None


def _withdrawn_keys() -> set[tuple[int, str]]:
    now = time.monotonic()
    if now - _withdrawn["loaded"] >= REFRESH_SECONDS:
        _withdrawn["keys"] = set(ConsentWithdrawal.objects.values_list("site_id", "visitor"))
        _withdrawn["loaded"] = now
    return _withdrawn["keys"]


def forget_withdrawals() -> None:
    _withdrawn.update(loaded=0.0, keys=set())


def consent_apply(policy: Any, event: dict[str, Any], when: dt.datetime) -> bool:
    """Record a consent change; return True when the event must be dropped (a withdrawn visitor's later event)."""
    visitor = visitor_key(event)
    if visitor is None:
        return False
    change = consent_change(event)
    key = (policy.site_id, visitor)
    if change == "withdrawn":
        ConsentWithdrawal.objects.update_or_create(site_id=policy.site_id, visitor=visitor,
                                                   defaults={"withdrawn_at": when})
        _withdrawn_keys().add(key)
        return False
    if change == "granted":
        ConsentWithdrawal.objects.filter(site_id=policy.site_id, visitor=visitor).delete()
        _withdrawn_keys().discard(key)
        return False
    return policy.drop_withdrawn and key in _withdrawn_keys()
