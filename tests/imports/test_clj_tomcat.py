"""Clojure collector Tomcat lines of every valve version become the payloads enrich's CljTomcatLoader made (spec 4)."""

from __future__ import annotations

import json
from urllib.parse import parse_qsl

import pytest

from collector.payload import payload_deserialize
from enrichment.badrows import BadRowData
from imports.clj_tomcat import clj_tomcat_line
from tests.imports.samples import clj_line, urlsafe_b64

COOKIE = "9a1c3e5f-2b4d-4f6a-8c0e-1d3f5a7b9c2e"
VERSIONS = ["0.1.0", "0.3.0", "0.5.0", "0.6.0", "0.7.0", "0.8.0", "0.9.0", "1.0.0", "1.1.0", "2.0.0", "2.1.3"]
BODY = {"schema": "iglu:com.snowplowanalytics.snowplow/payload_data/jsonschema/1-0-4",
        "data": [{"e": "pv", "url": "https://www.example.com/checkout", "tv": "js-2.10.2", "p": "web", "aid": "shop"}]}


def _payload(line: str, warnings: list[str] | None = None):
    result = clj_tomcat_line(line, warnings)
    assert isinstance(result, bytes), result
    return payload_deserialize(result)


def _query(payload) -> dict[str, str]:
    return dict(parse_qsl(payload.querystring.decode()))


@pytest.mark.parametrize("version", VERSIONS)
def test_a_get_line_of_every_valve_version_becomes_a_tp1_payload_with_the_cookie_as_nuid(version):
    payload = _payload(clj_line(version, "e=pv&aid=site1&uid=alice"))
    query = _query(payload)
    assert payload.path == "/i"
    assert query["nuid"] == COOKIE
    assert query["uid"] == "alice"
    assert query.get("cv") == (f"clj-{version}-tom-0.2.0" if version >= "0.5.0" else None)
    assert payload.timestamp == 1546300801000
    assert payload.ipAddress == "192.0.2.21"
    assert payload.userAgent == "Mozilla/5.0 (X11; Linux x86_64) Firefox/64.0"
    assert payload.refererUri == "https://www.example.com/blog/"
    assert payload.collector == "clj-tomcat"
    assert (payload.contentType, payload.body) == (None, None)


def test_the_12_field_layout_without_the_three_dashes_still_loads():
    line = "\t".join(clj_line("0.6.0", "e=pv").split("\t")[:12])
    assert _query(_payload(line))["e"] == "pv"


def test_a_post_line_carries_the_decoded_content_type_and_base64_body():
    body = json.dumps(BODY).encode()
    line = clj_line("2.1.3", "", method="POST", path="/com.snowplowanalytics.snowplow/tp2",
                    content_type="application%2Fjson%3B+charset%3DUTF-8", body=urlsafe_b64(body))
    payload = _payload(line)
    assert payload.path == "/com.snowplowanalytics.snowplow/tp2"
    assert payload.contentType == "application/json; charset=UTF-8"
    assert payload.body == body
    assert _query(payload) == {"cv": "clj-2.1.3-tom-0.2.0", "nuid": COOKIE}


def test_a_get_with_a_content_type_but_no_body_keeps_the_content_type():
    payload = _payload(clj_line("2.1.3", "e=pv", content_type="text%2Fplain"))
    assert (payload.contentType, payload.body) == ("text/plain", None)


def test_a_body_on_a_get_is_a_verb_violation():
    line = clj_line("2.1.3", "e=pv", content_type="text%2Fplain", body=urlsafe_b64(b"x"))
    bad = clj_tomcat_line(line)
    assert bad.failure["message"] == {"payloadField": "verb", "value": "GET",
                                      "expectation": "operation must be POST if content type and/or body are provided"}
    assert bad.payload == line


def test_a_body_that_is_not_base64_is_a_body_violation():
    line = clj_line("2.1.3", "", method="POST", path="/com.snowplowanalytics.snowplow/tp2",
                    content_type="application%2Fjson", body="not*base64")
    bad = clj_tomcat_line(line)
    assert bad.failure["message"]["payloadField"] == "body"
    assert bad.failure["message"]["expectation"].startswith("could not base64 decode")


@pytest.mark.parametrize("mutate", [
    lambda fields: [*fields[:2], "LHR5", *fields[3:]],  # field 3 must be `-`
    lambda fields: fields[:16],  # content type without body
    lambda fields: [*fields[:12], "x", "-", "-", *fields[15:]],  # the three literal dashes
    lambda fields: fields[:10],
])
def test_lines_off_the_valve_pattern_are_a_fallback_violation(mutate):
    line = "\t".join(mutate(clj_line("2.1.3", "e=pv").split("\t")))
    bad = clj_tomcat_line(line)
    assert isinstance(bad, BadRowData)
    assert bad.failure == {"timestamp": bad.failure["timestamp"], "loader": "clj-tomcat",
                           "message": {"error": "does not match the raw event format"}}


def test_no_cookie_means_no_network_user_id():
    assert "nuid" not in _query(_payload(clj_line("2.1.3", "e=pv", cookie="-")))
    assert "nuid" not in _query(_payload(clj_line("0.1.0", "e=pv", cookie="-")))


def test_clj_0_1_0_times_before_the_hh_fix_are_flagged_as_ambiguous():
    warnings: list[str] = []
    _payload(clj_line("0.1.0", "e=pv", date="2013-01-20", time="03:00:00"), warnings)
    _payload(clj_line("0.1.0", "e=pv", date="2013-03-20", time="03:00:00"), warnings)
    _payload(clj_line("2.1.3", "e=pv", date="2013-01-20", time="03:00:00"), warnings)
    assert len(warnings) == 1 and "2013-01-20 03:00:00" in warnings[0]


def test_clj_0_7_0_takes_the_client_from_the_forwarded_list_it_logged_in_field_7():
    payload = _payload(clj_line("0.7.0", "e=pv", ip="10.0.0.5", host="203.0.113.9,+10.0.0.5"))
    assert payload.ipAddress == "203.0.113.9"
    assert _payload(clj_line("0.8.0", "e=pv", ip="10.0.0.5", host="203.0.113.9")).ipAddress == "10.0.0.5"


def test_the_spec_sample_lines_load():
    sample = ("2014-03-02\t10:11:12\t-\t43\t192.0.2.10\tGET\t192.0.2.10\t/i\t200\thttps://www.example.com/blog/\t"
              "Mozilla%2F5.0+%28Windows+NT+6.1%3B+WOW64%29+AppleWebKit%2F537.36\te=pv&page=Blog&url=https%3A%2F%2F"
              "www.example.com%2Fblog%2F&tv=js-0.14.0&p=web&aid=site1&cv=clj-0.6.0-tom-0.0.4"
              "&nuid=6e7a3c1f-0b2d-4c5e-8f9a-1b3d5e7f9a2c\t-\t-\t-")
    payload = _payload(sample)
    assert payload.userAgent == "Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/537.36"
    assert _query(payload)["cv"] == "clj-0.6.0-tom-0.0.4"
    assert payload.timestamp == 1393755072000
