"""A CollectorPayload through loading, adapters and the pipeline: good events and precise bad rows."""

import base64
import json

import pytest

from enrichment.processing import process_payload
from tests.enrichment.payloads import COLLECTOR_TSTAMP, NUID, collector_payload, tp2

pytestmark = pytest.mark.django_db
EID = "c6ef3124-b53a-4b13-a233-0088f79dcbcb"
SID = "0b8e2f0a-6c9b-4e1f-9a3d-2c5b7e8f1a2b"
WEB_PAGE = {"schema": "iglu:com.snowplowanalytics.snowplow/web_page/jsonschema/1-0-0",
            "data": {"id": "2d6e3c1a-9b7f-4c1e-8a2d-5f6e7d8c9b0a"}}


def test_a_tp1_page_view_maps_to_the_canonical_event():
    outcome = process_payload(collector_payload("/i", {
        "e": "pv", "eid": EID, "p": "web", "tv": "js-4.10.1", "aid": "shop", "url": "https://shop.example/a?b=c#d",
        "page": "A page", "dtm": str(COLLECTOR_TSTAMP - 5000), "stm": str(COLLECTOR_TSTAMP - 1000), "sid": SID,
        "duid": "d-1", "vid": "2", "res": "1920x1080", "co": json.dumps(
            {"schema": "iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/1-0-0", "data": [WEB_PAGE]}),
    }))
    assert outcome.bad == []
    event = outcome.good[0].event
    assert event["event"] == "page_view" and event["event_id"] == EID and event["platform"] == "web"
    assert (event["page_urlscheme"], event["page_urlhost"], event["page_urlport"]) == ("https", "shop.example", 443)
    assert (event["page_urlpath"], event["page_urlquery"], event["page_urlfragment"]) == ("/a", "b=c", "d")
    assert event["collector_tstamp"] == COLLECTOR_TSTAMP
    # derived = collector - (sent - created) = collector - 4000
    assert event["derived_tstamp"] == COLLECTOR_TSTAMP - 4000
    assert event["network_userid"] == NUID and event["user_ipaddress"] == "198.51.100.7"
    assert (event["event_vendor"], event["event_name"], event["event_format"], event["event_version"]) == (
        "com.snowplowanalytics.snowplow", "page_view", "jsonschema", "1-0-0")
    assert event["contexts"] == {"schema": "iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/1-0-1",
                                 "data": [WEB_PAGE]}
    assert event["v_collector"] == "spdj-0.1.0-postgressink"


def test_the_referer_header_is_the_page_when_url_is_absent():
    event = process_payload(collector_payload("/i", {"e": "pv", "p": "web", "tv": "no-js-0.1.0"})).good[0].event
    assert event["page_url"] == "https://shop.example/from-header"
    assert event["page_urlpath"] == "/from-header"


def test_true_timestamp_wins_for_derived_tstamp():
    event = process_payload(collector_payload("/i", {"e": "pv", "p": "web", "tv": "t", "ttm": "1600000000000",
                                                     "dtm": "1", "stm": "2"})).good[0].event
    assert event["derived_tstamp"] == 1600000000000


def test_a_struct_event_gets_google_analytics_vendor():
    event = process_payload(collector_payload("/i", {"e": "se", "p": "srv", "tv": "t", "se_ca": "c", "se_ac": "a",
                                                     "se_va": "1.5"})).good[0].event
    assert (event["event_vendor"], event["event_name"], event["se_value"]) == ("com.google.analytics", "event", 1.5)


def test_an_unstruct_event_takes_vendor_and_name_from_its_schema():
    link = {"schema": "iglu:com.snowplowanalytics.snowplow/link_click/jsonschema/1-0-1",
            "data": {"targetUrl": "https://out.example/"}}
    ue = {"schema": "iglu:com.snowplowanalytics.snowplow/unstruct_event/jsonschema/1-0-0", "data": link}
    encoded = base64.urlsafe_b64encode(json.dumps(ue).encode()).decode().rstrip("=")
    event = process_payload(collector_payload("/i", {"e": "ue", "p": "web", "tv": "t", "ue_px": encoded})).good[0].event
    assert (event["event_vendor"], event["event_name"], event["event_version"]) == (
        "com.snowplowanalytics.snowplow", "link_click", "1-0-1")
    assert event["unstruct_event"]["data"] == link


