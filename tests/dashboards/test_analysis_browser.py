"""Headless Chromium on the realtime, funnels and retention pages; screenshots go to test-artifacts/."""

import pytest
from playwright.sync_api import expect

from tests.dashboards.analysis_data import live_events, retention_events
from tests.dashboards.conftest import ARTIFACTS, RANGE, browser_login, load, shop_events

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


def test_the_funnels_form_builds_a_funnel_kept_in_the_url(live_server, chromium_page, viewer):
    from warehouse.modeling.runs import model_run

    page = chromium_page
    load(shop_events())
    model_run()
    browser_login(page, live_server.url, "viewer", f"/dashboards/shop/funnels/?{RANGE}")
    page.fill("#value-1", "/home")
    page.fill("#value-2", "/pricing")
    page.click("#funnel-apply")
    page.wait_for_selector("#funnel")
    assert "kind=page&value=%2Fhome" in page.url
    assert page.locator("#funnel tbody td:nth-child(4)").all_inner_texts() == ["3", "1"]
    page.screenshot(path=str(ARTIFACTS / "dashboards-funnels-steps.png"), full_page=True)


def test_the_retention_page_shows_the_cohort_table(live_server, chromium_page, viewer):
    from warehouse.modeling.runs import model_run

    page = chromium_page
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    load(retention_events())
    model_run()
    browser_login(page, live_server.url, "viewer", f"/dashboards/shop/retention/?{RANGE}")
    assert page.is_visible("#tab-retention.active") and page.locator("#retention tbody tr").count() == 8
    first = page.locator("#retention tbody tr").first.locator("td").all_inner_texts()
    assert first[:6] == ["2026-10-12", "3", "100.0%", "33.3%", "33.3%", "33.3%"]
    shade = page.locator("#retention tbody tr").first.locator("td").nth(2).evaluate(
        "cell => getComputedStyle(cell).backgroundColor")
    assert shade == "rgba(102, 56, 182, 0.45)"
    assert not errors
    page.screenshot(path=str(ARTIFACTS / "dashboards-retention-cohorts.png"), full_page=True)
