"""Converters from tracker-protocol strings to canonical field values, with Snowplow's rules (spec 2.3)."""

from __future__ import annotations

import binascii
import re
import uuid
from decimal import Decimal, InvalidOperation

MIN_MILLIS = -62_167_219_200_000  # 0000-01-01T00:00:00Z
MAX_MILLIS = 253_402_300_799_999  # 9999-12-31T23:59:59.999Z
_SIZE = re.compile(r"^(\d+)x(\d+)$")
INT_MIN, INT_MAX = -(2**31), 2**31 - 1
EVENT_TYPES = {
    "pv": "page_view",
    "pp": "page_ping",
    "ue": "unstruct",
    "se": "struct",
    "ev": "struct",
    "tr": "transaction",
    "ti": "transaction_item",
    "ad": "ad_impression",
}
PLATFORMS = {"web", "iot", "app", "mob", "pc", "cnsl", "tv", "srv", "headset"}


class ConversionError(ValueError):
    """A parameter value that cannot become its field; the message says what was expected."""


def to_int(value: str) -> int | None:
    if value == "null":
        return None
    try:
        number = int(value)
    except ValueError:
        raise ConversionError(f"cannot convert [{value}] to Int") from None
    if not INT_MIN <= number <= INT_MAX:
        raise ConversionError(f"cannot convert [{value}] to Int")
    return number


def to_double(value: str) -> float | None:
    """Decimals as enrich parses them (BigDecimal), stored as double precision."""
    if value == "null":
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise ConversionError(f"cannot convert [{value}] to Double") from None
    if not number.is_finite():
        raise ConversionError(f"cannot convert [{value}] to Double")
    return float(number)


def to_boolean(value: str) -> bool:
    if value == "1":
        return True
    if value == "0":
        return False
    raise ConversionError(f"cannot convert [{value}] to Boolean: only 1 or 0 allowed")


_CANONICAL_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def to_uuid(value: str) -> str:
    """A canonical UUID string, stored lower-cased; anything else is refused, never silently replaced."""
    lowered = value.lower()
    if _CANONICAL_UUID.match(lowered):
        return lowered
    try:
        canonical = str(uuid.UUID(lowered))
    except ValueError:
        raise ConversionError(f"[{value}] is not a valid UUID") from None
    if canonical != lowered:
        raise ConversionError(f"[{value}] is not a valid UUID")
    return canonical


def to_millis(value: str) -> int:
    """Epoch milliseconds in years 0 to 9999."""
    try:
        millis = int(value)
    except ValueError:
        raise ConversionError(f"[{value}] is not in the expected format: ms since epoch") from None
    if not MIN_MILLIS <= millis <= MAX_MILLIS:
        raise ConversionError(f"[{value}] is formatted as a year outside 0 to 9999")
    return millis


def to_size(value: str) -> tuple[int, int]:
    match = _SIZE.match(value)
    if not match:
        raise ConversionError(f"[{value}] does not have the format WIDTHxHEIGHT")
    width, height = int(match.group(1)), int(match.group(2))
    if width > INT_MAX or height > INT_MAX:
        raise ConversionError(f"[{value}] has a dimension too large for an integer")
    return width, height


def to_event_type(value: str) -> str:
    try:
        return EVENT_TYPES[value]
    except KeyError:
        raise ConversionError(f"[{value}] is not recognized as an event type") from None


def to_platform(value: str) -> str:
    if value not in PLATFORMS:
        raise ConversionError(f"[{value}] is not a valid platform")
    return value


def decode_base64url(value: str) -> str:
    """Decode URL-safe or standard Base64, with or without padding, as UTF-8 (collector spec 1.4)."""
    try:  # base64.urlsafe_b64decode without its wrappers: both alphabets mapped to the standard one
        standard = value.replace("-", "+").replace("_", "/") + "=" * (-len(value) % 4)
        raw = binascii.a2b_base64(standard.encode("ascii"))
    except (binascii.Error, ValueError):
        raise ConversionError("could not base64 decode") from None
    return raw.decode("utf-8", "replace")

