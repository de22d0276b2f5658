"""The enrichment app's public interface for other apps (collector, warehouse, webhooks, operations)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from enrichment.badrows import BadRowData, badrows_record, iso_timestamp
from enrichment.config import get_pipeline
from enrichment.drain import DrainResult, payloads_load
from enrichment.processing import PayloadOutcome, process_payload
from enrichment.versioning import config_version_bump, config_version_get

if TYPE_CHECKING:
    from collector.splitting import SizeViolation

__all__ = [
    "BadRowData",
    "DrainResult",
    "PayloadOutcome",
    "badrows_record",
    "config_version_bump",
    "config_version_get",
    "get_pipeline",
    "payloads_load",
    "process_payload",
    "record_size_violations",
]


def record_size_violations(violations: list[SizeViolation]) -> None:
    """Store the collector's size_violation bad rows (collector spec 4.4)."""
    rows = [
        BadRowData(
            type="size_violation",
            failure={
                "timestamp": iso_timestamp(),
                "maximumAllowedSizeBytes": violation.maximum_size,
                "actualSizeBytes": violation.actual_size,
                "expectation": violation.expectation,
            },
            payload=violation.payload_text,
            original=violation.collector_payload,
        )
        for violation in violations
    ]
    with transaction.atomic():
        badrows_record(rows)
