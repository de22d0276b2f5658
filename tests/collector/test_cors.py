"""CORS: the Origin echoed with credentials on every tracking answer, and SSC's preflight (spec 2.2, 2.3, 7.1-7.2)."""

from __future__ import annotations

import pytest

from tests.collector.support import TP2, call


@pytest.mark.parametrize(("origin", "allowed"), [
    ("https://www.acme.com", "https://www.acme.com"),
    ("http://localhost:3000", "http://localhost:3000"),
    ("https://a.acme.com https://b.acme.com", "https://a.acme.com"),
    ("null", "*"),
    (None, "*"),
])
def test_a_tracking_answer_echoes_the_first_origin_and_allows_credentials(sink, origin, allowed):
    headers = [("origin", origin)] if origin else []
    for answer in (call("GET", "/i", "e=pv", headers), call("POST", TP2, headers=headers, body=b"{}")):
        assert answer.header("access-control-allow-origin") == allowed
        assert answer.header("access-control-allow-credentials") == "true"
        assert answer.header("vary") == "Origin"


@pytest.mark.parametrize("path", ["/i", TP2, "/com.acme/v1", "/r/tp2"])
def test_a_preflight_is_200_with_an_empty_body_and_sscs_cors_headers(sink, path):
    answer = call("OPTIONS", path, headers=[
        ("origin", "https://shop.acme.com"), ("access-control-request-method", "POST"),
        ("access-control-request-headers", "content-type"),
    ])
    assert (answer.status, answer.body) == (200, b"")
    assert answer.header("access-control-allow-origin") == "https://shop.acme.com"
    assert answer.header("access-control-allow-credentials") == "true"
    assert answer.header("access-control-allow-headers") == "Content-Type, SP-Anonymous"
    assert answer.header("access-control-max-age") == "3600"
    assert "access-control-allow-methods" not in answer.names
    assert "set-cookie" not in answer.names
    assert sink.records == []


def test_a_preflight_allows_a_trackers_custom_headers_too(sink):
    answer = call("OPTIONS", TP2, headers=[("origin", "https://a.com"),
                                           ("access-control-request-headers", "content-type,x-custom-id,sp-anonymous")])
    assert answer.header("access-control-allow-headers") == "Content-Type, SP-Anonymous, x-custom-id"


def test_the_preflight_max_age_is_configurable(configure, sink):
    configure(CORS_MAX_AGE=600)
    assert call("OPTIONS", TP2, headers=[("origin", "https://a.com")]).header("access-control-max-age") == "600"


def test_a_503_answer_still_carries_cors_headers_so_the_browser_tracker_sees_the_status(sink):
    sink.down = True
    answer = call("POST", TP2, headers=[("origin", "https://a.com")], body=b"{}")
    assert answer.status == 503
    assert answer.header("access-control-allow-origin") == "https://a.com"
    assert answer.header("access-control-allow-credentials") == "true"
