"""Value rewrites shared by adapters: timestamps to ISO 8601, camelCase keys, enrich's JSON clean-up."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

MIN_EPOCH_SECONDS = -62_135_596_800  # 0001-01-01T00:00:00Z
MAX_EPOCH_SECONDS = 253_402_300_799  # 9999-12-31T23:59:59Z
_LONG = re.compile(r"^[+-]?\d{1,19}$")
_CAMEL_SEPARATORS = re.compile(r"[-_]+([A-Za-z0-9])")


def iso_from_datetime(moment: datetime) -> str:
    """`yyyy-MM-dd'T'HH:mm:ss.SSS'Z'` in UTC: the one date-time shape every adapter emits."""
    moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def iso_from_epoch_seconds(seconds: int) -> str | None:
    """Epoch seconds as ISO 8601 with `.000` millis; None when out of the representable range."""
    if not MIN_EPOCH_SECONDS <= seconds <= MAX_EPOCH_SECONDS:
        return None
    return iso_from_datetime(datetime.fromtimestamp(seconds, UTC))


def iso_from_epoch_millis(millis: int) -> str | None:
    if not MIN_EPOCH_SECONDS * 1000 <= millis <= MAX_EPOCH_SECONDS * 1000:
        return None
    return iso_from_datetime(datetime.fromtimestamp(millis / 1000, UTC).replace(microsecond=(millis % 1000) * 1000))


def iso_from_pattern(value: str, pattern: str = "%Y-%m-%d %H:%M:%S") -> str:
    """A UTC date-time in `pattern` as ISO 8601; anything that does not parse is returned unchanged."""
    try:
        return iso_from_datetime(datetime.strptime(value, pattern).replace(tzinfo=UTC))
    except (TypeError, ValueError):
        return value


def parse_iso_datetime(value: str) -> datetime | None:
    """An ISO 8601 date-time (`Z` or an offset; a missing zone means UTC), or None."""
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except (TypeError, ValueError):
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def epoch_seconds_value(value: Any) -> int | None:
    """A JSON integer, or a string holding a Long, as epoch seconds (enrich's cleanupJsonEventValues)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and _LONG.match(value):
        number = int(value)
        return number if -(2**63) <= number < 2**63 else None
    return None


def clean_event_values(value: Any, event_pair: tuple[str, str] | None, timestamp_keys: frozenset[str]) -> Any:
    """Drop the `event_pair` entry and turn epoch seconds under `timestamp_keys` into ISO, at any depth."""
    if isinstance(value, list):
        return [clean_event_values(item, event_pair, timestamp_keys) for item in value]
    if not isinstance(value, dict):
        return value
    cleaned = {}
    for key, item in value.items():
        if event_pair is not None and key == event_pair[0] and item == event_pair[1]:
            continue
        if key in timestamp_keys:
            seconds = epoch_seconds_value(item)
            iso = iso_from_epoch_seconds(seconds) if seconds is not None else None
            if iso is not None:
                cleaned[key] = iso
                continue
        cleaned[key] = clean_event_values(item, event_pair, timestamp_keys)
    return cleaned


def camel_case(key: str) -> str:
    """`service_name` / `delivery-status` -> `serviceName` / `deliveryStatus`."""
    return _CAMEL_SEPARATORS.sub(lambda match: match.group(1).upper(), key)


def camel_case_keys(value: Any) -> Any:
    """camelCase every object key, recursively through objects and arrays."""
    if isinstance(value, list):
        return [camel_case_keys(item) for item in value]
    if isinstance(value, dict):
        return {camel_case(key): camel_case_keys(item) for key, item in value.items()}
    return value
