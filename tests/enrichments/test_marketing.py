"""Referer parser, campaign attribution, event fingerprint, anon_ip and the cross-navigation context."""

from __future__ import annotations

import base64
import hashlib

import pytest

from enrichment.enrichments.anon_ip import anonymise
from enrichment.fingerprint import event_fingerprint
from tests.enrichments.support import configuration, contexts, enrich, good, raw_event

pytestmark = pytest.mark.django_db
REFERER = configuration("referer_parser", "2-0-1", {
    "internalDomains": ["blog.shop.example"], "database": "referers.json", "uri": "builtin://referers",
    "referrers": {"search": {"Acme Search": {"domains": ["search.acme.example"], "parameters": ["s"]}}}})
CAMPAIGN = configuration("campaign_attribution", "1-0-1", {"mapping": "static", "fields": {
    "mktMedium": ["utm_medium", "medium"], "mktSource": ["utm_source"], "mktTerm": ["utm_term"],
    "mktContent": ["utm_content"], "mktCampaign": ["utm_campaign", "cid"],
    "mktClickId": {"fbclid": "Facebook"}}})


def referer_fields(referrer: str, url: str = "https://shop.example/") -> tuple:
    event = good(enrich([REFERER], {"refr": referrer, "url": url}))
    return event.get("refr_medium"), event.get("refr_source"), event.get("refr_term")


@pytest.mark.parametrize(("referrer", "expected"), [
    ("https://www.google.com/search?q=blue+shoes", ("search", "Google", "blue shoes")),
    ("https://www.google.co.uk/search?q=r%C3%B6d", ("search", "Google", "röd")),
    ("https://www.bing.com/search?q=shoes&form=x", ("search", "Bing", "shoes")),
    ("https://duckduckgo.com/", ("search", "DuckDuckGo", None)),
    ("https://m.facebook.com/story.php", ("social", "Facebook", None)),
    ("https://t.co/abc", ("social", "Twitter", None)),
    ("https://mail.google.com/mail/u/0/", ("email", "Gmail", None)),
    ("https://search.acme.example/?s=boots", ("search", "Acme Search", "boots")),
    ("https://shop.example/basket", ("internal", None, None)),
    ("https://blog.shop.example/post", ("internal", None, None)),
    ("https://unknown.example/page", ("unknown", None, None)),
])
def test_referrers_are_classified_by_medium_source_and_search_term(referrer, expected):
    assert referer_fields(referrer) == expected


def test_a_non_web_referrer_scheme_is_not_classified():
    assert referer_fields("ftp://www.google.com/x") == (None, None, None)


def test_utm_parameters_fill_the_marketing_fields_with_the_first_configured_name_present():
    event = good(enrich([CAMPAIGN], {"url": "https://shop.example/?utm_source=news&medium=mail&utm_medium=email"
                                            "&cid=spring&utm_term=&fbclid=abc"}))
    assert (event["mkt_medium"], event["mkt_source"], event["mkt_campaign"]) == ("email", "news", "spring")
    assert event.get("mkt_term") is None  # present but empty
    assert (event["mkt_clickid"], event["mkt_network"]) == ("abc", "Facebook")


def test_the_default_click_ids_are_google_microsoft_and_doubleclick_and_a_repeated_key_takes_the_last_value():
    event = good(enrich([CAMPAIGN], {"url": "https://shop.example/?msclkid=m1&utm_source=a&utm_source=b"}))
    assert (event["mkt_clickid"], event["mkt_network"], event["mkt_source"]) == ("m1", "Microsoft", "b")


@pytest.mark.parametrize("algorithm", ["MD5", "SHA1", "SHA256", "SHA384", "SHA512"])
def test_the_fingerprint_hashes_sorted_parameters_without_excluded_ones(algorithm):
    config = configuration("event_fingerprint_config", "1-0-1",
                           {"excludeParameters": ["eid", "stm"], "hashAlgorithm": algorithm})
    raw = raw_event({"stm": "1", "se_ca": "c"})
    event = good(enrich([config], {"stm": "1", "se_ca": "c"}))
    text = "".join(f"{key}\x1f{raw.parameters[key]}\x1f" for key in sorted(raw.parameters) if key not in {"eid", "stm"})
    assert event["event_fingerprint"] == hashlib.new(algorithm.lower(), text.encode()).hexdigest()
    assert event["event_fingerprint"] == event_fingerprint(raw.parameters, frozenset({"eid", "stm"}), algorithm)


@pytest.mark.parametrize(("address", "octets", "segments", "expected"), [
    ("94.15.223.151", 1, 1, "94.15.223.x"),  # the spec's example
    ("94.15.223.151", 2, 2, "94.15.x.x"),
    ("94.15.223.151", 4, 4, "x.x.x.x"),
    ("2001:0db8:85a3:0000:0000:8a2e:0370:7334", 1, 2, "2001:db8:85a3:0:0:8a2e:x:x"),
    ("2001:db8::1", 1, 8, "x:x:x:x:x:x:x:x"),
    ("::ffff:94.15.223.151", 1, 1, "::ffff:94.15.223.x"),
    ("not-an-address", 1, 1, "not-an-address"),
])
def test_anon_ip_masks_ipv4_octets_and_ipv6_segments_as_enrich_does(address, octets, segments, expected):
    assert anonymise(address, octets, segments) == expected


def test_anon_ip_runs_after_ip_lookups_so_geography_still_sees_the_real_address():
    event = good(enrich([configuration("anon_ip", "1-0-1", {"anonOctets": 2})], {"ip": "94.15.223.151"}))
    assert event["user_ipaddress"] == "94.15.x.x"


def b64(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def test_the_cross_navigation_context_holds_the_decoded_sp_parameter():
    sp = f"duid-1.1700000000000.sid-1.{b64('alice')}.{b64('app')}.web.{b64('link')}"
    event = good(enrich([configuration("cross_navigation_config", "1-0-0", None,
                                       "com.snowplowanalytics.snowplow.enrichments")],
                        {"url": f"https://shop.example/?_sp={sp}"}))
    assert event["refr_domain_userid"] == "duid-1"
    assert contexts(event, "iglu:com.snowplowanalytics.snowplow/cross_navigation/") == [{
        "domain_user_id": "duid-1", "timestamp": "2023-11-14T22:13:20.000Z", "session_id": "sid-1",
        "user_id": "alice", "source_id": "app", "source_platform": "web", "reason": "link"}]


def test_a_short_sp_parameter_gives_nulls_for_the_missing_parts():
    event = good(enrich([configuration("cross_navigation_config", "1-0-0", None,
                                       "com.snowplowanalytics.snowplow.enrichments")],
                        {"url": "https://shop.example/?_sp=duid-1.1700000000000"}))
    (context,) = contexts(event, "iglu:com.snowplowanalytics.snowplow/cross_navigation/")
    assert context["session_id"] is None and context["reason"] is None
