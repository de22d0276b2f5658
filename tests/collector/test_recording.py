"""What one request becomes: the Thrift CollectorPayload fields of spec 4.1, with the quirks of 4.2 and 4.3."""

from __future__ import annotations

import ipaddress
import re
import time

import pytest
from thriftpy2.thrift import TDecodeException

from collector.payload import CollectorPayload, payload_deserialize, payload_encode, payload_serialize
from tests.collector.support import TP2, call

SCHEMA = "iglu:com.snowplowanalytics.snowplow/CollectorPayload/thrift/1-0-0"


def test_a_pixel_request_records_every_field_of_the_collector_payload(sink):
    before = int(time.time() * 1000)
    call("GET", "/i", "e=pv&url=https%3A%2F%2Fa.com%2F&page=Caf%C3%A9+menu", [
        ("host", "collector.acme.com:8443"), ("user-agent", "Mozilla/5.0 (X11)"), ("referer", "https://a.com/"),
        ("accept", "*/*"),
    ], client=("203.0.113.9", 51000))
    (payload,) = sink.payloads
    assert payload.schema == SCHEMA
    assert payload.ipAddress == "203.0.113.9"
    assert before <= payload.timestamp <= int(time.time() * 1000)
    assert payload.encoding == "UTF-8"
    assert re.fullmatch(r"spdj-0\.1\.0-(redis|postgres)sink", payload.collector)
    assert payload.userAgent == "Mozilla/5.0 (X11)"
    assert payload.refererUri == "https://a.com/"
    assert payload.path == "/i"
    assert payload.querystring == b"e=pv&url=https%3A%2F%2Fa.com%2F&page=Caf%C3%A9+menu"  # raw, undecoded
    assert payload.body is None
    assert payload.contentType is None
    assert payload.hostname == "collector.acme.com"
    assert payload.headers == ["Host: collector.acme.com:8443", "User-Agent: Mozilla/5.0 (X11)",
                               "Referer: https://a.com/", "Accept: */*"]


def test_a_post_records_the_raw_body_and_the_lower_cased_content_type_also_appended_to_the_headers(sink):
    body = b'{"schema":"iglu:com.snowplowanalytics.snowplow/payload_data/jsonschema/1-0-4","data":[{"e":"pv"}]}'
    call("POST", TP2, "aid=qs", [("content-type", "application/json; charset=UTF-8")], body)
    (payload,) = sink.payloads
    assert payload.body == body
    assert payload.querystring == b"aid=qs"
    assert payload.contentType == "application/json; charset=utf-8"
    assert payload.headers == ["Content-Type: application/json; charset=UTF-8", "application/json; charset=utf-8"]


def test_a_request_without_a_querystring_records_an_empty_one(sink):
    call("POST", TP2, body=b"{}")
    assert sink.payloads[0].querystring == b""


def test_the_cookie_header_is_recorded_without_spaces_and_without_invalid_parts(sink):
    call("GET", "/i", "e=pv", [("cookie", 'sp=abc; _sp_id.1fff=x.y.z; bad=has space; quoted="ok"; c=d,e')])
    assert sink.payloads[0].headers == ['Cookie: sp=abc;_sp_id.1fff=x.y.z;quoted="ok"']


def test_the_host_header_is_recorded_as_the_hostname_without_a_port_and_ipv6_keeps_its_brackets(sink):
    call("GET", "/i", "e=pv", [("host", "[2001:db8::1]:8080")])
    call("GET", "/i", "e=pv", [("host", "127.0.0.1")])
    assert [p.hostname for p in sink.payloads] == ["[2001:db8::1]", "127.0.0.1"]


def test_the_socket_peer_is_the_ip_and_forwarding_headers_from_an_untrusted_client_are_ignored(sink):
    call("GET", "/i", "e=pv", [("x-forwarded-for", "1.2.3.4"), ("forwarded", "for=1.2.3.4"),
                               ("x-real-ip", "1.2.3.4"), ("user-agent", "u")], client=("203.0.113.9", 1))
    (payload,) = sink.payloads
    assert payload.ipAddress == "203.0.113.9"
    # enrich re-derives the IP from these headers (spec 4.3), so a client could spoof it if they were kept
    assert payload.headers == ["User-Agent: u"]


