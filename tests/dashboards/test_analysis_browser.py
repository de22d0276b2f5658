"""Headless Chromium on the realtime, funnels and retention pages; screenshots go to test-artifacts/."""

import pytest
from playwright.sync_api import expect

from tests.dashboards.analysis_data import live_events
from tests.dashboards.conftest import ARTIFACTS, browser_login, load

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_realtime_page_refreshes_itself_every_10_seconds(live_server, chromium_page, viewer):
    page = chromium_page
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    load(live_events()[:2])  # v1's two page views
    browser_login(page, live_server.url, "viewer", "/dashboards/shop/realtime/")
    assert page.inner_text("#live-visitors .value") == "1" and page.is_visible("#tab-realtime.active")
    load(live_events()[2:])  # v2 arrives while the page is open
    expect(page.locator("#live-visitors .value")).to_have_text("2", timeout=15000)  # no reload: the script
    assert page.inner_text("#live-page_views .value") == "3"
    assert page.locator("#per-minute .minute-bar").count() == 30
    assert not errors
    page.screenshot(path=str(ARTIFACTS / "dashboards-realtime.png"), full_page=True)
