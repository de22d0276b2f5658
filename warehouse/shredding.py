"""Shredding: every context, derived context and self-describing event of a batch becomes a row of its
per-schema table, keyed to its event by root_id (event_id) and root_tstamp (collector_tstamp)."""

from __future__ import annotations

import datetime as dt
import logging
import math
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from iglu.api import IgluError, parse_schema_key
from warehouse.columns import Column
from warehouse.copying import copy_rows
from warehouse.encoding import INT4_MAX, INT4_MIN, INT8_MAX, INT8_MIN, json_sanitize, json_text, text_sanitize
from warehouse.encoding import timestamp_from_ms as _timestamp
from warehouse.entity_tables import META_COLUMNS, TableState, tables_prepare
from warehouse.evolution import parse_type

logger = logging.getLogger(__name__)

Converter = Callable[[Any], Any]


@dataclass
class TableRows:
    """The rows of one per-schema table in a batch."""

    state: TableState
    rows: list[Sequence[Any]] = field(default_factory=list)

    @property
    def column_names(self) -> list[str]:
        return [name for name, _ in META_COLUMNS] + [column.name for column in self.state.columns]


def event_entities(event: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    """Yield (schema URI, data) for every self-describing entity the event carries."""
    for envelope_field in ("contexts", "derived_contexts"):
        envelope = event.get(envelope_field)
        if envelope is not None and isinstance(envelope, dict):
            items = envelope.get("data")
            if isinstance(items, list):
                for sdj in items:
                    if isinstance(sdj, dict):
                        uri = sdj.get("schema")
                        if isinstance(uri, str):
                            yield uri, sdj.get("data")
    envelope = event.get("unstruct_event")
    if envelope is not None and isinstance(envelope, dict):
        inner = envelope.get("data")
        if isinstance(inner, dict) and isinstance(inner.get("schema"), str):
            yield inner["schema"], inner.get("data")


def events_shred(events: list[dict[str, Any]], sanitize: bool = False) -> dict[str, TableRows]:
    """Return the per-schema rows of a batch, by table, creating or migrating tables first.

    With `sanitize`, values are coerced to their column types and cleaned (the slow path after a refused
    COPY); entities that still miss a required value are logged and left out."""
    entities = []
    for event in events:
        root = None
        for uri, data in event_entities(event):
            if root is None:
                root = (event["event_id"], _timestamp(event["collector_tstamp"]))
            entities.append((uri, data, root))
    keys = _schema_keys({uri for uri, _, _ in entities})
    states = tables_prepare(keys)
    tables: dict[str, TableRows] = {}
    for state in states.values():
        known = tables.get(state.table)
        # Columns are only ever added, so the longest known column list of a table is its newest.
        if known is None or len(state.columns) > len(known.state.columns):
            tables[state.table] = TableRows(state)
    builders = {table: _row_builder(rows.state.columns, sanitize) for table, rows in tables.items()}
    # Per URI: the rows list, the row builder and the schema_vendor..schema_version prefix of its rows.
    targets = {
        uri: (tables[state.table].rows, builders[state.table], keys[uri])
        for uri, state in states.items()
        if uri in keys
    }
    for uri, data, root in entities:
        target = targets.get(uri)
        if target is None or data.__class__ is not dict:
            continue
        rows, build, prefix = target
        row = build(prefix + root, data)
        if row is not None:
            rows.append(row)
    return {table: rows for table, rows in tables.items() if rows.rows}


def _schema_keys(uris: set[str]) -> dict[str, tuple[str, str, str, str]]:
    keys = {}
    for uri in uris:
        try:
            key = parse_schema_key(uri)
        except IgluError as error:
            logger.error("entity with schema %r is not shredded: %s", uri, error)
            continue
        keys[uri] = (key.vendor, key.name, key.format, key.version)
    return keys


def tables_copy(tables: dict[str, TableRows]) -> int:
    """COPY every table's rows; return how many rows were written."""
    for rows in tables.values():
        copy_rows(rows.state.qualified_name, rows.column_names, None, rows.rows)
    return sum(len(rows.rows) for rows in tables.values())


# --- rows ----------------------------------------------------------------------------------------------------


def _row_builder(columns: tuple[Column, ...], sanitize: bool) -> Callable[[tuple, dict], Sequence | None]:
    getters = [(column.path, _converter(column.pg_type, sanitize), column.nullable) for column in columns]
    if sanitize:
        return lambda meta, data: _row_checked(getters, meta, data)
    # The hot path: read every column's top-level key at C speed, then descend into nested ones and convert
    # the few values whose column needs it.
    keys = [path[0] for path, _, _ in getters]
    nested = [(i, path) for i, (path, _, _) in enumerate(getters) if len(path) > 1]
    converted = [(i, convert) for i, (_, convert, _) in enumerate(getters) if convert is not _identity]
    if not nested and not converted:
        # Flat schemas of strings, numbers and ids (most contexts): the row is the keys' values as they are.
        return lambda meta, data: (*meta, *map(data.get, keys))

    def build(meta: tuple, data: dict) -> list:
        values = list(map(data.get, keys))
        for i, path in nested:
            values[i] = _dig(data, path)
        for i, convert in converted:
            if values[i] is not None:
                values[i] = convert(values[i])
        return [*meta, *values]

    return build


def _row_checked(getters: list, meta: tuple, data: dict) -> list | None:
    row = list(meta)
    for path, convert, nullable in getters:
        value = _dig(data, path)
        if value is not None:
            value = convert(value)
        if value is None and not nullable:
            logger.warning("entity %s of event %s lacks required %s; not shredded", meta[1], meta[4], path)
            return None
        row.append(value)
    return row


def _dig(data: Any, path: tuple[str, ...]) -> Any:
    for key in path:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def _converter(pg_type: str, sanitize: bool) -> Converter:
    base, length = parse_type(pg_type)
    if sanitize:
        return _SANITIZERS.get(base, lambda value: value)(length)
    return _FAST.get(base, _identity)


def _identity(value: Any) -> Any:
    return value


def _as_text(value: Any) -> str:
    # The PostgreSQL loader stores a non-string in a string column as its JSON text.
    return value if isinstance(value, str) else json_text(value)


def iso_timestamp(value: str) -> dt.datetime:
    """Parse an ISO 8601 date-time into a naive UTC datetime (offsets are applied, not dropped)."""
    parsed = dt.datetime.fromisoformat(value)
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(dt.UTC).replace(tzinfo=None)
    return parsed


# A schema-valid value of a string column is a string, which text COPY takes as it is; anything else makes the
# COPY fail and the batch take the sanitising path, which stores it as JSON text as the loader does.
_FAST: dict[str, Converter] = {"timestamp": iso_timestamp, "jsonb": json_text}


def _or_none(convert: Converter) -> Converter:
    def safe(value: Any) -> Any:
        try:
            return convert(value)
        except (TypeError, ValueError, OverflowError):
            return None

    return safe


def _integer_in(low: int, high: int) -> Converter:
    def convert(value: Any) -> int | None:
        if isinstance(value, bool) or not isinstance(value, int | float) or value != int(value):
            return None
        return int(value) if low <= value <= high else None

    return _or_none(convert)


def _double(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _boolean(value: Any) -> bool | None:
    return value if isinstance(value, bool) else None


def _jsonb(value: Any) -> str:
    clean = json_sanitize(value)
    return json_text(clean) if not (isinstance(clean, float) and not math.isfinite(clean)) else "null"


_SANITIZERS: dict[str, Callable[[int | None], Converter]] = {
    "varchar": lambda length: lambda value: text_sanitize(_as_text(json_sanitize(value)), length),
    "char": lambda length: lambda value: text_sanitize(_as_text(json_sanitize(value)), length),
    "timestamp": lambda _: _or_none(lambda value: iso_timestamp(text_sanitize(value))),
    "date": lambda _: _or_none(lambda value: dt.date.fromisoformat(text_sanitize(value)).isoformat()),
    "uuid": lambda _: _or_none(lambda value: str(uuid.UUID(text_sanitize(value)))),
    "integer": lambda _: _integer_in(INT4_MIN, INT4_MAX),
    "bigint": lambda _: _integer_in(INT8_MIN, INT8_MAX),
    "double precision": lambda _: _double,
    "boolean": lambda _: _boolean,
    "jsonb": lambda _: _jsonb,
}
