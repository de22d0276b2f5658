"""CloudFront collector log lines become the CollectorPayloads enrich's CloudfrontLoader made (spec 2)."""

from __future__ import annotations

import pytest

from collector.payload import payload_deserialize
from enrichment.badrows import BadRowData
from imports.cloudfront import cloudfront_line
from tests.imports.samples import cloudfront_header
from tests.imports.samples import cloudfront_line as sample_line

ACCEPTED = [12, 15, 18, 19, 23, 24, 26, 33]
REJECTED = [1, 11, 13, 14, 16, 17, 20, 21, 22]


def _payload(line: str):
    result = cloudfront_line(line)
    assert isinstance(result, bytes), result
    return payload_deserialize(result)


@pytest.mark.parametrize("count", ACCEPTED)
def test_every_field_count_enrich_accepted_becomes_a_tp1_payload(count):
    payload = _payload(sample_line(count))
    assert payload.path == "/i"
    assert payload.querystring == b"e=pv&aid=site1&p=web&tv=js-2.0.0"
    assert payload.timestamp == 1401697800000  # 2014-06-02T08:30:00Z
    assert payload.ipAddress == "192.0.2.99"
    assert payload.userAgent == "curl/7.35.0"
    assert payload.refererUri == "https://www.example.com/shop/"
    assert payload.collector == "cloudfront"
    assert payload.encoding == "UTF-8"
    assert (payload.hostname, payload.headers, payload.networkUserId, payload.body) == (None, None, None, None)


@pytest.mark.parametrize("count", REJECTED)
def test_other_field_counts_become_a_format_violation_keeping_the_line(count):
    line = sample_line(count)
    bad = cloudfront_line(line)
    assert isinstance(bad, BadRowData)
    assert bad.type == "collector_payload_format_violation"
    assert bad.failure["loader"] == "cloudfront"
    assert bad.failure["message"] == {"error": "does not match header or data row formats"}
    assert bad.payload == line


def test_header_lines_are_skipped_whatever_fields_they_announce():
    assert [cloudfront_line(line) for line in cloudfront_header(18)] == [None, None]


def test_fields_split_on_runs_of_spaces_as_well_as_tabs():
    assert _payload(sample_line(18, separator="    ")).querystring == b"e=pv&aid=site1&p=web&tv=js-2.0.0"
    assert _payload(sample_line(15, separator="  ")).ipAddress == "192.0.2.99"


def test_a_method_other_than_get_is_a_verb_violation_even_in_an_unknown_layout():
    for count in (18, 13):
        bad = cloudfront_line(sample_line(count, cs_method="head"))
        assert bad.failure["message"] == {"payloadField": "verb", "value": "HEAD",
                                          "expectation": "operation must be GET"}


def test_the_spec_sample_of_2013_decodes_its_double_encoded_fields():
    line = ("2013-11-04\t14:02:31\tFRA2\t480\t192.0.2.44\tGET\td111111abcdef8.cloudfront.net\t/i\t200\t"
            "https://www.example.com/shop/\tMozilla/5.0%2520(X11;%2520Linux%2520x86_64;%2520rv:25.0)%2520Gecko/20100101"
            "%2520Firefox/25.0\te=pv&page=Shop%2520-%2520Example&url=https%253A%252F%252Fwww.example.com%252Fshop%252F"
            "&tv=js-0.13.0&p=web&aid=site1&duid=3f2a9c1e7b5d4a60&vid=2\t-\tHit\tZx3EXAMPLE==\t"
            "d111111abcdef8.cloudfront.net\thttps\t612")
    payload = _payload(line)
    assert payload.querystring == (b"e=pv&page=Shop%20-%20Example&url=https%3A%2F%2Fwww.example.com%2Fshop%2F"
                                   b"&tv=js-0.13.0&p=web&aid=site1&duid=3f2a9c1e7b5d4a60&vid=2")
    assert payload.userAgent == "Mozilla/5.0 (X11; Linux x86_64; rv:25.0) Gecko/20100101 Firefox/25.0"
    assert payload.timestamp == 1383573751000
    assert payload.ipAddress == "192.0.2.44"


