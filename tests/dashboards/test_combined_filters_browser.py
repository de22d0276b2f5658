"""Headless Chromium: the filter bar adds a custom-property filter and a second filter, both kept in the URL,
and the models' numbers follow (counted by hand in test_combined_filters); screenshots go to test-artifacts/."""

import pytest

from tests.dashboards.conftest import ARTIFACTS, RANGE, browser_login, load, shop_events
from tests.dashboards.test_combined_filters import NUMBERS, signups

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shown(page) -> list[str]:
    return [page.inner_text(f"#tile-{k} .value") for k in NUMBERS]


def test_the_filter_bar_combines_a_property_and_a_dimension_kept_in_the_url(live_server, chromium_page, viewer):
    from warehouse.modeling.runs import model_run

    page = chromium_page
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    load(shop_events() + signups())
    model_run()
    browser_login(page, live_server.url, "viewer", f"/dashboards/shop/?{RANGE}")
    assert shown(page) == ["3", "4", "5"]
    # Without a property name the form does not submit.
    page.select_option("#filter-dimension", "prop")
    assert page.is_visible("#filter-prop")
    page.fill("#filter-value", "pro")
    page.click("#add-filter")
    assert "f=" not in page.url
    # plan is pro: s1 and s3.
    page.fill("#filter-prop", "plan")
    page.click("#add-filter")
    page.wait_for_selector("#filters")
    assert "f=prop%3Aplan%3Ais%3Apro" in page.url and shown(page) == ["2", "2", "3"]
    # and country is FR, then page is not /home: s3 only (s1 viewed /home).
    page.select_option("#filter-dimension", "country")
    page.fill("#filter-value", "FR")
    page.click("#add-filter")
    page.wait_for_load_state("networkidle")
    assert "f=prop%3Aplan%3Ais%3Apro&f=country%3Ais%3AFR" in page.url and shown(page) == ["2", "2", "3"]
    page.select_option("#filter-dimension", "page")
    page.select_option("#filter-op", "is_not")
    page.fill("#filter-value", "/home")
    page.click("#add-filter")
    page.wait_for_load_state("networkidle")
    assert shown(page) == ["1", "1", "1"]
    assert page.locator("#filters .chip").count() == 3
    page.screenshot(path=str(ARTIFACTS / "dashboards-combined-filters.png"), full_page=True)
    # The URL is the view: opened again it shows the same; removing one chip keeps the others.
    page.goto(page.url)
    assert shown(page) == ["1", "1", "1"]
    page.click('#filters a[aria-label="Remove filter Page is not /home"]')
    page.wait_for_load_state("networkidle")
    assert "page%3Ais_not" not in page.url and "f=prop%3Aplan%3Ais%3Apro&f=country%3Ais%3AFR" in page.url
    assert shown(page) == ["2", "2", "3"]
    assert not errors
