"""The network user id cookie: value, attributes, domains, nuid, SP-Anonymous and do-not-track (spec 3)."""

from __future__ import annotations

import re
import time
import uuid
from email.utils import parsedate_to_datetime

import pytest

from tests.collector.support import TP2, call

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")
KNOWN = "5b0f1e2d-3c4b-4a59-8877-665544332211"
ZEROS = "00000000-0000-0000-0000-000000000000"


def parse_set_cookie(header: str) -> tuple[str, str, dict[str, str | bool]]:
    """`name=value; A=b; Flag` -> (name, value, {"a": "b", "flag": True}), attribute order kept in the dict."""
    pair, *attributes = header.split("; ")
    name, _, value = pair.partition("=")
    parsed: dict[str, str | bool] = {}
    for attribute in attributes:
        key, sep, val = attribute.partition("=")
        parsed[key.lower()] = val if sep else True
    return name, value, parsed


def test_a_first_request_gets_a_new_uuid_in_the_sp_cookie_with_sscs_default_attributes(sink):
    answer = call("GET", "/i", "e=pv")
    (cookie,) = answer.all("set-cookie")
    name, value, attributes = parse_set_cookie(cookie)
    assert name == "sp"
    assert UUID.fullmatch(value)
    assert list(attributes) == ["expires", "path", "secure", "httponly", "samesite"]
    assert attributes["path"] == "/"
    assert attributes["secure"] is True and attributes["httponly"] is True
    assert attributes["samesite"] == "None"
    expires = parsedate_to_datetime(attributes["expires"]).timestamp()
    assert abs(expires - (time.time() + 365 * 86400)) < 5
    assert attributes["expires"].endswith(" GMT")
    assert sink.payloads[0].networkUserId == value


def test_the_cookie_id_comes_back_as_the_network_user_id_and_is_refreshed(sink):
    answer = call("GET", "/i", "e=pv", [("cookie", f"_sp_id.1fff=abc; sp={KNOWN}")])
    assert sink.payloads[0].networkUserId == KNOWN
    assert parse_set_cookie(answer.header("set-cookie"))[1] == KNOWN


def test_the_nuid_parameter_wins_over_the_cookie(sink):
    other = str(uuid.uuid4())
    answer = call("GET", "/i", f"e=pv&nuid={other}", [("cookie", f"sp={KNOWN}")])
    assert sink.payloads[0].networkUserId == other
    assert parse_set_cookie(answer.header("set-cookie"))[1] == other


@pytest.mark.parametrize("bad", ["not-a-uuid", "5b0f1e2d3c4b4a598877665544332211", f"{KNOWN}\n", "", "'; DROP"])
def test_a_nuid_or_cookie_that_is_not_a_uuid_is_replaced_by_a_fresh_one_so_enrich_does_not_reject_it(sink, bad):
    call("GET", "/i", "e=pv&nuid=" + bad.replace("\n", "%0A"))
    call("GET", "/i", "e=pv", [("cookie", f"sp={bad}")])
    for payload in sink.payloads:
        assert payload.networkUserId != bad
        assert UUID.fullmatch(payload.networkUserId)


def test_a_post_sets_the_cookie_too(sink):
    answer = call("POST", TP2, body=b"{}")
    assert parse_set_cookie(answer.header("set-cookie"))[0] == "sp"


@pytest.mark.parametrize(("origin", "domain"), [
    ("https://www.acme.com", "acme.com"),
    ("https://acme.com", "acme.com"),
    ("https://shop.acme.co.uk", "acme.co.uk"),
    ("https://evilacme.com", "fallback.net"),
    ("https://x.other.org https://b.acme.co.uk", "acme.co.uk"),
    (None, "fallback.net"),
])
def test_the_cookie_domain_is_the_first_configured_domain_matching_an_origin_host_else_the_fallback(
        configure, sink, origin, domain):
    configure(COOKIE_DOMAINS=["acme.com", "acme.co.uk"], COOKIE_FALLBACK_DOMAIN="fallback.net")
    answer = call("GET", "/i", "e=pv", [("origin", origin)] if origin else [])
    attributes = parse_set_cookie(answer.header("set-cookie"))[2]
    assert attributes["domain"] == domain
    assert list(attributes)[:3] == ["expires", "domain", "path"]


