"""Cookie and header extractors, currency conversion with ECB rates, PII pseudonymisation."""

from __future__ import annotations

import hashlib
import json

import pytest

from tests.enrichments.support import build, configuration, contexts, enrich, failure_messages, good

pytestmark = pytest.mark.django_db
SPE = "com.snowplowanalytics.snowplow.enrichments"
CURRENCY = configuration("currency_conversion_config", "1-0-0", {
    "accountType": "DEVELOPER", "apiKey": "", "baseCurrency": "EUR", "rateAt": "EOD_PRIOR"})


def test_the_cookie_extractor_adds_one_context_per_configured_cookie_in_every_cookie_header():
    event = good(enrich([configuration("cookie_extractor_config", "1-0-0", {"cookies": ["sp", "b"]})],
                        headers=["Cookie: sp=abc; other=1", "cookie: b=2"]))
    assert contexts(event, "iglu:org.ietf/http_cookie/") == [{"name": "sp", "value": "abc"},
                                                             {"name": "b", "value": "2"}]


def test_the_header_extractor_matches_the_whole_header_name_and_trims_values():
    event = good(enrich([configuration("http_header_extractor_config", "1-0-0", {"headersPattern": "X-.*|Host"},
                                       SPE)], headers=["X-Forwarded-For:  1.2.3.4 ", "Host: c.example",
                                                       "Accept-X-Thing: no"]))
    assert contexts(event, "iglu:org.ietf/http_header/") == [{"name": "X-Forwarded-For", "value": "1.2.3.4"},
                                                             {"name": "Host", "value": "c.example"}]


def test_an_invalid_header_pattern_is_rejected_when_configured():
    from enrichment.enrichments.base import ConfigInvalid

    with pytest.raises(ConfigInvalid, match="headersPattern"):
        build(configuration("http_header_extractor_config", "1-0-0", {"headersPattern": "(["}, SPE))


def test_transaction_amounts_convert_at_the_ecb_rate_of_the_day_before_the_collector_date():
    # Collector date 2023-11-14; ECB reference rate of 2023-11-13: 1 EUR = 1.0670 USD.
    event = good(enrich([CURRENCY], {"e": "tr", "tr_id": "o1", "tr_tt": "100", "tr_tx": "10", "tr_sh": "5",
                                     "tr_cu": "USD"}))
    assert (event["tr_total_base"], event["tr_tax_base"], event["tr_shipping_base"]) == (93.72, 9.37, 4.69)
    assert event["base_currency"] == "EUR"


def test_an_item_price_converts_and_the_base_currency_is_set_on_every_event():
    event = good(enrich([CURRENCY], {"e": "ti", "ti_id": "o1", "ti_sk": "s", "ti_pr": "10", "ti_qu": "1",
                                     "ti_cu": "GBP"}))
    assert event["ti_price_base"] == round(10 / 0.87155, 2)
    assert good(enrich([CURRENCY]))["base_currency"] == "EUR"


def test_an_unknown_currency_fails_the_event_naming_the_field():
    result = enrich([CURRENCY], {"e": "tr", "tr_id": "o1", "tr_tt": "1", "tr_cu": "ZZZ"})
    (message,) = failure_messages(result)
    assert message["enrichment"]["identifier"] == "currency-conversion"
    assert (message["message"]["field"], message["message"]["value"]) == ("tr_currency", "ZZZ")


def pii(*fields, emit=False, anonymous_only=False) -> dict:
    data = {"emitEvent": emit}
    if anonymous_only:
        data["anonymousOnly"] = True
    return configuration("pii_enrichment_config", "2-0-1", {
        "pii": list(fields), "strategy": {"pseudonymize": {"hashFunction": "SHA-256", "salt": "pepper"}}}, SPE,
        **data)


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def test_listed_fields_are_replaced_by_the_salted_hash():
    event = good(enrich([pii({"pojo": {"field": "user_id"}})], {"uid": "alice@example.com"}))
    assert event["user_id"] == sha256("alice@example.com" + "pepper")


def test_json_paths_inside_matching_entities_are_hashed_and_numbers_left_alone():
    context = {"schema": "iglu:com.acme/customer/jsonschema/1-0-0",
               "data": {"email": "a@b.example", "aliases": ["x", "y"], "age": 42}}
    co = json.dumps({"schema": "iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/1-0-0", "data": [context]})
    config = pii(*({"json": {"field": "contexts", "schemaCriterion": "iglu:com.acme/customer/jsonschema/1-*-*",
                             "jsonPath": path}} for path in ("$.email", "$.aliases", "$.age")))
    from enrichment.enrichments.pii import PiiEnrichment
    from enrichment.pipeline import EnrichmentContext
    from tests.enrichments.support import raw_event

    (_, enrichment), = build(config)
    assert isinstance(enrichment, PiiEnrichment)
    ctx = EnrichmentContext(raw_event({"co": co}))
    ctx.event["contexts"] = json.loads(co)
    enrichment.enrich(ctx)
    data = ctx.event["contexts"]["data"][0]["data"]
    assert data == {"email": sha256("a@b.examplepepper"), "aliases": [sha256("xpepper"), sha256("ypepper")],
                    "age": 42}


def test_with_emit_event_a_pii_transformation_event_describes_the_change():
    result = enrich([pii({"pojo": {"field": "user_id"}}, emit=True)], {"uid": "alice"})
    (pii_event,) = result.raw.extra["pii_events"]
    assert pii_event["unstruct_event"]["data"]["data"]["pii"]["pojo"] == [
        {"fieldName": "user_id", "originalValue": "alice", "modifiedValue": sha256("alicepepper")}]
    assert pii_event["contexts"]["data"][0]["data"] == {"parentEventId": result.event["event_id"]}


def test_anonymous_only_acts_only_on_requests_with_an_sp_anonymous_header():
    config = pii({"pojo": {"field": "user_id"}}, anonymous_only=True)
    assert good(enrich([config], {"uid": "alice"}))["user_id"] == "alice"
    assert good(enrich([config], {"uid": "alice"}, headers=["SP-Anonymous: *"]))["user_id"] == sha256("alicepepper")
