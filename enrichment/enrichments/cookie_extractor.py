"""Cookie extractor: one `http_cookie` context per configured cookie found in the request's Cookie headers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from enrichment.enrichments.base import Enrichment, sdj

COOKIE_SCHEMA = "iglu:org.ietf/http_cookie/jsonschema/1-0-0"


@dataclass(frozen=True)
class CookieExtractorConfig:
    cookies: frozenset[str]


def request_cookies(headers: list[str]) -> list[tuple[str, str]]:
    """(name, value) of every cookie in every `Cookie:` header (header name case-insensitive), in order."""
    found = []
    for header in headers:
        name, _, value = header.partition(":")
        if name.strip().lower() != "cookie":
            continue
        for part in value.split(";"):
            cookie_name, separator, cookie_value = part.strip().partition("=")
            if separator and cookie_name:
                found.append((cookie_name.strip(), cookie_value.strip()))
    return found


class CookieExtractorEnrichment(Enrichment):
    name = "cookie_extractor_config"
    identifier = "cookie-extractor"
    criterion = "iglu:com.snowplowanalytics.snowplow/cookie_extractor_config/jsonschema/1-*-*"
    output_schemas = (COOKIE_SCHEMA,)

    @classmethod
    def parse_config(cls, data: dict[str, Any]) -> CookieExtractorConfig:
        return CookieExtractorConfig(frozenset((data.get("parameters") or {}).get("cookies") or ()))

    def enrich(self, ctx: Any) -> None:
        wanted = self.config.cookies
        for name, value in request_cookies(ctx.raw.payload.thrift.headers or []):
            if name in wanted:
                ctx.derived_contexts.append(sdj(COOKIE_SCHEMA, {"name": name, "value": value}))