def test_without_a_match_or_a_fallback_the_cookie_has_no_domain_attribute(configure, sink):
    configure(COOKIE_DOMAINS=["acme.com"])
    answer = call("GET", "/i", "e=pv", [("origin", "https://other.org")])
    assert "domain" not in parse_set_cookie(answer.header("set-cookie"))[2]


def test_name_expiry_secure_httponly_and_samesite_are_configurable(configure, sink):
    configure(COOKIE_NAME="nuid_cookie", COOKIE_EXPIRATION_DAYS=30, COOKIE_SECURE=False, COOKIE_HTTPONLY=False,
              COOKIE_SAMESITE="lax")
    name, _, attributes = parse_set_cookie(call("GET", "/i", "e=pv").header("set-cookie"))
    assert name == "nuid_cookie"
    assert list(attributes) == ["expires", "path", "samesite"]
    assert attributes["samesite"] == "Lax"
    assert abs(parsedate_to_datetime(attributes["expires"]).timestamp() - time.time() - 30 * 86400) < 5


def test_no_cookie_is_set_when_cookies_are_disabled(configure, sink):
    configure(COOKIE_ENABLED=False)
    assert call("GET", "/i", "e=pv").all("set-cookie") == []
    assert UUID.fullmatch(sink.payloads[0].networkUserId)


def test_a_client_readable_copy_has_the_same_value_and_attributes_but_no_httponly(configure, sink):
    configure(CLIENT_COOKIE_NAME="sp_client")
    main, client = call("GET", "/i", "e=pv").all("set-cookie")
    main_name, value, main_attributes = parse_set_cookie(main)
    client_name, client_value, client_attributes = parse_set_cookie(client)
    assert (main_name, client_name, client_value) == ("sp", "sp_client", value)
    assert {k: v for k, v in main_attributes.items() if k != "httponly"} == client_attributes


def test_sp_anonymous_records_zeros_hides_the_ip_drops_forwarding_and_cookie_headers_and_sets_no_cookie(
        configure, sink):
    configure(TRUSTED_PROXIES=[__import__("ipaddress").ip_network("198.51.100.0/24")])
    answer = call("GET", "/i", "e=pv", [("sp-anonymous", "*"), ("x-forwarded-for", "203.0.113.5"),
                                        ("x-real-ip", "203.0.113.5"), ("user-agent", "UA")])
    payload = sink.payloads[0]
    assert payload.networkUserId == ZEROS
    assert payload.ipAddress == "unknown"
    assert payload.headers == ["Sp-Anonymous: *", "User-Agent: UA"]
    assert answer.all("set-cookie") == []


def test_sp_anonymous_with_an_existing_sp_cookie_deletes_it_with_an_expiry_in_the_past(sink):
    answer = call("POST", TP2, headers=[("sp-anonymous", "*"), ("cookie", f"sp={KNOWN}")], body=b"{}")
    name, value, attributes = parse_set_cookie(answer.header("set-cookie"))
    assert (name, value) == ("sp", "")
    assert parsedate_to_datetime(attributes["expires"]).timestamp() < time.time() - 364 * 86400
    assert sink.payloads[0].networkUserId == ZEROS
    assert not any(h.lower().startswith("cookie") for h in sink.payloads[0].headers)


def test_sp_anonymous_wins_over_a_nuid_parameter(sink):
    call("GET", "/i", f"e=pv&nuid={KNOWN}", [("sp-anonymous", "*")])
    assert sink.payloads[0].networkUserId == ZEROS


