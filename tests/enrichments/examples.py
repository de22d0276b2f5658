"""One working configuration per registered enrichment, for the contract tests (no network is reached)."""

from __future__ import annotations

import base64

from tests.enrichments.support import configuration

SP, SPE = "com.snowplowanalytics.snowplow", "com.snowplowanalytics.snowplow.enrichments"
OPEN = "builtin://open-bot-data"
SCRIPT = base64.b64encode(b"""
function process(event, params) {
  return [{schema: "iglu:com.snowplowanalytics.snowplow/client_side_bot_detection/jsonschema/1-0-0",
           data: {bot: event.getApp_id() === params.botApp, kind: null}}];
}""").decode()


def examples(tmp_path) -> dict[str, dict]:
    """Example configuration JSON per enrichment name; URLs point at a closed loopback port."""
    closed = "http://127.0.0.1:9"
    return {
        "anon_ip": configuration("anon_ip", "1-0-1", {"anonOctets": 2, "anonSegments": 3}),
        "api_request_enrichment_config": configuration("api_request_enrichment_config", "1-0-2", {
            "inputs": [{"key": "user", "pojo": {"field": "user_id"}}],
            "api": {"http": {"method": "GET", "uri": closed + "/users/{{user}}", "timeout": 200,
                             "authentication": {}}},
            "outputs": [{"schema": "iglu:com.acme/user/jsonschema/1-0-0", "json": {"jsonPath": "$.record"}}],
            "cache": {"size": 10, "ttl": 60}, "ignoreOnError": True}, SPE),
        "asn_lookups": configuration("asn_lookups", "1-0-0", {
            "botAsnsFile": {"database": "bot-asns.csv", "uri": OPEN}, "botAsns": [{"asn": 64500}],
            "bypassPlatforms": ["srv"]}, SPE),
        "bot_detection_enrichment_config": configuration("bot_detection_enrichment_config", "1-0-1", {
            "useYauaa": True, "useIab": True, "useAsnLookups": True, "useClientSideDetection": True}, SPE),
        "campaign_attribution": configuration("campaign_attribution", "1-0-1", {"mapping": "static", "fields": {
            "mktMedium": ["utm_medium"], "mktSource": ["utm_source"], "mktTerm": ["utm_term"],
            "mktContent": ["utm_content"], "mktCampaign": ["utm_campaign"]}}),
        "cookie_extractor_config": configuration("cookie_extractor_config", "1-0-0", {"cookies": ["sp"]}),
        "cross_navigation_config": configuration("cross_navigation_config", "1-0-0", None, SPE),
        "currency_conversion_config": configuration("currency_conversion_config", "1-0-0", {
            "accountType": "DEVELOPER", "apiKey": "", "baseCurrency": "EUR", "rateAt": "EOD_PRIOR"}),
        "event_fingerprint_config": configuration("event_fingerprint_config", "1-0-1", {
            "excludeParameters": ["eid", "nuid", "stm", "cv"], "hashAlgorithm": "SHA256"}),
        "http_header_extractor_config": configuration("http_header_extractor_config", "1-0-0",
                                                      {"headersPattern": "X-.*"}, SPE),
        "iab_spiders_and_robots_enrichment": configuration("iab_spiders_and_robots_enrichment", "1-0-1", {
            "ipFile": {"database": "ip_exclude_current_cidr.txt", "uri": OPEN},
            "excludeUseragentFile": {"database": "exclude_current.txt", "uri": OPEN},
            "includeUseragentFile": {"database": "include_current.txt", "uri": OPEN}}, SPE),
        "ip_lookups": configuration("ip_lookups", "2-0-1", {
            "geo": {"database": "GeoIP2-City.mmdb", "uri": f"file://{tmp_path}"}}),
        "javascript_script_config": configuration("javascript_script_config", "1-0-1", {
            "script": SCRIPT, "config": {"botApp": "crawler"}}),
        "pii_enrichment_config": configuration("pii_enrichment_config", "2-0-1", {
            "pii": [{"pojo": {"field": "user_id"}}],
            "strategy": {"pseudonymize": {"hashFunction": "SHA-256", "salt": "pepper"}}}, SPE, emitEvent=False),
        "referer_parser": configuration("referer_parser", "2-0-1", {
            "internalDomains": ["www.shop.example"], "database": "referers.json", "uri": "builtin://referers"}),
        "sql_query_enrichment_config": configuration("sql_query_enrichment_config", "1-0-1", {
            "inputs": [{"placeholder": 1, "pojo": {"field": "user_id"}}],
            "database": {"postgresql": {"host": "127.0.0.1", "port": 9, "sslMode": False, "username": "u",
                                        "password": "p", "database": "d"}},
            "query": {"sql": "SELECT 1 AS one WHERE ? IS NOT NULL"},
            "output": {"expectedRows": "AT_MOST_ONE", "json": {
                "schema": "iglu:com.acme/one/jsonschema/1-0-0", "describes": "EVERY_ROW", "propertyNames": "AS_IS"}},
            "cache": {"size": 10, "ttl": 60}, "ignoreOnError": True}, SPE),
        "ua_parser_config": configuration("ua_parser_config", "1-0-1", {}),
        "user_agent_utils_config": configuration("user_agent_utils_config", "1-0-0", {}),
        "weather_enrichment_config": configuration("weather_enrichment_config", "1-0-0", {
            "apiKey": "k", "cacheSize": 10, "geoPrecision": 1, "apiHost": closed, "timeout": 1}, SPE),
    }
