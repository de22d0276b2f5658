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
