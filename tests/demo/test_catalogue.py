"""The demo's fixed data: public addresses, real browsers, a few hundred pages."""

from __future__ import annotations

import ipaddress

from ua_parser import parse as parse_user_agent

from snowplow_site.demo.catalogue import BROWSERS, LOCATIONS, SCREENS, SITE_ROOT, check_catalogue, pages


def test_every_demo_network_is_a_public_slash_24():
    check_catalogue()
    for location in LOCATIONS:
        for host in (2, 128, 254):
            address = ipaddress.ip_address(location.address(host))
            assert address.is_global and not address.is_private and not address.is_reserved
            assert address in ipaddress.ip_network(location.network)


def test_locations_span_several_countries_and_continents():
    assert len({location.country_code for location in LOCATIONS}) >= 12
    assert len({location.continent_code for location in LOCATIONS}) == 6
    assert len({location.network for location in LOCATIONS}) == len(LOCATIONS)


def test_browsers_are_two_dozen_real_desktop_and_mobile_user_agents():
    assert 20 <= len(BROWSERS) <= 30
    assert {browser.device for browser in BROWSERS} == set(SCREENS)
    families = {parse_user_agent(browser.user_agent).user_agent.family for browser in BROWSERS}
    assert {"Chrome", "Firefox", "Safari", "Edge", "Chrome Mobile", "Mobile Safari"} <= families
    assert "Other" not in families


def test_the_shop_has_a_few_hundred_distinct_pages_with_titles():
    everything = [page for group in pages().values() for page in group]
    assert 250 <= len({page.url for page in everything}) == len(everything)
    assert all(page.url.startswith(SITE_ROOT + "/") and page.title for page in everything)
