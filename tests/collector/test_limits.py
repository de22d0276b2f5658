"""Limits: size violations and POST splitting (spec 4.4), 413/414/431 (spec 2.5), gzip and deflate bodies."""

from __future__ import annotations

import gzip
import json
import zlib

import pytest

from collector.payload import payload_deserialize
from tests.collector.support import PAYLOAD_DATA, TP2, call

JSON = [("content-type", "application/json; charset=UTF-8")]


def batch(*sizes: int) -> list[dict]:
    return [{"e": "pv", "tv": "js-4.10.1", "p": "web", "eid": f"event-{i}", "page": "x" * size}
            for i, size in enumerate(sizes)]


def envelope(events: list[dict]) -> bytes:
    return json.dumps({"schema": PAYLOAD_DATA, "data": events}).encode()


def events_of(payload) -> list[dict]:
    document = json.loads(payload.body)
    assert document["schema"] == PAYLOAD_DATA
    return document["data"]


def test_a_post_batch_over_the_limit_is_split_into_records_under_it_keeping_every_event_in_order(
        configure, sink, bad_rows):
    configure(MAX_PAYLOAD_SIZE=2000)
    events = batch(*[300] * 12)
    cookie = ("cookie", "sp=5b0f1e2d-3c4b-4a59-8877-665544332211")
    answer = call("POST", TP2, "aid=qs", [*JSON, ("user-agent", "UA"), cookie], envelope(events))
    assert (answer.status, answer.body) == (200, b"ok")
    assert len(sink.records) > 1
    assert all(len(record) < 2000 for record in sink.records)
    assert [event for payload in sink.payloads for event in events_of(payload)] == events
    first = sink.payloads[0]
    for payload in sink.payloads[1:]:  # every part carries the same metadata
        assert (payload.querystring, payload.headers, payload.networkUserId, payload.timestamp, payload.path) == (
            first.querystring, first.headers, first.networkUserId, first.timestamp, first.path)
    assert bad_rows == []


def test_an_event_too_big_on_its_own_becomes_a_size_violation_and_its_neighbours_are_kept(configure, sink, bad_rows):
    configure(MAX_PAYLOAD_SIZE=2000)
    events = batch(100, 5000, 100)
    answer = call("POST", TP2, headers=JSON, body=envelope(events))
    assert answer.status == 200
    assert [event for payload in sink.payloads for event in events_of(payload)] == [events[0], events[2]]
    (violation,) = bad_rows
    assert violation.expectation == "oversized collector payload: this POST request split is still too large"
    assert violation.maximum_size == 2000
    assert violation.actual_size > 5000
    assert events_of(payload_deserialize(violation.collector_payload)) == [events[1]]
    assert violation.payload_text.startswith("CollectorPayload(schema:iglu:com.snowplowanalytics.snowplow/Collector")
    assert len(violation.payload_text) <= 200


def test_a_get_over_the_limit_cannot_be_split_and_becomes_one_size_violation_answered_with_the_pixel(
        configure, sink, bad_rows):
    configure(MAX_PAYLOAD_SIZE=2000)
    answer = call("GET", "/i", "e=pv&page=" + "y" * 3000)
    assert answer.status == 200 and len(answer.body) == 43
    assert sink.records == []
    (violation,) = bad_rows
    assert violation.expectation == "oversized collector payload: GET requests cannot be split"
    assert violation.actual_size > 3000
    assert payload_deserialize(violation.collector_payload).querystring.startswith(b"e=pv&page=yyy")


@pytest.mark.parametrize(("body", "message"), [
    (b"not json " * 300, "oversized collector payload: cannot split POST requests which are not json"),
    (json.dumps({"data": ["x" * 3000]}).encode(),
     "oversized collector payload: cannot split POST requests which are not self-describing"),
    (json.dumps({"schema": "s", "data": "x" * 3000}).encode(),
     "oversized collector payload: cannot split POST requests which do not contain a data array"),
])
def test_a_post_over_the_limit_that_is_not_a_payload_data_batch_becomes_one_size_violation(
        configure, sink, bad_rows, body, message):
    configure(MAX_PAYLOAD_SIZE=2000)
    assert call("POST", TP2, headers=JSON, body=body).status == 200
    assert sink.records == []
    assert bad_rows[0].expectation.startswith(message)


