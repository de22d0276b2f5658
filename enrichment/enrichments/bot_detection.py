"""Bot detection: one `bot_detection` context combining the bot signals other enrichments left (spec 3).

Indicators: `yauaa` (a YAUAA context with a robot device or agent class; this product has no YAUAA, so a
ua_parser_context whose device family is "Spider" stands in for it), `iab` (spiders_and_robots says so),
`asnLookups` (the asn context's likelyBot) and `clientSideDetection` (a tracker-sent client_side_bot_detection
entity with bot true). Each is used only when its flag is on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from enrichment.enrichments.base import Enrichment, sdj

CONTEXT_SCHEMA = "iglu:com.snowplowanalytics.snowplow/bot_detection/jsonschema/1-0-1"
YAUAA_ROBOTS = {"Robot", "Robot Mobile", "Robot Imitator"}
CLIENT_SIDE = "iglu:com.snowplowanalytics.snowplow/client_side_bot_detection/jsonschema/1-"


@dataclass(frozen=True)
class BotDetectionConfig:
    use_yauaa: bool
    use_iab: bool
    use_asn_lookups: bool
    use_client_side_detection: bool


def _entities(context: dict[str, Any] | None) -> list[dict[str, Any]]:
    return list((context or {}).get("data") or [])


def _data(entities: list[dict[str, Any]], prefix: str) -> list[dict[str, Any]]:
    return [entity.get("data") or {} for entity in entities if str(entity.get("schema", "")).startswith(prefix)]


class BotDetectionEnrichment(Enrichment):
    name = "bot_detection_enrichment_config"
    identifier = "bot-detection"
    criterion = "iglu:com.snowplowanalytics.snowplow.enrichments/bot_detection_enrichment_config/jsonschema/1-*-*"
    output_schemas = (CONTEXT_SCHEMA,)

    @classmethod
    def parse_config(cls, data: dict[str, Any]) -> BotDetectionConfig:
        parameters = data.get("parameters") or {}
        return BotDetectionConfig(bool(parameters.get("useYauaa")), bool(parameters.get("useIab")),
                                  bool(parameters.get("useAsnLookups")), bool(parameters.get("useClientSideDetection")))

    def enrich(self, ctx: Any) -> None:
        derived, config = ctx.derived_contexts, self.config
        indicators = []
        if config.use_yauaa and self._yauaa_says_bot(derived):
            indicators.append("yauaa")
        if config.use_iab and any(d.get("spiderOrRobot") for d in _data(derived, "iglu:com.iab.snowplow/")):
            indicators.append("iab")
        asn = "iglu:com.snowplowanalytics.snowplow/asn/"
        if config.use_asn_lookups and any(d.get("likelyBot") for d in _data(derived, asn)):
            indicators.append("asnLookups")
        if config.use_client_side_detection and any(
                d.get("bot") is True for d in _data(_entities(ctx.event.get("contexts")), CLIENT_SIDE)):
            indicators.append("clientSideDetection")
        ctx.derived_contexts.append(sdj(CONTEXT_SCHEMA, {"bot": bool(indicators), "indicators": indicators}))

    @staticmethod
    def _yauaa_says_bot(derived: list[dict[str, Any]]) -> bool:
        for data in _data(derived, "iglu:nl.basjes/yauaa_context/"):
            if data.get("deviceClass") in YAUAA_ROBOTS or data.get("agentClass") in {"Robot", "Robot Mobile"}:
                return True
        ua_parser = "iglu:com.snowplowanalytics.snowplow/ua_parser_context/"
        return any(data.get("deviceFamily") == "Spider" for data in _data(derived, ua_parser))
