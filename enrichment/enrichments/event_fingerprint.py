"""Event fingerprint: a hash of the raw tracker parameters into event_fingerprint (spec 3).

The algorithm is the one the warehouse de-duplicates with (`enrichment.fingerprint`): the event's raw parameters
(after the adapter, so a POST event includes the querystring it was merged with), without nulls and excluded
keys, sorted by key, hashed as `key\\x1fvalue\\x1f`, lowercase hex.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from enrichment.enrichments.base import Enrichment
from enrichment.fingerprint import ALGORITHMS, DEDUPE_EXCLUDED, event_fingerprint


@dataclass(frozen=True)
class EventFingerprintConfig:
    algorithm: str
    excluded: frozenset[str]


class EventFingerprintEnrichment(Enrichment):
    name = "event_fingerprint_config"
    identifier = "event-fingerprint"
    criterion = "iglu:com.snowplowanalytics.snowplow/event_fingerprint_config/jsonschema/1-*-*"

    @classmethod
    def parse_config(cls, data: dict[str, Any]) -> EventFingerprintConfig:
        parameters = data.get("parameters") or {}
        algorithm = parameters.get("hashAlgorithm", "MD5")
        assert algorithm in ALGORITHMS, algorithm  # the schema's enum
        return EventFingerprintConfig(algorithm, frozenset(parameters.get("excludeParameters") or ()))

    def enrich(self, ctx: Any) -> None:
        fingerprint = event_fingerprint(ctx.raw.parameters, self.config.excluded, self.config.algorithm)
        ctx.event["event_fingerprint"] = fingerprint
        if self.config.algorithm == "MD5" and self.config.excluded == DEDUPE_EXCLUDED:
            ctx.dedupe_fingerprint = fingerprint  # the same hash de-duplication needs: not computed twice
