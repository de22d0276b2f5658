"""ua-parser: Snowplow's ua_parser_context and the br_*/os_*/dvce_* mapping documented in ua_parser.py."""

from __future__ import annotations

import pytest

from tests.enrichments.support import CHROME, configuration, contexts, enrich, good

pytestmark = pytest.mark.django_db
UA_PARSER = configuration("ua_parser_config", "1-0-1", {})
IPHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
          "Version/17.0 Mobile/15E148 Safari/604.1")
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
FIREFOX = "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0"
IPAD = ("Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 "
        "Mobile/15E148 Safari/604.1")


def test_the_context_has_snowplows_fields_with_nulls_for_missing_parts():
    event = good(enrich([UA_PARSER], userAgent=CHROME))
    assert contexts(event, "iglu:com.snowplowanalytics.snowplow/ua_parser_context/") == [{
        "useragentFamily": "Chrome", "useragentMajor": "131", "useragentMinor": "0", "useragentPatch": "0",
        "useragentVersion": "Chrome 131.0.0", "osFamily": "Windows", "osMajor": "10", "osMinor": None,
        "osPatch": None, "osPatchMinor": None, "osVersion": "Windows 10", "deviceFamily": "Other"}]


@pytest.mark.parametrize(("useragent", "expected"), [
    (CHROME, {"br_name": "Chrome 131", "br_family": "Chrome", "br_version": "131.0.0", "br_type": "Browser",
              "br_renderengine": "BLINK", "os_name": "Windows 10", "os_family": "Windows",
              "os_manufacturer": "Microsoft Corporation", "dvce_type": "Computer", "dvce_ismobile": False}),
    (IPHONE, {"br_name": "Mobile Safari 17", "br_family": "Mobile Safari", "br_version": "17.0",
              "br_type": "Browser (mobile)", "br_renderengine": "WEBKIT", "os_name": "iOS 17", "os_family": "iOS",
              "os_manufacturer": "Apple Inc.", "dvce_type": "Mobile", "dvce_ismobile": True}),
    (IPAD, {"br_family": "Mobile Safari", "os_family": "iOS", "dvce_type": "Tablet", "dvce_ismobile": True}),
    (FIREFOX, {"br_name": "Firefox 120", "br_renderengine": "GECKO", "os_family": "Ubuntu",
               "os_manufacturer": "Canonical Ltd.", "dvce_type": "Computer"}),
    (GOOGLEBOT, {"br_family": "Googlebot", "br_type": "Robot", "dvce_type": "Unknown", "dvce_ismobile": False}),
])
def test_the_atomic_browser_os_and_device_fields_follow_the_documented_mapping(useragent, expected):
    event = good(enrich([UA_PARSER], userAgent=useragent))
    assert {key: event.get(key) for key in expected} == expected


def test_user_agent_utils_configurations_fill_the_atomic_fields_without_a_context():
    event = good(enrich([configuration("user_agent_utils_config", "1-0-0", {})], userAgent=CHROME))
    assert event["br_family"] == "Chrome" and event.get("derived_contexts") is None


def test_an_event_without_a_user_agent_is_left_alone():
    event = good(enrich([UA_PARSER], userAgent=None))
    assert event.get("br_family") is None and event.get("derived_contexts") is None