def test_a_matching_do_not_track_cookie_records_nothing_sets_nothing_and_still_answers_the_pixel(configure, sink):
    configure(DNT_COOKIE_NAME="optout", DNT_COOKIE_VALUE="yes|true")
    answer = call("GET", "/i", "e=pv", [("cookie", "optout=true")])
    assert answer.status == 200 and len(answer.body) == 43
    assert answer.all("set-cookie") == []
    assert sink.records == []
    answer = call("POST", TP2, headers=[("cookie", "optout=yes")], body=b"{}")
    assert (answer.status, answer.body) == (200, b"ok")
    assert sink.records == []


def test_the_do_not_track_value_must_match_fully(configure, sink):
    configure(DNT_COOKIE_NAME="optout", DNT_COOKIE_VALUE="yes")
    call("GET", "/i", "e=pv", [("cookie", "optout=yes-please")])
    assert len(sink.records) == 1


def test_once_stored_a_request_is_answered_2xx_even_if_its_cookie_cannot_be_built(sink, monkeypatch):
    def broken(*args, **kwargs):
        raise UnicodeEncodeError("latin-1", "x", 0, 1, "bad domain")

    monkeypatch.setattr("collector.asgi.set_cookie_headers", broken)
    answer = call("GET", "/i", "e=pv")
    assert answer.status == 200 and answer.all("set-cookie") == []
    assert len(sink.records) == 1  # a 5xx now would only make the tracker send it again


FALLBACK = "00000000-0000-4000-A000-000000000000"


@pytest.fixture
def bounce(configure):
    configure(COOKIE_BOUNCE_ENABLED=True)


def test_with_bounce_on_a_pixel_without_cookie_is_redirected_with_n3pc_and_a_cookie_and_not_recorded(bounce, sink):
    answer = call("GET", "/i", "e=pv&aid=a", [("host", "collector.acme.com"), ("origin", "https://a.com")])
    assert answer.status == 302
    assert answer.header("location") == "http://collector.acme.com/i?e=pv&aid=a&n3pc=true"
    assert answer.body == b""
    assert UUID.fullmatch(parse_set_cookie(answer.header("set-cookie"))[1])
    assert answer.header("access-control-allow-origin") == "https://a.com"
    assert sink.records == []


def test_after_a_bounce_the_returned_cookie_is_recorded_with_n3pc_left_in_the_querystring(bounce, sink):
    answer = call("GET", "/i", "e=pv&n3pc=true", [("cookie", f"sp={KNOWN}")])
    assert answer.status == 200 and len(answer.body) == 43
    assert sink.payloads[0].networkUserId == KNOWN
    assert sink.payloads[0].querystring == b"e=pv&n3pc=true"


def test_after_a_bounce_without_the_cookie_the_fallback_id_is_recorded(bounce, sink):
    assert call("GET", "/i", "e=pv&n3pc=true").status == 200
    assert sink.payloads[0].networkUserId == FALLBACK


def test_posts_requests_with_a_cookie_or_nuid_and_anonymous_requests_are_never_bounced(bounce, sink):
    assert call("POST", TP2, body=b"{}").status == 200
    assert call("GET", "/i", "e=pv", [("cookie", f"sp={KNOWN}")]).status == 200
    assert call("GET", "/i", f"e=pv&nuid={KNOWN}").status == 200
    assert call("GET", "/i", "e=pv", [("sp-anonymous", "*")]).status == 200
    assert len(sink.records) == 4


def test_the_bounce_keeps_https_behind_a_tls_proxy_when_the_protocol_header_is_configured(configure, sink):
    configure(COOKIE_BOUNCE_ENABLED=True, COOKIE_BOUNCE_PROTOCOL_HEADER="X-Forwarded-Proto")
    answer = call("GET", "/i", "e=pv", [("host", "c.acme.com"), ("x-forwarded-proto", "https")])
    assert answer.header("location") == "https://c.acme.com/i?e=pv&n3pc=true"
