"""HTTP header extractor: one `http_header` context per request header whose name matches the pattern.

The pattern is matched against the whole header name, like Java's `String.matches`. Beware `.*`: it copies
every header, cookies included, into each event (spec 7).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from enrichment.enrichments.base import ConfigInvalid, Enrichment, sdj

HEADER_SCHEMA = "iglu:org.ietf/http_header/jsonschema/1-0-0"


@dataclass(frozen=True)
class HttpHeaderExtractorConfig:
    pattern: re.Pattern[str]


class HttpHeaderExtractorEnrichment(Enrichment):
    name = "http_header_extractor_config"
    identifier = "http-header-extractor"
    criterion = "iglu:com.snowplowanalytics.snowplow.enrichments/http_header_extractor_config/jsonschema/1-*-*"
    output_schemas = (HEADER_SCHEMA,)

    @classmethod
    def parse_config(cls, data: dict[str, Any]) -> HttpHeaderExtractorConfig:
        source = (data.get("parameters") or {}).get("headersPattern", "")
        try:
            return HttpHeaderExtractorConfig(re.compile(source))
        except re.error as error:
            raise ConfigInvalid([f"parameters.headersPattern: not a valid regular expression: {error}"]) from None

    def enrich(self, ctx: Any) -> None:
        matches = self.config.pattern.fullmatch
        for header in ctx.raw.payload.thrift.headers or []:
            name, separator, value = header.partition(":")
            name = name.strip()
            if separator and matches(name):
                ctx.derived_contexts.append(sdj(HEADER_SCHEMA, {"name": name, "value": value.strip()}))
