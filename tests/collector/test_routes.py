"""Every collector route answers with SSC's exact status, bytes and headers (collector spec 2.1-2.3)."""

from __future__ import annotations

import pytest

from tests.collector.support import PIXEL_HEX, TP2, call

NO_CACHE = "no-cache, no-store, must-revalidate"
ROBOTS = "User-agent: *\nDisallow: /\n\nUser-agent: Googlebot\nDisallow: /\n\nUser-agent: AdsBot-Google\nDisallow: /"


@pytest.mark.parametrize("path", ["/i", "/ice.png", TP2, "/com.acme/v1"])
def test_a_get_tracking_request_gets_the_43_byte_transparent_gif_with_no_cache_headers(sink, path):
    answer = call("GET", path, "e=pv&p=web&tv=no-js-0.1.0")
    assert answer.status == 200
    assert answer.body.hex() == PIXEL_HEX
    assert len(answer.body) == 43
    assert answer.header("content-type") == "image/gif"
    assert answer.header("cache-control") == NO_CACHE
    assert answer.header("content-length") == "43"
    assert len(sink.records) == 1


def test_a_head_request_gets_the_pixel_headers_without_a_body_and_is_recorded(sink):
    answer = call("HEAD", "/i", "e=pv")
    assert answer.status == 200
    assert answer.body == b""
    assert answer.header("content-type") == "image/gif"
    assert answer.header("content-length") == "43"
    assert len(sink.records) == 1


def test_a_tp2_post_gets_ok_as_text_plain_and_no_cache_control(sink):
    answer = call("POST", TP2, headers=[("content-type", "application/json")], body=b'{"schema":"s","data":[]}')
    assert (answer.status, answer.body) == (200, b"ok")
    assert answer.header("content-type") == "text/plain"
    assert "cache-control" not in answer.names
    assert len(sink.records) == 1


def test_a_post_to_a_webhook_path_with_a_dotted_vendor_is_recorded_like_tp2(sink):
    answer = call("POST", "/com.mailchimp/v1", headers=[("content-type", "application/x-www-form-urlencoded")],
                  body=b"type=subscribe&data%5Bemail%5D=a%40b.c")
    assert (answer.status, answer.body) == (200, b"ok")
    assert sink.payloads[0].path == "/com.mailchimp/v1"
    assert sink.payloads[0].body == b"type=subscribe&data%5Bemail%5D=a%40b.c"


@pytest.mark.parametrize("path", ["/i", "/ice.png"])
def test_a_post_to_a_tp1_path_is_404_because_post_only_matches_two_segments(sink, path):
    assert call("POST", path, body=b"e=pv").status == 404
    assert sink.records == []


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_other_methods_on_tracking_paths_are_404_and_record_nothing(sink, method):
    assert call(method, TP2, body=b"{}").status == 404
    assert sink.records == []


def test_health_answers_ok():
    answer = call("GET", "/health")
    assert (answer.status, answer.body) == (200, b"ok")
    assert answer.header("content-type").startswith("text/plain")


def test_sink_health_answers_ok_while_the_sink_can_write(sink):
    answer = call("GET", "/sink-health")
    assert (answer.status, answer.body) == (200, b"ok")


def test_sink_health_answers_503_service_unavailable_when_the_sink_is_down(sink):
    sink.down = True
    answer = call("GET", "/sink-health")
    assert (answer.status, answer.body) == (503, b"Service Unavailable")


def test_robots_txt_disallows_everything_with_sscs_exact_body():
    answer = call("GET", "/robots.txt")
    assert (answer.status, answer.body.decode()) == (200, ROBOTS)


def test_crossdomain_xml_is_404_unless_enabled():
    assert call("GET", "/crossdomain.xml").status == 404


def test_crossdomain_xml_lists_one_allow_access_from_per_configured_domain(configure):
    configure(CROSSDOMAIN_ENABLED=True, CROSSDOMAIN_DOMAINS=["*.acme.com", "acme.org"], CROSSDOMAIN_SECURE=False)
    answer = call("GET", "/crossdomain.xml")
    assert answer.status == 200
    assert answer.header("content-type") == "text/xml"
    body = answer.body.decode()
    assert body.startswith('<?xml version="1.0"?>\n<cross-domain-policy>')
    assert '<allow-access-from domain="*.acme.com" secure="false" />' in body
    assert '<allow-access-from domain="acme.org" secure="false" />' in body


@pytest.mark.parametrize("method", ["GET", "POST", "HEAD"])
@pytest.mark.parametrize("path", ["/r/tp2", "/r/anything"])
def test_redirect_paths_are_404_redirects_disabled_by_default(sink, method, path):
    answer = call(method, path, "u=https%3A%2F%2Facme.com%2F")
    assert answer.status == 404
    if method != "HEAD":
        assert answer.body == b"redirects disabled"
    assert sink.records == []


@pytest.mark.parametrize("path", ["/i/", TP2 + "/", "/com.acme/v1/extra", "/nodot/v1", "/unknown"])
def test_paths_outside_the_collector_go_to_django_which_answers_404_without_a_slash_redirect(db, sink, path):
    answer = call("POST", path, body=b"{}")
    assert answer.status == 404
    assert sink.records == []


def test_a_custom_path_is_recorded_as_the_canonical_path_it_maps_to(configure, sink):
    configure(CUSTOM_PATHS={"/collect": TP2, "/com.acme/track": TP2})
    for path in ("/collect", "/com.acme/track"):
        answer = call("POST", path, headers=[("content-type", "application/json")], body=b"{}")
        assert (answer.status, answer.body) == (200, b"ok")
    assert [p.path for p in sink.payloads] == [TP2, TP2]
    assert call("GET", "/collect", "e=pv").body.hex() == PIXEL_HEX


@pytest.mark.parametrize("source", ["/admin/x", "/dashboards", "/api/track", "/static/x", "/health", "/i"])
def test_a_custom_path_may_not_shadow_a_reserved_prefix(configure, source):
    from django.core.exceptions import ImproperlyConfigured

    from collector.conf import get_collector_config

    configure(CUSTOM_PATHS={source: TP2})
    with pytest.raises(ImproperlyConfigured):
        get_collector_config()


def test_a_custom_path_must_map_to_a_canonical_collector_path(configure):
    from django.core.exceptions import ImproperlyConfigured

    from collector.conf import get_collector_config

    configure(CUSTOM_PATHS={"/collect": "/admin/"})
    with pytest.raises(ImproperlyConfigured):
        get_collector_config()
