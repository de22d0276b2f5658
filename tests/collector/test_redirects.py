"""Click redirects on /r/tp2: recorded then 302 to an allowed host only, never an open redirect (spec 2.1, 7.12)."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.collector.support import call


@pytest.fixture
def redirects(configure):
    configure(REDIRECTS_ENABLED=True, REDIRECT_DOMAINS=["www.acme.com", "acme.com"])


def test_an_allowed_target_is_recorded_and_answered_302_with_location_cors_and_cookie(redirects, sink):
    target = "https://www.acme.com/landing?utm_source=mail&x=caf%C3%A9"
    answer = call("GET", "/r/tp2", f"u={quote(target, safe='')}&e=se&se_ca=click", [("origin", "https://a.com")])
    assert answer.status == 302
    assert answer.header("location") == target
    assert answer.body == b""
    assert answer.header("access-control-allow-origin") == "https://a.com"
    assert answer.header("set-cookie").startswith("sp=")
    (payload,) = sink.payloads
    assert payload.path == "/r/tp2"
    assert payload.querystring.startswith(b"u=https%3A%2F%2Fwww.acme.com")


@pytest.mark.parametrize("target", [
    "https://evil.com/",
    "https://www.acme.com.evil.com/",
    "https://evil.com\\@www.acme.com/",
    "https://evil.com%5C@www.acme.com/",
    "//evil.com/",
    "javascript:alert(1)",
    "ftp://acme.com/",
    "https://acme.com/\r\nSet-Cookie: x=y",
    "/relative",
    "",
])
def test_a_target_outside_the_allowed_hosts_or_not_http_gets_400_and_is_not_recorded(redirects, sink, target):
    answer = call("GET", "/r/tp2", f"u={quote(target, safe='')}")
    assert answer.status == 400
    assert "location" not in answer.names
    assert sink.records == []


def test_a_missing_u_parameter_gets_400(redirects, sink):
    assert call("GET", "/r/tp2", "e=pv").status == 400


def test_with_no_allowed_domains_every_target_is_refused_unlike_snowplow(configure, sink):
    configure(REDIRECTS_ENABLED=True, REDIRECT_DOMAINS=[])
    assert call("GET", "/r/tp2", "u=https%3A%2F%2Facme.com%2F").status == 400


def test_non_ascii_in_an_allowed_target_is_percent_encoded_in_the_location(redirects, sink):
    answer = call("GET", "/r/tp2", "u=" + quote("https://acme.com/café", safe=""))
    assert answer.header("location") == "https://acme.com/caf%C3%A9"


def test_a_custom_path_mapped_to_r_tp2_redirects_too(configure, sink):
    configure(REDIRECTS_ENABLED=True, REDIRECT_DOMAINS=["acme.com"], CUSTOM_PATHS={"/go": "/r/tp2"})
    answer = call("GET", "/go", "u=https%3A%2F%2Facme.com%2F")
    assert (answer.status, answer.header("location")) == (302, "https://acme.com/")
    assert sink.payloads[0].path == "/r/tp2"