def test_one_bad_event_in_a_tp2_batch_becomes_its_own_bad_row_and_the_others_are_kept():
    good = {"e": "pv", "p": "web", "tv": "js-4.10.1", "url": "https://shop.example/"}
    bad = {"e": "pv", "p": "web", "tv": "js-4.10.1", "unexpected": "x"}
    outcome = process_payload(tp2([good, bad, dict(good, eid=EID)]))
    assert len(outcome.good) == 2
    assert len(outcome.bad) == 1
    row = outcome.bad[0]
    assert row.type == "tracker_protocol_violations"
    assert json.loads(row.payload["body"])["data"] == [bad]
    message = row.failure["messages"][0]
    assert message["schemaKey"] == "iglu:com.snowplowanalytics.snowplow/payload_data/jsonschema/1-0-4"
    assert message["error"]["error"] == "ValidationError"


def test_the_querystring_of_a_tp2_post_is_merged_into_every_event_and_wins():
    outcome = process_payload(tp2([{"e": "pv", "p": "web", "tv": "t", "aid": "body"},
                                   {"e": "pv", "p": "web", "tv": "t"}], query="aid=query"))
    assert [item.event["app_id"] for item in outcome.good] == ["query", "query"]


def test_a_non_json_content_type_is_a_tracker_protocol_violation():
    outcome = process_payload(tp2([{"e": "pv", "p": "web", "tv": "t"}], content_type="text/plain"))
    assert outcome.good == [] and outcome.bad[0].failure["messages"][0]["field"] == "contentType"


def test_invalid_json_body_is_a_not_json_message():
    outcome = process_payload(collector_payload("/com.snowplowanalytics.snowplow/tp2", body="{oops",
                                                content_type="application/json"))
    message = outcome.bad[0].failure["messages"][0]
    assert message["field"] == "body" and message["error"].startswith("invalid json")


def test_an_empty_tp2_request_has_two_messages():
    outcome = process_payload(collector_payload("/com.snowplowanalytics.snowplow/tp2"))
    assert [m["field"] for m in outcome.bad[0].failure["messages"]] == ["body", "querystring"]


def test_parse_errors_make_one_schema_violation_against_the_atomic_schema():
    outcome = process_payload(collector_payload("/i", {"e": "pv", "p": "web", "tv": "t", "dtm": "x", "eid": "y"}))
    row = outcome.bad[0]
    assert row.type == "schema_violations"
    message = row.failure["messages"][0]
    assert message["schemaKey"] == "iglu:com.snowplowanalytics.snowplow/atomic/jsonschema/1-0-0"
    assert {r["path"] for r in message["error"]["dataReports"]} == {"dtm", "eid"}
    assert row.payload["raw"]["parameters"][0] == {"name": "e", "value": "pv"}


def test_an_unknown_schema_is_a_resolution_error_bad_row():
    ue = {"schema": "iglu:com.snowplowanalytics.snowplow/unstruct_event/jsonschema/1-0-0",
          "data": {"schema": "iglu:com.acme.unknown/thing/jsonschema/1-0-0", "data": {}}}
    outcome = process_payload(collector_payload("/i", {"e": "ue", "p": "web", "tv": "t", "ue_pr": json.dumps(ue)}))
    message = outcome.bad[0].failure["messages"][0]
    assert outcome.bad[0].type == "schema_violations"
    assert message["schemaKey"] == "iglu:com.acme.unknown/thing/jsonschema/1-0-0"
    assert message["error"]["error"] == "ResolutionError"


def test_an_invalid_context_is_a_schema_violation_naming_the_field():
    bad_page = {"schema": "iglu:com.snowplowanalytics.snowplow/web_page/jsonschema/1-0-0", "data": {"id": 5}}
    co = {"schema": "iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/1-0-0", "data": [bad_page]}
    outcome = process_payload(collector_payload("/i", {"e": "pv", "p": "web", "tv": "t", "co": json.dumps(co)}))
    reports = outcome.bad[0].failure["messages"][0]["error"]["dataReports"]
    assert reports and "id" in reports[0]["path"]


def test_an_unparsable_page_url_is_an_enrichment_failure():
    outcome = process_payload(collector_payload("/i", {"e": "pv", "p": "web", "tv": "t", "url": "http://[::1"}))
    assert outcome.bad[0].type == "enrichment_failures"


