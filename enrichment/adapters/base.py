"""The adapter contract: one CollectorPayload in, raw events and bad rows out; never an exception on input."""

from __future__ import annotations

import abc
from dataclasses import dataclass, field
from typing import Any

from enrichment.badrows import BadRowData, iso_timestamp
from enrichment.raw import LoadedPayload, RawEvent


@dataclass
class AdapterResult:
    events: list[RawEvent] = field(default_factory=list)
    failures: list[BadRowData] = field(default_factory=list)


class Adapter(abc.ABC):
    """Base class of every adapter; `failure_type` names the bad-row type its failures become."""

    vendor: str = ""
    version: str = ""
    failure_type: str = "adapter_failures"

    @abc.abstractmethod
    def to_raw_events(self, payload: LoadedPayload) -> AdapterResult:
        """Return the payload's raw events and, for what cannot be used, bad rows. Never raise on input."""

    def failure(self, payload: LoadedPayload, messages: list[dict[str, Any]], original: bytes | None = None,
                body: str | None = None, app_id: str = "") -> BadRowData:
        """A bad row for the whole payload, or for one event of it when `original`/`body` are given."""
        badrow_payload = payload.as_badrow_payload()
        if body is not None:
            badrow_payload["body"] = body
        return BadRowData(
            type=self.failure_type,
            failure={"timestamp": iso_timestamp(), "vendor": payload.vendor, "version": payload.version,
                     "messages": messages},
            payload=badrow_payload,
            original=original if original is not None else payload.raw,
            app_id=app_id,
        )


def input_data(field_name: str, value: Any, expectation: str) -> dict[str, Any]:
    """Snowplow's InputData failure message."""
    return {"field": field_name, "value": None if value is None else str(value), "expectation": expectation}
