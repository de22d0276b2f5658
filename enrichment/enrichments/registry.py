"""Every configurable enrichment, keyed by its configuration schema's name as Snowplow dispatches them."""

from __future__ import annotations

from enrichment.enrichments.anon_ip import AnonIpEnrichment
from enrichment.enrichments.api_request import ApiRequestEnrichment
from enrichment.enrichments.asn_lookups import AsnLookupsEnrichment
from enrichment.enrichments.base import Enrichment
from enrichment.enrichments.bot_detection import BotDetectionEnrichment
from enrichment.enrichments.campaign_attribution import CampaignAttributionEnrichment
from enrichment.enrichments.cookie_extractor import CookieExtractorEnrichment
from enrichment.enrichments.cross_navigation import CrossNavigationEnrichment
from enrichment.enrichments.currency_conversion import CurrencyConversionEnrichment
from enrichment.enrichments.event_fingerprint import EventFingerprintEnrichment
from enrichment.enrichments.http_header_extractor import HttpHeaderExtractorEnrichment
from enrichment.enrichments.iab import IabEnrichment
from enrichment.enrichments.ip_lookups import IpLookupsEnrichment
from enrichment.enrichments.javascript_script import JavascriptScriptEnrichment
from enrichment.enrichments.pii import PiiEnrichment
from enrichment.enrichments.referer_parser import RefererParserEnrichment
from enrichment.enrichments.sql_query import SqlQueryEnrichment
from enrichment.enrichments.ua_parser import UaParserEnrichment
from enrichment.enrichments.user_agent_utils import UserAgentUtilsEnrichment
from enrichment.enrichments.weather import WeatherEnrichment

REGISTRY: dict[str, type[Enrichment]] = {
    "anon_ip": AnonIpEnrichment,
    "api_request_enrichment_config": ApiRequestEnrichment,
    "asn_lookups": AsnLookupsEnrichment,
    "bot_detection_enrichment_config": BotDetectionEnrichment,
    "campaign_attribution": CampaignAttributionEnrichment,
    "cookie_extractor_config": CookieExtractorEnrichment,
    "cross_navigation_config": CrossNavigationEnrichment,
    "currency_conversion_config": CurrencyConversionEnrichment,
    "event_fingerprint_config": EventFingerprintEnrichment,
    "http_header_extractor_config": HttpHeaderExtractorEnrichment,
    "iab_spiders_and_robots_enrichment": IabEnrichment,
    "ip_lookups": IpLookupsEnrichment,
    "javascript_script_config": JavascriptScriptEnrichment,
    "pii_enrichment_config": PiiEnrichment,
    "referer_parser": RefererParserEnrichment,
    "sql_query_enrichment_config": SqlQueryEnrichment,
    "ua_parser_config": UaParserEnrichment,
    "user_agent_utils_config": UserAgentUtilsEnrichment,
    "weather_enrichment_config": WeatherEnrichment,
}
# Several of these may be configured at once; they run in their configured order (enrich #868).
REPEATABLE = frozenset({"javascript_script_config"})


def get_enrichment_class(name: str) -> type[Enrichment] | None:
    """The class for a configuration schema name, or None (enrich ignores unknown names)."""
    return REGISTRY.get(name)
