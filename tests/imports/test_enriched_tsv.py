"""Enriched TSV lines are read back into the canonical event with typed values, or a loader_parsing_error."""

from __future__ import annotations

from enrichment.badrows import BadRowData
from enrichment.events import FIELD_NAMES
from enrichment.writers import to_tsv
from imports.enriched_tsv import tsv_event

EVENT_ID = "5b7e2f0a-3c1d-4e8f-9a6b-0c2d4e6f8a1b"
CONTEXTS = {"schema": "iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/1-0-0", "data": [
    {"schema": "iglu:com.snowplowanalytics.snowplow/web_page/jsonschema/1-0-0",
     "data": {"id": "0f4b8c2e-6a1d-4e3b-9c7a-5d2e8f1a0b3c"}}]}
UNSTRUCT = {"schema": "iglu:com.snowplowanalytics.snowplow/unstruct_event/jsonschema/1-0-0", "data": {
    "schema": "iglu:com.snowplowanalytics.snowplow/link_click/jsonschema/1-0-1",
    "data": {"targetUrl": "https://www.example.com/"}}}


def sample_event(**overrides) -> dict:
    event = {
        "app_id": "site1", "platform": "web", "etl_tstamp": 1546300801234, "collector_tstamp": 1546300800456,
        "dvce_created_tstamp": 1546300800000, "event": "unstruct", "event_id": EVENT_ID, "txn_id": 42,
        "v_tracker": "js-2.10.2", "v_collector": "ssc-0.15.0-kinesis", "v_etl": "spark-1.16.0-common-0.35.0",
        "user_ipaddress": "203.0.113.8", "domain_userid": "3f2a9c1e7b5d4a60", "domain_sessionidx": 3,
        "geo_latitude": 52.3676, "geo_longitude": 4.9041, "page_url": "https://www.example.com/shop/",
        "page_urlport": 443, "contexts": CONTEXTS, "unstruct_event": UNSTRUCT, "se_value": 0.5,
        "tr_total": 12.99, "br_features_pdf": True, "br_cookies": False, "dvce_ismobile": False,
        "useragent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/64.0", "derived_tstamp": 1546300800456,
        "event_vendor": "com.snowplowanalytics.snowplow", "event_name": "link_click", "event_format": "jsonschema",
        "event_version": "1-0-1",
    }
    event.update(overrides)
    return event


def test_a_line_written_by_the_tsv_writer_reads_back_as_the_same_typed_event():
    event = sample_event()
    parsed = tsv_event(to_tsv(event))
    assert parsed.event == event
    assert isinstance(parsed.fingerprint, str) and len(parsed.fingerprint) == 32


def test_the_event_fingerprint_column_is_the_de_duplication_fingerprint_when_enrich_set_it():
    assert tsv_event(to_tsv(sample_event(event_fingerprint="abc123"))).fingerprint == "abc123"


def test_two_enrichments_of_one_tracker_event_share_a_fingerprint_but_another_event_does_not():
    first = tsv_event(to_tsv(sample_event()))
    reenriched = tsv_event(to_tsv(sample_event(etl_tstamp=1600000000000, collector_tstamp=1546300809999,
                                               v_etl="stream-enrich-1.0.0", network_userid="nuid-2")))
    other = tsv_event(to_tsv(sample_event(page_url="https://www.example.com/other")))
    assert first.fingerprint == reenriched.fingerprint != other.fingerprint


def test_a_timestamp_without_milliseconds_is_accepted_and_an_uppercase_event_id_is_lowered():
    fields = to_tsv(sample_event()).split("\t")
    fields[FIELD_NAMES.index("etl_tstamp")] = "2019-01-01 00:00:01"
    fields[FIELD_NAMES.index("event_id")] = EVENT_ID.upper()
    parsed = tsv_event("\t".join(fields))
    assert parsed.event["etl_tstamp"] == 1546300801000
    assert parsed.event["event_id"] == EVENT_ID


def test_a_line_that_is_not_tsv_or_has_another_field_count_is_a_loader_parsing_error():
    not_tsv = tsv_event("hello world")
    assert (not_tsv.type, not_tsv.failure) == ("loader_parsing_error", {"type": "NotTSV"})
    assert not_tsv.payload == "hello world"
    short = "\t".join(to_tsv(sample_event()).split("\t")[:108])
    assert tsv_event(short).failure == {"type": "FieldNumberMismatch", "fieldCount": 108}


def test_every_undecodable_value_is_reported_in_one_row_decoding_error():
    fields = to_tsv(sample_event()).split("\t")
    for name, text in [("event_id", "not-a-uuid"), ("txn_id", "x1"), ("br_cookies", "yes"), ("tr_total", "NaN"),
                       ("collector_tstamp", ""), ("contexts", "{broken"), ("domain_sessionidx", "99999999999")]:
        fields[FIELD_NAMES.index(name)] = text
    line = "\t".join(fields)
    bad = tsv_event(line)
    assert isinstance(bad, BadRowData) and bad.type == "loader_parsing_error" and bad.payload == line
    assert bad.failure["type"] == "RowDecodingError"
    assert sorted(error["key"] for error in bad.failure["errors"]) == sorted([
        "collector_tstamp", "event_id", "txn_id", "domain_sessionidx", "contexts", "tr_total", "br_cookies"])
    assert all(error["type"] == "InvalidValue" for error in bad.failure["errors"])
    assert bad.as_json()["schema"].endswith("badrows/loader_parsing_error/jsonschema/2-0-0")


def test_a_json_column_that_is_not_self_describing_is_invalid():
    fields = to_tsv(sample_event()).split("\t")
    fields[FIELD_NAMES.index("contexts")] = '{"data": [{"id": 1}]}'
    assert tsv_event("\t".join(fields)).failure["errors"][0]["message"] == "Value is not a self-describing JSON"


def test_blank_lines_are_skipped():
    assert tsv_event("") is None
