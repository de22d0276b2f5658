"""Enriched-event writers: Snowplow's 131-column TSV line, and the partially enriched event of bad rows."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from enrichment.events import BOOLEAN, DOUBLE, FIELDS, JSON, TIMESTAMP, Event

_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f]")


def format_timestamp(millis: int) -> str:
    """`yyyy-MM-dd HH:mm:ss.SSS` in UTC, as enrich writes timestamps."""
    moment = datetime.fromtimestamp(millis / 1000, UTC)
    return moment.strftime("%Y-%m-%d %H:%M:%S.") + f"{millis % 1000:03d}"


def tsv_safe(text: str) -> str:
    """Tabs become four spaces and other control characters are removed (enrich's makeTsvSafe)."""
    return _CONTROL.sub("", text.replace("\t", "    "))


def format_double(value: float) -> str:
    """Plain decimal notation, never scientific, as BigDecimal.toPlainString gives."""
    text = repr(value)
    if "e" in text or "E" in text:
        text = format(Decimal(text), "f")
    return text[:-2] if text.endswith(".0") else text


def field_text(kind: str, value: Any) -> str:
    if value is None:
        return ""
    if kind == TIMESTAMP:
        return format_timestamp(value)
    if kind == BOOLEAN:
        return "1" if value else "0"
    if kind == DOUBLE:
        return format_double(value)
    if kind == JSON:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    if isinstance(value, str):
        return tsv_safe(value)
    return str(value)


def to_tsv(event: Event) -> str:
    """One enriched event as one line of 131 tab-separated fields (no trailing newline)."""
    return "\t".join(field_text(field.kind, event.get(field.name)) for field in FIELDS)


def partially_enriched(event: Event) -> dict[str, Any]:
    """The `enriched` part of schema_violations / enrichment_failures payloads: every field, text or null."""
    partial: dict[str, Any] = {}
    for field in FIELDS:
        value = event.get(field.name)
        partial[field.name] = None if value is None else field_text(field.kind, value)
    return partial


# --- JSON, as Snowplow's Python Analytics SDK 0.2.3 shapes it ---------------------------------------
_SCHEMA_URI = re.compile(
    r"^iglu:([a-zA-Z0-9-_.]+)/([a-zA-Z0-9-_]+)/([a-zA-Z0-9-_]+)/([1-9][0-9]*(?:-(?:0|[1-9][0-9]*)){2})$"
)
_CAMEL = re.compile(r"([^A-Z_])([A-Z])")
# The SDK names column 122 `refr_device_tstamp` (the TSV/DB name is refr_dvce_tstamp) and keeps se_value a string.
_JSON_NAMES = {"refr_dvce_tstamp": "refr_device_tstamp"}


def schema_key_name(prefix: str, schema_uri: str) -> str:
    """`contexts_com_acme_page_context_2`: vendor dots to underscores, name camel to snake, model only."""
    match = _SCHEMA_URI.match(schema_uri)
    if not match:
        raise ValueError(f"Schema {schema_uri} does not conform to the Iglu URI pattern")
    vendor, name, _, version = match.groups()
    snake_name = _CAMEL.sub(r"\1_\2", name).lower()
    return f"{prefix}_{vendor.replace('.', '_').lower()}_{snake_name}_{version.split('-')[0]}"


def to_analytics_json(event: Event) -> dict[str, Any]:
    """The event as the Python Analytics SDK's `transform` returns it for the equivalent TSV line.

    Empty values are left out; timestamps become `yyyy-MM-ddTHH:mm:ss.SSSZ`; `geo_location` is added;
    contexts are grouped by schema key and a derived context with the same key replaces a custom one.
    """
    output: dict[str, Any] = {}
    for field in FIELDS:
        value = event.get(field.name)
        if value is None or (isinstance(value, str) and tsv_safe(value) == ""):
            continue
        if field.name in ("contexts", "derived_contexts"):
            output.update(_grouped_contexts(value))
        elif field.name == "unstruct_event":
            inner = value["data"]
            output[schema_key_name("unstruct_event", inner["schema"])] = inner["data"]
        else:
            output[_JSON_NAMES.get(field.name, field.name)] = _json_value(field, value)
    if "geo_latitude" in output and "geo_longitude" in output:
        latitude, longitude = event["geo_latitude"], event["geo_longitude"]
        output["geo_location"] = f"{field_text(DOUBLE, latitude)},{field_text(DOUBLE, longitude)}"
    return output


def _json_value(field, value: Any) -> Any:
    if field.kind == TIMESTAMP:
        return format_timestamp(value).replace(" ", "T") + "Z"
    if field.name == "se_value":
        return format_double(value)
    if field.kind == DOUBLE:
        return float(format_double(value))
    if isinstance(value, str):
        return tsv_safe(value)
    return value


def _grouped_contexts(envelope: dict[str, Any]) -> dict[str, list[Any]]:
    grouped: dict[str, list[Any]] = {}
    for item in envelope.get("data", []):
        grouped.setdefault(schema_key_name("contexts", item["schema"]), []).append(item["data"])
    return grouped
