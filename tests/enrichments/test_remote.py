"""API request, weather and SQL query enrichments, against a loopback HTTP server and the test database."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection

from enrichment.enrichments.base import ConfigInvalid
from enrichment.enrichments.sql_query import to_driver_sql
from tests.enrichments.support import build, configuration, contexts, enrich, failure_messages, good, json_answer

SPE = "com.snowplowanalytics.snowplow.enrichments"


def acme_schema(name: str, properties: dict) -> dict:
    return {"$schema": "http://iglucentral.com/schemas/com.snowplowanalytics.self-desc/schema/jsonschema/1-0-0#",
            "self": {"vendor": "com.acme", "name": name, "format": "jsonschema", "version": "1-0-0"},
            "type": "object", "properties": properties}


@pytest.fixture(autouse=True)
def output_schemas(db):
    """The contexts these enrichments add are validated like every derived context, so their schemas exist."""
    from iglu import api as iglu
    from iglu.publishing import schema_publish

    schema_publish(acme_schema("user", {"tier": {"type": "string"}}))
    schema_publish(acme_schema("customer", {"loyaltyTier": {"type": "string"}, "spend": {"type": "number"}}))
    iglu.clear_caches()
    yield
    iglu.clear_caches()


def api(url: str, method: str = "GET", ignore: bool = False, ttl: int = 60) -> dict:
    return configuration("api_request_enrichment_config", "1-0-2", {
        "inputs": [{"key": "user", "pojo": {"field": "user_id"}},
                   {"key": "page", "json": {"field": "contexts", "jsonPath": "$.id",
                                            "schemaCriterion": "iglu:com.snowplowanalytics.snowplow/web_page/"
                                                               "jsonschema/1-*-*"}}],
        "api": {"http": {"method": method, "uri": url + "/users/{{user}}?page={{page}}", "timeout": 2000,
                         "authentication": {"httpBasic": {"username": "u", "password": "p"}}}},
        "outputs": [{"schema": "iglu:com.acme/user/jsonschema/1-0-0", "json": {"jsonPath": "$.record"}}],
        "cache": {"size": 10, "ttl": ttl}, "ignoreOnError": ignore}, SPE)


WEB_PAGE = json.dumps({"schema": "iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/1-0-0", "data": [
    {"schema": "iglu:com.snowplowanalytics.snowplow/web_page/jsonschema/1-0-0",
     "data": {"id": "2d6e3c1a-9b7f-4c1e-8a2d-5f6e7d8c9b0a"}}]})


@pytest.mark.django_db
def test_the_api_is_called_with_url_encoded_inputs_and_its_answer_becomes_a_context(loopback):
    server = loopback(lambda method, path, body: json_answer({"record": {"tier": "gold"}}))
    built = build(api(server.url))
    event = good(enrich(built, {"uid": "al ice", "co": WEB_PAGE}))
    assert contexts(event, "iglu:com.acme/user/") == [{"tier": "gold"}]
    method, path, _, headers = server.requests[0]
    assert (method, path) == ("GET", "/users/al%20ice?page=2d6e3c1a-9b7f-4c1e-8a2d-5f6e7d8c9b0a")
    assert headers["Authorization"] == "Basic dTpw"
    good(enrich(built, {"uid": "al ice", "co": WEB_PAGE}))
    assert len(server.requests) == 1  # cached


@pytest.mark.django_db
def test_a_missing_input_skips_the_request(loopback):
    server = loopback(lambda method, path, body: json_answer({"record": {}}))
    event = good(enrich([api(server.url)], {"uid": "alice"}))
    assert server.requests == [] and event.get("derived_contexts") is None


@pytest.mark.django_db
def test_post_sends_the_inputs_as_a_json_body(loopback):
    server = loopback(lambda method, path, body: json_answer({"record": {"ok": True}}))
    good(enrich([api(server.url, method="POST")], {"uid": "alice", "co": WEB_PAGE}))
    assert json.loads(server.requests[0][2]) == {"page": "2d6e3c1a-9b7f-4c1e-8a2d-5f6e7d8c9b0a", "user": "alice"}


@pytest.mark.django_db
def test_an_api_error_fails_the_event_unless_ignore_on_error(loopback):
    server = loopback(lambda method, path, body: json_answer({"error": "nope"}, status=500))
    (message,) = failure_messages(enrich([api(server.url)], {"uid": "alice", "co": WEB_PAGE}))
    assert message["enrichment"]["identifier"] == "api-request" and "failed" in message["message"]["error"]
    assert good(enrich([api(server.url, ignore=True)], {"uid": "alice", "co": WEB_PAGE}))


@pytest.mark.django_db
def test_a_placeholder_without_an_input_is_a_configuration_error():
    document = api("http://127.0.0.1:9")
    document["data"]["parameters"]["api"]["http"]["uri"] += "&x={{nope}}"
    with pytest.raises(ConfigInvalid, match="nope"):
        build(document)


def weather(url: str) -> dict:
    return configuration("weather_enrichment_config", "1-0-0", {
        "apiKey": "secret", "cacheSize": 10, "geoPrecision": 1, "apiHost": url, "timeout": 2}, SPE)


@pytest.mark.django_db
def test_weather_asks_the_history_api_for_the_rounded_place_and_day_and_keeps_the_closest_hour(loopback):
    # derived_tstamp = collector time 1,700,000,000 s (2023-11-14 22:13:20Z); records at 22:00 and 23:00.
    records = [{"dt": 1_699_999_200, "main": {"temp": 280.1, "humidity": 80}, "weather": [
        {"id": 500, "main": "Rain", "description": "light rain", "icon": "10n"}]},
        {"dt": 1_700_002_800, "main": {"temp": 279.0}, "clouds": {"all": 90}}]
    server = loopback(lambda method, path, body: json_answer({"list": records}))
    from enrichment.pipeline import EnrichmentContext
    from tests.enrichments.support import raw_event

    (_, enrichment), = build(weather(server.url))
    ctx = EnrichmentContext(raw_event())
    ctx.event.update(geo_latitude=51.5142, geo_longitude=-0.0931, derived_tstamp=1_700_000_000_000)
    enrichment.enrich(ctx)
    assert ctx.derived_contexts == [{"schema": "iglu:org.openweathermap/weather/jsonschema/1-0-0", "data": {
        "main": {"temp": 280.1, "humidity": 80}, "dt": "2023-11-14T22:00:00.000Z",
        "weather": [{"id": 500, "main": "Rain", "description": "light rain", "icon": "10n"}]}}]
    query = parse_qs(urlsplit(server.requests[0][1]).query)
    assert query["lat"] == ["51.5"] and query["lon"] == ["-0.1"] and query["appid"] == ["secret"]
    assert query["start"] == ["1699920000"] and query["end"] == ["1700006400"]


@pytest.mark.django_db
def test_weather_without_coordinates_fails_with_snowplows_missing_field_message(loopback):
    server = loopback(lambda method, path, body: json_answer({"list": []}))
    (message,) = failure_messages(enrich([weather(server.url)]))
    assert message["message"] == {"field": "geo_latitude", "value": None, "expectation": "missing"}
    assert server.requests == []


def test_question_marks_become_bound_parameters_outside_quotes_only():
    assert to_driver_sql("SELECT '?', \"a?\" FROM t WHERE a = ? AND b LIKE '5%' AND c = ?") == (
        "SELECT '?', \"a?\" FROM t WHERE a = %s AND b LIKE '5%%' AND c = %s", 2)


def sql(settings_db: dict, sql_text: str, expected: str = "AT_MOST_ONE", describes: str = "EVERY_ROW") -> dict:
    return configuration("sql_query_enrichment_config", "1-0-1", {
        "inputs": [{"placeholder": 1, "pojo": {"field": "user_id"}}],
        "database": {"postgresql": {"host": settings_db["HOST"] or "127.0.0.1",
                                    "port": int(settings_db["PORT"] or 5432), "sslMode": False,
                                    "username": settings_db["USER"],
                                    "password": settings_db["PASSWORD"] or None, "database": settings_db["NAME"]}},
        "query": {"sql": sql_text},
        "output": {"expectedRows": expected, "json": {"schema": "iglu:com.acme/customer/jsonschema/1-0-0",
                                                      "describes": describes, "propertyNames": "CAMEL_CASE"}},
        "cache": {"size": 10, "ttl": 60}, "ignoreOnError": False}, SPE)


@pytest.mark.django_db(transaction=True)
def test_sql_rows_become_contexts_with_camel_case_names_and_inputs_are_bound_not_formatted():
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS enrich_customers (user_id text, loyalty_tier text, spend numeric)")
        cursor.execute("INSERT INTO enrich_customers VALUES ('alice', 'gold', 12.5), ('x''; DROP TABLE t; --', 'n', 0)")
    db = connection.settings_dict
    built = build(sql(db, "SELECT loyalty_tier, spend FROM enrich_customers WHERE user_id = ?"))
    strict = build(sql(db, "SELECT loyalty_tier FROM enrich_customers WHERE user_id <> ?", expected="EXACTLY_ONE"))
    try:
        event = good(enrich(built, {"uid": "alice"}))
        assert contexts(event, "iglu:com.acme/customer/") == [{"loyaltyTier": "gold", "spend": 12.5}]
        event = good(enrich(built, {"uid": "x'; DROP TABLE t; --"}))
        assert contexts(event, "iglu:com.acme/customer/") == [{"loyaltyTier": "n", "spend": 0.0}]
        failures = failure_messages(enrich(strict, {"uid": "nobody"}))
        assert "returned 2 rows; expected EXACTLY_ONE" in failures[0]["message"]["error"]
    finally:
        for _, enrichment in built + strict:
            enrichment.close()  # its own connection to the test database
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE enrich_customers")