def test_an_over_long_field_is_a_schema_violation():
    outcome = process_payload(collector_payload("/i", {"e": "pv", "p": "web", "tv": "t", "page": "x" * 2001}))
    report = outcome.bad[0].failure["messages"][0]["error"]["dataReports"][0]
    assert report["keyword"] == "atomic_field_length_exceeded" and report["path"] == "page_title"


def test_garbage_bytes_are_a_collector_payload_format_violation():
    outcome = process_payload(b"\x00\x01garbage")
    assert outcome.bad[0].type == "collector_payload_format_violation"


def test_a_network_user_id_that_is_not_a_uuid_is_a_format_violation():
    outcome = process_payload(collector_payload("/i", {"e": "pv"}, networkUserId="bad"))
    assert outcome.bad[0].failure["message"]["payloadField"] == "networkUserId"


def test_an_unsupported_vendor_is_an_adapter_failure():
    outcome = process_payload(collector_payload("/com.unknown/v9", {"a": "b"}))
    row = outcome.bad[0]
    assert row.type == "adapter_failures"
    assert row.failure["messages"][0] == {"field": "vendor/version", "value": "com.unknown/v9",
                                          "expectation": "vendor/version combination is not supported"}


def test_x_forwarded_for_in_recorded_headers_gives_the_client_ip():
    raw = collector_payload("/i", {"e": "pv", "p": "web", "tv": "t"},
                            headers=["Host: c.example", "X-Forwarded-For: 203.0.113.8, 10.0.0.1"])
    assert process_payload(raw).good[0].event["user_ipaddress"] == "203.0.113.8"


def test_the_ip_parameter_overrides_every_other_source():
    raw = collector_payload("/i", {"e": "pv", "p": "web", "tv": "t", "ip": "192.0.2.55"},
                            headers=["X-Forwarded-For: 203.0.113.8"])
    assert process_payload(raw).good[0].event["user_ipaddress"] == "192.0.2.55"


def test_the_redirect_adapter_makes_a_uri_redirect_event():
    outcome = process_payload(collector_payload("/r/tp2", {"u": "https://dest.example/x", "aid": "mail"}))
    event = outcome.good[0].event
    assert event["event"] == "unstruct" and event["v_tracker"] == "r-tp2" and event["platform"] == "web"
    assert event["unstruct_event"]["data"] == {
        "schema": "iglu:com.snowplowanalytics.snowplow/uri_redirect/jsonschema/1-0-0",
        "data": {"uri": "https://dest.example/x"}}


def test_the_pii_enrichment_emit_event_loads_a_pii_transformation_event_linked_to_its_parent():
    from enrichment.config import get_pipeline, reset_pipeline
    from enrichment.configuration import enrichment_config_save

    reset_pipeline()  # versions restart with each test's rolled-back transaction; a worker's never go back
    enrichment_config_save("pii_enrichment_config", {
        "schema": "iglu:com.snowplowanalytics.snowplow.enrichments/pii_enrichment_config/jsonschema/2-0-1",
        "data": {"vendor": "com.snowplowanalytics.snowplow.enrichments", "name": "pii_enrichment_config",
                 "enabled": True, "emitEvent": True, "parameters": {
                     "pii": [{"pojo": {"field": "user_id"}}],
                     "strategy": {"pseudonymize": {"hashFunction": "SHA-256", "salt": "pepper"}}}}})
    outcome = process_payload(collector_payload("/i", {"e": "pv", "eid": EID, "p": "web", "tv": "t", "uid": "jo"}),
                              get_pipeline())
    parent, pii = (item.event for item in outcome.good)
    assert parent["user_id"] != "jo" and len(parent["user_id"]) == 64
    assert pii["event_name"] == "pii_transformation" and pii["platform"] == "srv"
    assert pii["contexts"]["data"][0]["data"] == {"parentEventId": EID}
    assert pii["derived_tstamp"] == pii["collector_tstamp"]


