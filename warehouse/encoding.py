"""Turn canonical event dicts into COPY rows, and clean hostile values so that COPY always accepts them.

Rows are built on a fast path that converts only what PostgreSQL's binary format needs. Values PostgreSQL
refuses (NUL characters, lone surrogates, strings over the column length, integers out of range, `\\u0000` in
JSON) are rare, so they are not checked per value: when a COPY fails, the batch is cleaned with
`event_sanitize` and copied again (warehouse.loading).
"""

from __future__ import annotations

import datetime as dt
import json
import math
import uuid
from collections.abc import Callable, Iterable
from typing import Any

from enrichment.events import BOOLEAN, DOUBLE, FIELDS, INTEGER, JSON, STRING, TIMESTAMP, UUID

EPOCH = dt.datetime(1970, 1, 1)
INT4_MIN, INT4_MAX = -(2**31), 2**31 - 1
INT8_MIN, INT8_MAX = -(2**63), 2**63 - 1
REPLACEMENT_CHARACTER = "\ufffd"

FIELD_NAMES: tuple[str, ...] = tuple(field.name for field in FIELDS)
_TIMESTAMP_INDEXES = tuple(i for i, field in enumerate(FIELDS) if field.kind == TIMESTAMP)
_JSON_INDEXES = tuple(i for i, field in enumerate(FIELDS) if field.kind == JSON)
_UUID_INDEXES = tuple(i for i, field in enumerate(FIELDS) if field.kind == UUID)


def binary_type(pg_type: str) -> str:
    """Return the type name psycopg needs to dump a value in binary COPY for a column of `pg_type`."""
    base = pg_type.split("(", 1)[0].strip()
    return {
        "character": "bpchar",
        "char": "bpchar",
        "character varying": "varchar",
        "integer": "int4",
        "bigint": "int8",
        "double precision": "float8",
        "boolean": "bool",
        "timestamp without time zone": "timestamp",
    }.get(base, base)


# Binary COPY types of atomic.events, in COPY column order (the canonical fields, then load_tstamp).
EVENT_COPY_TYPES: tuple[str, ...] = (*(binary_type(field.pg_type) for field in FIELDS), "timestamp")


def timestamp_from_ms(ms: int | float) -> dt.datetime:
    """Return the naive UTC datetime for epoch milliseconds (the warehouse stores `timestamp` in UTC)."""
    return EPOCH + dt.timedelta(milliseconds=ms)


def json_text(value: Any) -> str:
    """Serialise a JSON column value compactly (jsonb normalises whitespace anyway)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def event_row(event: dict[str, Any], load_tstamp: dt.datetime) -> list[Any]:
    """Return the COPY row of one event: values in column order, converted for binary COPY, not cleaned."""
    row = list(map(event.get, FIELD_NAMES))
    for i in _TIMESTAMP_INDEXES:
        if row[i] is not None:
            row[i] = timestamp_from_ms(row[i])
    for i in _JSON_INDEXES:
        if row[i] is not None:
            row[i] = json_text(row[i])
    for i in _UUID_INDEXES:
        row[i] = uuid.UUID(row[i])
    row.append(load_tstamp)
    return row


# --- the slow path: clean values PostgreSQL would refuse ---------------------------------------------------


def text_sanitize(value: str, max_length: int | None = None) -> str:
    """Drop NUL characters, replace lone surrogates (invalid UTF-8) with U+FFFD and cut to `max_length`."""
    if not value.isascii():
        # Through UTF-16, a surrogate pair split across two code points is rejoined and each lone one
        # becomes exactly one replacement character.
        value = value.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    value = value.replace("\x00", "")
    if max_length is not None and len(value) > max_length:
        value = value[:max_length]
    return value


def json_sanitize(value: Any) -> Any:
    """Return a copy of a JSON value with every string (keys too) cleaned and non-finite numbers nulled,
    since jsonb refuses `\\u0000`, lone surrogates, NaN and Infinity."""
    if isinstance(value, str):
        return text_sanitize(value)
    if isinstance(value, dict):
        return {text_sanitize(str(key)): json_sanitize(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [json_sanitize(item) for item in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _integer_sanitize(value: Any) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return number if INT4_MIN <= number <= INT4_MAX else None


def _double_sanitize(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError, OverflowError):
        return None


def _timestamp_sanitize(value: Any) -> int | None:
    try:
        timestamp_from_ms(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return value


def _field_sanitizer(kind: str, max_length: int | None) -> Callable[[Any], Any]:
    if kind == STRING:
        return lambda value: text_sanitize(str(value), max_length) or None
    return {
        INTEGER: _integer_sanitize,
        DOUBLE: _double_sanitize,
        BOOLEAN: bool,
        TIMESTAMP: _timestamp_sanitize,
        JSON: json_sanitize,
        UUID: str,
    }[kind]


_SANITIZERS: dict[str, Callable[[Any], Any]] = {
    field.name: _field_sanitizer(field.kind, field.max_length) for field in FIELDS
}


def event_sanitize(event: dict[str, Any]) -> dict[str, Any]:
    """Return a copy of an event whose every value PostgreSQL accepts (unknown keys are dropped)."""
    clean = {}
    for name, value in event.items():
        sanitizer = _SANITIZERS.get(name)
        if sanitizer is not None and value is not None:
            clean[name] = sanitizer(value)
    return clean


def events_sanitize(events: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    return [event_sanitize(event) for event in events]
