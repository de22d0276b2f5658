"""Cross navigation: the `cross_navigation` context from the `_sp` page parameter (spec 3).

`_sp` is `domainUserId.timestamp.sessionId.b64(userId).b64(sourceId).sourcePlatform.b64(reason)`. The always-on
built-in step (`pipeline.cross_domain`) already sets refr_domain_userid and refr_dvce_tstamp and records malformed
parts as failures; this enrichment adds the context when both the user id and the timestamp are present.
"""

from __future__ import annotations

from typing import Any

from enrichment.badrows import iso_from_millis
from enrichment.conversions import ConversionError, decode_base64url, to_millis
from enrichment.enrichments.base import Enrichment, sdj
from enrichment.raw import parse_querystring

CONTEXT_SCHEMA = "iglu:com.snowplowanalytics.snowplow/cross_navigation/jsonschema/1-0-0"
FIELDS = ("domain_user_id", "timestamp", "session_id", "user_id", "source_id", "source_platform", "reason")
ENCODED = {"user_id", "source_id", "reason"}


def parse_sp(value: str) -> dict[str, Any] | None:
    """The context data of an `_sp` value, or None when the user id or timestamp is missing or malformed."""
    parts = (value.split(".") + [""] * len(FIELDS))[: len(FIELDS)]
    data: dict[str, Any] = {}
    for name, part in zip(FIELDS, parts, strict=True):
        if not part:
            data[name] = None
        elif name in ENCODED:
            try:
                data[name] = decode_base64url(part)
            except ConversionError:
                return None
        else:
            data[name] = part
    if not data["domain_user_id"] or not data["timestamp"]:
        return None
    try:
        data["timestamp"] = iso_from_millis(to_millis(data["timestamp"]))
    except ConversionError:
        return None
    return data


class CrossNavigationEnrichment(Enrichment):
    name = "cross_navigation_config"
    identifier = "cross-navigation"
    criterion = "iglu:com.snowplowanalytics.snowplow.enrichments/cross_navigation_config/jsonschema/1-*-*"
    output_schemas = (CONTEXT_SCHEMA,)

    @classmethod
    def parse_config(cls, data: dict[str, Any]) -> None:
        return None

    def enrich(self, ctx: Any) -> None:
        query = ctx.event.get("page_urlquery")
        if not query or "_sp=" not in query:
            return
        value = dict(parse_querystring(query)).get("_sp")
        data = parse_sp(value) if value else None
        if data is not None:
            ctx.derived_contexts.append(sdj(CONTEXT_SCHEMA, data))
