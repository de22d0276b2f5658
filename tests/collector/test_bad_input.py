"""Bad input over real sockets: never a 500, and every request answered 2xx is in the sink (spec 7.7, 7.10)."""

from __future__ import annotations

import gzip
import socket

import pytest

from tests.collector.conftest import REDIS_URL
from tests.collector.support import TP2, stream_payloads

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def raw_request(port: int, data: bytes) -> int:
    """Send bytes as they are and return the status code (0 if the server closed without answering)."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(data)
        response = b""
        while b"\r\n" not in response:
            chunk = sock.recv(65536)
            if not chunk:
                return 0
            response += chunk
    return int(response.split(b" ", 2)[1])


def get(target: bytes, *headers: bytes) -> bytes:
    return b"GET " + target + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n" + b"".join(h + b"\r\n" for h in headers) + (
        b"Connection: close\r\n\r\n")


def post(body: bytes, *headers: bytes, path: bytes = TP2.encode()) -> bytes:
    head = b"POST " + path + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n" + b"".join(h + b"\r\n" for h in headers)
    return head + b"Content-Length: %d\r\nConnection: close\r\n\r\n" % len(body) + body


RECORDED_QUERIES = [
    b"e=pv&%%%&=&==&a=%zz&b=%",  # malformed querystring
    b"e=pv&page=%E0%A4%A&x=%C3%28",  # invalid percent-encoding and invalid UTF-8 behind it
    b"e=pv&page=" + b"%FF" * 100,
    b"",  # no querystring at all
    b"e=pv&ue_pr={\"schema\":broken",
]
RECORDED_BODIES = [
    (b"", b"Content-Type: application/json"),  # empty body
    (b"{not json", b"Content-Type: application/json; charset=UTF-8"),  # invalid JSON
    (b"\xff\xfe\x00garbage", b"Content-Type: application/json"),  # not UTF-8
    (b'{"schema":"x","data":[]}', b"Content-Type: text/plain"),  # wrong content type
    (b'{"schema":"x","data":[]}', b"X-No-Content-Type: 1"),  # no content type
    (b"a=1&b=2", b"Content-Type: application/x-www-form-urlencoded"),
    (b"--b\r\n\r\nx\r\n--b--", b"Content-Type: multipart/form-data; boundary=b"),
    (b'{"schema":"x","data":[' + b'{"e":"pv"},' * 3 + b'{"e":"pv"}]}', b"Content-Type: APPLICATION/JSON;CHARSET=utf-8"),
]
REFUSED = [
    (get(b"/i?e=\xff\xfe"), range(400, 500)),  # raw non-ASCII bytes in the request target: the parser refuses
    (get(b"/i?e=pv", b"X-Big: " + b"a" * 50_000), [431]),
    (get(b"/i?e=pv", *[b"X-H%d: %s" % (n, b"v" * 100) for n in range(500)]), [431]),
    (get(b"/i?e=pv&x=" + b"a" * 30_000), [414]),
    (get(b"/i?e=pv", b"X-Huge: " + b"a" * 1_000_000), range(400, 500)),
    (post(b"\x1f\x8b garbage", b"Content-Encoding: gzip"), [400]),
    (post(gzip.compress(b"0" * 3_000_000), b"Content-Encoding: gzip"), [413]),
    (post(b"x" * (2 * 1024 * 1024 + 10)), [413]),
    (b"PUT " + TP2.encode() + b" HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}", [404, 405]),
    (b"DELETE /i HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n", [404, 405]),
    (b"PATCH /com.acme/v1 HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", [404, 405]),
    (post(b"e=pv", path=b"/i"), [404]),
    (b"GARBAGE\r\n\r\n", range(400, 500)),
    (b"GET /i HTTP/1.1\r\nHost: a\r\nBad Header Line\r\n\r\n", range(400, 500)),
]


def test_malformed_querystrings_and_bodies_are_answered_2xx_and_recorded_byte_for_byte(redis_collector, stream_key):
    port = redis_collector.port
    for query in RECORDED_QUERIES:
        assert raw_request(port, get(b"/i?" + query if query else b"/i")) == 200, query
    assert raw_request(port, get(b"/i?e=pv", b"User-Agent: caf\xc3\xa9 \xff\xfe", b"Referer: \xff")) == 200
    for body, header in RECORDED_BODIES:
        assert raw_request(port, post(body, header)) == 200, (body, header)
    payloads = stream_payloads(REDIS_URL, stream_key)
    assert len(payloads) == len(RECORDED_QUERIES) + 1 + len(RECORDED_BODIES)
    assert [p.querystring for p in payloads[: len(RECORDED_QUERIES)]] == RECORDED_QUERIES
    assert [p.body for p in payloads[len(RECORDED_QUERIES) + 1:]] == [body for body, _ in RECORDED_BODIES]
    assert payloads[-1].contentType == "application/json;charset=utf-8"


def test_oversized_malformed_and_wrong_method_requests_get_a_4xx_never_a_500_and_record_nothing(
        redis_collector, stream_key):
    for request, expected in REFUSED:
        status = raw_request(redis_collector.port, request)
        assert status in expected, (request[:60], status)
    assert stream_payloads(REDIS_URL, stream_key) == []
    assert "Traceback" not in redis_collector.log()
