"""Enriched TSV exactly as Snowplow writes it, and JSON equal to what Snowplow's Python Analytics SDK gives."""

import pytest
from snowplow_analytics_sdk.event_transformer import transform as sdk_transform

from enrichment.events import FIELD_NAMES
from enrichment.writers import format_timestamp, to_analytics_json, to_tsv

EVENT = {
    "app_id": "shop", "platform": "web", "etl_tstamp": 1546300801000, "collector_tstamp": 1546300800456,
    "dvce_created_tstamp": 1546300800000, "event": "unstruct", "event_id": "9a1c3e5f-2b4d-4f6a-8c0e-1d3f5a7b9c2e",
    "v_tracker": "js-4.10.1", "v_collector": "ssc-3.4.0", "v_etl": "enrich-6.10.0", "domain_sessionidx": 3,
    "geo_latitude": 51.5, "geo_longitude": -0.12, "page_url": "https://a.example/x", "page_title": "A\ttab\nnewline",
    "page_urlport": 443, "se_value": 9.99, "tr_total": 100.5, "br_cookies": True, "dvce_ismobile": False,
    "refr_dvce_tstamp": 1546300700000, "derived_tstamp": 1546300800456,
    "contexts": {"schema": "iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/1-0-1", "data": [
        {"schema": "iglu:com.snowplowanalytics.snowplow/web_page/jsonschema/1-0-0", "data": {"id": "p-1"}},
        {"schema": "iglu:com.acme/PageContext/jsonschema/2-1-0", "data": {"a": 1}},
        {"schema": "iglu:com.acme/PageContext/jsonschema/2-1-0", "data": {"a": 2}},
    ]},
    "unstruct_event": {"schema": "iglu:com.snowplowanalytics.snowplow/unstruct_event/jsonschema/1-0-0", "data": {
        "schema": "iglu:com.snowplowanalytics.snowplow/link_click/jsonschema/1-0-1", "data": {"targetUrl": "u"}}},
    "derived_contexts": {"schema": "iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/1-0-1", "data": [
        {"schema": "iglu:com.snowplowanalytics.snowplow/ua_parser_context/jsonschema/1-0-0", "data": {"x": "y"}}]},
}


def test_a_tsv_line_has_131_fields_in_order_with_snowplow_formatting():
    fields = to_tsv(EVENT).split("\t")
    assert len(fields) == 131
    by_name = dict(zip(FIELD_NAMES, fields, strict=True))
    assert by_name["collector_tstamp"] == "2019-01-01 00:00:00.456"
    assert by_name["br_cookies"] == "1" and by_name["dvce_ismobile"] == "0"
    assert by_name["page_title"] == "A    tabnewline"
    assert by_name["se_value"] == "9.99" and by_name["tr_total"] == "100.5" and by_name["page_urlport"] == "443"
    assert by_name["user_id"] == ""
    assert by_name["contexts"].startswith('{"schema":"iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/1-0-1"')


def test_timestamps_keep_milliseconds_and_years_before_1970():
    assert format_timestamp(0) == "1970-01-01 00:00:00.000"
    assert format_timestamp(-1) == "1969-12-31 23:59:59.999"


def test_our_json_equals_the_python_analytics_sdk_transform_of_our_tsv():
    assert to_analytics_json(EVENT) == sdk_transform(to_tsv(EVENT))


def test_the_json_keeps_the_sdk_quirks():
    output = to_analytics_json(EVENT)
    assert output["se_value"] == "9.99"
    assert output["refr_device_tstamp"] == "2018-12-31T23:58:20.000Z"  # 100 s before 2019-01-01
    assert output["geo_location"] == "51.5,-0.12"
    assert output["contexts_com_acme_page_context_2"] == [{"a": 1}, {"a": 2}]
    assert output["unstruct_event_com_snowplowanalytics_snowplow_link_click_1"] == {"targetUrl": "u"}
    assert "user_id" not in output


@pytest.mark.parametrize("value", [1e-7, 123456789012.5, 0.1])
def test_doubles_are_never_written_in_scientific_notation(value):
    fields = dict(zip(FIELD_NAMES, to_tsv({**EVENT, "se_value": value}).split("\t"), strict=True))
    assert "e" not in fields["se_value"].lower()
    assert float(fields["se_value"]) == value