@pytest.mark.parametrize(("forwarded_for", "ip", "recorded"), [
    ("203.0.113.7", "203.0.113.7", "203.0.113.7"),
    ("6.6.6.6, 203.0.113.7", "203.0.113.7", "203.0.113.7"),  # left of the real client: written by the client
    ("203.0.113.7, 10.0.0.2", "203.0.113.7", "203.0.113.7, 10.0.0.2"),  # a second trusted proxy
    ("[2001:db8::7]:443", "2001:db8::7", "[2001:db8::7]:443"),
    ("203.0.113.7:5000", "203.0.113.7", "203.0.113.7:5000"),
    ("garbage", "unknown", "garbage"),
])
def test_behind_a_trusted_proxy_the_ip_is_the_last_untrusted_x_forwarded_for_address(
        configure, sink, forwarded_for, ip, recorded):
    configure(TRUSTED_PROXIES=[ipaddress.ip_network("10.0.0.0/8")])
    call("GET", "/i", "e=pv", [("x-forwarded-for", forwarded_for), ("x-real-ip", "203.0.113.7")],
         client=("10.1.2.3", 1))
    (payload,) = sink.payloads
    assert payload.ipAddress == ip
    assert payload.headers == [f"X-Forwarded-For: {recorded}", "X-Real-Ip: 203.0.113.7"]


def test_a_trusted_proxy_without_x_forwarded_for_leaves_its_own_address(configure, sink):
    configure(TRUSTED_PROXIES=[ipaddress.ip_network("10.0.0.0/8")])
    call("GET", "/i", "e=pv", client=("10.1.2.3", 1))
    assert sink.payloads[0].ipAddress == "10.1.2.3"


def test_an_ipv6_peer_is_recorded_canonical_without_brackets(sink):
    call("GET", "/i", "e=pv", client=("2001:0db8:0000::0001", 1))
    call("GET", "/i", "e=pv", client=None)
    assert [p.ipAddress for p in sink.payloads] == ["2001:db8::1", "unknown"]


def test_non_utf8_bytes_in_the_querystring_and_body_are_recorded_byte_for_byte(sink):
    call("GET", "/i", b"e=pv&page=\xff\xfe%zz%", [("user-agent", b"caf\xc3\xa9 \xff")])
    call("POST", TP2, headers=[("content-type", "text/plain")], body=b"\x00\xff\xfe{not json")
    get, post = sink.payloads
    assert get.querystring == b"e=pv&page=\xff\xfe%zz%"
    assert get.userAgent == "caf\xc3\xa9 \xff"  # not UTF-8 as a whole: every byte kept as latin-1
    assert post.body == b"\x00\xff\xfe{not json"
    assert post.contentType == "text/plain"


def test_a_utf8_user_agent_is_recorded_as_text(sink):
    call("GET", "/i", "e=pv", [("user-agent", "café".encode())])
    assert sink.payloads[0].userAgent == "café"


def test_the_payload_round_trips_through_thrift_binary_with_the_snowplow_field_ids(sink):
    call("POST", TP2, "a=1", [("content-type", "application/json"), ("user-agent", "u")], b"{}")
    record = sink.records[0]
    assert payload_serialize(payload_deserialize(record)) == record
    # field 31337 (schema) is a string: type 11, id 0x7a69
    assert record[:3] == bytes([11, 0x7A, 0x69])


def test_the_hot_path_encoder_writes_the_same_bytes_as_thriftpy2_for_every_field_combination():
    full = dict(schema=SCHEMA, ipAddress="2001:db8::1", timestamp=1764770000123, encoding="UTF-8",
                collector="spdj-0.1.0-redissink", userAgent="Mozilla/5.0 (caf\xe9)", refererUri="https://a.com/\u00fc",
                path="/i", querystring=b"e=pv&x=%FF", body=b"\x00\xff{}", headers=["Host: a", "X: \u20ac", ""],
                contentType="application/json", hostname="a.com", networkUserId="1f0e2d3c-4b5a-4697-8877-665544332211")
    cases = [full, {**full, "headers": []}, {"schema": SCHEMA, "timestamp": 5}, {}]
    cases += [{key: value for key, value in full.items() if key != left_out} for left_out in full]
    for fields in cases:
        payload = CollectorPayload(**fields)
        assert payload_encode(payload) == payload_serialize(payload), fields
        assert payload_encode(payload) == payload_serialize(payload)  # the kept buffer starts empty each time
    with pytest.raises(TDecodeException):  # as thriftpy2 raises; the kept buffer is emptied after a failure too
        payload_encode(CollectorPayload(schema=SCHEMA, timestamp="not a number"))
    assert payload_encode(CollectorPayload(**full)) == payload_serialize(CollectorPayload(**full))


def test_the_collector_payload_fields_are_in_the_order_build_payload_passes_them():
    # recording.build_payload calls CollectorPayload positionally, in the IDL's field order
    assert CollectorPayload.__init__.__code__.co_varnames[1:15] == (
        "schema", "ipAddress", "timestamp", "encoding", "collector", "userAgent", "refererUri", "path",
        "querystring", "body", "headers", "contentType", "hostname", "networkUserId",
    )