def test_a_lone_percent_25_stays_and_a_literal_plus_in_the_useragent_stays_a_plus():
    payload = _payload(sample_line(18, cs_user_agent="Agent+1%2520(100%25)", cs_uri_query="e=pv&x=a%25zz"))
    assert payload.userAgent == "Agent+1 (100%)"
    assert payload.querystring == b"e=pv&x=a%25zz"


def test_one_trailing_percent_of_the_referer_is_dropped_and_the_referer_stays_encoded():
    payload = _payload(sample_line(18, cs_referer="https://www.example.com/a%2520b%"))
    assert payload.refererUri == "https://www.example.com/a%20b"


def test_from_23_fields_on_the_x_forwarded_for_address_wins_over_the_proxy():
    payload = _payload(sample_line(23, c_ip="198.51.100.7", x_forwarded_for="203.0.113.25"))
    assert payload.ipAddress == "203.0.113.25"


def test_an_x_forwarded_for_that_is_no_address_leaves_the_client_ip():
    assert _payload(sample_line(26, x_forwarded_for="unknown")).ipAddress == "192.0.2.99"


def test_absent_values_are_absent():
    payload = _payload(sample_line(12, c_ip="-", cs_referer="-", cs_user_agent="-", cs_uri_query="-"))
    assert (payload.ipAddress, payload.refererUri, payload.userAgent, payload.querystring) == (None, None, None, None)


def test_fractional_seconds_are_accepted():
    assert _payload(sample_line(19, time="00:18:48.234")).timestamp % 86_400_000 == 1_128_234


def test_timestamp_and_path_errors_are_accumulated_into_one_bad_row():
    line = sample_line(18, date="2014-13-45", cs_uri_stem="/not-a-pixel")
    bad = cloudfront_line(line)
    message = bad.failure["message"]["error"]
    assert "dateTime: could not convert timestamp" in message
    assert "path: path does not match (/)vendor/version(/) nor is a legacy /i(ce.png) request" in message
    assert bad.payload == line


def test_a_legacy_ice_png_and_a_vendor_path_are_accepted_apis():
    assert _payload(sample_line(18, cs_uri_stem="/ice.png")).path == "/ice.png"
    assert _payload(sample_line(18, cs_uri_stem="/com.acme/v1")).path == "/com.acme/v1"


@pytest.mark.parametrize("text", ["%252541", "%2525", "%25%25", "a%25zz%2520b", "%25", "%25A", "%2541%25", "x%252"])
def test_the_percent_25_fix_up_is_enrichs_regex_replacement(text):
    import re

    from imports.loader import single_encode_pcts

    assert single_encode_pcts(text) == re.sub(r"%25([0-9A-Fa-f]{2})", r"%\1", text)


@pytest.mark.parametrize("values", [
    {},
    {"ip": None, "useragent": None, "referer": None, "querystring": None},
    {"content_type": "application/json; charset=UTF-8", "body": b'{"a":"\xc3\xa9"}', "querystring": ""},
    {"useragent": "Agent é 💡", "timestamp": -1},
])
def test_payloads_are_written_byte_for_byte_as_thriftpy2_writes_them(values):
    from collector.payload import ENCODING, SCHEMA, CollectorPayload, payload_serialize
    from imports.loader import log_payload

    given = {"source": "clj-tomcat", "path": "/com.snowplowanalytics.snowplow/tp2", "querystring": "e=pv&x=%C3%A9",
             "timestamp": 1401697800123, "ip": "2001:db8::1", "useragent": "curl/7.35.0",
             "referer": "https://www.example.com/", **values}
    expected = payload_serialize(CollectorPayload(
        schema=SCHEMA, ipAddress=given["ip"], timestamp=given["timestamp"], encoding=ENCODING,
        collector=given["source"], userAgent=given["useragent"], refererUri=given["referer"], path=given["path"],
        querystring=given["querystring"].encode() if given["querystring"] else None, body=given.get("body"),
        contentType=given.get("content_type")))
    assert log_payload(**given) == expected