def test_a_payload_whose_metadata_alone_is_over_the_limit_cannot_be_split(configure, sink, bad_rows):
    configure(MAX_PAYLOAD_SIZE=2000)
    call("POST", TP2, headers=[*JSON, ("x-big", "z" * 2500)], body=envelope(batch(10, 10)))
    assert sink.records == []
    assert bad_rows[0].expectation == (
        "oversized collector payload: cannot split this POST request"
        ' because event without "data" field is still too big'
    )


def test_a_payload_under_the_default_one_mib_limit_is_one_record(sink, bad_rows):
    events = batch(*[50_000] * 18)  # ~900 KB
    call("POST", TP2, headers=JSON, body=envelope(events))
    assert len(sink.records) == 1 and bad_rows == []


def test_a_body_above_the_drop_limit_gets_413_and_nothing_is_recorded(configure, sink, bad_rows):
    configure(DROP_PAYLOAD_SIZE=4096)
    answer = call("POST", TP2, headers=JSON, body=[b"a" * 3000, b"b" * 3000])
    assert answer.status == 413
    assert sink.records == [] and bad_rows == []


def test_the_default_drop_limit_is_two_mib(sink, bad_rows):
    assert call("POST", TP2, headers=JSON, body=b"a" * (2 * 1024 * 1024 + 1)).status == 413
    assert call("POST", TP2, headers=JSON, body=b"a" * (2 * 1024 * 1024)).status == 200


def test_a_gzip_body_is_recorded_inflated(sink):
    body = envelope(batch(10, 20))
    answer = call("POST", TP2, headers=[*JSON, ("content-encoding", "gzip")], body=gzip.compress(body))
    assert (answer.status, answer.body) == (200, b"ok")
    assert sink.payloads[0].body == body


def test_a_deflate_body_and_a_multi_member_gzip_body_are_recorded_inflated(sink):
    body = envelope(batch(10))
    call("POST", TP2, headers=[*JSON, ("content-encoding", "deflate")], body=zlib.compress(body))
    call("POST", TP2, headers=[*JSON, ("content-encoding", "gzip")], body=gzip.compress(b"ab") + gzip.compress(b"cd"))
    assert [p.body for p in sink.payloads] == [body, b"abcd"]


def test_a_gzip_body_inflating_past_the_drop_limit_gets_413(configure, sink):
    configure(DROP_PAYLOAD_SIZE=100_000)
    bomb = gzip.compress(b"0" * 10_000_000)
    assert len(bomb) < 100_000
    assert call("POST", TP2, headers=[*JSON, ("content-encoding", "gzip")], body=bomb).status == 413
    assert sink.records == []


@pytest.mark.parametrize(("encoding", "body"), [("gzip", b"\x1f\x8bnot gzip"), ("gzip", gzip.compress(b"abc")[:-6]),
                                                ("br", b"abc")])
def test_a_body_that_cannot_be_decoded_as_its_content_encoding_says_gets_400_and_is_not_recorded(
        sink, encoding, body):
    answer = call("POST", TP2, headers=[*JSON, ("content-encoding", encoding)], body=body)
    assert answer.status == 400
    assert sink.records == []


def test_a_request_target_over_20480_bytes_gets_414(sink):
    assert call("GET", "/i", "e=pv&x=" + "a" * 20_480).status == 414
    assert call("GET", "/i", "e=pv&x=" + "a" * 20_000).status == 200
    assert len(sink.records) == 1


def test_headers_over_40960_bytes_get_431_on_collector_and_product_paths(sink):
    big = [("x-big", "a" * 41_000)]
    assert call("GET", "/i", "e=pv", big).status == 431
    assert call("GET", "/dashboards/", headers=big).status == 431
    assert call("GET", "/i", "e=pv", [("x-big", "a" * 30_000)]).status == 200
    assert len(sink.records) == 1


@pytest.mark.django_db(transaction=True)
def test_a_size_violation_lands_in_bad_rows_through_the_enrichment_bad_row_function(configure, sink):
    from enrichment.models import BadRow

    configure(MAX_PAYLOAD_SIZE=2000)
    assert call("GET", "/i", "e=pv&page=" + "y" * 3000).status == 200
    (row,) = BadRow.objects.filter(type="size_violation")
    failure = row.data["data"]["failure"]
    assert failure["maximumAllowedSizeBytes"] == 2000
    assert failure["actualSizeBytes"] > 3000
    assert failure["expectation"] == "oversized collector payload: GET requests cannot be split"
    assert row.data["schema"] == "iglu:com.snowplowanalytics.snowplow.badrows/size_violation/jsonschema/1-0-0"
