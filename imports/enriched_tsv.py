"""Snowplow enriched TSV archives straight into the warehouse: each 131-field line parsed back into the canonical
event with typed values, as the Analytics SDKs read it (enrichment spec 6); unusable lines become
loader_parsing_error bad rows keeping the line (spec 5)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable
from typing import Any

from enrichment.badrows import BadRowData
from enrichment.events import BOOLEAN, DOUBLE, FIELDS, INTEGER, JSON, TIMESTAMP, UUID
from warehouse.api import LoadableEvent

FIELD_COUNT = len(FIELDS)
EPOCH = dt.datetime(1970, 1, 1)
INT_MIN, INT_MAX = -(2**31), 2**31 - 1
_UUID = re.compile(r"[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}\Z")
# Non-optional fields of the Scala Analytics SDK's Event.
REQUIRED = frozenset({"event_id", "collector_tstamp", "v_collector", "v_etl"})
# Left out of the de-duplication fingerprint when the line has no event_fingerprint: values that differ between
# two deliveries of one tracker event (collector, time of arrival, cookie, ETL run), like the `eid`, `nuid`, `stm`
# and `cv` parameters the live fingerprint leaves out, and what enrichments derive from them.
FINGERPRINT_EXCLUDED = frozenset({
    "etl_tstamp", "collector_tstamp", "event_id", "v_collector", "v_etl", "network_userid", "dvce_sent_tstamp",
    "derived_tstamp", "etl_tags", "event_fingerprint", "derived_contexts",
})
_FINGERPRINT_INDEXES = tuple(i for i, field in enumerate(FIELDS) if field.name not in FINGERPRINT_EXCLUDED)
_FINGERPRINT_AT = next(i for i, field in enumerate(FIELDS) if field.name == "event_fingerprint")


class InvalidValue(ValueError):
    """A field whose text cannot be read as its kind; the message is the SDK's explanation."""


def _timestamp(text: str) -> int:
    """`yyyy-MM-dd HH:mm:ss[.SSS]` in UTC (a `T` or trailing `Z` tolerated) into epoch milliseconds."""
    try:
        moment = dt.datetime.fromisoformat(text[:-1] if text.endswith("Z") else text)
    except ValueError:
        raise InvalidValue(f"Cannot parse key with value {text} into datetime") from None
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return (moment - EPOCH) // dt.timedelta(milliseconds=1)


def _integer(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        raise InvalidValue(f"Cannot parse key with value {text} into integer") from None
    if not INT_MIN <= number <= INT_MAX:
        raise InvalidValue(f"Cannot parse key with value {text} into integer: out of range")
    return number


def _double(text: str) -> float:
    try:
        number = float(text)
    except ValueError:
        raise InvalidValue(f"Cannot parse key with value {text} into double") from None
    if number != number or number in (float("inf"), float("-inf")):
        raise InvalidValue(f"Cannot parse key with value {text} into double: not finite")
    return number


def _boolean(text: str) -> bool:
    if text == "1":
        return True
    if text == "0":
        return False
    raise InvalidValue(f"Cannot parse key with value {text} into boolean")


def _uuid(text: str) -> str:
    if not _UUID.match(text):
        raise InvalidValue(f"Cannot parse key with value {text} into UUID")
    return text.lower()


def _json(text: str) -> dict[str, Any]:
    """A self-describing envelope: `contexts` (data: a list of self-describing JSONs) or `unstruct_event`."""
    try:
        value = json.loads(text)
    except ValueError as error:
        raise InvalidValue(f"Cannot parse key with value {text[:200]} into JSON: {error}") from None
    if not isinstance(value, dict) or not isinstance(value.get("schema"), str) or "data" not in value:
        raise InvalidValue("Value is not a self-describing JSON")
    inner = value["data"]
    items = inner if isinstance(inner, list) else [inner]
    if not all(isinstance(item, dict) and isinstance(item.get("schema"), str) for item in items):
        raise InvalidValue("Data holds an entity that is not a self-describing JSON")
    return value


_PARSERS: dict[str, Callable[[str], Any]] = {
    TIMESTAMP: _timestamp, INTEGER: _integer, DOUBLE: _double, BOOLEAN: _boolean, UUID: _uuid, JSON: _json,
}
# Per field: its name and the parser of its kind, None for a string kept as it is.
_COLUMNS = tuple((field.name, _PARSERS.get(field.kind)) for field in FIELDS)
_REQUIRED_AT = tuple((index, field.name) for index, field in enumerate(FIELDS) if field.name in REQUIRED)


def tsv_event(line: str) -> LoadableEvent | BadRowData | None:
    """Return the line's event with its de-duplication fingerprint, a loader_parsing_error, or None (blank)."""
    if not line.strip():
        return None
    values = line.split("\t")
    if len(values) == 1:
        return parsing_error({"type": "NotTSV"}, line)
    if len(values) != FIELD_COUNT:
        return parsing_error({"type": "FieldNumberMismatch", "fieldCount": len(values)}, line)
    event: dict[str, Any] = {}
    errors = [{"type": "InvalidValue", "key": name, "value": "", "message": f"Field {name} cannot be empty"}
              for index, name in _REQUIRED_AT if not values[index]]
    for index, text in enumerate(values):
        if not text:
            continue
        name, parse = _COLUMNS[index]
        try:
            event[name] = text if parse is None else parse(text)
        except InvalidValue as error:
            errors.append({"type": "InvalidValue", "key": name, "value": text, "message": str(error)})
    if errors:
        return parsing_error({"type": "RowDecodingError", "errors": errors}, line)
    return LoadableEvent(event, tsv_fingerprint(values))


def tsv_fingerprint(values: list[str]) -> str:
    """The line's event_fingerprint when enrich set one, else the MD5 of the fields one tracker event keeps
    across deliveries, so that a re-enriched copy of an event is a natural duplicate."""
    if values[_FINGERPRINT_AT]:
        return values[_FINGERPRINT_AT]
    kept = "\x1f".join(values[i] for i in _FINGERPRINT_INDEXES)
    return hashlib.md5(kept.encode("utf-8", "surrogatepass")).hexdigest()


def parsing_error(failure: dict[str, Any], line: str) -> BadRowData:
    """A loader_parsing_error 2-0-0: the SDK's ParsingError as failure, the raw line as payload."""
    return BadRowData(type="loader_parsing_error", failure=failure, payload=line)
