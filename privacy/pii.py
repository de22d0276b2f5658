"""PII presets of a site: email addresses removed from URLs, and user_id pseudonymised.

Snowplow's PII enrichment (enrichment/enrichments/pii.py) hashes configured fields installation-wide; these
presets are the two choices most sites want, per site, without writing a PII configuration.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from typing import Any

from django.conf import settings

EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+(?:@|%40)[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+")
URL_FIELDS = ("page_url", "page_urlquery", "page_urlpath", "page_urlfragment", "page_referrer", "refr_urlquery",
              "refr_urlpath", "refr_urlfragment")
REDACTED = "[email]"


def emails_redact(event: dict[str, Any]) -> None:
    """Replace every email address (plain or with %40) in the URL fields by [email]."""
    for name in URL_FIELDS:
        value = event.get(name)
        if value and ("@" in value or "%40" in value):
            event[name] = EMAIL.sub(REDACTED, value)


def pseudonym(value: str) -> str:
    """HMAC-SHA256 of the value with PRIVACY_PII_SALT, lowercase hex: the same user gets the same pseudonym."""
    return hmac.new(settings.PRIVACY_PII_SALT.encode(), value.encode(), hashlib.sha256).hexdigest()


def user_id_pseudonymise(event: dict[str, Any]) -> None:
    if event.get("user_id"):
        event["user_id"] = pseudonym(event["user_id"])