@pytest.mark.parametrize("version", ["1-0-0", "1-0-1", "1-0-2", "1-0-3", "1-0-4"])
@pytest.mark.parametrize("event", [
    {"e": "pv", "p": "web", "tv": "t"},
    {"e": "pv", "p": "web"},
    {"e": "pv", "p": "web", "tv": 1},
    {"e": "pv", "p": "web", "tv": "t", "unknown": "x"},
    {"e": "pv", "p": "web", "tv": "t", "ttm": "1"},
    {"e": "pv", "p": "web", "tv": "t", "aid": None},
    ["not", "an", "object"],
])
def test_the_fast_payload_data_check_agrees_with_the_schema_validator(version, event):
    from enrichment.adapters.tracker_protocol import flat_string_record
    from iglu import api as iglu

    uri = f"iglu:com.snowplowanalytics.snowplow/payload_data/jsonschema/{version}"
    record = flat_string_record(uri)
    assert record is not None
    assert record.accepts(event) == (iglu.validate_instance({"schema": uri, "data": [event]}) == [])


def test_the_fingerprint_enrichment_hash_is_reused_for_deduplication_only_when_it_is_the_same_hash():
    from enrichment.config import get_pipeline, reset_pipeline
    from enrichment.configuration import enrichment_config_save
    from enrichment.fingerprint import event_fingerprint
    from enrichment.models import EnrichmentConfig

    params = {"e": "pv", "eid": EID, "p": "web", "tv": "t", "stm": "1700000000000"}
    for algorithm, excluded in (("MD5", ["cv", "eid", "nuid", "stm"]), ("SHA1", ["eid"])):
        EnrichmentConfig.objects.all().delete()
        reset_pipeline()
        enrichment_config_save("event_fingerprint_config", {
            "schema": "iglu:com.snowplowanalytics.snowplow/event_fingerprint_config/jsonschema/1-0-1",
            "data": {"vendor": "com.snowplowanalytics.snowplow", "name": "event_fingerprint_config", "enabled": True,
                     "parameters": {"excludeParameters": excluded, "hashAlgorithm": algorithm}}})
        (good,) = process_payload(collector_payload("/i", params), get_pipeline()).good
        assert good.fingerprint == event_fingerprint(params)  # always the de-duplication hash
        assert good.event["event_fingerprint"] == event_fingerprint(params, frozenset(excluded), algorithm)


def test_an_event_without_a_valid_eid_gets_a_new_version_4_uuid_also_in_its_bad_row():
    import uuid

    first, second = (process_payload(collector_payload("/i", {"e": "pv", "p": "web", "tv": "t"})).good[0]
                     for _ in range(2))
    ids = [first.event["event_id"], second.event["event_id"]]
    assert ids[0] != ids[1] and all(uuid.UUID(value).version == 4 and len(value) == 36 for value in ids)
    bad = process_payload(collector_payload("/i", {"e": "pv", "p": "web", "tv": "t", "eid": "not-a-uuid"})).bad[0]
    assert uuid.UUID(bad.payload["enriched"]["event_id"]).version == 4


def test_repeated_values_convert_the_same_each_time_and_a_repeated_bad_value_fails_each_time():
    for _ in range(3):
        event = process_payload(collector_payload("/i", {"e": "pp", "p": "web", "tv": "t", "res": "1920x1080",
                                                         "cookie": "1", "pp_may": "250"})).good[0].event
        assert (event["event"], event["dvce_screenwidth"], event["dvce_screenheight"]) == ("page_ping", 1920, 1080)
        assert event["br_cookies"] is True and event["pp_yoffset_max"] == 250
        bad = process_payload(collector_payload("/i", {"e": "pv", "p": "web", "tv": "t", "res": "1920 x 1080"})).bad
        report = bad[0].failure["messages"][0]["error"]["dataReports"][0]
        assert (report["path"], report["message"]) == ("res", "[1920 x 1080] does not have the format WIDTHxHEIGHT")


def test_forwarded_headers_are_found_in_any_case_and_after_other_headers():
    raw = collector_payload("/i", {"e": "pv", "p": "web", "tv": "t"},
                            headers=["Host: c.example", "User-Agent: x", "forwarded: for=\"[2001:db8::1]\""])
    assert process_payload(raw).good[0].event["user_ipaddress"] == "2001:db8::1"
    raw = collector_payload("/i", {"e": "pv", "p": "web", "tv": "t"},
                            headers=["Forwarded: for=192.0.2.60", "x-forwarded-for: 203.0.113.9"])
    assert process_payload(raw).good[0].event["user_ipaddress"] == "203.0.113.9"
