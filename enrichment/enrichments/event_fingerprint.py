"""Event fingerprint: a hash of the raw tracker parameters into event_fingerprint (spec 3).

The algorithm is the one the warehouse de-duplicates with (`enrichment.fingerprint`): the event's raw parameters
(after the adapter, so a POST event includes the querystring it was merged with), without nulls and excluded
keys, sorted by key, hashed as `key\\x1fvalue\\x1f`, lowercase hex.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from enrichment.enrichments.base import Enrichment
from enrichment.fingerprint import ALGORITHMS

HASHES: dict[str, Callable[..., Any]] = {
    "MD5": hashlib.md5, "SHA1": hashlib.sha1, "SHA256": hashlib.sha256, "SHA384": hashlib.sha384,
    "SHA512": hashlib.sha512,
}


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
        assert algorithm in ALGORITHMS and algorithm in HASHES, algorithm  # the schema's enum
        return EventFingerprintConfig(algorithm, frozenset(parameters.get("excludeParameters") or ()))

    def __init__(self, config: EventFingerprintConfig, schema_key: str) -> None:
        super().__init__(config, schema_key)
        self.hash = HASHES[config.algorithm]

    def enrich(self, ctx: Any) -> None:
        """`enrichment.fingerprint.event_fingerprint`, hashed in one call (it is on every event's path)."""
        excluded = self.config.excluded
        text = "".join([f"{key}\x1f{value}\x1f" for key, value in sorted(ctx.raw.parameters.items())
                        if value is not None and key not in excluded])
        ctx.event["event_fingerprint"] = self.hash(text.encode("utf-8", "surrogatepass")).hexdigest()
