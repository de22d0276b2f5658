"""Bad rows in Snowplow's format, written through one function by the collector, enrichment, loader and webhooks."""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from django.conf import settings

BADROW_VENDOR = "iglu:com.snowplowanalytics.snowplow.badrows"
SCHEMA_VERSIONS = {
    "collector_payload_format_violation": "1-0-0",
    "adapter_failures": "1-0-0",
    "tracker_protocol_violations": "1-0-0",
    "schema_violations": "2-0-0",
    "enrichment_failures": "2-0-0",
    "size_violation": "1-0-0",
    "loader_parsing_error": "2-0-0",
    "loader_iglu_error": "2-0-0",
    "loader_runtime_error": "1-0-1",
    "loader_recovery_error": "1-0-0",
    "recovery_error": "1-0-1",
    "generic_error": "1-0-0",
}
# Keys whose values vary per event and must not split one cause into many groups.
_VOLATILE_KEYS = {"value", "json", "lastAttempt", "attempts", "timestamp", "actualSizeBytes"}


@dataclass
class BadRowData:
    """A bad row ready to store: its type, Snowplow failure and payload JSON, and the original bytes."""

    type: str
    failure: dict[str, Any]
    payload: Any
    original: bytes | None = None
    app_id: str = ""
    seen_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    def as_json(self) -> dict[str, Any]:
        return {
            "schema": f"{BADROW_VENDOR}/{self.type}/jsonschema/{SCHEMA_VERSIONS[self.type]}",
            "data": {"processor": processor(), "failure": self.failure, "payload": self.payload},
        }


def processor() -> dict[str, str]:
    return {"artifact": settings.ENRICH_PROCESSOR_ARTIFACT, "version": settings.ENRICH_PROCESSOR_VERSION}


def iso_timestamp(moment: datetime | None = None) -> str:
    moment = moment or datetime.now(UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def iso_from_millis(millis: int | None) -> str | None:
    if millis is None:
        return None
    return iso_timestamp(datetime.fromtimestamp(millis / 1000, UTC))


def failure_signature(badrow_type: str, failure: dict[str, Any]) -> str:
    """A stable hash of the failure's shape (types, fields, schema keys, messages) without per-event values."""
    return hashlib.sha1(
        json.dumps([badrow_type, _strip_volatile(failure)], sort_keys=True, default=str).encode()
    ).hexdigest()[:16]


def _strip_volatile(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip_volatile(v) for k, v in value.items() if k not in _VOLATILE_KEYS}
    if isinstance(value, list):
        return [_strip_volatile(v) for v in value]
    return value


def badrows_record(rows: list[BadRowData]) -> None:
    """Store bad rows: the one function every part of the product writes them through."""
    from enrichment.models import BadRow

    if not rows:
        return
    BadRow.objects.bulk_create(
        [
            BadRow(
                type=row.type,
                processor=f"{settings.ENRICH_PROCESSOR_ARTIFACT}-{settings.ENRICH_PROCESSOR_VERSION}",
                failure_signature=failure_signature(row.type, row.failure),
                app_id=(row.app_id or "")[:255],
                first_seen=row.seen_at,
                last_seen=row.seen_at,
                data=row.as_json(),
                payload=row.original,
            )
            for row in rows
        ]
    )


def base64_payload(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")
