"""The `format` checks Snowplow's validator applies, shared by the compiled fast path and the full-report path.

Snowplow validates with networknt's json-schema-validator in Draft-04 mode, which asserts these formats
(unknown formats are ignored, as the Draft-04 specification allows). One function per format keeps both of
our validation paths in agreement: an instance the fast path accepts is never one the report path rejects.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable
from datetime import date

_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_TIME = r"([01]\d|2[0-3]):([0-5]\d):([0-5]\d|60)(\.\d+)?([zZ]|[+-]([01]\d|2[0-3]):[0-5]\d)"
_DATE_TIME = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[tT]" + _TIME + r"$")
_TIME_ONLY = re.compile(r"^" + _TIME + r"$")
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")
_HOST_LABEL = re.compile(r"^(?!-)[a-zA-Z0-9-]{1,63}(?<!-)$")
# RFC 3986 absolute URI: a scheme, then no whitespace and none of the characters java.net.URI refuses.
_URI = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.\-]*:[^\s<>\"{}|\\^`]*$")


def is_date_time(value: str) -> bool:
    """RFC 3339 date-time with a mandatory offset (`2024-01-31T12:00:00.123Z`)."""
    match = _DATE_TIME.match(value)
    return bool(match) and _real_date(*match.groups()[:3])


def is_date(value: str) -> bool:
    match = _DATE.match(value)
    return bool(match) and _real_date(*match.groups())


def is_time(value: str) -> bool:
    return bool(_TIME_ONLY.match(value))


def is_uuid(value: str) -> bool:
    return bool(_UUID.match(value))


def is_email(value: str) -> bool:
    return bool(_EMAIL.match(value))


def is_hostname(value: str) -> bool:
    """RFC 1123 host name: dot-separated labels of letters, digits and inner hyphens, 253 characters at most."""
    name = value[:-1] if value.endswith(".") else value
    return 0 < len(name) <= 253 and all(_HOST_LABEL.match(label) for label in name.split("."))


def is_ipv4(value: str) -> bool:
    try:
        ipaddress.IPv4Address(value)
    except ValueError:
        return False
    return True


def is_ipv6(value: str) -> bool:
    try:
        ipaddress.IPv6Address(value)
    except ValueError:
        return False
    return True


def is_uri(value: str) -> bool:
    return bool(_URI.match(value))


def is_regex(value: str) -> bool:
    try:
        re.compile(value)
    except re.error:
        return False
    return True


def _real_date(year: str, month: str, day: str) -> bool:
    try:
        date(int(year), int(month), int(day))
    except ValueError:
        return False
    return True


FORMAT_CHECKS: dict[str, Callable[[str], bool]] = {
    "date-time": is_date_time,
    "date": is_date,
    "time": is_time,
    "uuid": is_uuid,
    "email": is_email,
    "hostname": is_hostname,
    "ipv4": is_ipv4,
    "ipv6": is_ipv6,
    "uri": is_uri,
    "regex": is_regex,
}
